"""Text normalisation that never moves an offset.

Rules are written against plain ASCII punctuation, while releases use curly quotes,
en dashes, non-breaking hyphens and non-breaking spaces. ``fold`` maps each such
character to one ASCII character, so a match found in the folded text has the same
offsets in the original.
"""

from __future__ import annotations

import re

_FOLD_CHARS = {  # each character and the one ASCII character it folds to
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00ad": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\t": " ",
    "\u2026": ".",
}
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")


def fold(text: str) -> str:
    """Return ``text`` with typographic punctuation folded to ASCII, same length."""
    if text.isascii() and "\t" not in text:
        return text
    # a regex visits only the few characters to replace; str.translate looks up every one
    return _FOLDABLE.sub(_fold_match, text)


def _fold_match(match: re.Match) -> str:
    return _FOLD_CHARS[match.group()]


_LINE_QUOTING = re.compile(r"\n[ \t]*(?:>[ \t]?)+")


# Characters a reader never sees: soft hyphens, zero-width spaces and joiners, and a byte order
# mark, which office software leaves inside words ('safe\u00adguarding')
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


# A word broken at a line's end after a hyphen, as PDF and wrapped copy break them ('avail-' / 'able',
# 'multi-' / 'agency'): the line break goes, the hyphen stays (without a dictionary, 'multi-agency' and
# 'avail-able' cannot be told apart)
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n[ \t]*(?=[a-z])")


# Where a sentence ends in running text: after '.', '!' or '?' and white space, or at a blank line
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def squash(text: str) -> str:
    """Fold runs of white space (line breaks included) to one space and trim; the '> ' that
    quotes a line in Markdown or an e-mail reply goes with the break before it, a word broken after
    a hyphen at a line's end is joined again, and characters a reader never sees (soft hyphens,
    zero-width spaces) are dropped."""
    if "\n" in text and ">" in text:
        text = _LINE_QUOTING.sub("\n", text)
    if "-\n" in text:
        text = _HYPHEN_BREAK.sub("-", text)
    words = " ".join(text.split())  # str.split and re's \s agree on what is white space
    if not words.isascii() and _INVISIBLE.search(words):
        words = " ".join(_INVISIBLE.sub("", words).split())
    return words


_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


_FOOTNOTE = re.compile(r"(?<=[^\s\d\[])(?:[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+|\[\d{1,2}\])")


# What follows a Markdown link's [text]: (address), (address "hover title") or [reference]
MARKDOWN_LINK_TARGET = r"(?:\([^()\s]*(?:\s+\"[^\"\n]*\")?\)|\[[^\[\]\n]{0,40}\])"
_MARKDOWN_LINK = re.compile(rf"\[([^\[\]]+)\]{MARKDOWN_LINK_TARGET}")  # a reader sees the text


def plain(text: str) -> str:
    """``squash``, and Markdown's strong emphasis marks ('**Media enquiries:** ...'), link
    addresses and footnote marks ('hubs¹', 'Agency[5]') dropped: the words of an item as a
    reader sees them."""
    words = squash(text)
    if "**" in words or "__" in words:
        words = _STRONG.sub(r"\2", words)
    if "](" in words or "][" in words:
        words = _MARKDOWN_LINK.sub(r"\1", words)
    if not words.isascii() or "[" in words:
        words = _FOOTNOTE.sub("", words)
    return words


def comparable(text: str) -> str:
    """A key for comparing two renderings of the same words: folded, squashed, lower case,
    without surrounding punctuation."""
    return squash(fold(text)).lower().strip(" .;,:\"'*")


def lower(text: str) -> str:
    """Lower case without changing the length (a few characters, such as 'İ', lengthen when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def count_of(word: str) -> int:
    """'three' or '3' as a number (a count a release writes in words or digits)."""
    return NUMBER_WORDS.get(word.lower()) or int(word)
