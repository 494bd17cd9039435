"""The units of a release's layout, and the shortcut the line reader takes."""

from __future__ import annotations

import sys

from ncpi_extract import layout
from ncpi_extract.layout import split_units
from ncpi_extract.textnorm import fold


def test_every_character_a_marker_opens_with_is_looked_at():
    """``_lines`` asks ``_MARKER`` only of lines whose first character is in ``_MARKER_FIRST`` or
    is a decimal digit; no other character can open a marker."""
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if c in layout._MARKER_FIRST or c.isdecimal():
            continue
        for tail in (" x", ". x", ") x", "1. x", "i) x", "a) x", "1) x", "# x"):
            assert not layout._MARKER.match(c + tail), (hex(code), tail)


def test_units_of_marked_lines():
    text = ("Headline\n\nInspectors were pleased to find:\n\n\u2022 strong leaders;\n  (ii) good links\n"
            "\u0663. an Arabic-Indic three\n>\n> quoted\n### Notes\n1. first note\n\t- tabbed item\n-\nEnd")
    units = split_units(text, fold(text))
    got = [(u.marker, u.number, u.text) for u in units]
    assert got == [
        (None, None, "Headline"),
        (None, None, "Inspectors were pleased to find:"),
        ("\u2022", None, "strong leaders;"),
        ("(ii)", None, "good links"),
        ("\u0663.", 3, "an Arabic-Indic three"),
        (">", None, "quoted"),
        ("###", None, "Notes"),
        ("1.", 1, "first note"),
        ("-", None, "tabbed item"),
        (None, None, "End"),
    ]
    for u in units:
        assert text[u.start : u.end] == u.text
