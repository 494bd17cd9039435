"""``Doc`` to output document: the one place that turns spans into the output's shape.

``doc_to_document`` builds the plain JSON document directly, field for field in the
order of the pydantic models in ``release`` (a test holds it to
``Release.model_validate(document).model_dump(mode="json")``), because building
the models first and dumping them again cost more than the rest of the output path.
The Python API validates the document into a ``Release``; the batch runner checks
its JSON text (``schema.checked_json``).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from . import __version__
from .classify import URGENCY_LEVELS
from .docext import read_group
from .release import SCHEMA_VERSION, Source


def doc_to_document(doc: Doc, source: Source) -> dict[str, Any]:
    meta = doc._.ncpi_meta or {}
    findings = [_finding(i) for _, i in read_group(doc, "findings")]
    concerns = [f["urgency"] for f in findings if f["kind"] == "concern"]
    force = meta.get("force")
    fieldwork = meta.get("fieldwork")
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "source": source.model_dump(mode="json"),
        "title": meta.get("title"),
        "published": meta.get("published"),
        "inspectorate": meta.get("inspectorate"),
        "force": {"id": force["id"], "name": force["name"]} if force else None,
        "stage": meta.get("stage", "other"),
        "fieldwork": {"start": fieldwork["start"], "end": fieldwork["end"]} if fieldwork else None,
        "gradings": [{"grade": g["grade"], "area": g.get("area"), "count": g.get("count")} for g in meta.get("gradings", [])],
        "overall_urgency": max(concerns, key=URGENCY_LEVELS.index) if concerns else "none",
        "sections": [
            {"start": i["start"], "end": i["end"], "kind": kind, "cue": i["cue"], "rule": i["rule"]}
            for kind, i in read_group(doc, "sections")
        ],
        "findings": findings,
        "quotes": [
            {"start": i["start"], "end": i["end"], "speaker": i["speaker"], "role": i["role"], "text": i["text"], "rule": i["rule"]}
            for _, i in read_group(doc, "quotes")
        ],
        "reports": [{"start": i["start"], "end": i["end"], "title": i["title"]} for _, i in read_group(doc, "reports")],
        "notes": [
            {"start": i["start"], "end": i["end"], "number": i["number"], "text": i["text"]}
            for _, i in read_group(doc, "notes")
        ],
        "contacts": [
            {"start": i["start"], "end": i["end"], "kind": i["kind"], "value": i["value"], "hours": i["hours"]}
            for _, i in read_group(doc, "contacts")
        ],
        "warnings": [{"code": w["code"], "message": w["message"]} for w in (doc._.ncpi_warnings or [])],
    }


def _finding(i: dict) -> dict[str, Any]:
    return {
        "start": i["start"], "end": i["end"], "id": i["id"], "kind": i["kind"], "text": i["text"], "source": i["source"],
        "themes": list(i["themes"]), "urgency": i["urgency"], "confidence": dict(i["confidence"]),
        "needs_review": i["needs_review"], "rule": i["rule"], "theme_rules": dict(i.get("theme_rules", {})),
        "urgency_rule": i.get("urgency_rule"),
    }
