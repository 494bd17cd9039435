"""The checked-in schema is the one the models generate, and documents are validated."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ncpi_extract.cli import main
from ncpi_extract.schema import checked_in_schema_path, release_schema, schema_text, validation_errors


def test_checked_in_schema_matches_models():
    assert checked_in_schema_path().read_text(encoding="utf-8") == schema_text(), (
        "schemas/release.schema.json is out of date: run `make schema`")


def test_schema_is_2020_12_and_names_the_contract():
    schema = release_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    for name in ("schema_version", "tool_version", "source", "title", "published", "inspectorate", "force", "stage",
                 "fieldwork", "gradings", "overall_urgency", "sections", "findings", "quotes", "reports", "notes",
                 "contacts", "warnings"):
        assert name in schema["properties"]


def test_validation_catches_a_broken_document(seed_path, tmp_path):
    result = CliRunner().invoke(main, ["parse", str(seed_path)])
    document = json.loads(result.output)
    assert validation_errors(document) == []
    document["findings"][0]["urgency"] = "sometime"
    del document["force"]
    errors = validation_errors(document)
    assert any("urgency" in e for e in errors) and any("force" in e for e in errors)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1


def test_cli_schema_command_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == release_schema()
