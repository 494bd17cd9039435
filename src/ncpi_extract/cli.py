"""The ``ncpi-extract`` command line.

Exit codes: 0 ok, 1 an extraction problem (unreadable or invalid input, a document
that fails validation), 2 a usage error (click's own).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .api import parse_bytes, read_file
from .decode import DEFAULT_MAX_BYTES
from .errors import InputError
from .schema import schema_text, to_validated_json, validation_errors

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
_exit_at_once = False  # set by the commands that leave nothing to tear down (see ``run``)


def run() -> None:
    """The ``ncpi-extract`` console script: ``main``, and after ``parse``, ``schema`` or
    ``validate`` an immediate exit.

    Tearing the interpreter down after a parse (freeing spaCy's vocabulary, its tokenizer's
    caches and the loaded models) took 0.2 s, a fifth of the command's time. Those commands
    leave nothing open by then: their files are written and closed, and the standard streams
    are flushed here. ``batch`` exits the usual way (it has worker processes to see out).
    """
    try:
        main()
        code: int | str | None = EXIT_OK
    except SystemExit as exc:
        if not _exit_at_once:
            raise
        code = exc.code
    if not _exit_at_once:
        return
    if isinstance(code, str):  # what sys.exit("message") prints before exiting with 1
        sys.stderr.write(code + "\n")
    status = code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_PROBLEM)
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed: there was nothing to write to
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or file: the output did not all arrive
            status = status or EXIT_PROBLEM
    os._exit(status)


def _leaves_nothing_open() -> None:
    global _exit_at_once
    _exit_at_once = True


def _fail(message: str) -> None:
    click.echo(f"ncpi-extract: error: {message}", err=True)
    sys.exit(EXIT_PROBLEM)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ncpi-extract")
def main() -> None:
    """Extract structured findings from HMICFRS child protection inspection press releases."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option("--pretty", is_flag=True, help="Indent the JSON for people.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write the JSON here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "markdown", "html"]), default="auto", show_default=True,
              help="Input format; auto goes by the file name and content.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse larger inputs.")
def parse(file: str, pretty: bool, output: Path | None, fmt: str, max_bytes: int) -> None:
    """Extract one release FILE (or - for standard input) and print it as JSON."""
    _leaves_nothing_open()
    try:
        if file == "-":  # read no more than one byte over the limit: parse_bytes then refuses it as too large
            data, name, suffix = sys.stdin.buffer.read(max_bytes + 1), None, ""
        else:
            data, name, suffix = read_file(file, max_bytes), file, Path(file).suffix
        if fmt != "auto":
            suffix = {"text": ".txt", "markdown": ".md", "html": ".html"}[fmt]
        release = parse_bytes(data, name, suffix=suffix, max_bytes=max_bytes)
        document = to_validated_json(release, pretty=pretty)
    except InputError as exc:
        _fail(f"{file}: {exc.message}")
    except OSError as exc:
        _fail(f"{file}: {exc.strerror or exc}")
    except ValueError as exc:
        _fail(f"{file}: {exc}")
    if output is None:
        click.echo(document)
    else:
        try:
            _write_atomic(output, document + "\n")
        except OSError as exc:  # a folder that does not exist or cannot be written
            _fail(f"{output}: cannot write the output: {exc.strerror or exc}")
    for warning in release.warnings:
        click.echo(f"ncpi-extract: warning: {warning.code}: {warning.message}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the output."""
    _leaves_nothing_open()
    click.echo(schema_text(), nl=False)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
def validate(file: str) -> None:
    """Check a JSON document (or JSON Lines of documents) against the schema."""
    _leaves_nothing_open()
    try:
        raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{file}: cannot read: {exc}")
    stripped = raw.strip()
    try:
        documents = [json.loads(stripped)] if stripped.startswith("{") and "\n{" not in stripped else [
            json.loads(line) for line in stripped.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        _fail(f"{file}: not JSON: {exc}")
    bad = 0
    for k, document in enumerate(documents, 1):
        for error in validation_errors(document):
            bad += 1
            click.echo(f"{file}: document {k}: {error}", err=True)
    if bad or not documents:
        _fail(f"{file}: {bad} schema error(s)" if documents else f"{file}: no document")
    click.echo(f"{file}: {len(documents)} document(s) valid")


def _write_atomic(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)


@main.command()
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder of rule files (default: models/rules).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to save the pipeline (default: models/ncpi_en, the one the package loads).")
def build(rules_dir: Path | None, out_dir: Path | None) -> None:
    """Rebuild the saved pipeline from the rule files (run after editing models/rules)."""
    from .pipeline import build_pipeline, default_pipeline_path, shipped_classifier

    out_dir = out_dir or default_pipeline_path()
    nlp = build_pipeline(rules_dir, *shipped_classifier())
    nlp.to_disk(out_dir)
    click.echo(f"saved {', '.join(nlp.pipe_names)} to {out_dir}")


@main.command()
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON for machines.")
@click.option("--update-baseline", is_flag=True,
              help="Re-pin tests/quality_baseline.json to the current scores (GOLD is then ignored).")
def evaluate(gold: Path, as_json: bool, update_baseline: bool) -> None:
    """Score the extractor against GOLD: a folder of releases with NAME.expected.json files
    (like fixtures/), or a JSONL file of labelled findings (like models/training/test.jsonl).

    Prints precision, recall and F1 per field (findings matched by text, kind, each theme with
    micro and macro averages, quotes' speaker and role, force, stage, fieldwork) and urgency accuracy.
    """
    from .evaluate import evaluate_labelled, evaluate_releases, format_report

    if update_baseline:
        from .gate import baseline_path, write_baseline

        current = write_baseline()
        click.echo(f"pinned {len(current['scores'])} scores in {baseline_path()}")
        return
    if gold.is_dir():
        result = evaluate_releases(gold)
        if not result["releases"]:
            _fail(f"{gold}: no release with a NAME.expected.json beside it")
    elif gold.suffix == ".jsonl":
        result = evaluate_labelled(gold)
    else:
        raise click.UsageError("GOLD must be a folder of releases or a .jsonl file of labelled findings")
    click.echo(json.dumps(result, indent=2) if as_json else format_report(result))


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with train.jsonl, dev.jsonl and config.cfg (default: models/training).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to save the pipeline (default: models/ncpi_en, the one the package loads).")
@click.option("--resplit", is_flag=True, help="Rebuild train/dev/test.jsonl from raw/*.jsonl first (groups keep their split).")
def train(data_dir: Path | None, out_dir: Path | None, resplit: bool) -> None:
    """Train the theme and urgency classifier from the labelled data and save the pipeline."""
    from .training import split_raw, training_dir
    from .training import train as run_training

    data_dir = data_dir or training_dir()
    if resplit:
        counts = split_raw(data_dir)
        click.echo(f"split: {counts}")
    run_training(data_dir, out_dir, log=click.echo)


from .batch_cli import batch  # noqa: E402  (kept in its own module: the batch runner is large)

main.add_command(batch)

if __name__ == "__main__":
    run()
