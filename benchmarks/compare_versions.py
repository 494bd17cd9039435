"""Compare the batch's speed of two versions of the code, their runs taking turns.

    python benchmarks/compare_versions.py OLD_SRC NEW_SRC [--rounds 5] [--corpus DIR]

OLD_SRC and NEW_SRC are ``src`` folders (a ``git worktree`` of the older commit gives one; each
uses the pipeline in its own checkout's ``models/``). Each round runs :func:`run_batch` over the
corpus (``bench_batch.py``'s: 5,000 releases, seed 1, made unless DIR already holds it) with one
worker, then two, each version in turn, each run in a fresh process into an empty folder: a
shared VM's speed drifts from minute to minute, and runs taking turns share the drift. Prints each
version's releases/s per run, the median two-over-one-worker ratio of its rounds, and the CPU
seconds of the process writing the outputs and of the workers (medians, imports included).
Write both versions' bytecode first (``python -m compileall -q SRC``), or the first runs pay for it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_batch import default_corpus, ensure_corpus  # noqa: E402

CHILD = r"""
import json, resource, shutil, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from ncpi_extract.batch import run_batch
out = tempfile.mkdtemp(prefix="ncpi-compare-")
t0 = time.perf_counter()
summary = run_batch(sys.argv[2], out, workers=int(sys.argv[3]), quiet=True)
seconds = time.perf_counter() - t0
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rate": summary.releases / seconds, "writer_cpu": own.ru_utime + own.ru_stime,
                  "workers_cpu": children.ru_utime + children.ru_stime}))
shutil.rmtree(out, ignore_errors=True)
"""


def run(src: str, corpus: Path, workers: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, src, str(corpus), str(workers)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old_src")
    parser.add_argument("new_src")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.corpus or default_corpus()
    ensure_corpus(corpus, 5000, 1)
    trees = [str(Path(args.old_src).resolve()), str(Path(args.new_src).resolve())]
    runs: dict[tuple[str, int], list[dict]] = {}
    for _ in range(args.rounds):
        for workers in (1, 2):
            for src in trees:
                runs.setdefault((src, workers), []).append(run(src, corpus, workers))
    for src in trees:
        one, two = runs[(src, 1)], runs[(src, 2)]
        ratio = statistics.median(b["rate"] / a["rate"] for a, b in zip(one, two, strict=True))

        def median(key: str, results: list[dict]) -> float:
            return statistics.median(r[key] for r in results)

        print(src)
        print("  1 worker: ", ", ".join(f"{r['rate']:.0f}" for r in one), "releases/s")
        print("  2 workers:", ", ".join(f"{r['rate']:.0f}" for r in two), f"releases/s; 2 over 1, median round {ratio:.3f}x")
        print(f"  CPU s, median, 1 and 2 workers: the writing process {median('writer_cpu', one):.2f}, "
              f"{median('writer_cpu', two):.2f}; the workers {median('workers_cpu', one):.2f}, {median('workers_cpu', two):.2f}")


if __name__ == "__main__":
    main()
