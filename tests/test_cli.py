"""The command line as the README shows it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def _command(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it: a process of its own, through ``run`` (``python -m``
    runs the same function as the ``ncpi-extract`` script)."""
    return subprocess.run([sys.executable, "-m", "ncpi_extract.cli", *args], input=stdin, capture_output=True, timeout=120)


def test_the_command_exits_at_once_with_its_output_whole(seed_path, tmp_path):
    """``run`` ends parse, schema and validate with os._exit: what they print must all be there,
    with the exit code each case calls for."""
    done = _command("parse", str(seed_path))
    assert done.returncode == 0
    document = json.loads(done.stdout)
    assert document["force"]["id"] == "cleveland" and len(document["findings"]) == 6
    assert done.stdout.endswith(b"}\n")

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    failed = _command("parse", str(empty))
    assert failed.returncode == 1 and failed.stdout == b""
    assert b"ncpi-extract: error:" in failed.stderr and b"empty" in failed.stderr

    assert _command("parse").returncode == 2  # click's usage error

    schema = _command("schema")
    assert schema.returncode == 0
    assert schema.stdout.decode() == (Path(__file__).parents[1] / "schemas" / "release.schema.json").read_text(encoding="utf-8")

    out = tmp_path / "out.json"
    assert _command("parse", str(seed_path), "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8")) == document
    checked = _command("validate", str(out))
    assert checked.returncode == 0 and b"1 document(s) valid" in checked.stdout


def test_the_command_with_a_standard_stream_closed(seed_path, tmp_path):
    """Started with standard output or error closed, Python has no stream object for it: ``run``
    must still exit 0 when the work is done (the file written, the JSON printed)."""
    out = tmp_path / "out.json"
    shell = [sys.executable, "-m", "ncpi_extract.cli"]
    no_stdout = subprocess.run(["sh", "-c", '"$@" >&-', "sh", *shell, "parse", str(seed_path), "-o", str(out)],
                               capture_output=False, stderr=subprocess.PIPE, timeout=120)
    assert no_stdout.returncode == 0, no_stdout.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["force"]["id"] == "cleveland"
    no_stderr = subprocess.run(["sh", "-c", '"$@" 2>&-', "sh", *shell, "parse", str(seed_path)], stdout=subprocess.PIPE, timeout=120)
    assert no_stderr.returncode == 0 and json.loads(no_stderr.stdout)["force"]["id"] == "cleveland"
    assert subprocess.run(["sh", "-c", '"$@" >&-', "sh", *shell, "schema"], timeout=120).returncode == 0


def test_evaluate_scores_an_unreadable_release_as_nothing_found(seed_path, tmp_path):
    """A release the extractor cannot read is reported and scored as missed, not a traceback."""
    expected = seed_path.with_name("cleveland_2017_seed.expected.json")
    (tmp_path / "seed.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "seed.expected.json").write_bytes(expected.read_bytes())
    (tmp_path / "blank.txt").write_bytes(b"  \n")
    (tmp_path / "blank.expected.json").write_bytes(expected.read_bytes())
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert [(Path(u["path"]).name, u["code"]) for u in scores["unreadable"]] == [("blank.txt", "empty")]
    gold = len(json.loads(expected.read_text(encoding="utf-8"))["findings"])
    assert (scores["findings"]["tp"], scores["findings"]["fn"]) == (gold, gold)
    text = CliRunner().invoke(main, ["evaluate", str(tmp_path)]).output
    assert "unreadable, scored as nothing extracted:" in text and "blank.txt" in text


def test_parse_to_a_folder_that_does_not_exist_is_an_error_not_a_traceback(seed_path, tmp_path):
    result = CliRunner().invoke(main, ["parse", str(seed_path), "-o", str(tmp_path / "missing" / "out.json")])
    assert result.exit_code == 1
    assert "ncpi-extract: error:" in result.output and "cannot write the output" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_parse_reads_standard_input_only_to_one_byte_over_the_limit(seed_path):
    """Standard input is read to --max-bytes and one byte more, not whole: a stream without end cannot fill memory."""
    result = CliRunner().invoke(main, ["parse", "-", "--max-bytes", "1000"], input=seed_path.read_bytes() * 50)
    assert result.exit_code == 1
    assert "1,001 bytes, over the limit of 1,000 bytes" in result.output
