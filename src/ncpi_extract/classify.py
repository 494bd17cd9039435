"""Themes and urgency for each finding.

Rules first: every theme whose pattern matches is kept with its rule id and a
confidence of 1.0. A trained model, when the pipeline has one, may add themes whose
score passes the threshold chosen on the dev split (see ``textcat.py``). Urgency
comes from the finding's own words and from the cue that opened its list, the
higher level winning. A finding left without a theme is marked ``needs_review``
rather than given a guess.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .component import RuleComponent
from .rules import compile_pattern
from .textnorm import fold

THEMES = (
    "leadership", "partnership", "initial_contact", "risk_assessment", "investigation", "supervision_records",
    "missing_children", "exploitation", "domestic_abuse", "online_abuse", "custody", "offender_management",
    "voice_of_child", "workforce", "general",
)
URGENCY_LEVELS = ("none", "improve", "urgent", "immediate")


class RuleClassifier(RuleComponent):
    rule_files = ("themes", "urgency")

    def compile(self) -> None:
        self.theme_rules = [
            (theme, f"theme.{theme}.{k}", compile_pattern(p))
            for theme, patterns in self.rules["themes"]["themes"].items()
            for k, p in enumerate(patterns)
        ]
        self.urgency_rules = [(r["level"], r["id"], compile_pattern(r["pattern"])) for r in self.rules["urgency"]["rules"]]

    def themes(self, text: str) -> dict[str, str]:
        """Theme -> id of the first rule that gave it."""
        folded = fold(text)
        found: dict[str, str] = {}
        for theme, rule_id, rx in self.theme_rules:
            if theme not in found and rx.search(folded):
                found[theme] = rule_id
        if len(found) > 1:
            found.pop("general", None)
        return found

    def urgency(self, kind: str, text: str, cue: str | None) -> tuple[str, str | None]:
        if kind == "strength":
            return "none", None
        best, best_rule = "improve", None
        for words in (cue or "", text):
            folded = fold(words)
            for level, rule_id, rx in self.urgency_rules:
                if URGENCY_LEVELS.index(level) > URGENCY_LEVELS.index(best) and rx.search(folded):
                    best, best_rule = level, rule_id
        return best, best_rule

    def __call__(self, doc: Doc) -> Doc:
        for span in doc.spans.get("findings", []):
            info = span._.ncpi_finding
            rule_themes = self.themes(info["text"])
            info["theme_rules"] = rule_themes
            info["urgency"], info["urgency_rule"] = self.urgency(info["kind"], info["text"], info.get("cue"))
            _merge(info, rule_themes, info.get("model_scores"), info.get("model_threshold"))
        return doc


def _merge(info: dict, rule_themes: dict[str, str], scores: dict[str, float] | None, threshold: float | None) -> None:
    """Rules keep their themes; the model adds those above its threshold."""
    confidence = {t: 1.0 for t in rule_themes}
    themes = list(rule_themes)
    if scores:
        for theme, score in scores.items():
            if theme in rule_themes:
                continue
            if threshold is not None and score >= threshold and theme != "general":
                themes.append(theme)
                confidence[theme] = round(score, 4)
        if not themes and scores.get("general", 0.0) >= (threshold or 1.0):
            themes.append("general")
            confidence["general"] = round(scores["general"], 4)
    ordered = [t for t in THEMES if t in themes]
    info["themes"] = ordered
    info["confidence"] = {t: confidence[t] for t in ordered}
    info["needs_review"] = not ordered


@Language.factory("ncpi_classifier")
def make_classifier(nlp: Language, name: str) -> RuleClassifier:
    return RuleClassifier(nlp, name)
