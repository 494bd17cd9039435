"""Every fixture release against its expected facts, and every span against its text."""

from __future__ import annotations

import re

import pytest

from ncpi_extract import parse_file
from ncpi_extract.decode import decode_bytes
from ncpi_extract.evaluate import match_findings, person
from ncpi_extract.html import html_to_text
from ncpi_extract.layout import without_page_lines
from ncpi_extract.pipeline import models_dir
from ncpi_extract.rules import read_rules
from ncpi_extract.textnorm import comparable, plain, squash

from .conftest import CASES

IDS = [path.name for path, _ in CASES]
WARNING_CODES = {"no_findings", "no_quote", "no_strengths", "no_concerns", "no_report", "no_notes"}


def test_there_are_enough_fixtures():
    assert len(CASES) >= 575  # 587 on 2026-11-28: a fixture lost by a move or a rename fails here
    assert {path.suffix for path, _ in CASES} >= {".txt", ".html", ".md"}


def test_every_report_title_holds_a_title_word():
    # the references component asks only units holding one of report_title_words for titles
    words = read_rules(models_dir() / "rules", ("references",))["references"]["report_title_words"]
    titles = [title for _, expected in CASES for title in expected["reports"]]
    assert len(titles) > 300
    assert [t for t in titles if not any(w in t.lower() for w in words)] == []


def read_text(path):
    decoded = decode_bytes(path.read_bytes(), suffix=path.suffix)
    return html_to_text(decoded.text) if decoded.format == "html" else decoded.text


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def case(request):
    path, expected = request.param
    return path, expected, parse_file(path), read_text(path)


def test_metadata(case):
    path, expected, release, _ = case
    assert release.source.format == expected["format"]
    assert release.source.encoding == expected["encoding"]
    # a national release names no force (null in its key)
    assert (release.force.id if release.force else None) == (expected["force"]["id"] if expected["force"] else None)
    assert release.stage == expected["stage"]
    assert release.inspectorate == expected["inspectorate"]
    assert release.published == expected["published"]
    got_fieldwork = release.fieldwork.model_dump() if release.fieldwork else None
    assert got_fieldwork == expected["fieldwork"]
    assert sorted(g.grade for g in release.gradings) == sorted(g["grade"] for g in expected["gradings"])


def test_findings(case):
    path, expected, release, _ = case
    gold = expected["findings"]
    assert len(release.findings) == len(gold), [f.text[:60] for f in release.findings]
    pairs = match_findings([f.text for f in release.findings], [g["text"] for g in gold])
    assert len(pairs) == len(gold)
    for i, j in pairs:
        got, want = release.findings[i], gold[j]
        assert i == j, "findings come in document order"
        assert got.kind == want["kind"], got.text
        assert got.urgency == want["urgency"], got.text
        assert comparable(got.text) == comparable(want["text"])


def test_quotes(case):
    path, expected, release, _ = case
    assert len(release.quotes) == len(expected["quotes"])
    for got, want in zip(release.quotes, expected["quotes"], strict=False):
        assert comparable(got.text).startswith(comparable(want["starts_with"]))
        assert person(got.speaker) == person(want["speaker"])
        assert comparable(got.role or "") == comparable(want["role"] or "")


def test_reports_notes_contacts(case):
    path, expected, release, _ = case
    assert [comparable(r.title) for r in release.reports] == [comparable(t) for t in expected["reports"]]
    assert [n.number for n in release.notes] == [n["number"] for n in expected["notes"]]
    for got, want in zip(release.notes, expected["notes"], strict=False):
        assert comparable(got.text).startswith(comparable(want["starts_with"]))
    assert [(c.kind, c.value) for c in release.contacts] == [(c["kind"], c["value"]) for c in expected["contacts"]]


def test_warnings(case):
    path, expected, release, _ = case
    got = {w.code for w in release.warnings} & WARNING_CODES
    assert got == set(expected["warnings"]) & WARNING_CODES


_NESTED_MARK = re.compile(r"\n[ \t]*(?:[-*+\u2022o\u2013]|\(?(?:\d{1,2}|[a-h]|[ivx]{1,4})[.)])[ \t]+")


def test_every_span_holds_its_text(case):
    path, expected, release, text = case
    for f in release.findings:  # a lead-in item and the items nested under it: their words without those items' marks;
        span = text[f.start : f.end]  # an item a page break fell inside: without the page's number line
        assert f.text in (plain(span), plain(_NESTED_MARK.sub("\n", span)), plain(without_page_lines(span)))
    for n in release.notes:
        assert plain(text[n.start : n.end]) == n.text
    for r in release.reports:
        assert squash(text[r.start : r.end]) == r.title
    for c in release.contacts:
        assert squash(text[c.start : c.end]) == c.value
    for q in release.quotes:
        first_words = q.text.split()[:4]
        assert squash(text[q.start : q.end]).split()[:4] == first_words
    for s in release.sections:
        assert 0 <= s.start < s.end <= len(text)


def test_finding_ids_are_stable(case):
    path, _, release, _ = case
    again = parse_file(path)
    assert [f.id for f in again.findings] == [f.id for f in release.findings]
    assert len({f.id for f in release.findings}) == len(release.findings)
