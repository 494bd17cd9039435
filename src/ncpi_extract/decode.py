"""Bytes to text: encoding detection, line-end normalisation and format sniffing.

Offsets in every output refer to the text this module returns: decoded, without a
byte-order mark, with CRLF and lone CR turned into LF (what Python's own
``open(...).read()`` gives), and for HTML the text extracted from the page. Damage a
release picks up on its way is undone here, so every later step reads the words a reader
saw: mojibake (UTF-8 once read as Windows-1252), a PDF's ligatures ('ﬁ'), and HTML's
character references left in a text or Markdown file ('&rsquo;').
"""

from __future__ import annotations

import html
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
    text, encoding = _repaired(text, encoding)
    text = _without_ligatures(text)
    format = sniff_format(text, suffix)
    if format != "html":
        text = _without_character_references(text)
    return Decoded(text=text, encoding=encoding, format=format)


# A character that UTF-8's first byte of 'é', '’' or '•' becomes when the bytes were read as
# Windows-1252, before one its second byte becomes: 'Ã©', 'â€™', 'â€¢'
_MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _repaired(text: str, encoding: str) -> tuple[str, str]:
    """Text whose UTF-8 was once read as Windows-1252 and saved again ('the forceâ€™s'), repaired
    by ftfy, which undoes only sequences that are clearly such damage; the encoding then says so."""
    if not ("\u00e2" in text or "\u00c3" in text or "\u00c2" in text) or not _MOJIBAKE_HINT.search(text):
        return text, encoding  # (str's own search first: the regex visits every character)
    import ftfy  # only for the few files that need it

    fixed = ftfy.fix_encoding(text)
    if fixed == text:
        return text, encoding
    return fixed, f"{encoding}, mojibake repaired"


# Typographic ligatures that text copied from a PDF keeps ('ofﬁcers'): a reader, and every rule, reads the letters
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_LIGATURE = re.compile("[\ufb00-\ufb06]")


def _without_ligatures(text: str) -> str:
    if text.isascii() or not any(ligature in text for ligature in _LIGATURES):
        return text
    return _LIGATURE.sub(lambda m: _LIGATURES[m.group()], text)


_CHARACTER_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,7}|#[0-9]{2,6}|#[xX][0-9A-Fa-f]{2,5});")


def _without_character_references(text: str) -> str:
    """A text or Markdown file that a web system left HTML's character references in
    ('the force&rsquo;s', 'Police &amp; Crime'), as a reader of the page saw it."""
    first = _CHARACTER_REFERENCE.search(text) if "&" in text else None
    if first is None or _CHARACTER_REFERENCE.search(text, first.end()) is None:
        return text  # one '&...;' alone may be meant
    return _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m.group()), text)


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
