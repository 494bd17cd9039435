"""The quality gate: scores on the fixtures and the held-out split, pinned in a baseline.

A change that lowers any pinned score by more than ``TOLERANCE`` fails the tests; a
change that raises scores updates the baseline in the same commit
(``ncpi-extract evaluate --update-baseline``). The baseline also records a hash of
the gold data, so changing the data without re-pinning is caught too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .evaluate import evaluate_labelled, evaluate_releases

TOLERANCE = 0.02
RELEASE_FIELDS = ("findings", "kind", "quotes", "quote_speaker", "quote_role", "force", "stage", "fieldwork", "reports", "notes", "contacts")


def project_root() -> Path:
    return Path(__file__).resolve().parents[2]


def baseline_path() -> Path:
    return project_root() / "tests" / "quality_baseline.json"


def gold_hash(fixtures: Path, held_out: Path) -> str:
    """A hash of the gold data: the fixtures and their keys, and the held-out findings (not the
    fixtures' README, whose prose changes no score)."""
    digest = hashlib.sha256()
    for path in sorted(fixtures.glob("*")) + [held_out]:
        if path.is_file() and path.name != "README.md":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def current_scores(root: Path | None = None) -> dict:
    root = root or project_root()
    fixtures, held_out = root / "fixtures", root / "models" / "training" / "test.jsonl"
    releases = evaluate_releases(fixtures)
    labelled = evaluate_labelled(held_out)
    scores: dict[str, float] = {f"fixtures.{name}.f1": releases[name]["f1"] for name in RELEASE_FIELDS}
    scores["fixtures.themes_micro_f1"] = releases["themes_micro_f1"]
    scores["fixtures.themes_macro_f1"] = releases["themes_macro_f1"]
    scores["fixtures.urgency_accuracy_concerns"] = releases["urgency_accuracy_concerns"]
    for label, block in (("rules_only", labelled["rules_only"]), ("rules_and_model", labelled["rules_and_model"])):
        for key in ("themes_micro_f1", "themes_macro_f1", "urgency_accuracy_concerns"):
            scores[f"held_out.{label}.{key}"] = block[key]
    return {"gold_hash": gold_hash(fixtures, held_out), "scores": scores}


def regressions(current: dict, baseline: dict) -> list[str]:
    """Every pinned score that fell by more than the tolerance."""
    out = []
    for key, floor in baseline["scores"].items():
        got = current["scores"].get(key)
        if got is None or got < floor - TOLERANCE:
            out.append(f"{key}: {got} < baseline {floor} - {TOLERANCE}")
    return out


def write_baseline(path: Path | None = None) -> dict:
    current = current_scores()
    (path or baseline_path()).write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return current
