"""Batch extraction: a folder of saved releases in, four tables out.

:func:`run_batch` walks ``input_dir`` (recursively, in sorted order), extracts every
release of every matching file, and writes into ``out_dir``:

``releases.jsonl``
    one validated release document per line, ordered by file path then ``release_index``;
``findings.csv``
    one row per finding: ``path, release_index, force_id, stage, fieldwork_start,
    fieldwork_end, kind, themes`` (joined by ``;``) ``, urgency, text, start, end, finding_id``;
``findings.sqlite``
    tables ``releases``, ``findings``, ``finding_themes(finding_id, theme)``, ``quotes`` and
    ``notes`` (see :data:`SQL_SCHEMA`), with indexes on force and on theme;
``errors.jsonl``
    one ``{"path", "code", "reason"}`` line per file that could not be extracted.

Paths in every output are relative to ``input_dir``, with ``/`` separators.

**Bundles.** A page that holds several releases (:mod:`ncpi_extract.bundle`) gives one
document per release, numbered by ``source.release_index``; every offset in such a
document indexes the whole page's text (decoded, or extracted from the HTML), as for a
single release.

**Atomic outputs.** Each output is written to a temporary file in ``out_dir`` and moved
into place with :func:`os.replace`, so a run that is killed leaves each output either as
the previous run wrote it or absent, never half written. The temporary files are filled
in path order while the run goes on (each file as soon as it and every file before it are
done), so with several workers the writing overlaps the extraction.

**Resume.** ``out_dir/.state.jsonl`` is a journal: as each file finishes, one line with its
path, content SHA-256, tool version, a fingerprint of the installed parser (its code and
rules) and its documents (or its error) is appended, and flushed with the rest of its
chunk's results, so it survives the process being killed (which loses at most the chunk
being journaled); a thread writes it through to disk every :data:`FSYNC_INTERVAL` seconds
(the outputs too, so that little is left to sync at the end) and it is fsync'ed at the end,
so a power cut loses at most that much work. A later run reuses every file whose
content, version and fingerprint are unchanged, redoes the others, and always writes
outputs holding every current file's releases exactly once (the journal is keyed by path;
the last line for a path wins). Errors caused by the file's content are reused too;
errors of reading (permissions, links, size) are looked at afresh on every run.

**Parallelism.** Files are parsed in a :class:`~concurrent.futures.ProcessPoolExecutor` of
``workers`` processes (fewer for a small batch), each loading the pipeline once; this process
writes the outputs meanwhile and never parses, so a worker that dies (a crash, the OOM killer)
costs only the file that killed it, reported as ``worker_crashed``, and a run changes nothing
in the calling process but what loading the pipeline leaves in it. The outputs do not depend
on the number of workers. Workers read the files they parse (this process reads a file only to
compare it with a journaled result) and hand their results back through files in a temporary
folder in ``out_dir``, each chunk as one :mod:`marshal` string: each file's JSON lines as
UTF-8, its CSV lines, and its database rows numbered from 0 in multi-row INSERTs that add this
process's next ids (see ``_FileRows``), so that writing a file costs this process a few calls
and no work a row. Towards the end, chunks shrink so that the workers finish together. A worker keeps the loaded
pipeline out of garbage collection and collects less often, and (with glibc) keeps freed
memory for reuse, unless the user tuned malloc through the environment.

Error codes: ``empty``, ``binary``, ``undecodable``, ``too_large`` (from decoding, see
:mod:`ncpi_extract.decode`), ``not_found``, ``broken_link``, ``not_a_file``, ``unreadable``,
``invalid_output`` (a document failed the schema), ``internal_error`` (the parser raised),
``worker_crashed`` and ``timed_out`` (see ``_time_limit``).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import ctypes
import fnmatch
import functools
import gc
import hashlib
import io
import itertools
import json
import marshal
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from . import __version__
from .api import iter_text_documents, page_text, read_file
from .bundle import split_releases
from .decode import DEFAULT_MAX_BYTES, decode_bytes
from .errors import InputError
from .pipeline import default_pipeline_path, load_pipeline
from .release import Source
from .schema import checked_json

__all__ = [
    "DEFAULT_GLOBS", "SQL_INDEXES", "SQL_SCHEMA", "BatchRunError", "BatchSummary", "BatchUsageError", "extract_documents",
    "run_batch",
]

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.html", "*.htm", "*.md")
RELEASES_FILE, FINDINGS_CSV, FINDINGS_DB, ERRORS_FILE = "releases.jsonl", "findings.csv", "findings.sqlite", "errors.jsonl"
STATE_FILE, LOCK_FILE = ".state.jsonl", ".lock"
_TMP_PREFIX = ".ncpi-batch-tmp-"
_OWN_FILES = frozenset({RELEASES_FILE, FINDINGS_CSV, FINDINGS_DB, ERRORS_FILE, STATE_FILE, LOCK_FILE})
FSYNC_INTERVAL = 1.0  # a power cut loses at most this much work; a kill loses nothing flushed
CSV_COLUMNS = ("path", "release_index", "force_id", "stage", "fieldwork_start", "fieldwork_end", "kind", "themes",
               "urgency", "text", "start", "end", "finding_id")
# Errors that depend only on the file's bytes and the tool: reused on resume like documents.
_CONTENT_ERRORS = frozenset({"empty", "binary", "undecodable", "invalid_output"})
_LOCATED = ("sections", "findings", "quotes", "reports", "notes", "contacts")
_CHUNK_FILES = 32  # files per chunk of work: enough releases for the classifier to batch, few messages
_CHUNK_BYTES = 4 * 1024 * 1024
# The journal and the outputs are written through buffers this size: a release's lines (a few KB)
# overflowed the default 8 KB buffer, a system call each.
_BUFFER_BYTES = 1 << 20

SQL_SCHEMA = """
CREATE TABLE releases (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    release_index INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    title TEXT,
    published TEXT,
    inspectorate TEXT,
    force_id TEXT,
    force_name TEXT,
    stage TEXT NOT NULL,
    fieldwork_start TEXT,
    fieldwork_end TEXT,
    overall_urgency TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    warnings TEXT NOT NULL,   -- JSON array of warning codes
    document TEXT NOT NULL,   -- the whole release document (JSON)
    UNIQUE (path, release_index)
);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases (id),
    position INTEGER NOT NULL,
    stable_id TEXT NOT NULL,  -- Finding.id: a hash of kind and text, equal across runs and releases
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    urgency TEXT NOT NULL,
    needs_review INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    rule TEXT NOT NULL,
    UNIQUE (release_id, position)
);
CREATE TABLE finding_themes (
    finding_id INTEGER NOT NULL REFERENCES findings (id),
    theme TEXT NOT NULL,
    confidence REAL,
    rule TEXT,
    PRIMARY KEY (finding_id, theme)
);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases (id),
    position INTEGER NOT NULL,
    speaker TEXT,
    role TEXT,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases (id),
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
"""
# Created after the rows are in (a faster bulk load).
SQL_INDEXES = """
CREATE INDEX releases_force ON releases (force_id);
CREATE INDEX findings_release ON findings (release_id);
CREATE INDEX finding_themes_theme ON finding_themes (theme);
CREATE INDEX quotes_release ON quotes (release_id);
CREATE INDEX notes_release ON notes (release_id);
"""


class BatchUsageError(ValueError):
    """The batch cannot start: a missing input folder, a bad option, an output folder in use
    or that cannot be made or written to."""


class BatchRunError(Exception):
    """The run stopped part-way for a cause outside the input files: its outputs could not be
    written (a full disk, say), or its worker processes could not be started. The outputs are
    left unchanged (unless moving them into place failed part-way, which the message says), and
    the journal keeps every file finished before the failure, so the same run, started again once
    the cause is fixed, resumes. The ``OSError`` or ``sqlite3.Error`` is ``__cause__``."""


class _PartlyMoved(Exception):
    """Moving the outputs into place failed part-way: some are this run's, the others the
    previous run's. The ``OSError`` is ``__cause__``."""


class _WorkersFailed(Exception):
    """Worker processes could not be started (a failed fork, the pipeline unreadable): the
    ``OSError`` is ``__cause__``."""


@dataclass
class BatchSummary:
    """What a batch run did. ``exit_code``: 0 all files extracted, 1 some failed."""

    files: int = 0
    extracted: int = 0
    reused: int = 0
    failed: int = 0
    releases: int = 0
    findings: int = 0
    seconds: float = 0.0
    out_dir: Path | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    extracted_releases: int = 0  # releases of the files extracted by this run (not reused)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        rate = f", {self.extracted_releases / self.seconds:.0f} releases/s" if self.extracted and self.seconds > 0 else ""
        return (f"ncpi-extract batch: {self.files} files ({self.extracted} extracted, {self.reused} unchanged, "
                f"{self.failed} failed), {self.releases} releases, {self.findings} findings "
                f"in {self.seconds:.1f} s{rate} -> {self.out_dir}")


# -- extraction of one file -----------------------------------------------------------------
def extract_documents(data: bytes, path: str | None = None, *, suffix: str = "",
                      max_bytes: int | None = DEFAULT_MAX_BYTES) -> list[dict[str, Any]]:
    """Every release in the bytes of one saved file, as validated JSON documents.

    Like :func:`ncpi_extract.api.parse_bytes`, but a page holding several releases gives
    one document per release (``source.release_index`` 0, 1, ...), each offset indexing
    the page's whole text. Raises :class:`InputError` (``invalid_output`` for a document
    that fails the schema).
    """
    return [document for document, _ in _extract_file(data, path, suffix=suffix, max_bytes=max_bytes)]


def _extract_file(data: bytes, path: str | None, *, suffix: str, max_bytes: int | None) -> list[tuple[dict[str, Any], str]]:
    pieces = _release_pieces(data, path, suffix=suffix, max_bytes=max_bytes)
    return list(_checked(_documents_of(pieces), [start for _, _, start in pieces]))


def _release_pieces(data: bytes, path: str | None, *, suffix: str, max_bytes: int | None) -> list[tuple[str, Source, int]]:
    """Decode one file and split it into (release text, source, offset of the text in the page)."""
    decoded = decode_bytes(data, suffix=suffix, max_bytes=max_bytes)
    text, offsets = page_text(decoded)
    sha256 = hashlib.sha256(data).hexdigest()
    return [
        (text[start:end], Source(path=path, sha256=sha256, format=decoded.format, encoding=decoded.encoding,
                                 offsets=offsets, release_index=index), start)
        for index, (start, end) in enumerate(split_releases(text))
    ]


def _documents_of(pieces: Iterable[tuple[str, Source, int]]) -> Iterator[dict[str, Any]]:
    """The documents of ``pieces`` (as ``_release_pieces`` gives them), in order."""
    return iter_text_documents([(text, source) for text, source, _ in pieces])


def _checked(documents: Iterator[dict[str, Any]], starts: list[int]) -> Iterator[tuple[dict[str, Any], str]]:
    """The next ``len(starts)`` documents (one file's), each with its offsets moved to index the
    whole page, and its validated JSON line. Should one fail the schema, the file's others are
    still taken from ``documents`` (which may go on with the next file's), then InputError."""
    failure = None
    for start in starts:
        document = next(documents)
        if failure is not None:
            continue
        if start:
            _shift_offsets(document, start)
        try:
            line = checked_json(document)
        except ValueError as exc:
            failure = InputError("invalid_output", str(exc))
            continue
        yield document, line
    if failure is not None:
        raise failure


def _shift_offsets(document: dict[str, Any], by: int) -> None:
    for key in _LOCATED:
        for item in document.get(key) or ():
            item["start"] += by
            item["end"] += by


# -- work units ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Task:
    """One file to extract. The worker reads it, unless the writer already has (to look its
    content up in the journal): sending each file's bytes through the pool's pipe cost the
    writer CPU and kept workers waiting on the pipe (0.04-0.1 s a worker in a run, against
    0.013 s for tasks that hold only paths)."""

    path: str  # relative, '/'-separated
    full: str  # where to read it
    suffix: str
    size: int  # in bytes, as listed: for sizing chunks
    data: bytes | None = None
    sha256: str = ""


def _loaded(task: _Task, max_bytes: int | None) -> _Task:
    """``task`` with its bytes and their hash; :class:`InputError` if the file cannot be read."""
    if task.data is not None:
        return task
    data = read_file(task.full, max_bytes)
    return replace(task, data=data, sha256=hashlib.sha256(data).hexdigest())


def _unread(task: _Task, exc: InputError) -> dict[str, Any]:
    """A file the worker could not read: reported as the writer reports one it could not read
    (``unread``: not journaled, looked at afresh by the next run)."""
    return {**_failed(task, exc.code, exc.message), "unread": True}


def _run_task(task: _Task, max_bytes: int | None) -> dict[str, Any]:
    """Extract one file already read (``_loaded``) on its own; never raises. ``_run_chunk``'s
    fallback, should extracting a chunk at once fail."""
    try:
        pieces = _release_pieces(task.data, task.path, suffix=task.suffix, max_bytes=max_bytes)
        return _file_result(task, _documents_of(pieces), pieces)
    except InputError as exc:
        return _failed(task, exc.code, exc.message)
    except Exception as exc:  # a parser bug must not stop the batch
        return _failed(task, "internal_error", f"{type(exc).__name__}: {exc}")


def _failed(task: _Task, code: str, reason: str) -> dict[str, Any]:
    return {"path": task.path, "sha256": task.sha256, "status": "error", "code": code, "reason": _encodable(reason)}


def _encodable(text: str) -> str:
    """``text`` with any surrogate written as a \\u escape: a reason quoting a name that is not UTF-8 holds
    surrogates, which no output could encode as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _file_result(task: _Task, documents: Iterator[dict[str, Any]], pieces: list[tuple[str, Source, int]]) -> dict[str, Any]:
    """The result of one file from its documents, the next ``len(pieces)`` of ``documents``: its
    JSON lines (UTF-8) and rows (``_file_parts``). Each document is dropped once its line is made and its
    rows taken, so that a page of thousands of releases does not hold them all at once (a 4.9 MB
    page of 2,279 releases took 394 MB when it did)."""
    try:
        lines, rows = _file_parts(_checked(documents, [start for _, _, start in pieces]))
    except InputError as exc:
        return _failed(task, exc.code, exc.message)
    return {"path": task.path, "sha256": task.sha256, "status": "ok", "documents": lines, "rows": rows}


def _file_parts(documents: Iterable[tuple[dict[str, Any], str]]) -> tuple[list[bytes], tuple]:
    """One file's (document, JSON line) pairs as the writer takes them: the lines as UTF-8, and
    ``_FileRows.packed()``; made by a worker, or by the writer from a journaled line."""
    lines, rows = [], _FileRows()
    for document, line in documents:
        lines.append(line.encode("utf-8"))
        rows.add(document, lines[-1])
    return lines, rows.packed()


# -- rows for findings.csv and findings.sqlite ----------------------------------------------------
# Each table's rows go to SQLite as multi-row INSERTs of at most this many rows, made in the worker
# with the file's own ids (0, 1, ...), which the statement adds to the writer's next ids, bound as
# its first two parameters (?1 the next finding id, ?2 the next release id): the writer does one
# statement a group and no work a row. Row by row (the writer numbering tuples for executemany)
# it took a third of the writer's CPU, which the workers share. A group also stays within the 999
# parameters of SQLite's builds before 3.32 (releases' rows have 18 values: 55 of them at most).
_GROUP_ROWS = 64
_MAX_PARAMETERS = 999
_INSERT_COLUMNS = {  # each table's values: '{}' is the row's own value; ids add it to a base
    "releases": ("?2+{}", *["{}"] * 16, "CAST({} AS TEXT)"),  # the document may come as UTF-8 bytes
    "findings": ("?1+{}", "?2+{}", *["{}"] * 10),
    "finding_themes": ("?1+{}", "{}", "{}", "{}"),
    "quotes": ("?2+{}", *["{}"] * 6),
    "notes": ("?2+{}", *["{}"] * 4),
}
_INSERT_HEADS = {
    "releases": "INSERT INTO releases VALUES ",
    "findings": "INSERT INTO findings VALUES ",
    "finding_themes": "INSERT INTO finding_themes VALUES ",
    "quotes": 'INSERT INTO quotes (release_id, position, speaker, role, text, start, "end") VALUES ',
    "notes": 'INSERT INTO notes (release_id, number, text, start, "end") VALUES ',
}
_ROW_WIDTH = {table: len(columns) for table, columns in _INSERT_COLUMNS.items()}


@functools.lru_cache(maxsize=len(_INSERT_COLUMNS) * _GROUP_ROWS)
def _insert_sql(table: str, rows: int) -> str:
    """The INSERT of ``rows`` rows into ``table``, every parameter numbered (?3 on: the rows' values
    in order), since a bare '?' after '?2' would take number 3 whatever came before it."""
    columns, numbers = _INSERT_COLUMNS[table], itertools.count(3)
    template = "(" + ",".join(columns) + ")"
    return _INSERT_HEADS[table] + ",".join(template.format(*(f"?{next(numbers)}" for _ in columns)) for _ in range(rows))


class _FileRows:
    """What findings.csv and findings.sqlite take from one file's documents, made where the
    documents are made (in a worker), so that the process writing the outputs does not parse
    them again: the CSV lines (UTF-8) and each table's values, flat, with the file's own ids."""

    def __init__(self) -> None:
        self.csv = io.StringIO()
        self.csv_writer = csv.writer(self.csv)  # the writer's own dialect: see _Outputs._open
        self.values: dict[str, list] = {table: [] for table in _INSERT_COLUMNS}
        self.releases = self.findings = 0

    def add(self, doc: dict[str, Any], document: bytes | str) -> None:
        """One release: its document, parsed and as its JSON line."""
        src, force, fieldwork = doc["source"], doc.get("force") or {}, doc.get("fieldwork") or {}
        values, release = self.values, self.releases
        values["releases"] += (release, src["path"], src["release_index"], src["sha256"], src["format"], src["encoding"],
                               doc["title"], doc["published"], doc["inspectorate"], force.get("id"), force.get("name"),
                               doc["stage"], fieldwork.get("start"), fieldwork.get("end"), doc["overall_urgency"],
                               doc["tool_version"], json.dumps([w["code"] for w in doc["warnings"]]), document)
        findings, themes, csv_rows = values["findings"], values["finding_themes"], []
        for position, f in enumerate(doc["findings"]):
            finding = self.findings + position
            findings += (finding, release, position, f["id"], f["kind"], f["text"], f["source"], f["urgency"],
                         int(f["needs_review"]), f["start"], f["end"], f["rule"])
            theme_rules = f.get("theme_rules") or {}
            for t in f["themes"]:
                themes += (finding, t, _number(f["confidence"].get(t)), theme_rules.get(t))
            csv_rows.append((src["path"], src["release_index"], force.get("id") or "", doc["stage"],
                             fieldwork.get("start") or "", fieldwork.get("end") or "", f["kind"], ";".join(f["themes"]),
                             f["urgency"], f["text"], f["start"], f["end"], f["id"]))
        self.csv_writer.writerows(csv_rows)
        for k, q in enumerate(doc["quotes"]):
            values["quotes"] += (release, k, q["speaker"], q["role"], q["text"], q["start"], q["end"])
        for n in doc["notes"]:
            values["notes"] += (release, n["number"], n["text"], n["start"], n["end"])
        self.releases += 1
        self.findings += len(doc["findings"])

    def packed(self) -> tuple[int, int, bytes, list[tuple[str, int, list]]]:
        """(releases, findings, CSV lines, inserts): each insert (table, rows, values), its values
        behind two free places for the writer's next finding and release ids."""
        inserts = []
        for table, values in self.values.items():
            width = _ROW_WIDTH[table]
            step = width * min(_GROUP_ROWS, (_MAX_PARAMETERS - 2) // width)
            for at in range(0, len(values), step):
                group = values[at:at + step]
                inserts.append((table, len(group) // width, [0, 0, *group]))
        return self.releases, self.findings, self.csv.getvalue().encode("utf-8"), inserts


def _number(value: float | None) -> float | None:
    """A plain float: rows cross to the writer as marshal data, which would turn a numpy scalar
    into bytes (and SQLite would store a BLOB)."""
    return None if value is None else float(value)


def _csv_text(rows: list[tuple]) -> str:
    """``rows`` as findings.csv's lines (the writer's own dialect)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _run_chunk(tasks: list[_Task], max_bytes: int | None) -> list[dict[str, Any]]:
    """Extract a chunk of files, all their releases through one ``nlp.pipe``.

    Should the batched run fail (a parser bug), each file is redone on its own, so
    the bug costs only the file that triggers it.
    """
    results: list[dict[str, Any] | None] = [None] * len(tasks)
    pieces: list[tuple[int, list[tuple[str, Source, int]]]] = []
    tasks = list(tasks)
    for k, task in enumerate(tasks):
        try:
            tasks[k] = task = _loaded(task, max_bytes)
        except InputError as exc:
            results[k] = _unread(task, exc)
            continue
        try:
            pieces.append((k, _release_pieces(task.data, task.path, suffix=task.suffix, max_bytes=max_bytes)))
        except InputError as exc:
            results[k] = _failed(task, exc.code, exc.message)
        except Exception:
            results[k] = _run_task(task, max_bytes)
    try:
        documents = _documents_of(piece for _, file_pieces in pieces for piece in file_pieces)
        for k, file_pieces in pieces:
            results[k] = _file_result(tasks[k], documents, file_pieces)
    except Exception:
        for k, _ in pieces:
            if results[k] is None:  # the file being extracted when it failed, and those after it
                results[k] = _run_task(tasks[k], max_bytes)
    return [r for r in results if r is not None]


_Packed = str | bytes | list[dict[str, Any]]
_SPOOLED = itertools.count()


def _run_chunk_packed(tasks: list[_Task], max_bytes: int | None, spool: str | None = None) -> _Packed:
    """``_run_chunk`` in a worker: its results as one :mod:`marshal` string, written to a file
    in ``spool`` whose path is returned; :func:`_unpacked` reads them back.

    The results are many small tuples and strings (each finding's rows). Pickled, as the
    process pool would send them, they cost the parent, whose cores the workers need, about
    70 us a file to read, five times what ``marshal.loads`` costs (both processes run the
    same interpreter, whose marshal format they share). Sent through the pool's pipe, which
    holds 64 KB, the third of a megabyte a chunk makes kept the worker waiting until the parent
    read it all; written to a file, it waits for nobody. Should a result hold a type marshal
    cannot write, the list is sent as it is; should the file fail, the bytes are.
    """
    results = _run_chunk(tasks, max_bytes)
    try:
        packed = marshal.dumps(results)
    except ValueError:
        return results
    if spool is None:
        return packed
    path = os.path.join(spool, f"{os.getpid()}-{next(_SPOOLED)}")
    try:
        with open(path, "wb") as f:
            f.write(packed)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return packed
    return path


def _unpacked(results: _Packed) -> list[dict[str, Any]]:
    if isinstance(results, str):
        with open(results, "rb") as f:
            data = f.read()
        os.unlink(results)
        return marshal.loads(data)
    return marshal.loads(results) if isinstance(results, bytes) else results


def _init_worker(parent_pid: int) -> None:
    """Worker start-up: let go of the run's lock, ignore ^C (the parent handles it), die with the
    parent, load once."""
    for fd in list(_held_locks):  # copies forked with this process (see _held_locks)
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(Exception):  # Linux only: be killed when the parent dies
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(1)
    _tune_gc()  # for the worker's life
    _set_malloc(_MALLOC_KEPT)


def _warm_up() -> None:
    load_pipeline()


_GC_THRESHOLD = (20_000, 50, 100)


def _tune_gc() -> None:
    """Load the pipeline, then tune a worker's garbage collection for its life.

    Extraction makes and drops many small objects, nearly all freed by reference counting
    alone, yet at Python's default threshold (700) the collector ran 1,900 times over 5,000
    releases, each time also walking the loaded pipeline's objects. The pipeline is frozen
    out of collection (it lives as long as the process) and collections are rarer: one worker
    went from 364 to 423-429 releases/s in the same minutes (14f345f, ``benchmarks/SPEED.md``).
    """
    _warm_up()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)


# glibc's mallopt parameters (malloc.h) and the values workers run with.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MALLOC_KEPT = {_M_TRIM_THRESHOLD: 64 << 20, _M_MMAP_THRESHOLD: 16 << 20}


def _set_malloc(values: dict[int, int]) -> bool:
    """Set glibc's malloc ``values`` with ``mallopt``; False where there is none (macOS, Windows),
    where the user tuned malloc through the environment (their settings stay), or if glibc
    refused a value (each is tried).

    Extraction allocates and frees the same large blocks over and over (each file's text and
    token arrays, the classifier's matrices). glibc's adaptive thresholds gave most of them back
    to the kernel when freed, and the next allocation faulted the pages in again: 80,000 page
    faults over 5,000 releases on one worker, half a second of system time. With blocks up to
    16 MB kept in the heap, and up to 64 MB of free memory at its top kept for reuse, there are
    10,000, and one worker took about a twentieth less time (``benchmarks/SPEED.md``).
    """
    if _malloc_set_by_user():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, TypeError):
        return False
    return all([mallopt(param, value) == 1 for param, value in values.items()])


def _malloc_set_by_user() -> bool:
    """Whether the environment sets glibc's thresholds (its variables or tunables)."""
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    return any(os.environ.get(f"MALLOC_{name.upper()}_") or f"glibc.malloc.{name}" in tunables
               for name in _MALLOC_TUNABLES)


_MALLOC_TUNABLES = ("trim_threshold", "mmap_threshold", "top_pad", "mmap_max")  # what _set_malloc may override


# -- the input folder -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Input:
    path: str  # relative, '/'-separated
    full: str  # as os.walk gave it (a str: Path objects made a third of the listing's time)
    error: tuple[str, str] | None = None  # (code, reason) known from the walk

    @property
    def suffix(self) -> str:
        """As :attr:`pathlib.PurePath.suffix` has it."""
        name = os.path.basename(self.full)
        dot = name.rfind(".")
        return name[dot:] if 0 < dot < len(name) - 1 else ""


def _matcher(globs: Sequence[str]) -> Callable[[str, str], bool]:
    """A test of (relative path, name) against ``globs``, without regard to case: a glob with
    a ``/`` is matched against the path, any other against the name. Each side's globs are
    compiled into one regex, as :func:`fnmatch.fnmatchcase` would compile them one by one."""

    def one_regex(patterns: list[str]):
        return re.compile("|".join(fnmatch.translate(g.lower()) for g in patterns)).match if patterns else None

    by_path = one_regex([g for g in globs if "/" in g])
    by_name = one_regex([g for g in globs if "/" not in g])

    def matches(rel: str, name: str) -> bool:
        return bool((by_name and by_name(name.lower())) or (by_path and by_path(rel.lower())))

    return matches


def _shown(path: str) -> str:
    """``path`` as the outputs show it: a name that is not UTF-8 (kept by Python as surrogates)
    with \\x escapes, and a backslash of the name itself doubled, so that no two names show alike
    ('caf' and byte E9 against 'caf', a backslash and 'xe9')."""
    if "\\" in path:
        path = path.replace("\\", "\\\\")
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _list_inputs(root: Path, globs: Sequence[str], out_dir: Path) -> list[_Input]:
    found: dict[str, _Input] = {}
    out_real = os.path.realpath(out_dir)
    matches = _matcher(globs)

    def rel_of(path: str) -> str:
        return _shown(Path(os.path.relpath(path, root)).as_posix())

    def on_error(exc: OSError) -> None:
        if exc.filename and os.path.realpath(exc.filename) != os.path.realpath(root):
            rel = rel_of(exc.filename)
            found[rel] = _Input(rel, os.fsdecode(exc.filename), ("unreadable", f"the folder cannot be read: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        here_is_out = os.path.realpath(dirpath) == out_real
        dirnames[:] = sorted(d for d in dirnames if os.path.realpath(os.path.join(dirpath, d)) != out_real)
        rel_dir = rel_of(dirpath)
        prefix = "" if rel_dir == "." else rel_dir + "/"  # each entry's path, made from its folder's once
        # a folder is walked, not read: one whose name matches a glob ('2016.txt', or any with '*') is no failed file; but
        # a link to a folder, which the walk does not follow, is reported (as not_a_file), not passed over in silence
        linked = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in filenames + linked if linked else filenames:
            if here_is_out and (name in _OWN_FILES or name.startswith(_TMP_PREFIX)):
                continue
            rel = prefix + _shown(name)
            if matches(rel, name):
                found[rel] = _Input(rel, os.path.join(dirpath, name))
    return [found[k] for k in sorted(found)]


def _read(item: _Input, max_bytes: int | None) -> bytes:
    """The bytes of one input, or :class:`InputError` for anything that is not a readable file."""
    if item.error:
        raise InputError(*item.error)
    return read_file(item.full, max_bytes)


# -- the journal --------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A short hash of the package's code and the shipped pipeline and rules.

    Part of the resume key with the version, so that results made by other code (an
    edited rule, a development build that kept the version number) are never reused.
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    model = default_pipeline_path()
    rules = model.parent / "rules"
    for base in (package, model, rules):
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix not in (".pyc",) and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_RELEASES_KEY = ', "releases": ['
_DECODER = json.JSONDecoder()
_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps makes an encoder a call for ensure_ascii=False


def _documents(line: str, pos: int) -> Iterator[tuple[dict[str, Any], str]]:
    """The documents of a journal line from ``pos`` (after '"releases": ['): each parsed and as written."""
    while True:
        while line[pos] in ", \t":
            pos += 1
        if line[pos] == "]":
            return
        doc, end = _DECODER.raw_decode(line, pos)
        yield doc, line[pos:end]
        pos = end


@dataclass(frozen=True)
class _Entry:
    path: str
    sha256: str
    version: str
    fingerprint: str
    status: str
    code: str | None
    offset: int


class _Journal:
    """``.state.jsonl``: one line per finished file, appended as it finishes and flushed with the
    other results of its chunk (``flush``): a kill loses at most the chunk being journaled."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, _Entry] = {}
        self._load()
        self.file: IO[bytes] = open(path, "ab", buffering=_BUFFER_BYTES)
        self.unsynced = False  # lines appended since this object last synced (a _Syncer's syncs aside)

    def _load(self) -> None:
        if not self.path.exists():
            return
        with open(self.path, "r+b") as f:
            data = f.read()
            complete = data.rfind(b"\n") + 1
            if complete < len(data):  # a line cut short by a kill: drop it
                f.truncate(complete)
        offset = 0
        key = _RELEASES_KEY.encode()
        for raw in data[:complete].split(b"\n")[:-1]:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                at = raw.find(key)  # the head alone: no need to parse the documents
                if at >= 0 and not raw.endswith(b"]}"):
                    raise ValueError("a damaged line")
                head = json.loads(raw[:at] + b"}" if at >= 0 else raw)
                if (head["status"] == "ok") != (at >= 0) or (at < 0 and not isinstance(head.get("reason"), str)):
                    raise ValueError("a line of neither form")  # (an 'ok' line without releases, edited by hand)
                entry = _Entry(head["path"], head["sha256"], head["tool_version"], head["fingerprint"],
                               head["status"], head.get("code"), offset)
                self.entries[entry.path] = entry
            offset += len(raw) + 1

    def may_reuse(self, path: str) -> bool:
        """Whether ``path`` has a result this run may reuse, should the file's content be unchanged."""
        entry = self.entries.get(path)
        return (entry is not None and entry.version == __version__ and entry.fingerprint == parser_fingerprint()
                and (entry.status == "ok" or entry.code in _CONTENT_ERRORS))

    def reusable(self, path: str, sha256: str) -> bool:
        return self.may_reuse(path) and self.entries[path].sha256 == sha256

    def append(self, result: dict[str, Any]) -> bytes:
        """Journal one file's result; returns the line written."""
        head = {"path": result["path"], "sha256": result["sha256"], "tool_version": __version__,
                "fingerprint": parser_fingerprint(), "status": result["status"]}
        if result["status"] == "ok":
            data = b"".join(((_JSON.encode(head)[:-1] + _RELEASES_KEY).encode("utf-8"),
                             b", ".join(result["documents"]), b"]}\n"))
        else:
            head.update(code=result["code"], reason=result["reason"])
            data = (_JSON.encode(head) + "\n").encode("utf-8")
        offset = self.file.tell()
        self.unsynced = True
        self.file.write(data)
        self.entries[head["path"]] = _Entry(head["path"], head["sha256"], __version__, head["fingerprint"],
                                            head["status"], result.get("code"), offset)
        return data

    def flush(self) -> None:
        self.file.flush()

    def sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.unsynced = False

    def close(self) -> None:
        if not self.file.closed:
            try:
                if self.unsynced:
                    self.sync()
            finally:
                self.file.close()  # closes the descriptor even if its last flush fails


_datasync = getattr(os, "fdatasync", os.fsync)  # the data, and the size that reads it back: enough for a power cut


class _Syncer:
    """Writes files through to disk in a thread every :data:`FSYNC_INTERVAL` seconds, for
    the length of a ``with`` block; the files must stay open until the block ends.

    The journal needs it (what a power cut may lose), and the outputs, were they synced only
    at the end, would leave the whole run's data to be written then, while the workers idle:
    about 0.1 s for 5,000 releases here. ``fdatasync`` releases the GIL, so the run goes on
    meanwhile; closing and the final ``fsync`` stay with the owner of each file.
    """

    def __init__(self, fds: Sequence[int]) -> None:
        self.fds = list(fds)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="ncpi-batch-sync", daemon=True)

    def _run(self) -> None:
        while not self.done.wait(FSYNC_INTERVAL):
            for fd in self.fds:
                with contextlib.suppress(OSError):
                    _datasync(fd)

    def __enter__(self) -> _Syncer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.done.set()
        self.thread.join()


# -- outputs -------------------------------------------------------------------------------------
class _Outputs:
    """The four outputs and the compacted journal, written to temporary files then moved in."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.tmp = {name: out_dir / f"{_TMP_PREFIX}{os.getpid()}-{name}" for name in sorted(_OWN_FILES - {LOCK_FILE})}
        self.db_fd = -1
        try:
            self._open()
        except BaseException:  # a full disk, say: what was made goes
            self.abort()
            raise
        self.release_id = self.finding_id = 0
        self.inserts: list[tuple[str, int, list]] = []  # waiting for flush_rows
        self.pending = 0  # releases in them
        self.count_releases = self.count_findings = 0
        self.indexed = False

    def _open(self) -> None:
        # the workers hand each file's lines over as UTF-8: they are written as they come
        self.releases = open(self.tmp[RELEASES_FILE], "wb", buffering=_BUFFER_BYTES)
        self.errors = open(self.tmp[ERRORS_FILE], "w", encoding="utf-8", newline="\n")
        self.state = open(self.tmp[STATE_FILE], "wb", buffering=_BUFFER_BYTES)
        self.csv_file = open(self.tmp[FINDINGS_CSV], "wb", buffering=_BUFFER_BYTES)
        self.csv_file.write(_csv_text([CSV_COLUMNS]).encode("utf-8"))  # the header, as the workers format the rows
        # used by one thread at a time: this one, then commit's; a statement for each group size of each table
        self.db = sqlite3.connect(self.tmp[FINDINGS_DB], isolation_level=None, check_same_thread=False,
                                  cached_statements=len(_INSERT_COLUMNS) * _GROUP_ROWS + 16)
        # The foreign keys are declared but not checked while loading: the ids are this process's own
        # (test_batch runs PRAGMA foreign_key_check on the result), and each check cost a lookup a row.
        self.db.executescript(f"PRAGMA page_size={_DB_PAGE_SIZE}; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                              " PRAGMA foreign_keys=OFF;" + SQL_SCHEMA)
        self.db.execute("BEGIN")
        # to sync the database's file; opened for writing (never written through) because Windows
        # flushes only such handles (FlushFileBuffers), where a read-only one made os.fsync fail
        self.db_fd = os.open(self.tmp[FINDINGS_DB], os.O_RDWR)

    def fds(self) -> list[int]:
        """The descriptors of the files being written, for a :class:`_Syncer`."""
        return [self.releases.fileno(), self.errors.fileno(), self.state.fileno(), self.csv_file.fileno(), self.db_fd]

    def add_state_line(self, line: bytes) -> None:
        self.state.write(line)

    def add_file(self, documents: Sequence[bytes], rows: tuple[int, int, bytes, list[tuple[str, int, list]]]) -> None:
        """One file's releases: their JSON lines (UTF-8) and their ``_FileRows.packed()``."""
        releases, findings, csv_lines, inserts = rows
        if documents:
            self.releases.write(b"\n".join(documents) + b"\n")
        self.csv_file.write(csv_lines)
        next_finding, next_release = self.finding_id + 1, self.release_id + 1
        for _, _, values in inserts:
            values[0], values[1] = next_finding, next_release
        self.inserts.extend(inserts)
        self.release_id += releases
        self.finding_id += findings
        self.count_releases += releases
        self.count_findings += findings
        self.pending += releases
        if self.pending >= _RELEASES_PER_INSERT:
            self.flush_rows()

    def flush_rows(self) -> None:
        execute = self.db.execute
        for table, rows, values in self.inserts:
            execute(_insert_sql(table, rows), values)
        self.inserts.clear()
        self.pending = 0

    def add_indexes(self) -> None:
        """Create the indexes now, once; the rows added after keep them up to date."""
        if not self.indexed:
            self.flush_rows()
            for statement in SQL_INDEXES.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.indexed = True

    def add_error(self, path: str, code: str, reason: str) -> None:
        self.errors.write(json.dumps({"path": path, "code": code, "reason": _encodable(reason)}, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        """Close every temporary file durably, then move each into place.

        The database is committed and synced in a thread (its indexes too, should they not
        exist yet: see ``_INDEXES_BEFORE_END``) while this one syncs the text files: both mostly
        wait for SQLite's C code or the disk, which release the GIL, and at the end of a run
        nothing else is left to overlap them with.
        """
        self.flush_rows()
        with cf.ThreadPoolExecutor(1) as pool:
            database = pool.submit(self._close_database)
            for f in (self.releases, self.errors, self.state, self.csv_file):
                f.flush()
                os.fsync(f.fileno())
                f.close()
            database.result()
        try:
            for name in (RELEASES_FILE, FINDINGS_CSV, FINDINGS_DB, ERRORS_FILE, STATE_FILE):  # the journal last
                os.replace(self.tmp[name], self.out_dir / name)
        except OSError as exc:
            raise _PartlyMoved() from exc
        _fsync_dir(self.out_dir)

    def _close_database(self) -> None:
        self.add_indexes()
        self.db.execute("COMMIT")
        self.db.close()
        try:
            os.fsync(self.db_fd)
        finally:
            self._close_db_fd()

    def _close_db_fd(self) -> None:
        fd, self.db_fd = self.db_fd, -1  # never closed twice: its number may be another file's by then
        if fd >= 0:
            os.close(fd)

    def abort(self) -> None:
        """Close and remove the temporary files: those made so far, should opening them have failed."""
        with contextlib.suppress(Exception):
            self.db.close()
        with contextlib.suppress(OSError):
            self._close_db_fd()
        for name in ("releases", "errors", "state", "csv_file"):
            with contextlib.suppress(Exception):
                getattr(self, name).close()
        for path in self.tmp.values():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


# Each release's document (a few KB of JSON) overflows SQLite's default 4 KB page: with 32 KB
# pages the inserts cost a fifth less CPU, which the workers share, and the 5,000-release corpus's
# file is no larger (a small one is: an empty database takes 288 KB instead of 37 KB).
_DB_PAGE_SIZE = 32768
# Files' rows go to SQLite once this many releases wait (a page of more goes at once); the last are
# inserted at the end, serially.
_RELEASES_PER_INSERT = 100


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- progress ----------------------------------------------------------------------------------
class _Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.start = self.last = time.monotonic()
        self.done = self.releases = self.failed = 0

    def update(self, *, releases: int = 0, failed: int = 0) -> None:
        self.done += 1
        self.releases += releases
        self.failed += failed
        now = time.monotonic()
        if self.enabled and (now - self.last >= 0.1 or self.done == self.total):
            self.last = now
            elapsed = max(now - self.start, 1e-9)
            rate = self.done / elapsed
            pace = f", {rate:.0f} files/s, {(self.total - self.done) / rate:.0f} s left" if elapsed >= 1 else ""
            sys.stderr.write(f"\r{self.done}/{self.total} files, {self.releases} releases, {self.failed} failed{pace} \x1b[K")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


# -- the run --------------------------------------------------------------------------------------
def run_batch(input_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], *,
              globs: Sequence[str] | None = None, workers: int | None = None,
              max_bytes: int | None = DEFAULT_MAX_BYTES, quiet: bool = False,
              progress: bool | None = None) -> BatchSummary:
    """Extract every matching file under ``input_dir`` into ``out_dir`` (see the module doc).

    ``globs`` (default :data:`DEFAULT_GLOBS`) match file names, or paths relative to
    ``input_dir`` when they hold a ``/``, without regard to case. ``workers`` defaults to
    the number of CPUs. ``progress`` None shows a progress line when standard error is a
    terminal and ``quiet`` is false. Raises :class:`BatchUsageError` when the run cannot
    start and :class:`BatchRunError` when its outputs cannot be written or its workers cannot
    be started; a file that cannot be extracted never raises but is counted in ``failed``.
    """
    began = time.monotonic()
    root, out = Path(input_dir), Path(out_dir)
    globs = tuple(globs) if globs else DEFAULT_GLOBS
    workers = _cpu_count() if workers is None else workers
    _check_usage(root, out, globs, workers, max_bytes)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchUsageError(f"cannot make the output folder {out}: {_reason(exc)}") from None
    _check_writable(out)
    with _lock(out), _run_errors(out):
        for stale in out.glob(f"{_TMP_PREFIX}*"):  # left by a run that was killed
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    stale.unlink()
        inputs = _list_inputs(root, globs, out)
        journal = _Journal(out / STATE_FILE)
        summary = BatchSummary(files=len(inputs), out_dir=out)
        show = progress if progress is not None else (not quiet and sys.stderr.isatty())
        bar = _Progress(len(inputs), bool(show) and bool(inputs))
        writer = None
        try:
            writer = _InOrder(out, inputs, journal, summary)
            tasks = _tasks(inputs, journal, max_bytes, summary, bar, writer.settle, writer.unreadable)
            with _Syncer([journal.file.fileno(), *writer.outputs.fds()]):
                for results in _execute(tasks, workers, max_bytes, len(inputs), out):
                    for result in results:
                        if result.get("unread"):
                            writer.unreadable(result["path"], result["code"], result["reason"])
                            bar.update(failed=1)
                            continue
                        line = journal.append(result)
                        if result["status"] == "ok":
                            summary.extracted += 1
                            summary.extracted_releases += len(result["documents"])
                            bar.update(releases=len(result["documents"]))
                        else:
                            bar.update(failed=1)
                        writer.extracted(result, line)
                    journal.flush()
            journal.sync()
            writer.commit()
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        finally:
            journal.close()
            bar.close()
    summary.seconds = time.monotonic() - began
    if not quiet:
        for error in summary.errors[:20]:
            print(f"ncpi-extract: error: {error['path']}: {error['reason']} [{error['code']}]", file=sys.stderr)
        if len(summary.errors) > 20:
            print(f"ncpi-extract: ... and {len(summary.errors) - 20} more errors in {out / ERRORS_FILE}", file=sys.stderr)
        if not inputs:
            print(f"ncpi-extract: warning: no file under {root} matches {' '.join(globs)}", file=sys.stderr)
        print(summary.line(), file=sys.stderr)
    return summary


def _check_writable(out: Path) -> None:
    """A usage error unless a file can be made in ``out``: found before the run, not part-way (the
    lock file of an earlier run may be there, so opening it proves nothing)."""
    probe = out / f"{_TMP_PREFIX}{os.getpid()}-probe"
    try:
        with open(probe, "wb"):
            pass
        probe.unlink()
    except OSError as exc:
        raise BatchUsageError(f"cannot write to the output folder {out}: {_reason(exc)}") from None


@contextlib.contextmanager
def _run_errors(out: Path) -> Iterator[None]:
    """Turn a failure to write the outputs (``OSError``, or SQLite's own errors) or to start the
    workers into a :class:`BatchRunError` that says what the user may do."""
    again = "run the same command again, once the cause is fixed"
    resume = f"The outputs in {out} are unchanged, and its {STATE_FILE} keeps the files finished before this: {again}, to resume"
    try:
        yield
    except _WorkersFailed as exc:
        cause = exc.__cause__ or exc
        raise BatchRunError(f"could not start the worker processes: {_reason(cause)}. {resume}") from cause
    except _PartlyMoved as exc:
        cause = exc.__cause__ or exc
        raise BatchRunError(f"could not move the outputs into place: {_reason(cause)}. Some outputs in {out} may be "
                            f"this run's and others older; its {STATE_FILE} keeps every file's result: {again}, to "
                            "write them all") from cause
    except (OSError, sqlite3.Error) as exc:
        raise BatchRunError(f"could not write the outputs: {_reason(exc)}. {resume}") from exc


def _reason(exc: BaseException) -> str:
    """An OS or SQLite error in a few words: its message and the file it concerns (both files of a
    failed move: the first is a temporary file, gone by the time the user reads this)."""
    if isinstance(exc, OSError) and exc.strerror:
        if exc.filename and exc.filename2:
            return f"{exc.strerror} ({exc.filename} -> {exc.filename2})"
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def _cpu_count() -> int:
    """CPUs this process may use (its affinity mask), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        with contextlib.suppress(OSError):
            return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _check_usage(root: Path, out: Path, globs: Sequence[str], workers: int, max_bytes: int | None) -> None:
    if not root.exists():
        raise BatchUsageError(f"input folder {root} does not exist")
    if not root.is_dir():
        raise BatchUsageError(f"input {root} is not a folder")
    if out.exists() and not out.is_dir():
        raise BatchUsageError(f"output {out} exists and is not a folder")
    if workers < 1:
        raise BatchUsageError(f"workers must be at least 1, not {workers}")
    if max_bytes is not None and max_bytes < 1:
        raise BatchUsageError(f"max_bytes must be at least 1, not {max_bytes}")
    if any(not g or not g.strip() for g in globs):
        raise BatchUsageError("a glob pattern is empty")


# Descriptors of the locks this process holds. A forked worker closes its copies: a lock taken with
# flock is held until every copy of its descriptor is closed, so a worker outliving a killed run
# (even for the moment before the kernel kills it too) would refuse the run that resumes it.
_held_locks: set[int] = set()


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One run at a time per output folder."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    try:
        handle = open(out / LOCK_FILE, "a")
    except OSError as exc:
        raise BatchUsageError(f"cannot write to the output folder {out}: {_reason(exc)}") from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchUsageError(f"another batch run is writing to {out}") from None
        except OSError as exc:  # no locks on this file system (ENOLCK, some network mounts)
            raise BatchUsageError(f"cannot lock the output folder {out}: {_reason(exc)}") from None
        _held_locks.add(handle.fileno())
        try:
            yield
        finally:
            _held_locks.discard(handle.fileno())
            with contextlib.suppress(OSError):  # closing the file lets go of the lock anyway
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _tasks(inputs: list[_Input], journal: _Journal, max_bytes: int | None, summary: BatchSummary, bar: _Progress,
           reused: Callable[[str], None], unreadable: Callable[[str, str, str], None]) -> Iterator[_Task]:
    """A task for each input to extract (made lazily, as the workers need work). Only a file the
    journal may hold a result for is read here, to compare its content: unchanged files and
    read errors stop here (``reused`` is told of each unchanged file, ``unreadable`` of each
    error, with its code and reason)."""
    for item in inputs:
        if not journal.may_reuse(item.path) and not item.error:
            yield _Task(item.path, item.full, item.suffix, _size(item.full))
            continue
        try:
            data = _read(item, max_bytes)
        except InputError as exc:
            unreadable(item.path, exc.code, exc.message)
            bar.update(failed=1)
            continue
        sha256 = hashlib.sha256(data).hexdigest()
        if journal.reusable(item.path, sha256):
            if journal.entries[item.path].status == "ok":
                summary.reused += 1
                bar.update()
            else:
                bar.update(failed=1)
            reused(item.path)
            continue
        yield _Task(item.path, item.full, item.suffix, len(data), data, sha256)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # the worker will say why
        return 0


def _execute(tasks: Iterator[_Task], workers: int, max_bytes: int | None, total: int,
             out: Path) -> Iterator[list[dict[str, Any]]]:
    """Results of the tasks, a chunk's at a time, in no particular order, extracted in worker processes, never in this
    one, whatever ``workers`` is: a file that crashes the parser then costs only itself, and
    this process, which writes the outputs, does so while the workers extract (``out``: where
    the pool may keep its temporary files)."""
    yield from _Pool(workers, max_bytes, total, out).run(tasks)


def _chunks(tasks: Iterator[_Task], files: int, total: int, workers: int) -> Iterator[list[_Task]]:
    """Tasks in lists of ``files`` files, or fewer once a list holds 4 MB or more; with several
    workers, fewer towards the end of the ``total`` files too: a list never holds more than a
    ``2 * workers``-th of what may be left, so that the workers finish together instead of one
    waiting while another does a last full chunk (with two workers, 0.03 s of a 5 s run)."""
    chunk: list[_Task] = []
    size = 0
    sent = 0
    for task in tasks:
        chunk.append(task)
        size += task.size
        limit = files if workers == 1 else max(1, min(files, (total - sent) // (2 * workers)))
        if len(chunk) >= limit or size >= _CHUNK_BYTES:
            sent += len(chunk)
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _Pool:
    """A process pool fed in chunks with a bounded number in flight, surviving dead workers."""

    def __init__(self, workers: int, max_bytes: int | None, total: int, out: Path) -> None:
        self.max_bytes, self.out, self.total = max_bytes, out, total
        self.chunk_size = max(1, min(_CHUNK_FILES, total // (workers * 8)))
        # no more processes than the inputs could keep busy (known without reading ahead to count tasks)
        self.workers = min(workers, max(1, -(-total // self.chunk_size)))
        self.max_in_flight = self.workers * 3
        self.executor: cf.ProcessPoolExecutor | None = None
        self.spool: str | None = None  # a private folder through which workers hand their results back
        self.started: dict[cf.Future, float] = {}  # when each chunk in flight was first seen running

    def _start(self) -> cf.ProcessPoolExecutor:
        # On Linux, workers are forked after the pipeline is loaded here, so they start at once
        # and share its memory; elsewhere (fork is unsafe on macOS) each loads it in _init_worker.
        fork = sys.platform.startswith("linux")
        try:
            if fork:
                _warm_up()
            context = multiprocessing.get_context("fork" if fork else None)
            return cf.ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                          initargs=(os.getpid(),))
        except OSError as exc:
            raise _WorkersFailed() from exc

    def _submit(self, chunk: list[_Task]) -> cf.Future:
        """Send ``chunk`` to the pool, which starts its processes on the first chunks."""
        try:
            return self.executor.submit(_run_chunk_packed, chunk, self.max_bytes, self.spool)
        except OSError as exc:  # a fork that failed (no memory, too many processes or files)
            _kill_workers(self.executor)  # those started before it: no pool thread would tell them to stop
            raise _WorkersFailed() from exc

    def _make_spool(self) -> str | None:
        """The folder for the workers' results, in the output folder (whose next run removes it,
        should this one be killed); None if it cannot be made: results then come through the pool."""
        path = self.out / f"{_TMP_PREFIX}{os.getpid()}-results"
        try:
            path.mkdir(exist_ok=True)
        except OSError:
            return None
        return str(path)

    def run(self, tasks: Iterator[_Task]) -> Iterator[list[dict[str, Any]]]:
        chunks = _chunks(tasks, self.chunk_size, self.total, self.workers)
        first = next(chunks, None)  # none (every file reused or unreadable): no pool at all
        if first is None:
            return
        chunks = itertools.chain([first], chunks)
        suspects: deque[_Task] = deque()  # in flight when a worker died: rerun alone, one at a time
        pending: dict[cf.Future, tuple[list[_Task], bool]] = {}  # future -> (chunk, ran alone)
        exhausted = False
        try:
            self.spool = self._make_spool()
            self.executor = self._start()
            while True:
                if suspects:
                    if not pending:
                        task = suspects.popleft()
                        pending[self._submit([task])] = ([task], True)
                else:
                    while not exhausted and len(pending) < self.max_in_flight:
                        chunk = next(chunks, None)
                        if chunk is None:
                            exhausted = True
                            break
                        pending[self._submit(chunk)] = (chunk, False)
                if not pending:
                    return
                done, overdue = self._wait(pending)
                if overdue:
                    _kill_workers(self.executor)  # a file that takes far too long: the pool breaks, and each
                    # chunk in flight is run again, one file at a time, but the overdue one alone, which is lost
                    cf.wait(pending)
                    done = set(pending)
                elif any(f.exception() is not None for f in done):
                    cf.wait(pending)  # a dead worker breaks the whole pool: collect every future
                    done = set(pending)
                crashed: list[tuple[list[_Task], bool]] = []
                for future in done:
                    chunk, alone = pending.pop(future)
                    if future.exception() is None:
                        try:
                            results = _unpacked(future.result())
                        except (OSError, EOFError, ValueError, TypeError) as exc:  # its file gone or cut short
                            if alone:
                                yield [self._lost(chunk[0], "internal_error", f"the worker's result could not be read back: {exc}")]
                            else:
                                suspects.extend(chunk)
                            continue
                        yield results
                    elif isinstance(future.exception(), cf.process.BrokenProcessPool):
                        crashed.append((chunk, alone))
                    else:
                        raise future.exception()
                if crashed:
                    _shut_down(self.executor)
                    self.started.clear()  # (every chunk in flight is collected: none of them runs on)
                    for chunk, alone in crashed:
                        if alone and id(chunk) in overdue:
                            task = chunk[0]
                            yield [self._lost(task, "timed_out", f"extracting it took longer than {_time_limit(chunk):.0f} s, "
                                              "the limit for a file of its size")]
                        elif alone:
                            task = chunk[0]
                            yield [self._lost(task, "worker_crashed", f"the worker process died while extracting {task.path}")]
                        else:
                            suspects.extend(chunk)
                    self.executor = self._start()
        finally:
            try:
                if self.executor is not None:
                    _shut_down(self.executor)
            finally:
                if self.spool is not None:
                    shutil.rmtree(self.spool, ignore_errors=True)

    def _wait(self, pending: dict[cf.Future, tuple[list[_Task], bool]]) -> tuple[set[cf.Future], set[int]]:
        """Wait for a chunk to finish: (the futures done, the ids of the chunks overdue). A chunk is overdue
        when it has run longer than ``_time_limit`` allows, as the pool tells (it marks a chunk running
        when it hands it to the workers' queue, at most one chunk ahead of a free worker)."""
        while True:
            done, _ = cf.wait(pending, timeout=_WATCH_SECONDS, return_when=cf.FIRST_COMPLETED)
            now = time.monotonic()
            for future in pending:
                if future not in self.started and future.running():
                    self.started[future] = now
            for future in done:
                self.started.pop(future, None)
            if done:
                return done, set()
            overdue = {id(chunk) for future, (chunk, _) in pending.items()
                       if future in self.started and now - self.started[future] > _time_limit(chunk)}
            if overdue:
                return set(), overdue

    def _lost(self, task: _Task, code: str, reason: str) -> dict[str, Any]:
        """The error record of a file whose worker gave no result, with the hash of its content
        (the journal keeps it; the worker read the file, so this process hashes it now)."""
        with contextlib.suppress(InputError):
            task = _loaded(task, self.max_bytes)
        return _failed(task, code, reason)


# How long a chunk may take: a parser that is quadratic on some input ('(' repeated 200,000 times, thousands of short
# quoted lines) would otherwise hold a worker, and the run, for hours; such a file is reported as ``timed_out``.
_TIME_LIMIT_SECONDS = 120.0
_TIME_LIMIT_SECONDS_PER_MB = 60.0  # the benchmark's page of 2,281 releases, 4.9 MB, takes 4.5 s
_WATCH_SECONDS = 1.0


def _time_limit(chunk: list[_Task]) -> float:
    return _TIME_LIMIT_SECONDS + _TIME_LIMIT_SECONDS_PER_MB * sum(task.size for task in chunk) / 1e6


def _shut_down(executor: cf.ProcessPoolExecutor) -> None:
    """Shut the pool down, waiting for the chunks being extracted; if that wait is cut short (a
    second Ctrl-C), kill the workers. Workers that never got the pool's message to exit wait for
    work for ever, and the interpreter joins them as it exits: the run would hang instead of
    stopping."""
    try:
        executor.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        _kill_workers(executor)
        raise


def _kill_workers(executor: cf.ProcessPoolExecutor) -> None:
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


_MAX_WAITING = 256  # results held in memory while an earlier file is still being extracted
# The SQLite indexes are created once this few files are left to write: with several workers, while
# they parse the last chunks rather than after (0.03-0.04 s at the end for 5,000 releases, when
# nothing else was left to do); the last files' rows then update them as they go in.
_INDEXES_BEFORE_END = 256


class _InOrder:
    """The outputs, written in path order while the run goes on.

    An input is settled once its result is in the journal (extracted by this run or
    reused) or it could not be read. Each input is written as soon as it and every input
    before it are settled, so with several workers the writing overlaps the extraction
    instead of following it; the outputs are the same whatever the order results come in.
    """

    def __init__(self, out: Path, inputs: list[_Input], journal: _Journal, summary: BatchSummary) -> None:
        self.inputs, self.journal, self.summary = inputs, journal, summary
        self.read_errors: dict[str, tuple[str, str]] = {}  # path -> (code, reason) of the inputs that could not be read
        self.settled: set[str] = set()
        self.fresh: dict[str, tuple[bytes, list[bytes], tuple]] = {}  # results of this run not yet written
        self.next = 0
        self.state = open(journal.path, "rb")
        try:
            self.outputs = _Outputs(out)  # removes what it made, should it fail
        except BaseException:
            self.state.close()
            raise

    def settle(self, path: str) -> None:
        """``path`` is done: its result is in the journal (reused, or see ``extracted``)."""
        self.settled.add(path)
        self.write_ready()

    def unreadable(self, path: str, code: str, reason: str) -> None:
        """``path`` could not be read, by this process or a worker: an error in the outputs, but
        not in the journal (the next run looks at the file afresh)."""
        self.read_errors[path] = (code, reason)
        self.write_ready()

    def extracted(self, result: dict[str, Any], line: bytes) -> None:
        """``result`` of this run, journaled as ``line``: written from memory when its turn comes,
        or, once ``_MAX_WAITING`` results wait for an earlier file (a slow one), read back from
        the journal like a reused file's, so that memory does not grow with the wait."""
        if result["status"] == "ok" and len(self.fresh) < _MAX_WAITING:
            self.fresh[result["path"]] = (line, result["documents"], result["rows"])
        self.settle(result["path"])

    def write_ready(self) -> None:
        inputs = self.inputs
        while self.next < len(inputs) and (inputs[self.next].path in self.settled or inputs[self.next].path in self.read_errors):
            self._write(inputs[self.next])
            self.next += 1
        if self.next >= len(inputs) - _INDEXES_BEFORE_END:
            self.outputs.add_indexes()

    def _write(self, item: _Input) -> None:
        outputs = self.outputs
        fresh = self.fresh.pop(item.path, None)
        if fresh is not None:
            line, documents, rows = fresh
            outputs.add_state_line(line)
            outputs.add_file(documents, rows)
            return
        if item.path in self.read_errors:
            code, reason = self.read_errors[item.path]
        else:
            self.journal.flush()  # the line may still be in its buffer (a no-op if not)
            self.state.seek(self.journal.entries[item.path].offset)
            line = self.state.readline()
            outputs.add_state_line(line)
            text = line.decode("utf-8")
            at = text.find(_RELEASES_KEY)
            if at >= 0:
                outputs.add_file(*_file_parts(_documents(text, at + len(_RELEASES_KEY))))
                return
            record = json.loads(text)
            code, reason = record["code"], record["reason"]
        self.summary.errors.append({"path": item.path, "code": code, "reason": reason})
        outputs.add_error(item.path, code, reason)

    def commit(self) -> None:
        """Write what is left (every input is settled by now) and move the outputs in."""
        self.write_ready()
        if self.next != len(self.inputs):  # pragma: no cover - every input read is extracted, reused or an error
            raise RuntimeError(f"no result for {self.inputs[self.next].path}")
        self.state.close()
        self.outputs.commit()
        self.summary.failed = len(self.summary.errors)
        self.summary.releases = self.outputs.count_releases
        self.summary.findings = self.outputs.count_findings

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.state.close()
        self.outputs.abort()
