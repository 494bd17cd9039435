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
        return _strict(data[3:], "utf-8", "input has a utf-8-sig byte-order mark but is not valid utf-8-sig", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "input has a utf-16 byte-order mark but is not valid utf-16")
    if b"\x00" in data:
        codec = _bomless_utf16(data)
        if codec is None:
            raise InputError("binary", "input holds NUL bytes: it is binary data, not a text release")
        return _strict(data, codec, f"input has a NUL in every other byte, as {codec} has, but is not valid {codec}")
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


def _bomless_utf16(data: bytes) -> str | None:
    """The codec of UTF-16 saved without a byte-order mark (some Windows tools do), if ``data`` looks like it.

    Text in a Latin script has a NUL as the high byte of nearly every character, so one half of the
    bytes is mostly NUL and the other half holds none; binary data has NULs on both sides.
    """
    if len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.7 * half and even == 0:
        return "utf-16-le"
    if even >= 0.7 * half and odd == 0:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, failure: str, name: str | None = None) -> tuple[str, str]:
    try:
        return data.decode(codec), name or codec
    except UnicodeDecodeError as exc:
        raise InputError("undecodable", f"{failure}: {exc.reason}") from None


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
