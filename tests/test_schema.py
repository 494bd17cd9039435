"""The checked-in schema is the one the models generate, and documents are validated."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ncpi_extract.cli import main
from ncpi_extract.schema import checked_in_schema_path, release_schema, schema_text, validation_errors

from .conftest import CASES


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


def test_documents_are_built_in_the_models_own_shape():
    """convert builds output dicts without the models (for speed); every fixture's document
    must equal what the models make of it, key order included."""
    from ncpi_extract.api import extract_text_documents, page_text
    from ncpi_extract.decode import decode_bytes
    from ncpi_extract.release import Release, Source

    items = []
    for path, _ in CASES:
        decoded = decode_bytes(path.read_bytes(), suffix=path.suffix)
        text, offsets = page_text(decoded)
        items.append((text, Source(path=path.name, sha256="0" * 64, format=decoded.format,
                                   encoding=decoded.encoding, offsets=offsets)))
    documents = extract_text_documents(items)
    assert len(documents) == len(CASES) >= 30
    for document in documents:
        remade = Release.model_validate(document, strict=True).model_dump(mode="json")
        assert json.dumps(document) == json.dumps(remade)
