"""The published JSON Schema: generated from the pydantic models, used to validate output."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

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


def checked_json(document: dict[str, Any], *, pretty: bool = False) -> str:
    """Serialise an output document, refusing one that breaks the schema (``ValueError``).

    The JSON text itself is validated, in strict mode, by the pydantic models the
    schema is generated from: about 0.05 ms a release where ``jsonschema`` takes 2 ms.
    A randomised test mutates documents and finds none that the models accept and the
    published schema rejects (the models are stricter: 2.0 is not an integer to them).
    Compact JSON is written by pydantic's serialiser, three times faster than ``json.dumps``
    and, without spaces, the same text.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2) if pretty else pydantic_core.to_json(document).decode()
    try:
        Release.model_validate_json(text, strict=True)
    except ValidationError as exc:
        problems = [f"{'/'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:5]]
        raise ValueError("output does not match the schema: " + "; ".join(problems)) from None
    return text


def to_validated_json(release: Release, *, pretty: bool = False) -> str:
    """Serialise a release, refusing to emit a document that breaks the schema."""
    return checked_json(release.model_dump(mode="json"), pretty=pretty)
