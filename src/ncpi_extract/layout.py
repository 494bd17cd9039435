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

# A bullet mark, a number or a letter that opens a list item, then white space.
_MARKER = re.compile(
    r"""(?P<mark>
        [\u2022\u25cf\u25aa\u25e6\u00b7\u2023\u2043\u2219\u25a0\u25a1\u27a2\u2713\u2714\-\*\u2013\u2014o+]
      | \(?(?P<num>\d{1,2})[.)]
      | \(?[a-h][.)]
      | \([ivx]{1,4}\) | [ivx]{1,4}[.)] | (?:I{1,3}|IV|VI{0,3}|IX|X)[.)]
      | >
      | \#{1,6}
    )[ \t]+(?=\S)""",
    re.X,
)
# Every character _MARKER can open with, besides the decimal digits (its \d).
_MARKER_FIRST = frozenset("\u2022\u25cf\u25aa\u25e6\u00b7\u2023\u2043\u2219\u25a0\u25a1\u27a2\u2713\u2714-*\u2013\u2014o+(abcdefghivxIVX>#")
_WRAP_SLACK = 10


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


def split_units(text: str, folded: str | None = None) -> list[Unit]:
    """Return the units of ``text`` in order (``folded`` is ``fold(text)`` if the caller has it)."""
    lines = _lines(text, fold(text) if folded is None else folded)
    width = _wrap_width(lines)
    units: list[Unit] = []
    group: list[_Line] = []
    blank_before = False
    pending_blank = False

    def close() -> None:
        nonlocal group, blank_before
        if group:
            first, last = group[0], group[-1]
            units.append(Unit(first.content_start, last.end, first.start, first.marker, first.number, first.indent,
                              blank_before, text[first.content_start : last.end]))
        group = []

    for line in lines:
        if line.end <= line.content_start and line.marker is None:
            if group:
                close()
            pending_blank = True
            continue
        if group and not pending_blank and _continues(group, line, text, width):
            group.append(line)
            continue
        close()
        blank_before = pending_blank or not units
        pending_blank = False
        group = [line]
    close()
    return units


def _lines(text: str, folded: str) -> list[_Line]:
    out: list[_Line] = []
    raws = text.split("\n")
    if not raws[-1]:  # the text ends with a line break (or is empty): no line after it
        raws.pop()
    start = 0
    for raw in raws:
        body = raw.rstrip()
        stripped = body.lstrip(" \t")
        indent = len(body) - len(stripped)
        content_start = start + indent
        line_start, start = start, start + len(raw) + 1
        if stripped in (">", "\u2022", "*", "-"):  # an empty quote line or a lone bullet mark is a blank line
            out.append(_Line(line_start, line_start, indent, None, None, line_start))
            continue
        marker = number = None
        first = folded[content_start] if stripped else ""
        m = _MARKER.match(folded, content_start, line_start + len(body)) if first in _MARKER_FIRST or first.isdecimal() else None
        if m:
            marker = m.group("mark")
            number = int(m.group("num")) if m.group("num") else None
            content_start = m.end()
        out.append(_Line(line_start, line_start + len(body), indent, marker, number, content_start))
    return out


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


def _continues(group: list[_Line], line: _Line, text: str, width: int | None) -> bool:
    """Does ``line`` carry on the unit whose lines are ``group``?"""
    if line.marker is not None and line.marker != "o":
        return False
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
    # Unwrapped text: only an indented continuation of a list item carries on.
    return first.marker is not None and line.indent > first.indent
