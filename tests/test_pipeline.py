"""The spaCy pipeline: saved with to_disk, loaded with spacy.load, results on the Doc, picklable."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import spacy

from ncpi_extract.pipeline import COMPONENTS, build_pipeline, default_pipeline_path, load_pipeline, models_dir


def test_shipped_pipeline_loads_with_spacy_load(seed_path):
    nlp = spacy.load(default_pipeline_path())
    assert nlp.pipe_names[: len(COMPONENTS) - 1] == list(COMPONENTS[:-1])
    doc = nlp(seed_path.read_text(encoding="utf-8"))
    assert [s.label_ for s in doc.spans["findings"]] == ["strength"] * 3 + ["concern"] * 3
    assert {s.label_ for s in doc.spans["sections"]} >= {"headline", "strengths", "concerns", "quotes", "notes"}
    assert doc._.ncpi_meta["force"]["id"] == "cleveland"
    assert doc.spans["quotes"][0]._.ncpi_quote["speaker"] == "Mike Cunningham"


def test_spacy_load_alone_finds_every_registered_function(seed_path):
    """In a fresh interpreter that never imports ncpi_extract, spacy.load finds the factories,
    tokenizers and model architectures through the package's entry points."""
    code = (
        "import sys, spacy; nlp = spacy.load(sys.argv[1]); doc = nlp(open(sys.argv[2], encoding='utf-8').read()); "
        "import json; print(json.dumps([f._.ncpi_finding['themes'] for f in doc.spans['findings']]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(default_pipeline_path()), str(seed_path)],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    here = load_pipeline()(seed_path.read_text(encoding="utf-8"))
    assert json.loads(out) == [f._.ncpi_finding["themes"] for f in here.spans["findings"]]
    assert "custody" in json.loads(out)[4]
    # the classifier's architectures are entry points too, not only registered by importing the package
    from importlib.metadata import entry_points

    names = {e.name for e in entry_points(group="spacy_architectures") if e.value.startswith("ncpi_extract.")}
    config = (default_pipeline_path() / "ncpi_classifier" / "model" / "config.cfg").read_text(encoding="utf-8")
    used = {line.split('"')[1] for line in config.splitlines() if line.startswith("@architectures") and "ncpi_extract." in line}
    assert used and used <= names


def test_shipped_rules_match_the_rule_files():
    """models/ncpi_en carries copies of models/rules; `ncpi-extract build` refreshes them."""
    shipped = default_pipeline_path()
    for rules_file in (models_dir() / "rules").glob("*.json"):
        copies = list(shipped.glob(f"*/{rules_file.name}"))
        assert copies, rules_file.name
        for copy in copies:
            assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(rules_file.read_text(encoding="utf-8")), (
                f"{copy} differs from {rules_file}: run `ncpi-extract build`")


def test_pipeline_round_trips_through_disk(tmp_path, seed_path):
    nlp = build_pipeline()
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    text = seed_path.read_text(encoding="utf-8")
    doc_again, doc = again(text), nlp(text)
    assert [s.text for s in doc_again.spans["findings"]] == [s.text for s in doc.spans["findings"]]


def test_pipeline_and_docs_pickle(seed_path):
    nlp = load_pipeline()
    restored = pickle.loads(pickle.dumps(nlp))
    doc = restored(seed_path.read_text(encoding="utf-8"))
    doc2 = pickle.loads(pickle.dumps(doc))
    assert [s._.ncpi_finding["text"] for s in doc2.spans["findings"]] == [s._.ncpi_finding["text"] for s in doc.spans["findings"]]


def test_models_dir_is_inside_the_project():
    assert (models_dir() / "rules" / "forces.json").is_file()
    assert Path(load_pipeline.__module__.replace(".", "/")).name == "pipeline"


def test_literal_alternation_matches_like_the_longest_first_alternation():
    import random
    import re

    from ncpi_extract.rules import literal_alternation

    rng = random.Random(5)
    alphabet = "ab &-."
    for _ in range(2000):
        words = list({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))).strip() or "a" for _ in range(rng.randint(1, 8))})
        text = "".join(rng.choice(alphabet + "c\n") for _ in range(60))
        plain = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
        trie = re.compile(r"\b(?:" + literal_alternation(words) + r")\b")
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], (words, text)
        # the \b before a match checked after its first character (as metadata's force names are)
        starting = re.compile(r"(?:" + literal_alternation(words, word_start=True) + r")\b")
        assert [m.span() for m in starting.finditer(text)] == [m.span() for m in plain.finditer(text)], (words, text)
        a, b = sorted(rng.sample(range(61), 2))  # searched within bounds, as metadata does zone by zone
        assert [m.span() for m in starting.finditer(text, a, b)] == [m.span() for m in plain.finditer(text, a, b)]


def test_read_group_gives_what_the_spans_hold(seed_path):
    from ncpi_extract.docext import GROUP_ATTRS, read_group

    nlp = load_pipeline()
    doc = nlp(seed_path.read_text(encoding="utf-8"))
    for group, attr in GROUP_ATTRS.items():
        assert read_group(doc, group) == [(s.label_, s._.get(attr)) for s in doc.spans.get(group, [])], group
    assert len(read_group(doc, "findings")) == 6 and len(read_group(doc, "notes")) == 7
    assert "areas" not in doc.spans  # set only when a release groups its findings by area (the seed does not)
    # a group changed after the pipeline is read from its spans, not from the copy kept
    doc.spans["findings"] = list(doc.spans["findings"])[:3]
    assert [i["start"] for _, i in read_group(doc, "findings")] == [s._.ncpi_finding["start"] for s in doc.spans["findings"]]
    assert len(read_group(doc, "findings")) == 3
    doc.spans["findings"].append(doc.spans["sections"][0])
    assert len(read_group(doc, "findings")) == 4
    assert read_group(doc, "no_such_group") == []
    copy = pickle.loads(pickle.dumps(doc))
    assert read_group(copy, "quotes") == read_group(doc, "quotes")


def test_items_only_docs_hold_what_span_groups_hold():
    # the output path (api.iter_text_documents) marks its Docs ITEMS_ONLY: no Span is made; every
    # group's items, and so every output document, must be those of a Doc given its span groups
    from ncpi_extract.api import page_text
    from ncpi_extract.convert import doc_to_document
    from ncpi_extract.decode import decode_bytes
    from ncpi_extract.docext import GROUP_ATTRS, ITEMS_ONLY, read_group
    from ncpi_extract.release import Source

    from .conftest import CASES

    nlp = load_pipeline()
    source = Source(path=None, sha256="0" * 64, format="text", encoding="utf-8", offsets="decoded_text")
    groups_seen: set[str] = set()
    for path, _ in CASES:
        text = page_text(decode_bytes(path.read_bytes(), suffix=path.suffix))[0]
        full = nlp(text)
        lean = nlp.make_doc(text)
        lean.user_data["ncpi_text"] = text
        lean.user_data[ITEMS_ONLY] = True
        lean = nlp(lean)
        assert len(lean.spans) == 0, path.name
        for group in GROUP_ATTRS:
            assert read_group(lean, group) == read_group(full, group), (path.name, group)
            groups_seen.update(group for _ in read_group(full, group)[:1])
        assert doc_to_document(lean, source) == doc_to_document(full, source), path.name
    assert groups_seen == set(GROUP_ATTRS)  # the fixtures put something in every group


def test_without_joiner_is_the_trailing_joiner_regex():
    import random

    from ncpi_extract.sections import _TRAILING_JOINER, _without_joiner

    rng = random.Random(2)
    alphabet = " ;,andorANDOR x\t\u00a0\u2028"
    for _ in range(50_000):
        item = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14))).rstrip()
        assert _without_joiner(item) == _TRAILING_JOINER.sub("", item), repr(item)
    assert _without_joiner("the force's leaders; and") == "the force's leaders"
    assert _without_joiner("a plan , or") == "a plan"


def test_two_items_inside_one_token_keep_their_own_offsets():
    from ncpi_extract import parse
    from ncpi_extract.docext import read_group

    from .conftest import FIXTURES

    text = (FIXTURES / "a_kent_2015_inspection.txt").read_text(encoding="utf-8")
    text += "Press office: call 01632960001,01632960002 (9am to 5pm, Monday to Friday).\n"  # (a slash would part them)
    contacts = [(c.start, c.end, c.value) for c in parse(text).contacts if c.value.startswith("0163296000")]
    assert [value for _, _, value in contacts] == ["01632960001", "01632960002"]
    assert all(text[start:end] == value for start, end, value in contacts)
    doc = load_pipeline()(text)
    mine = [i for _, i in read_group(doc, "contacts") if i["value"].startswith("0163296000")]
    assert [i["value"] for i in mine] == ["01632960001", "01632960002"]
    # both spans cover the token '01632960001,01632960002'; spaCy holds one value for that boundary
    spans = [s for s in doc.spans["contacts"] if s.text == "01632960001,01632960002"]
    assert len(spans) == 2 and spans[0]._.ncpi_contact is spans[1]._.ncpi_contact
