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


def test_train_rebuilds_the_shipped_model(tmp_path):
    """`ncpi-extract train` rebuilds what ships: byte for byte where floating point rounds as on the machine
    that trained it, and otherwise (another CPU's vector kernels or another build of numpy or blis round
    sums differently) a model that scores the same on the held-out findings. Training twice here gives
    the same bytes: it is deterministic on any one machine."""
    from ncpi_extract.classify import read_model
    from ncpi_extract.pipeline import build_pipeline, default_pipeline_path
    from ncpi_extract.training import classification_scores, train

    first, second = tmp_path / "first", tmp_path / "second"
    result = train(out_dir=first, log=lambda *_: None)
    assert result["dev"]["themes_micro_f1"] > 0.7
    train(out_dir=second, log=lambda *_: None)
    names = ("settings.json", "model/config.cfg", "model/themes/model", "model/themes/cfg")
    for name in names:
        assert (first / "ncpi_classifier" / name).read_bytes() == (second / "ncpi_classifier" / name).read_bytes(), name
    shipped = default_pipeline_path() / "ncpi_classifier"
    assert (first / "ncpi_classifier" / "model/config.cfg").read_bytes() == (shipped / "model/config.cfg").read_bytes()
    if all((first / "ncpi_classifier" / n).read_bytes() == (shipped / n).read_bytes() for n in names):
        return
    held_out = rows("test")
    scores = [classification_scores(build_pipeline(None, *read_model(folder)).get_pipe("ncpi_classifier"), held_out)
              for folder in (first / "ncpi_classifier", shipped)]
    for key in ("themes_micro_f1", "themes_macro_f1", "urgency_accuracy_concerns"):
        assert abs(scores[0][key] - scores[1][key]) <= 0.02, (key, scores[0][key], scores[1][key])


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


def test_model_reads_word_rows_as_it_reads_docs():
    """The classifier gives its model ``WordRows``: every layer reading them gets the numbers a
    Doc of the same words gives, so the scores are the same to the last bit."""
    import numpy as np

    from ncpi_extract.architectures import WordRows
    from ncpi_extract.pipeline import load_pipeline

    classifier = load_pipeline().get_pipe("ncpi_classifier")
    texts = [e["text"] for e in read_jsonl(training_dir() / "dev.jsonl")[:200]] + ["", "!!!", "the the the", "Exploited"]
    rows = classifier.model_docs(texts)
    assert all(type(r) is WordRows for r in rows)
    docs = classifier.model_docs(texts, as_docs=True)
    assert [len(r) for r in rows] == [len(d) for d in docs]
    assert [[t.text for t in d] for d in docs[-4:]] == [["."], ["."], ["the", "the", "the"], ["exploi"]]
    for name in classifier.model.pipe_names:
        component = classifier.model.get_pipe(name)
        for batch in (slice(None), slice(0, 1), slice(-4, None), slice(50, 120)):
            assert np.array_equal(component.predict(rows[batch]), component.predict(docs[batch])), (name, batch)
        for a, b in zip(rows[:20], docs[:20], strict=True):
            assert np.array_equal(a.to_array(["NORM", "PREFIX"]), b.to_array(["NORM", "PREFIX"]))
            assert np.array_equal(a.to_array("ORTH"), b.to_array("ORTH"))


def test_a_model_reading_other_attributes_is_given_docs():
    """A model whose layers read what is not a word's own (here a token's offset) keeps Docs."""
    import spacy
    from thinc.api import Model

    from ncpi_extract.architectures import doc_attrs
    from ncpi_extract.classify import _word_features

    reads_offsets = Model("extract_features", lambda m, X, is_train: (X, None), attrs={"columns": ["NORM", "IDX"]})
    assert doc_attrs(reads_offsets) is None
    assert _word_features(spacy.blank("en")) is None  # no component that predicts


def test_word_rows_are_not_used_when_they_predict_otherwise(monkeypatch):
    """``_word_features`` checks WordRows against Docs before the classifier relies on them."""
    from ncpi_extract import architectures
    from ncpi_extract.classify import _word_features
    from ncpi_extract.pipeline import load_pipeline

    model = load_pipeline().get_pipe("ncpi_classifier").model
    assert _word_features(model) is not None
    monkeypatch.setattr(architectures.WordFeatures, "_read", lambda self, word: (1,) * len(self.attrs))
    assert _word_features(model) is None


def test_a_findings_scores_do_not_depend_on_its_batch():
    """A finding gets the same scores, to the last bit, whatever else is in its model batch: so
    a batch's output cannot depend on how its files fall into chunks (the number of workers),
    and ``parse`` agrees with ``batch``. (With OpenBLAS's float32 products every row differed.)"""
    import numpy as np

    from ncpi_extract.pipeline import load_pipeline

    classifier = load_pipeline().get_pipe("ncpi_classifier")
    texts = [e["text"] for e in read_jsonl(training_dir() / "dev.jsonl")]
    assert len(texts) >= 150
    for name in classifier.model.pipe_names:
        component = classifier.model.get_pipe(name)
        by_size = {size: np.concatenate([component.predict(classifier.model_docs(texts[k : k + size]))
                                         for k in range(0, len(texts), size)])
                   for size in (1, 37, 128, len(texts))}
        for size, scores in by_size.items():
            assert np.array_equal(scores, by_size[1]), (name, size)


def test_the_embedding_cache_gives_the_layers_own_answers(monkeypatch):
    """``install_embedding_cache`` looks a word's embedding up instead of computing it: the scores
    are the very ones of the layers themselves, cold, warm, and after the cache is emptied."""
    import functools

    import numpy as np

    from ncpi_extract import architectures
    from ncpi_extract.pipeline import load_pipeline

    classifier = load_pipeline().get_pipe("ncpi_classifier")
    component = classifier.model.get_pipe("themes")
    cached = [n for n in component.model.walk() if isinstance(n._func, functools.partial)]
    assert len(cached) == 1 and cached[0]._func.func is architectures._cached_embedding_forward
    texts = [e["text"] for e in read_jsonl(training_dir() / "test.jsonl")] + ["", "!!!"]
    rows = classifier.model_docs(texts)
    monkeypatch.setattr(architectures, "_MAX_CACHED_WORDS", 50)  # emptied on the way
    cold = component.predict(rows[:60])
    warm = component.predict(rows)
    monkeypatch.setattr(cached[0], "_func", cached[0]._func.keywords["plain"])
    plain = component.predict(rows)
    assert np.array_equal(warm, plain) and np.array_equal(cold, plain[:60])
    assert np.array_equal(component.predict(rows[-2:]), plain[-2:])  # no words at all


def test_a_pickled_or_reinstalled_classifier_starts_its_embedding_cache_afresh():
    """The embedding cache is not carried into a pickle, and giving a classifier its model again
    replaces the cache rather than wrapping the cached layer a second time."""
    import functools
    import pickle

    import numpy as np

    from ncpi_extract import architectures
    from ncpi_extract.pipeline import load_pipeline

    classifier = load_pipeline().get_pipe("ncpi_classifier")
    texts = [e["text"] for e in read_jsonl(training_dir() / "train.jsonl")[:400]]
    before = classifier.model_scores(texts)
    layer = next(n for n in classifier.model.get_pipe("themes").model.walk() if isinstance(n._func, functools.partial))
    assert len(layer._func.keywords["cache"].index) > 500
    copy = pickle.loads(pickle.dumps(classifier))
    copied = next(n for n in copy.model.get_pipe("themes").model.walk() if isinstance(n._func, functools.partial))
    assert len(copied._func.keywords["cache"].index) < 20  # only the load-time probe's words
    assert copied._func.keywords["plain"].__class__ is not functools.partial
    assert copy.model_scores(texts) == before
    classifier.set_model(classifier.model, classifier.settings)
    assert len(layer._func.keywords["cache"].index) < 20
    assert layer._func.keywords["plain"].__class__ is not functools.partial
    assert layer._func.func is architectures._cached_embedding_forward
    after = classifier.model_scores(texts)
    assert all(np.allclose(list(a[0].values()), list(b[0].values()), rtol=0, atol=0) for a, b in zip(before, after, strict=True))


def test_findings_are_scored_in_slices_with_the_scores_of_one_call(monkeypatch):
    """``model_scores`` asks the model about at most ``MAX_PREDICTION_ROWS`` findings at once (a hostile
    page of tens of thousands of findings would otherwise build its matrices all at once), and the
    slices give every finding the scores one call over all of them gives."""
    from ncpi_extract import classify
    from ncpi_extract.pipeline import load_pipeline

    classifier = load_pipeline().get_pipe("ncpi_classifier")
    texts = [e["text"] for e in read_jsonl(training_dir() / "test.jsonl")][:150]
    whole = classifier.model_scores(texts)
    calls = []
    component = classifier.model.get_pipe("themes")
    predict = component.predict
    monkeypatch.setattr(component, "predict", lambda docs: calls.append(len(docs)) or predict(docs))
    monkeypatch.setattr(classify, "MAX_PREDICTION_ROWS", 64)
    assert classifier.model_scores(texts) == whole
    assert calls == [64, 64, 22]
