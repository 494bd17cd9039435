"""The Python API: ``parse`` for text, ``parse_file`` for a saved release.

Both are pure apart from ``parse_file`` reading its one file; the pipeline is loaded
once per process and shared by every call.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .bundle import split_releases
from .convert import doc_to_document
from .decode import DEFAULT_MAX_BYTES, Decoded, decode_bytes, normalise_newlines
from .docext import ITEMS_ONLY, read_group, warn
from .errors import InputError
from .pipeline import load_pipeline
from .release import Release, Source, Warning

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse(text: str, source: str | None = None, *, format: str = "text") -> Release:
    """Extract a release from its text. ``source`` names where the text came from.

    ``format`` is "text", "markdown" or "html" (HTML is reduced to its main text first).
    Raises :class:`InputError` for empty text, text over the size limit, and text holding a
    lone surrogate (as decoding bytes with ``errors="surrogateescape"`` leaves).
    """
    if not text or not text.strip():
        raise InputError("empty", "input is empty or holds only white space")
    if len(text) > DEFAULT_MAX_BYTES:
        raise InputError("too_large", f"input is {len(text):,} characters, over the limit of {DEFAULT_MAX_BYTES:,}")
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate:  # what decoding bytes with errors="surrogateescape" leaves: no text can hold it as UTF-8
        raise InputError("undecodable", f"the text holds a lone surrogate (U+{ord(surrogate.group()):04X} at character "
                                        f"{surrogate.start():,}), which is no character: pass the file's bytes to parse_bytes")
    raw = text.encode("utf-8")
    decoded = Decoded(text=normalise_newlines(text), encoding="utf-8", format=format)
    return _extract(decoded, path=source, sha256=hashlib.sha256(raw).hexdigest())


def parse_bytes(data: bytes, source: str | None = None, *, suffix: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES) -> Release:
    """Extract a release from the bytes of a saved file (encoding and format are detected)."""
    decoded = decode_bytes(data, suffix=suffix, max_bytes=max_bytes)
    return _extract(decoded, path=source, sha256=hashlib.sha256(data).hexdigest())


def parse_file(path: str | Path, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Release:
    """Read and extract one saved release (.txt, .md, .html)."""
    path = Path(path)
    try:
        data = read_file(path, max_bytes)
    except InputError as exc:
        raise InputError(exc.code, f"{path}: {exc.message}") from None
    return parse_bytes(data, str(path), suffix=path.suffix, max_bytes=max_bytes)


def read_file(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of one saved release, or :class:`InputError` for anything that is not a
    readable regular file within ``max_bytes`` (the one reader of parse_file, the CLI and batch)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.fsencode(os.readlink(path)).decode("utf-8", "backslashreplace")  # a name that is not UTF-8 shown escaped
            raise InputError("broken_link", f"a symbolic link to {target}, which does not exist") from None
        raise InputError("not_found", "no such file") from None
    except OSError as exc:
        raise InputError("unreadable", f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("not_a_file", "a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not_a_file", "not a regular file (a pipe, socket or device)")
    if max_bytes is not None and st.st_size > max_bytes:
        raise InputError("too_large", f"{st.st_size:,} bytes, over the limit of {max_bytes:,} bytes")
    try:
        # opened without blocking and looked at again: a file swapped for a pipe since the stat above would
        # otherwise hold the reader for ever
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise InputError("not_a_file", "not a regular file (a pipe, socket or device)")
        with os.fdopen(fd, "rb") as f:
            if max_bytes is None:
                data = f.read()
            else:  # read(max_bytes + 1) alone would allocate the whole limit (5 MB) for every file
                data = f.read(min(st.st_size, max_bytes) + 1)
                if st.st_size < len(data) <= max_bytes:  # the file grew since stat: read on to the limit
                    data += f.read(max_bytes + 1 - len(data))
    except PermissionError:
        raise InputError("unreadable", "cannot be read: permission denied") from None
    except OSError as exc:
        raise InputError("unreadable", f"cannot be read: {exc.strerror or exc}") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError("too_large", f"over the limit of {max_bytes:,} bytes")
    return data


def page_text(decoded: Decoded) -> tuple[str, str]:
    """The text the parser reads and what its offsets index: the decoded text, or for a
    web page the text extracted from it."""
    if decoded.format != "html":
        return decoded.text, "decoded_text"
    from .html import html_to_text

    text = html_to_text(decoded.text)
    if not text.strip():
        raise InputError("empty", "the HTML page has no text content")
    return text, "extracted_text"


def _extract(decoded: Decoded, *, path: str | None, sha256: str) -> Release:
    text, offsets = page_text(decoded)
    source = Source(path=path, sha256=sha256, format=decoded.format, encoding=decoded.encoding, offsets=offsets)
    release = extract_text(text, source)
    pieces = len(split_releases(text))
    if pieces > 1:  # parse reads one release per file; batch splits a page
        release.warnings.append(Warning(code="several_releases", message=(
            f"the page holds {pieces} releases one after another; this output reads it as one release "
            "(ncpi-extract batch extracts each on its own)")))
    return release


def extract_text(text: str, source: Source) -> Release:
    """Run the pipeline over text that is already decoded (and extracted, for HTML)."""
    return extract_texts([(text, source)])[0]


def extract_texts(items: list[tuple[str, Source]], batch_size: int = 64) -> list[Release]:
    """``extract_text`` for many texts at once, through ``nlp.pipe`` (the classifier batches them)."""
    return [Release.model_validate(d, strict=True) for d in extract_text_documents(items, batch_size)]


def extract_text_documents(items: list[tuple[str, Source]], batch_size: int = 64) -> list[dict[str, Any]]:
    """``extract_texts`` as plain output documents, *not yet validated*: the batch runner checks
    each as it serialises it (``schema.checked_json``), ``extract_texts`` validates them into models."""
    return list(iter_text_documents(items, batch_size))


def iter_text_documents(items: Iterable[tuple[str, Source]], batch_size: int = 64) -> Iterator[dict[str, Any]]:
    """``extract_text_documents`` one document at a time, ``batch_size`` texts through the pipeline
    at once: no more than that many ``Doc`` objects are alive, so a page of thousands of releases
    does not hold them all. Each batch is tokenized before it goes through the components, which
    measured 3 % faster than letting ``nlp.pipe`` tokenize as it goes."""
    nlp = load_pipeline()
    items = iter(items)
    while batch := list(itertools.islice(items, batch_size)):
        docs = []
        for text, _ in batch:
            doc = nlp.make_doc(text)
            doc.user_data["ncpi_text"] = text  # spares rebuilding Doc.text from its tokens
            doc.user_data[ITEMS_ONLY] = True  # read through read_group, then dropped: no Span objects needed
            docs.append(doc)
        for doc, (_, source) in zip(nlp.pipe(docs, batch_size=batch_size), batch, strict=True):
            if not any(label not in ("headline", "lead", "other") for label, _ in read_group(doc, "sections")) \
                    and not read_group(doc, "findings"):  # prose findings are a section's worth
                warn(doc, "no_sections", "no recognisable section (no finding cue, quote, report link or notes): is this an NCPI press release?")
            yield doc_to_document(doc, source)
        del docs  # before the next batch is made
