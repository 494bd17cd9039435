"""The base of every rule-driven pipeline component.

A component names the rule files it reads; it receives them once (``set_rules``),
compiles them, and writes them beside the rest of the pipeline in ``to_disk`` so
that ``spacy.load`` brings the rules back. Components hold only data and compiled
regular expressions, so they pickle (multiprocessing needs that).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language


class RuleComponent:
    rule_files: tuple[str, ...] = ()

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.rules: dict[str, Any] = {}

    # -- rules ---------------------------------------------------------------
    def set_rules(self, rules: dict[str, Any]) -> None:
        missing = [n for n in self.rule_files if n not in rules]
        if missing:
            raise ValueError(f"{self.name}: missing rule files {missing}")
        self.rules = {n: rules[n] for n in self.rule_files}
        self.compile()

    def compile(self) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def initialize(self, get_examples=None, *, nlp: Language | None = None, rules_dir: str | None = None) -> None:
        if rules_dir is not None:
            from .rules import read_rules

            self.set_rules(read_rules(Path(rules_dir), self.rule_files))

    # -- serialisation ---------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, data in self.rules.items():
            (path / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RuleComponent:
        path = Path(path)
        self.set_rules({n: json.loads((path / f"{n}.json").read_text(encoding="utf-8")) for n in self.rule_files})
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.rules)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> RuleComponent:
        self.set_rules(srsly.msgpack_loads(data))
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "rules": self.rules}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name = state["name"]
        self.rules = {}
        if state["rules"]:
            self.set_rules(state["rules"])
