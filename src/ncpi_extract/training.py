"""Labelled finding sentences, their fixed split, and training the finding classifier.

The labelled data lives in ``models/training/raw/*.jsonl`` (written by the team,
see ``GUIDE.md``). ``split_raw`` assigns every paraphrase group, as a whole, to the
train, dev or test split by a hash of its id, so the split never changes when lines
are added elsewhere and paraphrases of one finding never straddle two splits. The
test split is never used for training or for choosing settings.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from .classify import THEMES, URGENCY_LEVELS, FindingClassifier, model_text
from .evaluate import Scores

SPLITS = ("train", "dev", "test")
TEST_SHARE, DEV_SHARE = 22, 13  # percent of paraphrase groups


def training_dir() -> Path:
    from .pipeline import models_dir

    return models_dir() / "training"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(group: str) -> str:
    bucket = int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % 100
    return "test" if bucket < TEST_SHARE else "dev" if bucket < TEST_SHARE + DEV_SHARE else "train"


def split_raw(data_dir: Path) -> dict[str, int]:
    """Write train/dev/test.jsonl from raw/*.jsonl; returns the count per split."""
    rows: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for raw in sorted((data_dir / "raw").glob("*.jsonl")):
        for row in read_jsonl(raw):
            rows[split_of(row["group"])].append(row)
    for split, items in rows.items():
        (data_dir / f"{split}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
    return {s: len(v) for s, v in rows.items()}


def to_docbin(rows: list[dict], nlp: Language) -> DocBin:
    bin_ = DocBin(store_user_data=False)
    for row in rows:
        doc = nlp.make_doc(model_text(row["text"]))
        doc.cats = {t: float(t in row["themes"]) for t in THEMES} | {u: float(u == row["urgency"]) for u in URGENCY_LEVELS}
        bin_.add(doc)
    return bin_


def train_model(data_dir: Path, config: Path, workdir: Path, overrides: dict | None = None,
                train_splits: tuple[str, ...] = ("train",)) -> Language:
    """Train the themes+urgency textcat pipeline with spaCy's trainer; return model-last."""
    from spacy.cli.train import train as spacy_train

    blank = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "ncpi_extract.words_tokenizer.v1"}}})
    workdir.mkdir(parents=True, exist_ok=True)
    paths = {"train": workdir / "train.spacy", "dev": workdir / "dev.spacy"}
    to_docbin([r for s in train_splits for r in read_jsonl(data_dir / f"{s}.jsonl")], blank).to_disk(paths["train"])
    to_docbin(read_jsonl(data_dir / "dev.jsonl"), blank).to_disk(paths["dev"])
    out = workdir / "output"
    spacy_train(config, out, overrides={"paths.train": str(paths["train"]), "paths.dev": str(paths["dev"]), **(overrides or {})})
    model = spacy.load(out / "model-last")
    model.config["paths"].update({"train": None, "dev": None})  # temporary paths would make each build differ
    return model


def classification_scores(classifier: FindingClassifier, rows: list[dict], use_model: bool = True) -> dict[str, Any]:
    """Theme micro/macro F1 and per theme, and urgency accuracy on concerns, for labelled rows."""
    scores = Scores()
    model_scores = classifier.model_scores([r["text"] for r in rows]) if use_model else [({}, {}) for _ in rows]
    for row, score in zip(rows, model_scores, strict=True):
        got = classifier.classify(row["kind"], row["text"], None, score)
        scores.add_classification(got["themes"], got["urgency"], row)
    summary = scores.summary()
    return {
        "themes_micro_f1": summary["themes_micro_f1"],
        "themes_macro_f1": summary["themes_macro_f1"],
        "themes": {name: t.as_dict() for name, t in scores.themes.items()},
        "urgency_accuracy_concerns": summary["urgency_accuracy_concerns"],
        "examples": len(rows),
        "concerns": summary["urgency_concerns"],
    }


def choose_settings(classifier: FindingClassifier, dev_rows: list[dict]) -> dict[str, Any]:
    """The theme threshold and urgency mode that score best on the dev split."""
    best: tuple[float, dict] | None = None
    for threshold in [x / 100 for x in range(10, 91, 5)]:
        for mode in ("rules", "rules+model"):
            settings = {"threshold": threshold, "urgency_mode": mode, "urgency_min_score": 0.5}
            classifier.settings = settings
            s = classification_scores(classifier, dev_rows)
            key = s["themes_micro_f1"] + s["themes_macro_f1"] + s["urgency_accuracy_concerns"]
            if best is None or key > best[0] + 1e-9:
                best = (key, settings)
    assert best is not None
    return best[1]


def train(data_dir: Path | None = None, out_dir: Path | None = None, rules_dir: Path | None = None, log=print) -> dict[str, Any]:
    """Rebuild the shipped pipeline: train the classifier, choose its settings on dev, save."""
    from .pipeline import build_pipeline, default_pipeline_path

    data_dir = data_dir or training_dir()
    out_dir = out_dir or default_pipeline_path()
    dev = read_jsonl(data_dir / "dev.jsonl")
    with tempfile.TemporaryDirectory(prefix="ncpi-train-") as tmp:
        model = train_model(data_dir, data_dir / "config.cfg", Path(tmp) / "select")
        nlp = build_pipeline(rules_dir, model)
        classifier = nlp.get_pipe("ncpi_classifier")
        settings = choose_settings(classifier, dev)
        classifier.set_model(model, settings)
        dev_scores = classification_scores(classifier, dev)
        # Settings chosen, the shipped model is trained again on train + dev with the same seed.
        final = train_model(data_dir, data_dir / "config.cfg", Path(tmp) / "final", train_splits=("train", "dev"))
    if settings["urgency_mode"] == "rules":
        final.remove_pipe("urgency")  # unused: keep the shipped model small and its load quick
    classifier.set_model(final, settings)
    tmp_out = out_dir.with_name(out_dir.name + ".tmp")
    if tmp_out.exists():
        shutil.rmtree(tmp_out)
    nlp.to_disk(tmp_out)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tmp_out.rename(out_dir)
    log(f"settings chosen on dev: {settings}")
    log(f"dev (model trained on train only): themes micro-F1 {dev_scores['themes_micro_f1']}, macro-F1 {dev_scores['themes_macro_f1']}, "
        f"urgency accuracy on concerns {dev_scores['urgency_accuracy_concerns']}")
    return {"settings": settings, "dev": dev_scores}
