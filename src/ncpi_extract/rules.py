"""Rule data: the JSON files under ``models/rules/`` and their compiled form.

Rules are data so that a user can add a cue phrase, a force name or a theme pattern
without touching code. Each pipeline component keeps the rule files it uses and
writes them into the saved pipeline (``nlp.to_disk``), so a saved pipeline carries
its own rules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RULE_FILES = ("sections", "attributions", "forces", "metadata", "themes", "urgency", "polarity", "references")


def read_rules(directory: Path, names: tuple[str, ...] = RULE_FILES) -> dict[str, Any]:
    """Read the named rule files from ``directory``."""
    return {name: json.loads((directory / f"{name}.json").read_text(encoding="utf-8")) for name in names}


def compile_pattern(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:  # a broken rule file should say which pattern is broken
        raise ValueError(f"bad rule pattern {pattern!r}: {exc}") from None


def compile_lower(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a case-insensitive rule for matching against lower-cased text.

    Python's ``re.IGNORECASE`` makes long alternations several times slower; the hot
    rules (cues, themes, urgency, polarity) are instead lower-cased here and matched
    against ``textnorm.lower(text)``. Escapes such as ``\\b`` and ``\\W`` keep their case.
    """
    out = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern.startswith("(?P", i):  # a named group keeps its P
            out.append("(?P")
            i += 3
            continue
        out.append(pattern[i].lower())
        i += 1
    return compile_pattern("".join(out), flags)


def literal_alternation(words: list[str], *, word_start: bool = False) -> str:
    """A regex that matches any of ``words`` (literally), the longest where several could.

    Written as a trie: Python's ``re`` tries the branches of ``a|b|c`` one after another at
    every position, so a list of 100 names cost 100 attempts per character; in a trie only
    the branches that share the next character are tried. Matches are those of the plain
    alternation sorted longest first, for case-sensitive matching only (under ``re.I``
    'A b' and 'a b c' no longer share a branch, and the shorter can win).

    ``word_start``: a match must begin where ``\\b`` would hold, as with a leading ``\\b``,
    but checked by a look-behind *after* the first character: a pattern that begins with
    ``\\b`` makes ``re`` try every position, one that begins with a choice of characters
    lets it skip to those characters.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def first(ch: str) -> str:
        if not word_start:
            return re.escape(ch)
        before = "(?<!\\w" if ch.isalnum() or ch == "_" else "(?<=\\w"  # what \b before ch asks of the character before
        return f"{re.escape(ch)}{before}{re.escape(ch)})"

    def emit(node: dict, top: bool = False) -> str:
        branches = [(first(ch) if top else re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root, top=True)


def compile_lower_rules(entries: list[dict[str, Any]], key: str = "pattern") -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    """``compile_rules`` for matching against lower-cased text."""
    return [(entry, compile_lower(entry[key])) for entry in entries]


def compile_rules(entries: list[dict[str, Any]], key: str = "pattern", flags: int = re.IGNORECASE) -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    """Compile a list of ``{"id": ..., "pattern": ...}`` entries, keeping each entry beside its regex."""
    return [(entry, compile_pattern(entry[key], flags)) for entry in entries]
