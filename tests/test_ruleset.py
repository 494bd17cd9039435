"""``RuleSet`` answers exactly as Python's ``re`` would, with RE2 or without it."""

from __future__ import annotations

import random
import re

import pytest

from ncpi_extract import ruleset
from ncpi_extract.pipeline import load_pipeline
from ncpi_extract.ruleset import RuleSet, ends_open, re2_syntax, same_in_both
from ncpi_extract.textnorm import fold, lower

from .conftest import FIXTURES


def _shipped_rule_sets() -> dict[str, RuleSet]:
    nlp = load_pipeline()
    return {f"{name}.{attr}": value for name, component in nlp.pipeline
            for attr, value in vars(component).items() if isinstance(value, RuleSet)}


def _texts() -> list[str]:
    """Lines, paragraphs and whole releases of every text fixture, as found and lower-cased,
    and variants RE2 must not be trusted with (non-ASCII, vertical tab, a final newline)."""
    texts = []
    for path in sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md")):
        raw = fold(path.read_bytes().decode("utf-8", errors="replace"))
        pieces = [raw] + raw.split("\n\n") + raw.splitlines()
        texts += pieces + [lower(p) for p in pieces]
    rng = random.Random(7)
    sample = rng.sample(texts, 400)
    for text in sample:
        k = rng.randrange(len(text) + 1)
        texts += [text[:k] + "\x0b" + text[k:], text[:k] + "\u00e9" + text[k:], text + "\n", text[:k] + "\x1f" + text[k:],
                  text[:k] + "\u2022 " + text[k:], text[:k] + "\u00a3" + text[k:], text[:k] + "\u0663" + text[k:],
                  text[:k] + "\u00a0" + text[k:], text[:k] + "\u212a" + text[k:]]
    return texts


TEXTS = _texts()
RULE_SETS = _shipped_rule_sets()


def test_the_pipeline_asks_its_rules_through_rule_sets():
    assert {"ncpi_classifier.theme_set", "ncpi_sectionizer.list_cue_set", "ncpi_findings.prose_cue_set"} <= set(RULE_SETS)
    assert len(TEXTS) > 2000


@pytest.mark.skipif(ruleset.re2 is None, reason="google-re2 is not installed")
def test_every_shipped_rule_is_one_re2_can_take():
    # a rule RE2 cannot read is searched with re on its own: one such rule over a whole release
    # (a '\\u2022' RE2 does not know, a lookaround) cost 1.5 % of the parse time under the profiler before it was written for RE2
    assert {name: [rules.patterns[k].pattern for k in rules._outside] for name, rules in RULE_SETS.items() if rules._outside} == {}


@pytest.mark.parametrize("name", sorted(RULE_SETS))
def test_matching_is_what_re_search_says(name):
    rules = RULE_SETS[name]
    hits = 0
    for text in TEXTS:
        expected = [k for k, rx in enumerate(rules.patterns) if rx.search(text)]
        assert rules.matching(text) == expected, (name, text[:200])
        hits += bool(expected)
    if name == "ncpi_classifier.theme_set":
        assert hits > 500  # the comparison covers texts that match, not only ones that do not


def test_rules_re2_cannot_take_are_matched_by_re():
    patterns = [
        re.compile(r"(?<=police )force"),  # lookbehind
        re.compile(r"force$"),  # Python's $ also matches before a final newline
        re.compile(r"^force$", re.M),
        re.compile(r"(force) \1"),  # backreference
        re.compile(r"force # comment", re.X),
        re.compile(r"\bforce\b"),
    ]
    assert [re2_syntax(p) is None for p in patterns] == [True, False, False, True, True, False]
    assert [ends_open(p) for p in patterns] == [False, True, False, False, False, False]
    rules = RuleSet(patterns)
    for text in ("the police force\n", "force force", "a force\nnext", "police force", "forces", "x\x0bforce", "force\n\n", "force"):
        assert rules.matching(text) == [k for k, rx in enumerate(patterns) if rx.search(text)]


def test_re2_is_only_trusted_with_text_both_engines_read_alike():
    assert same_in_both("plain ascii, with\ttab and\nnewline")
    assert same_in_both("\u2022 a bullet, \u00a3100")  # punctuation outside ASCII reads alike
    for text in ("caf\u00e9", "a\x0bb", "\u0663 areas", "no\u00a0break", "\u212aelvin", "\u2022 caf\u00e9"):
        assert not same_in_both(text), text
    # Python's \s takes \x0b and \w takes 'é'; RE2 would not
    rules = RuleSet([re.compile(r"a\sb"), re.compile(r"caf\w\b")])
    assert rules.matching("a\x0bb") == [0]
    assert rules.matching("caf\u00e9") == [1]


def test_without_re2_the_answers_are_the_same(monkeypatch):
    theme_rules = RULE_SETS["ncpi_classifier.theme_set"]
    monkeypatch.setattr(ruleset, "re2", None)
    plain = RuleSet(theme_rules.patterns)
    assert plain._match is None
    for text in TEXTS[:3000]:
        assert plain.matching(text) == theme_rules.matching(text)


def test_the_phone_rule_matches_what_its_plain_form_matches():
    """references.json writes the phone rule so that re can skip to '+', '(' or '0'; the
    matches must be those of the plain form with the look-behind in front."""
    import json

    from ncpi_extract.pipeline import models_dir

    # a group of digits may follow a space, tab or hyphen, or the line break of hard-wrapped copy
    plain = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)(?:(?:[ \t-]|[ \t]*\n[ \t]*)?\d{3,4}){1,2}(?![\w])")
    shipped = re.compile(json.loads((models_dir() / "rules" / "references.json").read_text(encoding="utf-8"))["phone"])
    rng = random.Random(11)
    alphabet = "0123456789 +()-x_\n4\u00e9"
    samples = TEXTS + ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40))) for _ in range(20_000)]
    found = 0
    for text in samples:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in shipped.finditer(text)] == expected, text[:200]
        found += bool(expected)
    assert found > 500


@pytest.mark.filterwarnings("ignore::FutureWarning")  # Python warns of the nested set in '[[:alpha:]]'
@pytest.mark.parametrize(("pattern", "flags", "texts"), [
    (r"[[:alpha:]]", 0, ["b", ":]", "a:]"]),  # a POSIX class to RE2, a set and a ']' to Python
    (r"[a[:digit:]]x", 0, ["1x", ":x]", "dx"]),
    (r"x{,2}y", 0, ["xy", "x{,2}y"]),  # a repeat to Python 3.11, text to RE2
    (r"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\10", 0, ["abcdefghijj", "abcdefghij\x08"]),  # a backreference, or octal
    (r"\B", 0, ["", "ab", " "]),  # RE2 finds \B in an empty text
    (r"(?-m:a$)", re.M, ["a\n", "a", "a\nb"]),  # a '$' that is not multi-line in a multi-line pattern
    (r"x", 0, ["x\ud800"]),  # a lone surrogate cannot go to RE2
])
def test_patterns_re2_reads_otherwise_are_matched_by_re(pattern, flags, texts):
    rx = re.compile(pattern, flags)
    rules = RuleSet([rx, re.compile("a")])
    for text in texts:
        assert rules.matching(text) == [k for k, p in enumerate(rules.patterns) if p.search(text)], (pattern, text)


@pytest.mark.parametrize(("pattern", "loose"), [
    (r"\b(?<!children )partners\b", r"\bpartners\b"),
    (r"supervision(?! of (?:registered |sex(?:ual)? )*offenders)", "supervision"),  # nested groups inside
    (r"a[(?!]b\(?!c(?:d)", r"a[(?!]b\(?!c(?:d)"),  # in a class or escaped: no lookaround
])
def test_a_prefilter_drops_lookarounds_only(pattern, loose):
    assert ruleset._without_lookarounds(pattern) == loose


def test_the_area_heading_prefilter_finds_every_line_the_exact_pattern_does():
    sectionizer = load_pipeline().get_pipe("ncpi_sectionizer")
    exact, scan = sectionizer.theme_heading, sectionizer.theme_heading_scan
    assert scan is not exact  # RE2 took the loose pattern
    lines = ["custody", "children's partnership", "safeguarding children partnership area", "supervision of sex offenders",
             "supervision", "with respect to", "café custody", "key facts", "what happens next", "partners"]
    for line in lines:
        assert bool(scan.search(line)) >= bool(exact.search(line)), line
    assert scan.search("partners of children") and not exact.search("children partners")  # the lookbehind is the exact one's
