"""The release that started the project: the issue's definition of done."""

from __future__ import annotations

import json

from ncpi_extract import parse, parse_file
from ncpi_extract.schema import to_validated_json, validation_errors


def test_seed_release(seed_path):
    r = parse_file(seed_path)
    assert r.force.id == "cleveland" and r.force.name == "Cleveland Police"
    assert r.stage == "inspection"
    assert (r.fieldwork.start, r.fieldwork.end) == ("2017-05", "2017-05")
    assert r.inspectorate == "HMICFRS"
    assert [f.kind for f in r.findings] == ["strength"] * 3 + ["concern"] * 3
    missing = r.findings[3]
    assert missing.text.startswith("the force’s response to those children reported missing")
    assert missing.urgency == "immediate" and "missing_children" in missing.themes
    assert r.overall_urgency == "immediate"
    assert len(r.quotes) == 1
    assert (r.quotes[0].speaker, r.quotes[0].role) == ("Mike Cunningham", "HM Inspector of Constabulary")
    assert r.quotes[0].text.count("\n\n") == 3  # four paragraphs
    assert r.quotes[0].text.endswith("needs now to progress.")
    assert [x.title for x in r.reports] == ["Cleveland – National child protection inspection"]
    assert [n.number for n in r.notes] == [1, 2, 3, 4, 5, 6, 7]
    assert [(c.kind, c.value) for c in r.contacts] == [("phone", "020 3513 0600"), ("phone", "07836 217729")]
    assert r.contacts[0].hours == "8:30am – 5:00pm Monday – Friday"
    assert [s.kind for s in r.sections] == ["headline", "lead", "reports", "strengths", "concerns", "quotes", "reports", "notes"]
    assert r.warnings == []


def test_seed_output_validates(seed_path):
    document = json.loads(to_validated_json(parse_file(seed_path)))
    assert validation_errors(document) == []
    assert document["schema_version"] == "1.0"
    assert document["source"]["sha256"] and document["source"]["encoding"] == "utf-8"


def test_parse_text_equals_parse_file(seed_path):
    from_text = parse(seed_path.read_text(encoding="utf-8"), source="seed")
    from_file = parse_file(seed_path)
    assert [f.model_dump() for f in from_text.findings] == [f.model_dump() for f in from_file.findings]
    assert from_text.source.path == "seed"
