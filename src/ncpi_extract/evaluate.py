"""Scoring the extractor against gold releases (the format of ``fixtures/``).

A gold folder holds ``NAME.txt|.md|.html`` beside ``NAME.expected.json``. Findings
are matched by their text (folded, compared loosely enough to forgive a trailing
full stop); every other field is compared on the matched pairs or per release.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .classify import THEMES
from .errors import InputError
from .release import Release
from .textnorm import comparable

RELEASE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MATCH_RATIO = 0.85
_TITLES = ("mr ", "mrs ", "ms ", "miss ", "dr ", "sir ", "dame ")


@dataclass
class Tally:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    fields: dict[str, Tally] = field(default_factory=dict)
    themes: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in THEMES})
    urgency: Counter = field(default_factory=Counter)  # correct/total, on concerns

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def add_classification(self, got_themes, got_urgency: str, gold: dict) -> None:
        """Count one finding's themes against the gold ones, and its urgency if it is a concern."""
        for theme in THEMES:
            in_p, in_g = theme in got_themes, theme in gold["themes"]
            self.themes[theme].add(tp=int(in_p and in_g), fp=int(in_p and not in_g), fn=int(in_g and not in_p))
        if gold["kind"] == "concern":
            self.urgency["total"] += 1
            self.urgency["correct"] += int(got_urgency == gold["urgency"])

    def summary(self) -> dict:
        micro = Tally()
        for t in self.themes.values():
            micro.add(t.tp, t.fp, t.fn)
        present = [t for t in self.themes.values() if t.tp + t.fn > 0]
        macro = sum(t.f1 for t in present) / len(present) if present else 0.0
        out = {name: t.as_dict() for name, t in sorted(self.fields.items())}
        out["themes"] = {name: t.as_dict() for name, t in self.themes.items() if t.tp + t.fp + t.fn}
        out["themes_micro_f1"] = round(micro.f1, 4)
        out["themes_macro_f1"] = round(macro, 4)
        total = self.urgency["total"]
        out["urgency_accuracy_concerns"] = round(self.urgency["correct"] / total, 4) if total else 1.0
        out["urgency_concerns"] = total
        return out


def gold_cases(folder: Path) -> list[tuple[Path, dict]]:
    """(release path, expected facts) for every release in ``folder`` that has an expected file."""
    cases = []
    for expected in sorted(folder.glob("*.expected.json")):
        stem = expected.name[: -len(".expected.json")]
        release = next((folder / f"{stem}{s}" for s in RELEASE_SUFFIXES if (folder / f"{stem}{s}").exists()), None)
        if release is not None:
            cases.append((release, json.loads(expected.read_text(encoding="utf-8"))))
    return cases


def match_findings(predicted: list[str], gold: list[str]) -> list[tuple[int, int]]:
    """Pairs (predicted index, gold index) of findings with the same text, best first."""
    p_keys = [comparable(t) for t in predicted]
    g_keys = [comparable(t) for t in gold]
    candidates = []
    for i, p in enumerate(p_keys):
        for j, g in enumerate(g_keys):
            ratio = 1.0 if p == g else difflib.SequenceMatcher(None, p, g, autojunk=False).ratio()
            if ratio >= MATCH_RATIO:
                candidates.append((ratio, i, j))
    pairs, used_p, used_g = [], set(), set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    return sorted(pairs)


def person(name: str | None) -> str:
    key = comparable(name or "")
    for title in _TITLES:
        if key.startswith(title):
            key = key[len(title):]
    return key


def score_release(release: Release, expected: dict, scores: Scores) -> None:
    """Add one release's comparison to ``scores``."""
    pred = release.findings
    gold = expected.get("findings", [])
    pairs = match_findings([f.text for f in pred], [g["text"] for g in gold])
    scores.tally("findings").add(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    for i, j in pairs:
        p, g = pred[i], gold[j]
        scores.tally("kind").add(tp=1) if p.kind == g["kind"] else scores.tally("kind").add(fp=1, fn=1)
        scores.add_classification(p.themes, p.urgency, g)
    _score_quotes(release, expected, scores)
    _single(scores.tally("force"), release.force.id if release.force else None, (expected.get("force") or {}).get("id"))
    _single(scores.tally("stage"), release.stage, expected.get("stage"))
    fw = release.fieldwork
    gfw = expected.get("fieldwork")
    _single(scores.tally("fieldwork"), (fw.start, fw.end) if fw else None, (gfw["start"], gfw["end"]) if gfw else None)
    _single(scores.tally("inspectorate"), release.inspectorate, expected.get("inspectorate"))
    _single(scores.tally("published"), release.published, expected.get("published"))
    _sets(scores.tally("reports"), [comparable(r.title) for r in release.reports], [comparable(r) for r in expected.get("reports", [])])
    _sets(scores.tally("notes"), [(n.number, comparable(n.text)[:25]) for n in release.notes],
          [(n["number"], comparable(n["starts_with"])[:25]) for n in expected.get("notes", [])], prefix=True)
    _sets(scores.tally("contacts"), [(c.kind, comparable(c.value)) for c in release.contacts],
          [(c["kind"], comparable(c["value"])) for c in expected.get("contacts", [])])
    _sets(scores.tally("gradings"), [g.grade for g in release.gradings], [g["grade"] for g in expected.get("gradings", [])])


def _score_quotes(release: Release, expected: dict, scores: Scores) -> None:
    gold = expected.get("quotes", [])
    used: set[int] = set()
    matched = 0
    for g in gold:
        start = comparable(g["starts_with"])
        k = next((k for k, q in enumerate(release.quotes) if k not in used and comparable(q.text).startswith(start[:30])), None)
        if k is None:
            scores.tally("quote_speaker").add(fn=1)
            scores.tally("quote_role").add(fn=1)
            continue
        used.add(k)
        matched += 1
        q = release.quotes[k]
        for name, got, want in (("quote_speaker", person(q.speaker), person(g["speaker"])),
                                ("quote_role", comparable(q.role or ""), comparable(g.get("role") or ""))):
            scores.tally(name).add(tp=1) if got == want else scores.tally(name).add(fp=1, fn=1)
    extra = len(release.quotes) - matched
    scores.tally("quotes").add(tp=matched, fp=extra, fn=len(gold) - matched)
    scores.tally("quote_speaker").add(fp=extra)
    scores.tally("quote_role").add(fp=extra)


def _single(tally: Tally, got, want) -> None:
    if got == want:
        tally.add(tp=1 if want is not None else 0)
    else:
        tally.add(fp=int(got is not None), fn=int(want is not None))


def _sets(tally: Tally, got: list, want: list, prefix: bool = False) -> None:
    remaining = list(want)
    tp = 0
    for item in got:
        hit = next((w for w in remaining if (w == item if not prefix else (w[0] == item[0] and item[1].startswith(w[1][:20])))), None)
        if hit is not None:
            remaining.remove(hit)
            tp += 1
    tally.add(tp=tp, fp=len(got) - tp, fn=len(remaining))


def evaluate_releases(folder: Path) -> dict:
    """Score the extractor over every release in ``folder`` that has expected facts."""
    from .api import parse_file

    scores = Scores()
    cases = gold_cases(folder)
    unreadable = []
    for path, expected in cases:
        try:
            release = parse_file(path)
        except InputError as exc:  # scored as a release with nothing extracted: every expected fact missed
            unreadable.append({"path": str(path), "code": exc.code, "reason": exc.message.removeprefix(f"{path}: ")})
            release = _NOTHING
        score_release(release, expected, scores)
    return {"gold": "releases", "path": str(folder), "releases": len(cases), "unreadable": unreadable, **scores.summary()}


# What a file the extractor cannot read yields: no facts at all (built without validation: it is no release)
_NOTHING = Release.model_construct(
    findings=[], quotes=[], force=None, stage=None, fieldwork=None, inspectorate=None, published=None,
    reports=[], notes=[], contacts=[], gradings=[], warnings=[],
)


def evaluate_labelled(path: Path) -> dict:
    """Score theme and urgency classification on labelled finding sentences, rules alone and with the model."""
    from .pipeline import load_pipeline
    from .training import classification_scores, read_jsonl

    classifier = load_pipeline().get_pipe("ncpi_classifier")
    rows = read_jsonl(path)
    return {
        "gold": "labelled",
        "path": str(path),
        "rules_only": classification_scores(classifier, rows, use_model=False),
        "rules_and_model": classification_scores(classifier, rows, use_model=True),
    }


def format_report(result: dict) -> str:
    """A plain-text table of an evaluation result."""
    lines: list[str] = []

    def row(name: str, t: dict) -> None:
        lines.append(f"  {name:<22} {t['precision']:>9.3f} {t['recall']:>9.3f} {t['f1']:>9.3f} {t['tp']:>5} {t['fp']:>5} {t['fn']:>5}")

    header = f"  {'field':<22} {'precision':>9} {'recall':>9} {'f1':>9} {'tp':>5} {'fp':>5} {'fn':>5}"
    if result["gold"] == "releases":
        lines.append(f"{result['path']}: {result['releases']} releases")
        for failed in result.get("unreadable", ()):
            lines.append(f"  unreadable, scored as nothing extracted: {failed['path']}: {failed['reason']} [{failed['code']}]")
        lines.append(header)
        for name in ("findings", "kind", "quotes", "quote_speaker", "quote_role", "force", "stage", "fieldwork",
                     "inspectorate", "published", "gradings", "reports", "notes", "contacts"):
            if name in result:
                row(name, result[name])
        blocks = [("themes", result)]
    else:
        lines.append(f"{result['path']}: {result['rules_only']['examples']} labelled findings")
        blocks = [("rules only", result["rules_only"]), ("rules + model", result["rules_and_model"])]
    for title, block in blocks:
        lines.append(f"{title}:")
        lines.append(header.replace("field", "theme"))
        for name, t in block["themes"].items():
            if t["tp"] + t["fp"] + t["fn"]:
                row(name, t)
        lines.append(f"  themes micro-F1 {block['themes_micro_f1']:.3f}   macro-F1 {block['themes_macro_f1']:.3f}")
        lines.append(f"  urgency accuracy on concerns {block['urgency_accuracy_concerns']:.3f}"
                     + (f" ({block.get('urgency_concerns', block.get('concerns'))} concerns)"))
    return "\n".join(lines)
