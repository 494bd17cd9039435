"""ncpi-extract: structured findings from HMICFRS child protection inspection press releases.

>>> from ncpi_extract import parse
>>> release = parse(text)            # doctest: +SKIP
>>> [f.text for f in release.findings if f.kind == "concern"]  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import docext  # noqa: E402,F401  (registers the Doc/Span extensions)
from .api import parse, parse_bytes, parse_file  # noqa: E402
from .errors import InputError  # noqa: E402
from .release import Release  # noqa: E402

__all__ = ["InputError", "Release", "__version__", "parse", "parse_bytes", "parse_file"]
