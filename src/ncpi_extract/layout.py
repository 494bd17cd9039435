"""Split a release into units: the paragraphs, lines and list items a reader sees.

A unit is one bullet item, one paragraph, or one line, whichever the layout says.
Newswire copy is often hard-wrapped at a fixed width; there a line break counts as
a real break only when the next line's first word would have fitted on the line
before it (a break the wrapper did not force). Everything else about a release's
structure is read from these units.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .textnorm import fold

# A bullet mark, a number or a letter that opens a list item, then white space. Text copied
# from Word or a PDF keeps symbol-font bullets as private-use characters (U+F0B7, U+F0A7, ...)
# or as the '§' a lost Wingdings square turns into.
_MARKER = re.compile(
    r"""(?P<mark>
        [\u2022\u25cf\u25aa\u25e6\u00b7\u2023\u2043\u2219\u25a0\u25a1\u27a2\u2713\u2714\u25c6\u2666\u2756\u27a4\u25ba\u25b8\u2192\u00a7\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\-\*\u2013\u2014o+]
      | \(?(?P<num>\d{1,2})[.)]
      | \(?[a-h][.)]
      | \([ivx]{1,4}\) | [ivx]{1,4}[.)] | (?:I{1,3}|IV|VI{0,3}|IX|X)[.)]
      | >
      | \#{1,6}
      | (?:Note|NOTE)[ \t]+(?P<note>\d{1,2})[:.]  # 'Note 1: ...', a note to editors numbered in words
    )[ \t]+(?=\S)""",
    re.X,
)
_INNER_LABEL = re.compile(r"(?P<mark>\(?(?P<num>\d{1,2})[.)]|\([a-h]\)|[a-h]\)|\([ivx]{1,4}\))[ \t]+(?=\S)")
_BULLETS = frozenset("\u2022\u25cf\u25aa\u00b7-*\u2013\u2014")
# Every character _MARKER can open with, besides the decimal digits (its \d).
_MARKER_FIRST = frozenset("\u2022\u25cf\u25aa\u25e6\u00b7\u2023\u2043\u2219\u25a0\u25a1\u27a2\u2713\u2714\u25c6\u2666\u2756\u27a4\u25ba\u25b8\u2192\u00a7\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e-*\u2013\u2014o+(abcdefghivxIVX>#N")
_WRAP_SLACK = 10
# A page number left by a PDF or a print view: 'Page 2 of 3', 'Page 2', '2 of 3', '2/3', '- 2 -'.
_PAGE_WORD_NUMBER = r"page\s+\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?"  # 'Page 3', 'Page 3 of 12'
_PAGE_NUMBER = re.compile(rf"(?:{_PAGE_WORD_NUMBER}|\d{{1,3}}\s*(?:of|/)\s*\d{{1,3}}|[-\u2013]\s*\d{{1,3}}\s*[-\u2013])", re.I)
# One scan before looking line by line. It opens with the line break, not a multi-line '^': re then
# skips from one break to the next (3 µs a release, against 12 µs).
_PAGE_HINT = re.compile(r"\n[ \t]*(?:page\s+\d|\d{1,3}\s*(?:of|/)\s*\d|[-\u2013]\s*\d)", re.I)
# A page's footer or header with a page number beside other words, set apart by a run of spaces or a tab:
# 'Compiled for internal use only        Page 2 of 5', 'Page 3 of 12    HMIC | Press release'.
_PAGE_BESIDE_TEXT = (rf"[^\t\n\f]{{1,80}}?(?:\t|[ ]{{3,}}){_PAGE_WORD_NUMBER}"
                     rf"|{_PAGE_WORD_NUMBER}(?:\t|[ ]{{3,}})[^\t\n\f]{{1,80}}")
_PAGE_BESIDE = re.compile(_PAGE_BESIDE_TEXT, re.I)
_PAGE_BESIDE_HINT = re.compile(rf"(?:\t|[ ]{{3}}){_PAGE_WORD_NUMBER}|{_PAGE_WORD_NUMBER}(?:\t|[ ]{{3}})", re.I)
_PAGE_DIGITS = re.compile(r"\d+")
_RUNNING_HEADER_MAX_WORDS = 12
_ITEM_GOES_ON = re.compile(r";(?:\s*(?:and|or))?\s*$", re.I)  # an item of a list with more items after it ('...;', '...; and')
_REPLY_QUOTING = re.compile(r"^(?:>[ \t]?)+")
# A line that introduces a quotation: the '>' lines under it are that quotation, lists and all
_INTRODUCES_QUOTATION = re.compile(r"\b(?:said|says|added|adds|commented|comments|stated|states|explained|continued|responded|"
                                   r"concluded|replied|told [\w ]{1,30})\s*,?\s*:\W*$", re.I)


class Unit(NamedTuple):
    """One block of a release. ``start``/``end`` bound the content (after any marker).

    Named tuples: a release has dozens of units and lines, and a frozen dataclass cost
    three times as much to build.
    """

    start: int
    end: int
    line_start: int
    marker: str | None
    number: int | None
    indent: int
    blank_before: bool
    text: str

    @property
    def is_item(self) -> bool:
        """True for a list item (a bullet, number or letter), not a quote or heading mark."""
        return self.marker is not None and self.marker not in (">",) and not self.marker.startswith("#")

    @property
    def is_heading(self) -> bool:
        return self.marker is not None and self.marker.startswith("#")


class _Line(NamedTuple):
    start: int
    end: int  # end of content, without the newline and trailing spaces
    indent: int
    marker: str | None
    number: int | None
    content_start: int

    @property
    def blank(self) -> bool:
        return self.end <= self.content_start and self.marker is None


def split_units(text: str, folded: str | None = None) -> list[Unit]:
    """Return the units of ``text`` in order (``folded`` is ``fold(text)`` if the caller has it)."""
    folded = fold(text) if folded is None else folded
    lines = _without_page_furniture(_lines(text, folded), text, folded)
    width = _wrap_width(lines)
    paragraph_gap = 2 if width is not None and _double_spaced(lines) else 1
    units: list[Unit] = []
    group: list[_Line] = []
    blank_before = False
    blank_run = 0
    listing = False  # the group is in the run of lines under a unit ending with ':'

    def close() -> None:
        nonlocal group, blank_before
        if group:
            first, last = group[0], group[-1]
            units.append(Unit(first.content_start, last.end, first.start, first.marker, first.number, first.indent,
                              blank_before, text[first.content_start : last.end]))
        group = []

    for line in lines:
        if line.blank:
            blank_run += 1
            continue
        broke, blank_run = blank_run >= paragraph_gap, 0
        if group and not broke and _continues(group, line, text, width, listing):
            group.append(line)
            continue
        close()
        blank_before = broke or not units
        listing = bool(units) and (units[-1].text.endswith(":") or (listing and not broke))
        group = [line]
    close()
    return units


def _double_spaced(lines: list[_Line]) -> bool:
    """True for text copied from a print view with a blank line after every line: there one
    blank line is a line break, and paragraphs are set apart by two or more."""
    runs: list[int] = []
    run, started = 0, False
    for line in lines:
        if line.blank:
            run += 1
            continue
        if started:
            runs.append(run)
        started, run = True, 0
    return len(runs) >= 8 and runs.count(0) <= len(runs) * 0.05 and runs.count(1) >= len(runs) * 0.5 \
        and any(r >= 2 for r in runs)


_LINE_BREAK = re.compile("[\n\f]")


def _lines(text: str, folded: str) -> list[_Line]:
    out: list[_Line] = []
    # a form feed ends a line too: a PDF's text runs one page's footer into the next page's header
    raws = text.split("\n") if "\f" not in text else _LINE_BREAK.split(text)
    if not raws[-1]:  # the text ends with a line break (or is empty): no line after it
        raws.pop()
    quoting = text.startswith(">") or "\n>" in text or "\n >" in text
    reply = quoting and _quoted_reply(raws)
    quoted_release = _quoted_release_lines(raws) if quoting and not reply else frozenset()
    # 'STRENGTHS: The force has ...', 'NOTES TO EDITORS: 1. ...': a release laid out with its headings in capitals
    # at the start of their text's line is read as if each heading stood on a line of its own
    labelled = _has_label_lines(text)
    start = 0
    for k, raw in enumerate(raws):
        body = raw.rstrip()
        stripped = body.lstrip(" \t")
        if (reply or k in quoted_release) and stripped.startswith(">"):  # an e-mail reply quoting the release: read inside the quoting
            stripped = _REPLY_QUOTING.sub("", stripped, count=1)
        indent = len(body) - len(stripped)
        content_start = start + indent
        line_start, start = start, start + len(raw) + 1
        line_end = line_start + len(body)
        label = _CAPS_LABEL.match(body, indent) if labelled else None
        if label:
            out.append(_Line(line_start, line_start + label.end("label"), indent, None, None, content_start))
            line_start = content_start = line_start + label.end()
            stripped, indent = body[label.end() :], 0
        if stripped in (">", "\u2022", "*", "-"):  # an empty quote line or a lone bullet mark is a blank line
            out.append(_Line(line_start, line_start, indent, None, None, line_start))
            continue
        marker = number = None
        first = folded[content_start] if stripped else ""
        m = _MARKER.match(folded, content_start, line_end) if first in _MARKER_FIRST or first.isdecimal() else None
        if m:
            marker = m.group("mark")
            number = int(m.group("num") or m.group("note")) if m.group("num") or m.group("note") else None
            content_start = m.end()
            inner = _INNER_LABEL.match(folded, content_start, line_end) if marker in _BULLETS else None
            if inner:  # '- (a) item', '• 1. item': a bullet over the item's own number or letter
                marker = inner.group("mark")
                number = int(inner.group("num")) if inner.group("num") else None
                content_start = inner.end()
        out.append(_Line(line_start, line_end, indent, marker, number, content_start))
    return out


# A heading in capitals ending in ':' with its text after it on the same line ('NOTES TO EDITORS: 1. ...')
_CAPS_HEADING = r"[A-Z][A-Z'\u2019&-]+(?: [A-Z][A-Z'\u2019&-]+){0,5}:"
_CAPS_LABEL = re.compile(rf"(?P<label>{_CAPS_HEADING})[ \t]+(?=\S)")
_CAPS_LABEL_LINE = re.compile(rf"[ \t]*{_CAPS_HEADING}[ \t]+\S")


def _has_label_lines(text: str) -> bool:
    """Two or more lines open with a heading in capitals and go on with its text. (Only the colons
    right after a capital are looked at: a regex over every line of every release cost 11 µs.)"""
    found, pos = 0, text.find(":")
    while pos > 0:
        if text[pos - 1].isupper() and _CAPS_LABEL_LINE.match(text, text.rfind("\n", 0, pos) + 1):
            found += 1
            if found == 2:
                return True
            pos = text.find("\n", pos)  # one per line
            if pos < 0:
                break
        pos = text.find(":", pos + 1)
    return False


def _quoted_reply(raws: list[str]) -> bool:
    """Most lines start with '>': an e-mail reply that quotes the release, not a quotation."""
    filled = [raw.lstrip(" \t") for raw in raws if raw.strip()]
    return len(filled) >= 8 and sum(1 for line in filled if line.startswith(">")) >= 0.8 * len(filled)


def _quoted_release_lines(raws: list[str]) -> frozenset[int]:
    """The lines of each run of '>' lines that quotes a release, not a quotation: a run with a list in it
    ('> • item' twice) or of eight lines or more (a chat's or a reply's quoting of part of a release), unless
    the line above it introduces a quotation ('HM Inspector of Constabulary Jane Doe said:')."""
    found: set[int] = set()
    above = ""  # the last line with words before the run
    k, n = 0, len(raws)
    while k < n:
        if not raws[k].lstrip(" \t").startswith(">"):
            above = raws[k] if raws[k].strip() else above
            k += 1
            continue
        j = k
        while j < n and raws[j].lstrip(" \t").startswith(">"):
            j += 1
        if not _INTRODUCES_QUOTATION.search(above):
            filled = [line for line in (_REPLY_QUOTING.sub("", raw.lstrip(" \t"), count=1) for raw in raws[k:j]) if line.strip()]
            if len(filled) >= 8 or sum(1 for line in filled if line[:1] in _BULLETS) >= 2:
                found.update(range(k, j))
        above = raws[j - 1]
        k = j
    return frozenset(found)


def _without_page_furniture(lines: list[_Line], text: str, folded: str) -> list[_Line]:
    """``lines`` without the page numbers and running headers of text copied from a PDF or a
    print view. A running header is a short line repeated next to page numbers; without page
    numbers nothing is dropped, so headings a release repeats ('Notes to editors' in a page of
    several releases) stay."""
    heads = _page_break_repeats(lines, text, folded) if "\f" in text else set()
    beside = _page_beside(text)
    if not beside and not _PAGE_HINT.search(folded) and not _PAGE_HINT.match("\n" + folded[:24]):
        return [line for k, line in enumerate(lines) if k not in heads] if heads else lines
    pages = [k for k, line in enumerate(lines)
             if line.marker is None and line.end - line.content_start <= 20
             and _PAGE_NUMBER.fullmatch(folded, line.content_start, line.end)]
    if beside:
        pages = sorted(set(pages) | set(_footers(lines, text)))
    if not pages:
        return [line for k, line in enumerate(lines) if k not in heads] if heads else lines
    drop = set(pages) | heads
    seen: dict[str, list[int]] = {}
    for k, line in enumerate(lines):
        words = folded[line.content_start : line.end].split()
        if words and len(words) <= _RUNNING_HEADER_MAX_WORDS:
            seen.setdefault(" ".join(words).lower(), []).append(k)
    for ks in seen.values():
        if len(ks) > 1 and any(_near(lines, k, p) for k in ks for p in pages):
            drop.update(ks)
    for p in pages:  # a PDF's page break inside a list: the next page's header, alone in this release, goes too
        header = p + 1
        if header < len(lines) and header not in drop and _page_header_inside_list(lines, folded, p, header, drop):
            drop.add(header)
    for p in pages:  # a page break inside a sentence ('... late or' / 'Page 1 of 2' / 'not at all;'): no paragraph break
        before, after = _kept_line(lines, drop, p, -1), _kept_line(lines, drop, p, 1)
        if before is not None and after is not None and _mid_sentence(folded, lines[before]):
            drop.update(range(before + 1, after))
    return [line for k, line in enumerate(lines) if k not in drop]


# A page number on a line of its own inside a unit's text ('... late or' / 'Page 1 of 2' / 'not at all;'), which
# the unit spans when a page break fell inside it
# (or beside other words, and then after a form feed the next page's first line: its running header, unless it goes on
# with the sentence, in lower case)
_PAGE_LINE_INSIDE = re.compile(rf"\n[ \t]*(?:{_PAGE_WORD_NUMBER}|{_PAGE_BESIDE_TEXT})[ \t]*(?:\f(?P<next>[^\n]*)|(?=\n))", re.I)


def without_page_lines(text: str) -> str:
    """``text`` without the page-number lines a page break left inside it."""
    if "\n" not in text or "age " not in text:
        return text
    return _PAGE_LINE_INSIDE.sub(_page_line_gone, text)


def _page_line_gone(m: re.Match) -> str:
    after = m.group("next")
    if after is None:
        return ""
    words = after.split()
    if words and (words[0][0].islower() or len(words) > _RUNNING_HEADER_MAX_WORDS):
        return "\n" + after  # the sentence going on after the page break ('... into child' / 'sexual exploitation ...')
    return ""


def _mid_sentence(folded: str, line: _Line) -> bool:
    """The line stops where no sentence, item or heading ends: on a word or a comma."""
    last = folded[line.content_start : line.end].rstrip()[-1:]
    return last.isalnum() or last == ","


def _page_break_repeats(lines: list[_Line], text: str, folded: str) -> set[int]:
    """The running headers and footers of text whose pages are parted by form feeds but carry no page numbers
    (``antiword`` and ``catdoc`` output, a print driver's text): a short unmarked line that stands first on two or more
    pages, or last, with the same words (digits aside: 'News Release 31/2016', 'Draft 3'). The first page's top and the
    last page's foot count as page edges too; a single page break with a line repeated at it is enough. The first
    page's top line stays: a document's headline may be what its later pages repeat as their header."""
    tops: dict[str, list[int]] = {}
    feet: dict[str, list[int]] = {}
    starts = [k for k, line in enumerate(lines) if text[line.start - 1 : line.start] == "\f"]
    first_top = None
    for edges, first, step in ((tops, [0, *starts], 1), (feet, [*(k - 1 for k in starts), len(lines) - 1], -1)):
        for k in first:
            while 0 <= k < len(lines) and lines[k].blank:
                k += step
            if not 0 <= k < len(lines) or lines[k].marker is not None:
                continue
            first_top = k if first_top is None else first_top
            words = _PAGE_DIGITS.sub("", folded[lines[k].content_start : lines[k].end]).lower().split()
            if words and len(words) <= _RUNNING_HEADER_MAX_WORDS:
                edges.setdefault(" ".join(words), []).append(k)
    return {k for edges in (tops, feet) for ks in edges.values() if len(set(ks)) > 1 for k in ks} - {first_top}


def _footers(lines: list[_Line], text: str) -> list[int]:
    """The lines with a page number beside other words that are a page's footer or header: next to a form feed, or
    repeated with another page's number ('Compiled for internal use      Page 2 of 5'). A table of contents' lines
    ('Recommendations      Page 9') are neither."""
    by_form_feed: list[int] = []
    by_words: dict[str, list[int]] = {}  # the others, by their words without the page's number
    for k, line in enumerate(lines):
        if line.marker is None and _PAGE_BESIDE.fullmatch(text, line.content_start, line.end):
            if text[line.start - 1 : line.start] == "\f" or text[line.end : line.end + 1] == "\f":
                by_form_feed.append(k)
            else:
                by_words.setdefault(_PAGE_DIGITS.sub("", text[line.content_start : line.end]).lower(), []).append(k)
    return by_form_feed + [k for ks in by_words.values() if len(ks) > 1 for k in ks]


def _page_beside(text: str) -> bool:
    """Whether a page number stands beside other words on some line (asked of the text, not the folded text, whose
    tabs are spaces). Two substring tests first: the pattern alone cost 16 µs a release of the corpus, these 1 µs."""
    return ("   " in text or "\t" in text) and ("Page " in text or "page " in text or "PAGE " in text) \
        and _PAGE_BESIDE_HINT.search(text) is not None


def _page_header_inside_list(lines: list[_Line], folded: str, page: int, header: int, drop: set[int]) -> bool:
    """The line after a page number's form feed is a short line without a mark or a closing stop, and it stands
    between two items of one list, the one above ending as an item does that has more after it (';', '; and'):
    the next page's running header, which a release cut out of a longer document ('... Page 2 of 5', form feed,
    'HMIC | Press releases 2016') holds only once, so that it does not repeat."""
    line = lines[header]
    words = folded[line.content_start : line.end].split()
    if line.marker is not None or not words or folded[line.start - 1 : line.start] != "\f" \
            or len(words) > _RUNNING_HEADER_MAX_WORDS or words[-1][-1] in ".:;,!?":
        return False
    above, below = _kept_line(lines, drop, page, -1), _kept_line(lines, drop, header, 1)
    if above is None or below is None or lines[below].marker is None or lines[below].marker != _item_mark(lines, above):
        return False
    return _ITEM_GOES_ON.search(folded, lines[above].content_start, lines[above].end) is not None


def _kept_line(lines: list[_Line], drop: set[int], k: int, step: int) -> int | None:
    """The nearest line before (``step`` -1) or after (1) line ``k`` that is neither blank nor dropped."""
    k += step
    while 0 <= k < len(lines):
        if k not in drop and not lines[k].blank:
            return k
        k += step
    return None


def _item_mark(lines: list[_Line], k: int) -> str | None:
    """The mark of the list item line ``k`` is in: its own, or that of the item whose indented lines it carries on."""
    while k > 0 and lines[k].marker is None and lines[k].indent > 0 and not lines[k].blank:
        k -= 1
    return lines[k].marker


def _near(lines: list[_Line], k: int, p: int) -> bool:
    """At most two non-blank lines between line ``k`` and line ``p``."""
    lo, hi = sorted((k, p))
    return sum(1 for line in lines[lo + 1 : hi] if line.end > line.content_start) <= 2


def _wrap_width(lines: list[_Line]) -> int | None:
    """The column a hard-wrapped text breaks at, or None when lines are paragraphs."""
    lengths = sorted(line.end - line.start for line in lines if line.end > line.content_start)
    if len(lengths) < 8:
        return None
    widest = lengths[int(len(lengths) * 0.97) - 1] if len(lengths) > 30 else lengths[-1]
    if widest > 100 or widest < 30:
        return None
    near_full = sum(1 for n in lengths if n >= widest - 20)
    return widest if near_full >= len(lengths) * 0.4 else None


def _continues(group: list[_Line], line: _Line, text: str, width: int | None, listing: bool = False) -> bool:
    """Does ``line`` carry on the unit whose lines are ``group``? (``listing``: the group is one
    of the lines right under a list cue, where each line may be an item without a mark.)"""
    if line.marker == ">" and group[0].marker == ">":  # Markdown: '> ' lines are one paragraph, a bare '>' parts them
        return text[line.content_start] not in "\"\u201c\u2018'"  # unless a new quotation opens
    if line.marker is not None and (line.marker != "o" or group[0].marker is not None or line.indent > group[0].indent):
        return False  # a line opening with the word 'o' may carry on a sentence; not a list item, nor nested in one
    prev = group[-1]
    prev_text = text[prev.content_start : prev.end]
    if prev_text.endswith(":"):
        return False
    first = group[0]
    if width is not None:
        if first.marker is not None:
            return True  # in wrapped copy, an unmarked line right under a list item carries it on
        word = text[line.content_start : line.end].split(" ", 1)[0]
        # Wrappers (and people) do not always fill a line; a line not ending a sentence or an
        # item may fall short of the width by a word or two and still be wrapped.
        slack = 0 if prev_text.rstrip("\"'\u201d\u2019)").endswith((".", ";", ":", "!", "?")) else _WRAP_SLACK
        return (prev.end - prev.start) + 1 + len(word) > width - slack
    # Unwrapped text: an indented continuation of a list item carries on, and so does a line
    # broken mid-sentence where a writer (or Markdown's soft wrap) chose to break it.
    if first.marker is not None and line.indent > first.indent:
        return True
    if first.marker is not None and line.marker is None and text[line.content_start : line.content_start + 1].islower() \
            and not prev_text.rstrip("\"')\u201d\u2019").endswith((".", ";", ":", "!", "?")):
        return True  # a narrow column's item, wrapped without indentation ('• Officers we spoke to' / 'showed ...')
    return line.marker is None and _broken_mid_sentence(prev_text, text[line.content_start : line.end], listing)


_FUNCTION_WORDS = frozenset("a an the of in to and or for with on at by from its their that which who as is are was were has have had".split())


def _broken_mid_sentence(prev_text: str, next_text: str, listing: bool = False) -> bool:
    """A long line ending inside a sentence: on a comma or a small word, or on any lower-case word
    when the next line goes on in lower case. Under a list cue, lines that each open in lower
    case may be items without marks or closing punctuation ('... attended promptly' over 'the
    force has ...'): there only a comma or a small word carries a line on."""
    if len(prev_text) < 40 or not next_text or "|" in prev_text:
        return False  # a table's rows are lines of their own
    if prev_text.endswith(","):
        return True
    head, _, last = prev_text.rpartition(" ")
    if not last.isalpha() or not last.islower() or (last in ("and", "or") and head.endswith((";", ","))):
        return False  # '...; and' ends a list item
    return last in _FUNCTION_WORDS or (not listing and next_text[0].islower())
