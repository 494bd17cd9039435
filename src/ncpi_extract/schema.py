"""The published JSON Schema: generated from the pydantic models, used to validate output."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import fastjsonschema

from .release import Release

SCHEMA_ID = "https://github.com/ncpi-extract/ncpi-extract/schemas/release.schema.json"


def release_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a release document."""
    schema = Release.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(release_schema(), indent=2, ensure_ascii=False) + "\n"


def checked_in_schema_path() -> Path:
    return Path(__file__).resolve().parents[2] / "schemas" / "release.schema.json"


@functools.lru_cache(maxsize=1)
def _validator():
    import jsonschema  # only needed to explain an invalid document; importing it costs start-up time

    schema = release_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validation_errors(document: Any) -> list[str]:
    """Every way ``document`` breaks the schema, as 'path: message' lines (empty when valid)."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]


@functools.lru_cache(maxsize=1)
def _compiled_check():
    return fastjsonschema.compile(release_schema())


def document_errors(document: Any) -> list[str]:
    """``validation_errors``, fast for valid documents.

    ``jsonschema`` interprets the schema anew for each document (about 2 ms a release);
    fastjsonschema compiles it to Python once and answers valid documents in about
    0.1 ms. When it finds a document invalid, ``jsonschema`` explains why, and its
    verdict wins if the two ever disagree.
    """
    try:
        _compiled_check()(document)
        return []
    except fastjsonschema.JsonSchemaException:
        return validation_errors(document)


def to_validated_json(release: Release, *, pretty: bool = False) -> str:
    """Serialise a release, refusing to emit a document that breaks the schema."""
    document = release.model_dump(mode="json")
    errors = document_errors(document)
    if errors:
        raise ValueError("output does not match the schema: " + "; ".join(errors[:5]))
    return json.dumps(document, ensure_ascii=False, indent=2 if pretty else None)
