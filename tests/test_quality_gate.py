"""The accuracy gate: no change may drop a pinned score by more than 0.02.

Scores on the fixtures and on the held-out split are pinned in
tests/quality_baseline.json; a change that improves them re-pins them in the same
commit with `ncpi-extract evaluate --update-baseline`.
"""

from __future__ import annotations

import json

import pytest

from ncpi_extract.gate import TOLERANCE, baseline_path, current_scores, regressions


@pytest.fixture(scope="module")
def current():
    return current_scores()


@pytest.fixture(scope="module")
def baseline():
    return json.loads(baseline_path().read_text(encoding="utf-8"))


def test_gold_data_is_the_pinned_data(current, baseline):
    assert current["gold_hash"] == baseline["gold_hash"], (
        "fixtures/ or models/training/test.jsonl changed: re-pin with `ncpi-extract evaluate --update-baseline`")


def test_no_score_dropped(current, baseline):
    assert regressions(current, baseline) == []


def test_gate_catches_a_drop(baseline):
    worse = {"gold_hash": baseline["gold_hash"], "scores": dict(baseline["scores"])}
    key = "held_out.rules_and_model.themes_micro_f1"
    worse["scores"][key] = baseline["scores"][key] - TOLERANCE - 0.01
    assert [r for r in regressions(worse, baseline) if r.startswith(key)]


def test_targets_of_the_classifier_issue(current):
    s = current["scores"]
    assert s["held_out.rules_and_model.themes_micro_f1"] >= 0.85
    assert s["held_out.rules_and_model.themes_macro_f1"] >= 0.75
    assert s["held_out.rules_and_model.themes_micro_f1"] > s["held_out.rules_only.themes_micro_f1"]
    assert s["held_out.rules_and_model.urgency_accuracy_concerns"] >= 0.90


def test_the_gold_hash_follows_the_keys_not_the_fixtures_readme(tmp_path):
    from ncpi_extract.gate import gold_hash

    fixtures, held_out = tmp_path / "fixtures", tmp_path / "test.jsonl"
    fixtures.mkdir()
    (fixtures / "kent.txt").write_text("Kent Police\n", encoding="utf-8")
    (fixtures / "kent.expected.json").write_text('{"findings": []}\n', encoding="utf-8")
    held_out.write_text('{"text": "x"}\n', encoding="utf-8")
    before = gold_hash(fixtures, held_out)
    (fixtures / "README.md").write_text("# Fixtures\n", encoding="utf-8")
    assert gold_hash(fixtures, held_out) == before
    (fixtures / "kent.expected.json").write_text('{"findings": [{"kind": "concern"}]}\n', encoding="utf-8")
    assert gold_hash(fixtures, held_out) != before
