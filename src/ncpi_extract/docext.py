"""The extension attributes ncpi-extract stores on spaCy objects.

Each span group has its own attribute because spaCy keys span extension values by
character offsets: a section and a finding that cover the same text must not share
a slot. Every value is a plain dict, so a ``Doc`` pickles and crosses processes.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .textnorm import fold

SPAN_ATTRS = ("ncpi_section", "ncpi_cue", "ncpi_item", "ncpi_quote_block", "ncpi_quote", "ncpi_finding",
              "ncpi_report", "ncpi_note", "ncpi_contact")
DOC_ATTRS = ("ncpi_units", "ncpi_warnings", "ncpi_meta")


def register() -> None:
    for name in SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def make_span(doc: Doc, attr: str, start: int, end: int, label: str, info: dict) -> Span | None:
    """A span over characters ``start:end`` carrying ``info`` in its ``attr`` extension.

    spaCy spans cover whole tokens, so the span may be a little wider than the text;
    the exact offsets are kept in ``info["start"]``/``info["end"]``.
    """
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    span._.set(attr, {"start": start, "end": end, **info})
    return span


def text_of(doc: Doc) -> str:
    """The document's text, computed once: ``Doc.text`` rebuilds it from the tokens on every call."""
    text = doc.user_data.get("ncpi_text")
    if text is None:
        text = doc.user_data["ncpi_text"] = doc.text
    return text


def folded_of(doc: Doc) -> str:
    """``fold(text_of(doc))``, computed once per document."""
    folded = doc.user_data.get("ncpi_folded")
    if folded is None:
        folded = doc.user_data["ncpi_folded"] = fold(text_of(doc))
    return folded


def warn(doc: Doc, code: str, message: str) -> None:
    """Record a warning with a stable ``code`` on the document."""
    if doc._.ncpi_warnings is None:
        doc._.ncpi_warnings = []
    if not any(w["code"] == code and w["message"] == message for w in doc._.ncpi_warnings):
        doc._.ncpi_warnings.append({"code": code, "message": message})


register()
