"""``Doc`` to ``Release``: the one place that turns spans into the output models."""

from __future__ import annotations

from spacy.tokens import Doc

from . import __version__
from .classify import URGENCY_LEVELS
from .release import Contact, Fieldwork, Finding, Force, Grading, Note, Quote, Release, Report, Section, Source, Warning


def doc_to_release(doc: Doc, source: Source) -> Release:
    meta = doc._.ncpi_meta or {}
    found = [_finding(s._.ncpi_finding) for s in doc.spans.get("findings", [])]
    concerns = [f.urgency for f in found if f.kind == "concern"]
    overall = max(concerns, key=URGENCY_LEVELS.index) if concerns else "none"
    return Release(
        tool_version=__version__,
        source=source,
        title=meta.get("title"),
        published=meta.get("published"),
        inspectorate=meta.get("inspectorate"),
        force=Force(**meta["force"]) if meta.get("force") else None,
        stage=meta.get("stage", "other"),
        fieldwork=Fieldwork(**meta["fieldwork"]) if meta.get("fieldwork") else None,
        gradings=[Grading(**g) for g in meta.get("gradings", [])],
        overall_urgency=overall,
        sections=[
            Section(kind=s.label_, start=i["start"], end=i["end"], cue=i["cue"], rule=i["rule"])
            for s in doc.spans.get("sections", [])
            for i in [s._.ncpi_section]
        ],
        findings=found,
        quotes=[
            Quote(speaker=i["speaker"], role=i["role"], text=i["text"], start=i["start"], end=i["end"], rule=i["rule"])
            for s in doc.spans.get("quotes", [])
            for i in [s._.ncpi_quote]
        ],
        reports=[Report(title=i["title"], start=i["start"], end=i["end"]) for s in doc.spans.get("reports", []) for i in [s._.ncpi_report]],
        notes=[Note(number=i["number"], text=i["text"], start=i["start"], end=i["end"]) for s in doc.spans.get("notes", []) for i in [s._.ncpi_note]],
        contacts=[
            Contact(kind=i["kind"], value=i["value"], hours=i["hours"], start=i["start"], end=i["end"])
            for s in doc.spans.get("contacts", [])
            for i in [s._.ncpi_contact]
        ],
        warnings=[Warning(**w) for w in (doc._.ncpi_warnings or [])],
    )


def _finding(i: dict) -> Finding:
    return Finding(
        id=i["id"], kind=i["kind"], text=i["text"], start=i["start"], end=i["end"], source=i["source"],
        themes=i["themes"], urgency=i["urgency"], confidence=i["confidence"], needs_review=i["needs_review"],
        rule=i["rule"], theme_rules=i.get("theme_rules", {}), urgency_rule=i.get("urgency_rule"),
    )
