"""The extension attributes ncpi-extract stores on spaCy objects.

Each span group has its own attribute because spaCy keys span extension values by
character offsets: a section and a finding that cover the same text must not share
a slot. Every value is a plain dict, so a ``Doc`` pickles and crosses processes.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .textnorm import SENTENCE_BREAK, fold

GROUP_ATTRS = {  # each span group and the extension attribute holding its spans' info
    "sections": "ncpi_section", "cues": "ncpi_cue", "list_items": "ncpi_item", "quote_blocks": "ncpi_quote_block",
    "note_items": "ncpi_note_item", "quotes": "ncpi_quote", "findings": "ncpi_finding", "reports": "ncpi_report",
    "notes": "ncpi_note", "contacts": "ncpi_contact",
    # set only in a release whose findings stand under area headings ('Custody'): ``doc.spans.get``
    "areas": "ncpi_area", "theme_paragraphs": "ncpi_theme_paragraph",
}
SPAN_ATTRS = tuple(dict.fromkeys(GROUP_ATTRS.values()))
DOC_ATTRS = ("ncpi_units", "ncpi_warnings", "ncpi_meta")


def register() -> None:
    for name in SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class SpanList:
    """The spans of one group as a component builds them, then ``save``d into ``doc.spans``.

    Each span's label and info are also kept for ``read_group``: reading them back
    through ``Span`` objects and their ``._`` attributes cost the later components
    more than finding the spans did. They are also the truer copy: spaCy keeps one
    extension value per span boundary, so of two items inside one token ('A/B'), whose
    spans both cover that token, ``span._`` shows only the second; ``read_group`` keeps both.

    In a Doc marked ``ITEMS_ONLY`` only the items are kept: no ``Span`` is made and
    ``doc.spans`` is left as it is (see ``ITEMS_ONLY``).
    """

    __slots__ = ("doc", "group", "attr", "spans", "items", "items_only", "text_len")

    def __init__(self, doc: Doc, group: str) -> None:
        self.doc, self.group, self.attr = doc, group, GROUP_ATTRS[group]
        self.spans: list[Span] = []
        self.items: list[tuple[str, dict]] = []
        self.items_only = bool(doc.user_data.get(ITEMS_ONLY))
        self.text_len = len(text_of(doc)) if self.items_only else 0  # what ``add`` checks offsets against

    def add(self, start: int, end: int, label: str, info: dict) -> dict | None:
        """A span over characters ``start:end`` carrying ``info`` in the group's extension attribute;
        returns the info as stored, or None when no span could be made.

        spaCy spans cover whole tokens, so the span may be a little wider than the text;
        the exact offsets are kept in the info's ``start`` and ``end``.
        """
        if self.items_only:
            n = self.text_len  # every character of the text lies in a token or the space after one, so
            if not (0 <= start < n and 0 < end <= n):  # ``char_span`` makes no span only from a start or end outside it
                return None  # (a start after its end makes it raise; no component asks for one)
            stored = {"start": start, "end": end, **info}
            self.items.append((label, stored))
            return stored
        span = self.doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            return None
        stored = {"start": start, "end": end, **info}
        # what ``span._.set(attr, stored)`` does, without building an Underscore object for it (that
        # took longer than making the span): spaCy keeps span extension values in ``doc.user_data``
        # under this key. tests/test_pipeline.py reads every value back through ``span._``.
        self.doc.user_data[("._.", self.attr, span.start_char, span.end_char)] = stored
        self.spans.append(span)
        self.items.append((label, stored))
        return stored

    def retain(self, keep) -> None:
        """Drop the spans for which ``keep(label, info)`` is false."""
        kept = [k for k, (label, info) in enumerate(self.items) if keep(label, info)]
        if not self.items_only:
            self.spans = [self.spans[k] for k in kept]
        self.items = [self.items[k] for k in kept]

    def save(self) -> list[tuple[str, dict]]:
        if self.items_only:
            self.doc.user_data.setdefault(_GROUP_CACHE, {})[self.group] = (None, self.items)
            return self.items
        self.doc.spans[self.group] = self.spans
        self.doc.user_data.setdefault(_GROUP_CACHE, {})[self.group] = (id(self.doc.spans[self.group]), self.items)
        return self.items


_GROUP_CACHE = "ncpi_groups"
# A Doc made only to be turned into an output document (``api.iter_text_documents``), which reads each
# group through ``read_group`` and then drops the Doc, is marked ``doc.user_data[ITEMS_ONLY] = True``
# (its text in ``doc.user_data["ncpi_text"]``): its components keep each group's (label, info) items
# and make no ``Span``, which saves 5 to 11 % of a release's time (benchmarks/SPEED.md). Every other
# Doc (``nlp(text)``) gets its span groups; tests/test_pipeline.py checks the two give the same output.
ITEMS_ONLY = "ncpi_items_only"


def read_group(doc: Doc, group: str) -> list[tuple[str, dict]]:
    """(label, info) of each span of ``doc.spans[group]``, in order.

    The copy ``SpanList.save`` kept is used while the group is the very one it saved
    (the same object, the same length); a group replaced, grown or shrunk, or made some
    other way, is read from its spans. (A group edited in place at the same length, say
    ``doc.spans["findings"][0] = other``, is not noticed: replace the group instead.)
    """
    cached = doc.user_data.get(_GROUP_CACHE, {}).get(group)
    if doc.user_data.get(ITEMS_ONLY):
        return cached[1] if cached is not None else []
    spans = doc.spans.get(group)
    if spans is None:
        return []
    if cached is not None and cached[0] == id(spans) and len(cached[1]) == len(spans):
        return cached[1]
    attr = GROUP_ATTRS[group]
    return [(s.label_, s._.get(attr)) for s in spans]


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


def release_subject(doc: Doc, text: str, *, whole_lead: bool = False) -> str:
    """What the release is about, from ``text`` (the document's text, or its folded copy): its headline and its
    lead's first sentence, since a later one may name others ('the programme was developed with Chief Constable
    Jane Doe of Norfolk Constabulary'), or with ``whole_lead`` the whole lead."""
    parts = (text[i["start"] : i["end"]].strip() for label, i in read_group(doc, "sections") if label in ("headline", "lead"))
    return " ".join(part if whole_lead else SENTENCE_BREAK.split(part)[0] for part in parts)


def warn(doc: Doc, code: str, message: str) -> None:
    """Record a warning with a stable ``code`` on the document, once (a set of those given: a page of thousands of
    unattributed quotations gave as many warnings, and a search of the list for each took time in their number squared)."""
    if doc._.ncpi_warnings is None:
        doc._.ncpi_warnings = []
    given = doc.user_data.setdefault("ncpi_warned", {})  # a dict of strings, which Doc.to_bytes can store; a set it cannot
    key = code + "\n" + message
    if key not in given:
        given[key] = True
        doc._.ncpi_warnings.append({"code": code, "message": message})


register()
