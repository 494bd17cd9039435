"""The labelled data and its fixed split."""

from __future__ import annotations

from collections import Counter

from ncpi_extract.classify import THEMES, URGENCY_LEVELS, model_text
from ncpi_extract.training import SPLITS, read_jsonl, split_of, training_dir


def rows(split):
    return read_jsonl(training_dir() / f"{split}.jsonl")


def test_enough_labelled_findings_per_theme_and_urgency():
    everything = [r for s in SPLITS for r in rows(s)]
    assert len(everything) >= 800
    themes = Counter(t for r in everything for t in r["themes"])
    assert all(themes[t] >= 40 for t in THEMES), themes
    assert set(Counter(r["urgency"] for r in everything)) == set(URGENCY_LEVELS)
    assert {r["kind"] for r in everything} == {"strength", "concern"}
    assert {r["source"] for r in everything} == {"list", "prose"}


def test_labels_follow_the_taxonomy():
    for split in SPLITS:
        for r in rows(split):
            assert r["themes"] and set(r["themes"]) <= set(THEMES)
            assert r["themes"] == ["general"] or "general" not in r["themes"]
            assert (r["urgency"] == "none") == (r["kind"] == "strength")


def test_split_is_fixed_by_group_and_held_out_is_at_least_a_fifth():
    seen = {}
    for split in SPLITS:
        for r in rows(split):
            assert split_of(r["group"]) == split
            assert seen.setdefault(r["group"], split) == split
    total = sum(len(rows(s)) for s in SPLITS)
    assert len(rows("test")) >= 0.2 * total
    train_texts = {r["text"] for r in rows("train")}
    assert not train_texts & {r["text"] for r in rows("test")}


def test_model_text_folds_word_forms_together():
    assert model_text("Exploited children") == model_text("exploitation childrens")
    assert model_text("Officers’ supervision") == "office superv"


def test_train_rebuilds_the_shipped_model_exactly(tmp_path):
    """`ncpi-extract train` is deterministic and what it builds is what ships."""
    from ncpi_extract.pipeline import default_pipeline_path
    from ncpi_extract.training import train

    out = tmp_path / "ncpi_en"
    result = train(out_dir=out, log=lambda *_: None)
    assert result["dev"]["themes_micro_f1"] > 0.7
    shipped = default_pipeline_path() / "ncpi_classifier"
    for name in ("settings.json", "model/config.cfg", "model/themes/model", "model/themes/cfg"):
        assert (out / "ncpi_classifier" / name).read_bytes() == (shipped / name).read_bytes(), name


def test_batched_word_counts_equal_spacys():
    import numpy as np
    from spacy.ml.extract_ngrams import forward as spacy_forward

    from ncpi_extract.architectures import batched_ngrams_forward
    from ncpi_extract.pipeline import load_pipeline

    model = load_pipeline().get_pipe("ncpi_classifier").model
    layer = next(n for n in model.get_pipe("themes").model.walk() if n.name == "extract_ngrams")
    assert layer._func is batched_ngrams_forward  # installed when the classifier gets its model
    texts = [e["text"] for e in read_jsonl(training_dir() / "train.jsonl")[:300]]
    docs = [model.make_doc(model_text(t)) for t in texts] + [model.make_doc("the the the"), model.make_doc("")]
    for batch in (docs, docs[:1], docs[-3:], docs[100:164]):
        expected, _ = spacy_forward(layer, batch, False)
        got, _ = batched_ngrams_forward(layer, batch, False)
        for a, b in zip(expected, got, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b)
    counts = batched_ngrams_forward(layer, [model.make_doc("the the the")], False)[0]
    assert counts[1].tolist() == [3.0] and counts[2].tolist() == [1]
