"""Cases second reads of the rules found answered wrong, kept as data (``tests/data/review_*.json``): each
names the field it checks and the right answer, and failed on the commit its file is named for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ncpi_extract import parse
from ncpi_extract.bundle import split_releases

DATA = Path(__file__).resolve().parent / "data"
CASES = [case for path in sorted(DATA.glob("review_*.json")) for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]


def _answer(field: str, text: str):
    if field == "splits":
        return [list(r) for r in split_releases(text)]
    release = parse(text)
    if field == "force":
        return release.force.id if release.force else None
    if field == "fieldwork":
        return [release.fieldwork.start, release.fieldwork.end] if release.fieldwork else None
    if field == "stage":
        return release.stage
    if field == "reports":
        return [r.title for r in release.reports]
    if field == "contacts":
        return [c.value for c in release.contacts]
    if field == "findings":
        return [[f.kind, f.text] for f in release.findings]
    if field == "themes":
        return [[f.kind, f.text, sorted(f.themes)] for f in release.findings]
    if field == "quotes":
        return [[q.speaker, q.role] for q in release.quotes]
    raise ValueError(f"no such field: {field}")


def test_there_are_review_cases():
    assert len(CASES) >= 92


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_review_case(case):
    assert _answer(case["field"], case["text"]) == case["right"], case["why"]
