"""Bytes to text: encoding detection, line-end normalisation and format sniffing.

Offsets in every output refer to the text this module returns: decoded, without a
byte-order mark, with CRLF and lone CR turned into LF (what Python's own
``open(...).read()`` gives), and for HTML the text extracted from the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InputError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    format: str  # "text" | "markdown" | "html"


def decode_bytes(data: bytes, *, suffix: str = "", max_bytes: int | None = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode a saved release. Raises :class:`InputError` for input that is not a release."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError("too_large", f"input is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if not data:
        raise InputError("empty", "input is empty")
    text, encoding = _decode(data)
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError("empty", "input holds only white space")
    if _looks_binary(text):
        raise InputError("binary", "input looks like binary data, not a text release")
    return Decoded(text=text, encoding=encoding, format=sniff_format(text, suffix))


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, as Python's own text-mode reading gives."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "utf-16")
    if b"\x00" in data:
        raise InputError("binary", "input holds NUL bytes: it is binary data, not a text release")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError(
            "undecodable", f"input is neither UTF-8 nor Windows-1252 (byte {exc.start}: {data[exc.start]:#04x})"
        ) from None


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise InputError("undecodable", f"input has a {name} byte-order mark but is not valid {name}: {exc.reason}") from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0d-\x1f]")  # below space, except tab, LF and form feed


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, LF and form feed are rare in any release."""
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def sniff_format(text: str, suffix: str = "") -> str:
    suffix = suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    head = text.lstrip()[:1024].lower()
    if head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head):
        return "html"
    return "text"
