"""Compare classifier configs by k-fold cross-validation on train+dev (never the test split).

    python benchmarks/cross_validate.py [CONFIG ...] [--folds 5]

CONFIG defaults to ``models/training/config.cfg``; ``benchmarks/configs/`` holds the
alternatives the README compares. The train and dev findings are pooled and cut into
folds by a hash of the paraphrase group (a group stays in one fold); for each fold the
themes model is trained on the other folds with spaCy's trainer, its threshold chosen on
the fold itself (the same optimism for every config), and the fold scored. Prints one
JSON line per config: theme micro/macro-F1 per fold and their mean. Deterministic:
training uses the config's fixed seed. About 3 minutes per config on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from ncpi_extract.pipeline import build_pipeline
from ncpi_extract.training import choose_settings, classification_scores, read_jsonl, train_model, training_dir

ROOT = Path(__file__).resolve().parents[1]


def fold_of(group: str, folds: int) -> int:
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % folds


def cross_validate(config: Path, folds: int) -> dict:
    data = training_dir()
    rows = read_jsonl(data / "train.jsonl") + read_jsonl(data / "dev.jsonl")
    scores = []
    for k in range(folds):
        with tempfile.TemporaryDirectory(prefix="ncpi-cv-") as tmp:
            work = Path(tmp)
            held = [r for r in rows if fold_of(r["group"], folds) == k]
            (work / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows if fold_of(r["group"], folds) != k))
            (work / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in held))
            with contextlib.redirect_stdout(sys.stderr):  # spaCy's training log
                model = train_model(work, config, work / "run", overrides={"nlp.pipeline": ["themes"]})
            classifier = build_pipeline(None, model).get_pipe("ncpi_classifier")
            classifier.set_model(model, choose_settings(classifier, held))
            result = classification_scores(classifier, held)
            scores.append((result["themes_micro_f1"], result["themes_macro_f1"]))
            print(f"{config.name} fold {k}: micro {scores[-1][0]} macro {scores[-1][1]}", file=sys.stderr, flush=True)
    return {
        "config": str(config.relative_to(ROOT) if config.is_relative_to(ROOT) else config),
        "folds": scores,
        "micro_f1": round(sum(s[0] for s in scores) / folds, 4),
        "macro_f1": round(sum(s[1] for s in scores) / folds, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="*", type=Path, default=[training_dir() / "config.cfg"])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    for config in args.configs:
        print(json.dumps(cross_validate(config.resolve(), args.folds)), flush=True)


if __name__ == "__main__":
    main()
