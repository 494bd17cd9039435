"""Benchmark ``ncpi-extract batch`` on a synthetic corpus, and ``ncpi-extract parse`` start-up.

    python benchmarks/bench_batch.py [--releases 5000] [--seed 1] [--workers 1 2] [--repeat 3] [--corpus DIR]

1. Generates the corpus (``generate_corpus.py``) unless DIR already holds the same one.
2. For each worker count, runs :func:`ncpi_extract.batch.run_batch` in a fresh Python
   process into an empty output folder, then again into the same folder (a resumed run:
   everything unchanged), and reports releases/second, the speed-up over one worker and
   the peak resident memory of the parent and of the largest worker
   (``getrusage(RUSAGE_SELF / RUSAGE_CHILDREN).ru_maxrss``). One worker is also run with the
   whole run (its worker and the process writing the outputs) confined to one CPU
   (``sched_setaffinity``; unless ``--no-one-cpu``): the run as it is on a one-core machine,
   against which two workers on two cores give the speed-up that the second core brings. Without
   that confinement a one-worker run already uses part of the second CPU, for its writing. The
   runs take turns ``--repeat`` times (1 on one CPU, 1, 2, 1 on one CPU, 1, 2, ..., 1 on one CPU,
   1), because a shared VM's speed drifts from minute to minute: each round's speed-up compares a
   run with the mean rate of the one-worker runs made just before and just after it (so a steady
   drift does not favour either side).
3. Times ``ncpi-extract parse FILE`` as a subprocess, wall clock including interpreter
   start-up, imports and pipeline loading, against ``python -c pass`` and a bare import.
4. In each round, measures what two cores give the extraction alone (unless ``--no-ceiling``):
   the parser over every file in one process, against two processes at once over half the files
   each, with no pool and no outputs. The ratio bounds what two workers can reach on the machine
   at the time; the batch's speed-up is also given as a share of it, a figure that moves less
   with the VM's swings than either.
5. Times each stage of extracting one release (tokenizer, every pipeline component,
   ``doc_to_document``, serialising and the schema check) over a sample of the corpus, to show where time goes.
6. Runs one worker over a single page holding as many of the corpus's releases as fit in 4.9 MB,
   the worst case for a worker's memory, and reports its peak.

Prints a Markdown report on standard output (``benchmarks/RESULTS.md`` holds a copy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate_corpus import generate  # noqa: E402

CHILD = r"""
import json, os, resource, sys, tempfile, time
from ncpi_extract.batch import run_batch
corpus, workers, one_cpu = sys.argv[1], int(sys.argv[2]), sys.argv[3:] == ["one-cpu"]
if one_cpu:  # this process and the workers it forks, on one CPU
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
out = tempfile.mkdtemp(prefix="ncpi-bench-out-")
t0 = time.perf_counter()
first = run_batch(corpus, out, workers=workers, quiet=True)
t1 = time.perf_counter()
again = run_batch(corpus, out, workers=workers, quiet=True)
t2 = time.perf_counter()
print(json.dumps({
    "workers": workers, "one_cpu": one_cpu, "files": first.files, "releases": first.releases, "findings": first.findings,
    "failed": first.failed, "seconds": t1 - t0, "resume_seconds": t2 - t1, "resume_reused": again.reused,
    "parent_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "worker_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
import shutil
shutil.rmtree(out, ignore_errors=True)
"""

# The machine's own ceiling for two workers: the extraction alone (no pool, no outputs) over every
# file in one process, against two processes at once over half the files each. Each child loads
# the pipeline, then waits for a line on standard input, so that the two extract at the same time.
CEILING = r"""
import json, sys, time
from pathlib import Path
from ncpi_extract import batch
corpus, part, parts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
inputs = batch._list_inputs(Path(corpus), batch.DEFAULT_GLOBS, Path(corpus) / "-no-output-")
tasks = [batch._Task(i.path, i.full, i.suffix, 0) for i in inputs[part::parts]]
batch._tune_gc()
batch._set_malloc(batch._MALLOC_KEPT)  # as in a worker
print("ready", flush=True)
sys.stdin.readline()
t = time.perf_counter()
for k in range(0, len(tasks), 64):
    batch._run_chunk(tasks[k:k + 64], batch.DEFAULT_MAX_BYTES)
print(json.dumps({"seconds": time.perf_counter() - t}), flush=True)
"""

STAGES = r"""
import json, sys, time
from pathlib import Path
from ncpi_extract.convert import doc_to_document
from ncpi_extract.decode import decode_bytes
from ncpi_extract.schema import checked_json
from ncpi_extract.html import html_to_text
from ncpi_extract.pipeline import load_pipeline
from ncpi_extract.release import Source
from ncpi_extract.schema import validation_errors
from ncpi_extract.bundle import split_releases
files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.is_file())[: int(sys.argv[2])]
nlp = load_pipeline()
times, n = {}, 0
def add(name, t):
    times[name] = times.get(name, 0.0) + t
for path in files:
    t = time.perf_counter(); data = path.read_bytes(); d = decode_bytes(data, suffix=path.suffix); add("read + decode", time.perf_counter() - t)
    text = d.text
    if d.format == "html":
        t = time.perf_counter(); text = html_to_text(text); add("html_to_text", time.perf_counter() - t)
    t = time.perf_counter(); ranges = split_releases(text); add("split_releases", time.perf_counter() - t)
    for start, end in ranges:
        n += 1
        t = time.perf_counter(); doc = nlp.make_doc(text[start:end]); doc.user_data["ncpi_text"] = text[start:end]; add("tokenizer", time.perf_counter() - t)
        for name, proc in nlp.pipeline:
            t = time.perf_counter(); doc = proc(doc); add(name, time.perf_counter() - t)
        src = Source(path=None, sha256="0" * 64, format=d.format, encoding=d.encoding, offsets="decoded_text")
        t = time.perf_counter(); document = doc_to_document(doc, src); add("doc_to_document", time.perf_counter() - t)
        t = time.perf_counter(); checked_json(document); add("json.dumps + schema check (strict pydantic, as batch and parse)", time.perf_counter() - t)
        t = time.perf_counter(); assert validation_errors(document) == []; add("(jsonschema validation, for comparison)", time.perf_counter() - t)
print(json.dumps({"releases": n, "ms_per_release": {k: v / n * 1000 for k, v in times.items()}}))
"""


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from ncpi_extract import __version__

    return {"nproc": str(nproc), "cpu": model, "python": platform.python_version(), "platform": platform.platform(),
            "ncpi-extract": __version__}


def default_corpus(releases: int = 5000, seed: int = 1) -> Path:
    """Where the benchmarks keep the corpus of ``releases`` releases made with ``seed``."""
    return Path(tempfile.gettempdir()) / f"ncpi-bench-corpus-{releases}-{seed}"


def ensure_corpus(corpus: Path, releases: int, seed: int) -> dict:
    marker = corpus / ".corpus.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("requested") == [releases, seed]:
            return info
    info = generate(corpus, releases, seed)
    info["requested"] = [releases, seed]
    info["bytes"] = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    marker.write_text(json.dumps(info))
    return info


def dense_page(corpus: Path, folder: Path, limit: int = 4_900_000) -> Path:
    """One page holding as many of the corpus's text releases as fit in ``limit`` bytes (the batch's
    default limit is 5 MB), one after another: the worst case for a worker's memory, since one
    file's releases are extracted together."""
    folder.mkdir(parents=True, exist_ok=True)
    parts, size = [], 0
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace").strip() + "\n\n"
        if size + len(text.encode("utf-8")) > limit:
            break
        parts.append(text)
        size += len(text.encode("utf-8"))
    (folder / "bundle.txt").write_text("".join(parts), encoding="utf-8")
    return folder


def run_child(code: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def extraction_seconds(corpus: Path, parts: int) -> float:
    """Wall time of the extraction alone over ``corpus`` split among ``parts`` processes run at once."""
    children = [subprocess.Popen([sys.executable, "-c", CEILING, str(corpus), str(k), str(parts)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True) for k in range(parts)]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    seconds = [json.loads(child.communicate()[0].strip().splitlines()[-1])["seconds"] for child in children]
    return max(seconds)


class Kind(NamedTuple):
    """A kind of batch run that takes turns with the others in each round."""

    workers: int
    one_cpu: bool  # the whole run (its workers and the writing process) confined to one CPU

    def run(self, corpus: Path) -> dict:
        return run_child(CHILD, str(corpus), str(self.workers), *(["one-cpu"] if self.one_cpu else []))


def rate(run: dict) -> float:
    return run["releases"] / run["seconds"]


class Rounds:
    """Each round's run of every kind, and the closing one-worker runs after the last round."""

    def __init__(self, rounds: list[dict[Kind, dict]], closing: dict[Kind, dict]) -> None:
        self.rounds, self.closing = rounds, closing

    def series(self, kind: Kind) -> list[dict]:
        return [each[kind] for each in self.rounds] + ([self.closing[kind]] if kind in self.closing else [])

    def bracketed(self, kind: Kind) -> list[float]:
        """Per round, the mean rate of the runs of ``kind`` just before and just after the round's others."""
        runs = self.series(kind)
        if kind not in self.closing:
            return [rate(r) for r in runs]
        return [(rate(a) + rate(b)) / 2 for a, b in zip(runs, runs[1:], strict=False)]


def print_two_workers_table(rounds: Rounds, ceilings: list[tuple[float, float]]) -> None:
    """Each round's two-worker rate over one worker confined to one CPU (if run) and over one worker
    free to use both, with the ceiling and the share of it."""
    two = [rate(r) for r in rounds.series(Kind(2, False))]
    free = rounds.bracketed(Kind(1, False))
    confined = rounds.bracketed(Kind(1, True)) if Kind(1, True) in rounds.closing else None
    over_free = [t / b for t, b in zip(two, free, strict=True)]
    over_confined = [t / b for t, b in zip(two, confined, strict=True)] if confined else []
    ceiling = [one / both for one, both in ceilings]
    shares = [s / c for s, c in zip(over_free, ceiling, strict=True)] if ceilings else []
    print("## Two workers on two CPUs, each round\n")
    print("Against one worker whose whole run is confined to one CPU (what the second core adds), and against one")
    print("worker free to use both CPUs (its writing process runs on the second); each the mean of the runs just")
    print("before and just after the round's two-worker run.")
    if ceilings:
        print("The ceiling: the parser alone, without the pool, the journal or the outputs, one process over every")
        print("file, then two processes at once over half the files each, measured after each round's batch runs;")
        print("their ratio is what two workers could reach at best on this machine at the time.")
    columns = [("2 workers, releases/s", two, "{:.0f}")]
    if confined:
        columns += [("1 worker on one CPU", confined, "{:.0f}"), ("2 workers over that", over_confined, "{:.2f}x")]
    columns += [("1 worker", free, "{:.0f}"), ("2 workers over that", over_free, "{:.2f}x")]
    if ceilings:
        columns += [("ceiling", ceiling, "{:.2f}x"), ("2 workers over 1 worker, as a share of the ceiling", shares, "{:.0%}")]
    print("\n| round | " + " | ".join(name for name, _, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for k in range(len(two)):
        print(f"| {k + 1} | " + " | ".join(form.format(values[k]) for _, values, form in columns) + " |")
    print("| median | " + " | ".join(form.format(statistics.median(values)) for _, values, form in columns) + " |\n")


def wall(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark ncpi-extract batch and parse.")
    parser.add_argument("--releases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: in the temporary directory)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of batch runs, the kinds of run taking turns")
    parser.add_argument("--parse-runs", type=int, default=7)
    parser.add_argument("--stage-sample", type=int, default=500, help="files timed stage by stage")
    parser.add_argument("--no-ceiling", dest="ceiling", action="store_false",
                        help="skip the extraction alone in one and two processes in each round")
    parser.add_argument("--no-one-cpu", dest="one_cpu", action="store_false",
                        help="skip the one-worker runs confined to one CPU")
    args = parser.parse_args()
    args.workers = sorted(set(args.workers))  # one worker first in each round: the speed-ups bracket on it
    corpus = args.corpus or default_corpus(args.releases, args.seed)
    info = ensure_corpus(corpus, args.releases, args.seed)
    facts = machine()

    with_ceiling = args.ceiling and {1, 2} <= set(args.workers)
    kinds = [Kind(w, False) for w in args.workers]
    if args.one_cpu and 1 in args.workers and int(facts["nproc"]) > 1 and hasattr(os, "sched_setaffinity"):
        kinds.insert(0, Kind(1, True))
    each_round: list[dict[Kind, dict]] = []
    ceilings: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        each_round.append({kind: kind.run(corpus) for kind in kinds})
        if with_ceiling:
            ceilings.append((extraction_seconds(corpus, 1), extraction_seconds(corpus, 2)))
    # one-worker runs after the last round, so that every round's runs have one before and one after
    closing = {kind: kind.run(corpus) for kind in kinds if kind.workers == 1} if len(kinds) > 1 else {}
    rounds = Rounds(each_round, closing)

    exe = Path(sys.executable).parent / "ncpi-extract"
    sample = ROOT / "fixtures" / "cleveland_2017_seed.txt"
    # Start-up as a user has it from the second run on: the package's modules compiled once. (An
    # editable install writes them on the first import, unless PYTHONDONTWRITEBYTECODE is set, as
    # it is on some machines; then every start compiles them again, about a tenth of a second.)
    import ncpi_extract

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(ncpi_extract.__file__).parent)], check=True)
    parse_times = wall([str(exe), "parse", str(sample)], args.parse_runs)
    python_times = wall([sys.executable, "-c", "pass"], args.parse_runs)
    import_times = wall([sys.executable, "-c", "import ncpi_extract.cli"], args.parse_runs)
    load_times = wall([sys.executable, "-c", "from ncpi_extract.pipeline import load_pipeline; load_pipeline()"], args.parse_runs)
    stages = run_child(STAGES, str(corpus), str(args.stage_sample))
    with tempfile.TemporaryDirectory(prefix="ncpi-bench-page-") as page_dir:
        page = dense_page(corpus, Path(page_dir))
        page_bytes = (page / "bundle.txt").stat().st_size
        dense = run_child(CHILD, str(page), "1")

    print("## Machine\n")
    for key, value in facts.items():
        print(f"- {key}: {value}")
    print(f"\n## Corpus\n\n`generate_corpus.py --releases {args.releases} --seed {args.seed}`: {info['files']} files, "
          f"{info['releases']} releases ({info['bundles']} files hold 2-3 releases), {info['bytes'] / 1e6:.1f} MB; "
          f"formats: {', '.join(f'{k} {info[k]}' for k in ('text', 'newswire', 'markdown', 'html') if k in info)}.\n")
    print(f"## Batch (`run_batch`, fresh output folder, each in a new process; {args.repeat} rounds, the runs taking turns)\n")
    print("| workers | files | releases | findings | failed | releases/s, each run | median releases/s | speed-up over 1 worker "
          "(the one-worker runs before and after), each round | resumed run (all unchanged) s, median | peak RSS parent MB "
          "| peak RSS largest worker MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    base_kind = Kind(1, False) if Kind(1, False) in kinds else kinds[0]  # what the speed-ups are over
    for kind in kinds:
        runs = rounds.series(kind)
        first = runs[0]
        if kind == base_kind:
            speed = "(the baseline of the rows below)"
        elif kind.one_cpu:
            speed = "(the baseline of the table after this one)"
        else:
            ratios = [rate(r) / b for r, b in zip(runs, rounds.bracketed(base_kind), strict=True)]
            speed = ", ".join(f"{x:.2f}x" for x in ratios) + f" (median {statistics.median(ratios):.2f}x)"
        worker = max(r["worker_maxrss_kb"] for r in runs)
        parent = f'{max(r["parent_maxrss_kb"] for r in runs) / 1024:.0f}'
        label = f"{kind.workers}, the whole run on one CPU" if kind.one_cpu else str(kind.workers)
        print(f"| {label} | {first['files']} | {first['releases']} | {first['findings']} | {first['failed']} "
              f"| {', '.join(f'{rate(r):.0f}' for r in runs)} | {statistics.median(rate(r) for r in runs):.0f} | {speed} "
              f"| {statistics.median(r['resume_seconds'] for r in runs):.2f} | {parent} | {worker / 1024:.0f} |")
    print("\n(The parent writes the outputs; the workers extract. With one worker and no confinement, the writing")
    print("runs on the second CPU beside the worker.)\n")
    if Kind(2, False) in kinds and base_kind == Kind(1, False):
        print_two_workers_table(rounds, ceilings)
    print("## Start-up: `ncpi-extract parse` of one file, wall clock, subprocess\n")
    print("| command | median s | max s |")
    print("|---|---|---|")
    for label, times in (("python -c pass", python_times), ("python -c 'import ncpi_extract.cli'", import_times),
                         ("python -c 'load_pipeline()'", load_times), (f"ncpi-extract parse fixtures/{sample.name}", parse_times)):
        print(f"| `{label}` | {statistics.median(times):.3f} | {max(times):.3f} |")
    print("\n## Memory: one page of many releases, one worker\n")
    print("| page | releases | seconds | peak RSS parent MB | peak RSS worker MB |")
    print("|---|---|---|---|---|")
    print(f"| {page_bytes / 1e6:.1f} MB (the corpus's text releases, one after another) | {dense['releases']} "
          f"| {dense['seconds']:.1f} | {dense['parent_maxrss_kb'] / 1024:.0f} | {dense['worker_maxrss_kb'] / 1024:.0f} |")
    print(f"\n## Where one release's time goes ({stages['releases']} releases of the corpus, one process)\n")
    print("| stage | ms per release |")
    print("|---|---|")
    per = stages["ms_per_release"]
    total = sum(v for k, v in per.items() if not k.startswith("("))
    for key, value in per.items():
        print(f"| {key} | {value:.3f} |")
    print(f"| **total (without the jsonschema comparison)** | **{total:.3f}** ({1000 / total:.0f} releases/s) |")


if __name__ == "__main__":
    main()
