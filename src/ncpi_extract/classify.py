"""Themes and urgency for each finding.

Rules first: every theme whose pattern matches is kept with its rule id and a
confidence of 1.0. The trained model (a small spaCy pipeline with
``textcat_multilabel`` components for themes and for urgency, trained by
``ncpi-extract train``) adds the themes whose score passes the threshold chosen on
the dev split. Urgency comes from the finding's words and the cue that opened its
list; whether the model may raise it is also chosen on the dev split. A finding
left without a theme is marked ``needs_review`` rather than given a guess.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import architectures  # registers the classifier's architectures
from .component import RuleComponent
from .docext import read_group
from .rules import compile_lower
from .ruleset import RuleSet
from .textnorm import fold, lower

THEMES = (
    "leadership", "partnership", "initial_contact", "risk_assessment", "investigation", "supervision_records",
    "missing_children", "exploitation", "domestic_abuse", "online_abuse", "custody", "offender_management",
    "voice_of_child", "workforce", "general",
)
URGENCY_LEVELS = ("none", "improve", "urgent", "immediate")
AREA_HEADING_RULE = "theme.area_heading"  # a theme given by the area heading a finding stands under
DEFAULT_SETTINGS = {"threshold": 0.5, "urgency_mode": "rules", "urgency_min_score": 0.5}
STEM_LENGTH = 6
# Findings scored by one model call at most: a release of tens of thousands of findings (a page built
# to be hostile) would otherwise make its matrices hundreds of megabytes at once. Scores do not depend
# on the batch (``_tune_for_prediction``), so slicing changes no output.
MAX_PREDICTION_ROWS = 2048
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def model_text(text: str) -> str:
    """What the model reads: lower-case word stems (the first six letters).

    With a few hundred examples a bag of words cannot learn that 'exploited' and
    'exploitation' say the same; cutting every word to its first letters lets it.
    Training and prediction both use this function (prediction as ``model_words``).
    """
    return " ".join(model_words(text))


def model_words(text: str) -> list[str]:
    """The words of ``model_text``, as the model's tokenizer splits them."""
    return [w[:STEM_LENGTH] for w in _WORD.findall(fold(text).lower())]


_NO_WORDS = (".",)  # the token the model reads for a text without words


def model_tokens(text: str) -> list[str]:
    """The tokens the model reads for ``text``: the Doc ``WordsTokenizer`` makes of ``model_text(text)``."""
    return model_words(text) or list(_NO_WORDS)


class WordsTokenizer:
    """The trained model's tokenizer: ``model_text`` output is already words split by spaces.

    A plain callable with no special cases, so loading the model does not rebuild
    spaCy's English tokenizer exceptions (a tenth of a second at every start).
    """

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=text.split() or list(_NO_WORDS))

    def to_disk(self, path, *, exclude=()) -> None:
        Path(path).write_text("words\n", encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> WordsTokenizer:
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        return b"words"

    def from_bytes(self, data: bytes, *, exclude=()) -> WordsTokenizer:
        return self


def _words_tokenizer(nlp: Language) -> WordsTokenizer:
    return WordsTokenizer(nlp.vocab)


@spacy.registry.tokenizers("ncpi_extract.words_tokenizer.v1")
def make_words_tokenizer():
    return _words_tokenizer


class FindingClassifier(RuleComponent):
    rule_files = ("themes", "urgency")

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        self.model: Language | None = None
        self.settings: dict[str, Any] = dict(DEFAULT_SETTINGS)
        self.word_features: architectures.WordFeatures | None = None

    def compile(self) -> None:
        self.theme_rules = [
            (theme, f"theme.{theme}.{k}", compile_lower(p))
            for theme, patterns in self.rules["themes"]["themes"].items()
            for k, p in enumerate(patterns)
        ]
        self.urgency_rules = [(r["level"], r["id"], compile_lower(r["pattern"])) for r in self.rules["urgency"]["rules"]]
        self.theme_set = RuleSet([rx for _, _, rx in self.theme_rules])
        self.urgency_set = RuleSet([rx for _, _, rx in self.urgency_rules])

    def set_model(self, model: Language | None, settings: dict[str, Any] | None = None) -> None:
        self.model = model
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.word_features = None
        if model is not None:
            _tune_for_prediction(model)
            self.word_features = _word_features(model)

    # -- rules -------------------------------------------------------------------
    def rule_themes(self, text: str, area_themes: list[str] | None = None) -> dict[str, str]:
        """Theme -> id of the first rule that gave it; ``area_themes``, those of the area heading the finding stands
        under ('Custody'), are given as a rule gives its themes."""
        folded = lower(fold(text))
        found: dict[str, str] = {}
        for k in self.theme_set.matching(folded):
            theme, rule_id, _ = self.theme_rules[k]
            if theme not in found:
                found[theme] = rule_id
        for theme in area_themes or ():
            found.setdefault(theme, AREA_HEADING_RULE)
        if len(found) > 1:
            found.pop("general", None)
        return found

    def rule_urgency(self, kind: str, text: str, cue: str | None) -> tuple[str, str | None]:
        if kind == "strength":
            return "none", None
        best, best_rule = "improve", None
        for words in (cue or "", text):
            folded = lower(fold(words))
            for k in self.urgency_set.matching(folded):
                level, rule_id, _ = self.urgency_rules[k]
                if URGENCY_LEVELS.index(level) > URGENCY_LEVELS.index(best):
                    best, best_rule = level, rule_id
        return best, best_rule

    # -- model -------------------------------------------------------------------
    def model_scores(self, texts: list[str]) -> list[tuple[dict[str, float], dict[str, float]]]:
        """(theme scores, urgency scores) per text; empty dicts without a model.

        The model reads each text's ``model_words`` as ``WordRows`` (the same numbers a Doc
        of them gives its layers, without the Doc), or as Docs for a model whose layers need
        them; only the components the settings use are asked to predict.
        """
        if self.model is None or not texts:
            return [({}, {}) for _ in texts]
        out: list[tuple[dict[str, float], dict[str, float]]] = [({}, {}) for _ in texts]
        wanted = [("themes", 0)] + ([("urgency", 1)] if self.settings["urgency_mode"] != "rules" else [])
        for first in range(0, len(texts), MAX_PREDICTION_ROWS):
            docs = self.model_docs(texts[first : first + MAX_PREDICTION_ROWS])
            for name, slot in wanted:
                if name not in self.model.pipe_names:
                    continue
                component = self.model.get_pipe(name)
                with _PREDICTING, _blas_controller().limit(limits=1, user_api="blas"):
                    scores = component.model.ops.to_numpy(component.predict(docs))
                labels = component.labels
                for k, row in enumerate(scores.tolist(), start=first):  # Python floats, each the float32 exactly
                    out[k][slot].update(zip(labels, row, strict=True))
        return out

    def model_docs(self, texts: list[str], *, as_docs: bool = False) -> list:
        """What the model is given for ``texts``: ``WordRows``, or Docs if ``as_docs`` or needed."""
        words = [model_tokens(t) for t in texts]
        if self.word_features is None or as_docs:
            return [Doc(self.model.vocab, words=w) for w in words]
        return self.word_features.rows(words)

    def classify(self, kind: str, text: str, cue: str | None, scores: tuple[dict, dict],
                 area_themes: list[str] | None = None) -> dict[str, Any]:
        """Themes, confidence, urgency and review flag of one finding (``area_themes``: ``rule_themes``)."""
        theme_scores, urgency_scores = scores
        rule_themes = self.rule_themes(text, area_themes)
        themes = dict.fromkeys(rule_themes, 1.0)
        threshold = self.settings["threshold"]
        for theme, score in theme_scores.items():
            if theme not in themes and theme != "general" and score >= threshold:
                themes[theme] = round(score, 4)
        if len(themes) > 1:
            themes.pop("general", None)
        if not themes and theme_scores.get("general", 0.0) >= threshold:
            themes["general"] = round(theme_scores["general"], 4)
        urgency, urgency_rule = self.rule_urgency(kind, text, cue)
        if kind == "concern" and urgency_scores and self.settings["urgency_mode"] == "rules+model":
            level = max(("improve", "urgent", "immediate"), key=lambda u: urgency_scores.get(u, 0.0))
            if urgency_scores.get(level, 0.0) >= self.settings["urgency_min_score"] and \
                    URGENCY_LEVELS.index(level) > URGENCY_LEVELS.index(urgency):
                urgency, urgency_rule = level, "urgency.model"
        ordered = [t for t in THEMES if t in themes]
        return {
            "themes": ordered,
            "confidence": {t: themes[t] for t in ordered},
            "theme_rules": rule_themes,
            "urgency": urgency,
            "urgency_rule": urgency_rule,
            "needs_review": not ordered,
        }

    def __call__(self, doc: Doc) -> Doc:
        self._classify_docs([doc])
        return doc

    def pipe(self, docs, batch_size: int = 64):
        """Classify the findings of many documents with one model call per batch:
        the model's cost is mostly per call, so batching releases makes it cheaper."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._classify_docs(batch)
                batch = []
        if batch:
            yield from self._classify_docs(batch)

    def _classify_docs(self, docs: list[Doc]) -> list[Doc]:
        infos = [info for doc in docs for _, info in read_group(doc, "findings")]
        scores = self.model_scores([i["text"] for i in infos])
        for info, score in zip(infos, scores, strict=True):
            info.update(self.classify(info["kind"], info["text"], info.get("cue"), score, info.get("area_themes")))
            if info.get("kind_guessed"):  # a neutral item whose words did not say strength or concern
                info["needs_review"] = True
        return docs

    # -- serialisation -------------------------------------------------------------
    def to_disk(self, path, *, exclude=()) -> None:
        super().to_disk(path, exclude=exclude)
        path = Path(path)
        (path / "settings.json").write_text(json.dumps(self.settings, indent=1) + "\n", encoding="utf-8")
        if self.model is not None:
            self.model.to_disk(path / "model")

    def from_disk(self, path, *, exclude=()) -> FindingClassifier:
        super().from_disk(path, exclude=exclude)
        self.set_model(*read_model(Path(path)))
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {**super().__getstate__(), "model": self.model, "settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self.set_model(state.get("model"), state.get("settings"))


# One prediction at a time per process: the BLAS thread limit below is process-wide, and two
# limits entered and left out of order would leave BLAS at one thread for good.
_PREDICTING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _blas_controller():
    """numpy's BLAS, held to one thread while the classifier predicts.

    OpenBLAS starts a thread per core for any product above a small size; for the
    classifier's matrices that buys nothing alone and, with batch workers on every
    core, made prediction three times slower. The limit is process-wide for the
    fraction of a millisecond a prediction takes.
    """
    from threadpoolctl import ThreadpoolController  # only needed once a model predicts

    return ThreadpoolController()


def _tune_for_prediction(model: Language) -> None:
    """Predict with numpy's matrix product instead of thinc's default (blis), summed in float64
    so that a finding's scores do not depend on its batch (``architectures.RowStableOps``), and
    count the bag-of-words model's words for a whole batch at once.

    For the classifier's small matrices numpy's BLAS multiplies about four times faster on the
    CPU we measured (a tenth of a prediction's time end to end); the scores agree to 3e-7.
    The batched word count (``architectures.batched_ngrams_forward``) gives the same input as
    spaCy's. Training is left to spaCy's defaults.
    """
    ops = architectures.RowStableOps(use_blis=False)
    for _, component in model.pipeline:
        if hasattr(component, "model"):
            for node in component.model.walk():
                node.ops = ops
            architectures.install_batched_ngrams(component.model)
            architectures.install_embedding_cache(component.model)


_PROBE_TEXTS = ("Children missing from home were not always safeguarded.", "", "The force's officers.")


def _word_features(model: Language) -> architectures.WordFeatures | None:
    """The model's input as ``WordRows``, when every component reads only words' own
    attributes and predicts from them exactly what it predicts from Docs of the same words."""
    attrs: list[int] = []
    components = [c for _, c in model.pipeline if hasattr(c, "model") and hasattr(c, "predict")]
    for component in components:
        read = architectures.doc_attrs(component.model)
        if read is None:
            return None
        attrs.extend(read)
    if not attrs:
        return None
    features = architectures.WordFeatures(model.vocab, tuple(dict.fromkeys(attrs)))
    words = [model_tokens(t) for t in _PROBE_TEXTS]
    try:
        with _PREDICTING:
            same = all(numpy.array_equal(c.predict(features.rows(words)), c.predict([Doc(model.vocab, words=w) for w in words]))
                       for c in components)
    except Exception:  # a layer that needs a real Doc
        return None
    return features if same else None


def read_model(folder: Path) -> tuple[Language | None, dict[str, Any] | None]:
    """The trained model and settings a classifier saved in ``folder`` (None where absent)."""
    settings_file = folder / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.exists() else None
    model = spacy.load(folder / "model") if (folder / "model").is_dir() else None
    return model, settings


@Language.factory("ncpi_classifier")
def make_classifier(nlp: Language, name: str) -> FindingClassifier:
    return FindingClassifier(nlp, name)
