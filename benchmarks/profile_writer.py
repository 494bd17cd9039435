"""Where the process writing a batch's outputs spends its CPU: its main thread, by part.

    python benchmarks/profile_writer.py [--workers 2] [--corpus DIR] [--src SRC]

Runs :func:`run_batch` once over the corpus (``bench_batch.py``'s: 5,000 releases, seed 1,
made unless DIR already holds it) and charges the main thread's CPU time (``time.thread_time``) to the parts
of the writing process named below, by wrapping the functions that do them; the process's CPU
over all its threads is given too. SRC (a ``src`` folder, default this checkout's) lets the same
accounting run on another version. The workers' CPU is not counted: ``bench_batch.py`` and
``compare_versions.py`` measure the whole.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (class or "" for the module, function, the part its CPU is charged to); time spent in a listed
# function called from another listed one is charged to the inner one only
PARTS = [
    ("", "_warm_up", "loading the pipeline before forking"),
    ("_Outputs", "flush_rows", "SQLite inserts"),
    ("_Outputs", "add_indexes", "SQLite indexes"),
    ("_InOrder", "_write", "writing each file's lines, numbering its rows"),
    ("_Journal", "append", "the journal"),
    ("", "_unpacked", "reading the workers' results back"),
    ("", "_list_inputs", "listing the inputs"),
    ("_InOrder", "commit", "the end: syncing, moving into place"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--src", type=Path, default=HERE.parent / "src")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    sys.path.insert(0, str(HERE))
    from bench_batch import default_corpus, ensure_corpus

    corpus = args.corpus or default_corpus()
    ensure_corpus(corpus, 5000, 1)
    from ncpi_extract import batch

    spent: dict[str, float] = {label: 0.0 for _, _, label in PARTS}
    inner: list[float] = []  # per listed call under way: the time of the listed calls it made

    for owner_name, name, label in PARTS:
        owner = getattr(batch, owner_name) if owner_name else batch
        real = getattr(owner, name)

        def charged(*a, _real=real, _label=label, **k):
            start = time.thread_time()
            inner.append(0.0)
            try:
                return _real(*a, **k)
            finally:
                elapsed = time.thread_time() - start
                spent[_label] += elapsed - inner.pop()
                if inner:
                    inner[-1] += elapsed

        setattr(owner, name, charged)
    out = tempfile.mkdtemp(prefix="ncpi-profile-")
    thread0, usage0 = time.thread_time(), resource.getrusage(resource.RUSAGE_SELF)
    summary = batch.run_batch(corpus, out, workers=args.workers, quiet=True)
    main_thread, usage1 = time.thread_time() - thread0, resource.getrusage(resource.RUSAGE_SELF)
    shutil.rmtree(out, ignore_errors=True)
    print(f"{summary.releases} releases, {args.workers} workers; the writing process's main thread, CPU s:")
    for label, seconds in spent.items():
        print(f"  {label}: {seconds:.3f}")
    print(f"  the rest (the pool, bookkeeping): {main_thread - sum(spent.values()):.3f}")
    print(f"  main thread: {main_thread:.3f}; the process, all threads: "
          f"{usage1.ru_utime - usage0.ru_utime + usage1.ru_stime - usage0.ru_stime:.3f}")


if __name__ == "__main__":
    main()
