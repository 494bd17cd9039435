"""How often the bundle splitter finds both releases of a page made of two fixture releases.

Every ordered pair of fixtures (a release, a blank line, another release) is split with
``split_releases``; a pair counts as found when the two ranges are exactly the two releases.
Fixtures the splitter does not read by design (a release without blank lines between its
paragraphs, one inside an e-mail) are left out, as in ``tests/test_batch.py``.

    python benchmarks/bundle_pairs.py [--show N]
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

from ncpi_extract.bundle import split_releases
from ncpi_extract.decode import decode_bytes
from ncpi_extract.html import html_to_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_EMAIL_START = re.compile(r"(?:from|sent|to|subject)\s*:|(?:hi|hello|dear)\b|[=*_-]{5,}\s*$", re.I)


def release_text(path: Path) -> str:
    decoded = decode_bytes(path.read_bytes(), suffix=path.suffix)
    return (html_to_text(decoded.text) if decoded.format == "html" else decoded.text).strip()


def in_an_email(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return sum(line.startswith(">") for line in lines) > 0.8 * len(lines) or bool(_EMAIL_START.match(lines[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=10, help="releases to list that are most often missed")
    args = parser.parse_args()
    texts = {}
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix in (".txt", ".md", ".html", ".htm") and path.name != "README.md":
            text = release_text(path)
            if "\n\n" in text and not in_an_email(text):
                texts[path.name] = text
    missed_first, missed_second = collections.Counter(), collections.Counter()
    pairs = missed = 0
    for first, a in texts.items():
        for second, b in texts.items():
            pairs += 1
            if split_releases(a + "\n\n" + b) != [(0, len(a)), (len(a) + 2, len(a) + 2 + len(b))]:
                missed += 1
                missed_first[first] += 1
                missed_second[second] += 1
    print(f"{len(texts)} releases, {pairs} ordered pairs: {pairs - missed} split exactly, {missed} not ({missed / pairs:.1%})")
    for label, counter in (("as the first release", missed_first), ("as the second release", missed_second)):
        print(f"most often missed {label}:")
        for name, count in counter.most_common(args.show):
            print(f"  {count:5d}  {name}")


if __name__ == "__main__":
    main()
