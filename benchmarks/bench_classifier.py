"""What the trained classifier adds to extraction, per release, on one core.

    python benchmarks/bench_classifier.py [--repeat 15]

Runs every text fixture through the pipeline twice, once with the shipped trained
model and once with rules only (the model switched off), both one release at a time
(``parse``) and a batch at a time (``api.extract_texts``, as ``ncpi-extract batch``
does), and prints the difference in milliseconds per release.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from ncpi_extract.api import extract_texts
from ncpi_extract.pipeline import load_pipeline
from ncpi_extract.release import Source

ROOT = Path(__file__).resolve().parents[1]


def per_release_ms(items, batched: bool, repeat: int, classifier, model) -> tuple[float, float]:
    """Best ms per release without and with the model, the two runs alternating so that a
    slow spell of the machine does not fall on one side only."""
    run = (lambda: extract_texts(items)) if batched else (lambda: [extract_texts([item]) for item in items])
    best = {None: float("inf"), model: float("inf")}
    run()  # warm-up, untimed
    for _ in range(repeat):
        for which in best:
            classifier.model = which
            start = time.perf_counter()
            run()
            best[which] = min(best[which], time.perf_counter() - start)
    classifier.model = model
    return best[None] / len(items) * 1000, best[model] / len(items) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    source = Source(path=None, sha256="0", format="text", encoding="utf-8", offsets="decoded_text")
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in sorted((ROOT / "fixtures").glob("*.txt"))]
    items = [(t.replace("\r\n", "\n"), source) for t in texts]
    classifier = load_pipeline().get_pipe("ncpi_classifier")
    findings = sum(len(r.findings) for r in extract_texts(items)) / len(items)
    model = classifier.model
    print(f"{len(items)} fixture releases, {findings:.1f} findings each on average; "
          f"python {platform.python_version()}, best of {args.repeat}\n")
    print("| mode | rules only ms/release | rules + model ms/release | the model adds |")
    print("|---|---|---|---|")
    for batched in (False, True):
        rules, both = per_release_ms(items, batched, args.repeat, classifier, model)
        label = "batch (`extract_texts`, as `ncpi-extract batch`)" if batched else "one release at a time (`parse`)"
        print(f"| {label} | {rules:.2f} | {both:.2f} | **{both - rules:.2f} ms** |")


if __name__ == "__main__":
    main()
