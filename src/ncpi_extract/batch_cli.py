"""``ncpi-extract batch``: extract a whole folder of saved releases.

Registered on the main group with ``main.add_command(batch)``.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from .batch import DEFAULT_GLOBS, BatchRunError, BatchUsageError, run_batch
from .decode import DEFAULT_MAX_BYTES

EXIT_RUN_FAILED = 3  # stopped part-way: outputs not written or workers not started
EXIT_INTERRUPTED = 130


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
              help="Folder for the outputs (created if missing).")
@click.option("--glob", "globs", multiple=True, metavar="PATTERN",
              help=f"Extract files whose name matches PATTERN (repeatable; replaces the default {' '.join(DEFAULT_GLOBS)}). "
                   "Case does not matter; a PATTERN with a / is matched against the path under INPUT_DIR.")
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the number of CPUs this process may use]; this one writes the outputs.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Report larger files as errors (too_large) instead of reading them.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing, not even the summary; the exit code still tells.")
def batch(input_dir: Path, out_dir: Path, globs: tuple[str, ...], workers: int | None, max_bytes: int, quiet: bool) -> None:
    """Extract every release in the files under INPUT_DIR into the folder OUTPUT.

    INPUT_DIR is searched recursively (links to folders are not followed) and its files
    are read in sorted path order. A file holding several releases one after another
    gives one release per headline (numbered by source.release_index). The folder
    OUTPUT receives:

    \b
      releases.jsonl   one validated JSON document per release
      findings.csv     one row per finding (path, release_index, force_id, stage,
                       fieldwork_start, fieldwork_end, kind, themes, urgency, text,
                       start, end, finding_id)
      findings.sqlite  tables releases, findings, finding_themes, quotes, notes
      errors.jsonl     one {"path", "code", "reason"} line per file that failed

    Each output is replaced whole when the run ends, never left half written. Running
    again into the same OUTPUT resumes: files unchanged since the last run (same
    content, same ncpi-extract) are not extracted again, changed and new files are, and
    files no longer there drop out of the outputs. An interrupted run (Ctrl-C, kill)
    keeps the work it finished in OUTPUT/.state.jsonl.

    A progress line is shown when standard error is a terminal; a one-line summary
    ends every run unless --quiet.

    \b
    Exit status: 0 every file extracted; 1 some files failed (the others are still
    written, see errors.jsonl); 2 a usage error (including an output folder that
    cannot be made or written to); 3 the run stopped part-way: its outputs could
    not be written (a full disk) or its workers not started (the previous outputs
    stay, and running again resumes); 130 interrupted.

    \b
    Example:
      ncpi-extract batch saved-pages/ -o out/ --glob '*.htm*' --workers 4
      sqlite3 out/findings.sqlite "SELECT r.force_id, count(*) FROM findings f
        JOIN releases r ON r.id = f.release_id
        JOIN finding_themes t ON t.finding_id = f.id
        WHERE t.theme = 'custody' GROUP BY r.force_id"
    """
    # Let a kill (SIGTERM) unwind like Ctrl-C: the workers stop and the journal is flushed.
    install = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    if install:
        signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        summary = run_batch(input_dir, out_dir, globs=globs or None, workers=workers, max_bytes=max_bytes, quiet=quiet)
    except BatchUsageError as exc:
        raise click.UsageError(str(exc)) from None
    except BatchRunError as exc:
        click.echo(f"ncpi-extract: error: {exc}", err=True)  # even with --quiet: no outputs to look at
        sys.exit(EXIT_RUN_FAILED)
    except KeyboardInterrupt:
        if not quiet:
            click.echo(f"ncpi-extract: interrupted; run the same command again to resume ({out_dir / '.state.jsonl'} "
                       "keeps the files already done)", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if install:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.exit(summary.exit_code)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
