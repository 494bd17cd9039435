"""The command line as the README shows it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ncpi_extract.cli import main


def test_parse_prints_one_json_document(seed_path):
    result = CliRunner().invoke(main, ["parse", str(seed_path)])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["force"]["id"] == "cleveland"
    assert len(document["findings"]) == 6


def test_parse_pretty_to_file_and_validate(seed_path, tmp_path):
    out = tmp_path / "seed.json"
    result = CliRunner().invoke(main, ["parse", str(seed_path), "--pretty", "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""
    assert out.read_text(encoding="utf-8").startswith('{\n  "schema_version": "1.0"')
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0 and "1 document(s) valid" in result.output


def test_parse_from_stdin(seed_path):
    result = CliRunner().invoke(main, ["parse", "-"], input=seed_path.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.output)["source"]["path"] is None


def test_usage_errors_exit_2():
    assert CliRunner().invoke(main, ["parse"]).exit_code == 2
    assert CliRunner().invoke(main, ["nonsense"]).exit_code == 2


def test_every_command_has_help():
    for command in ("parse", "schema", "validate"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
