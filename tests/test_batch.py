"""Batch extraction: bundles, the four outputs, errors, workers, resume and the CLI."""

from __future__ import annotations

import copy
import csv
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ncpi_extract import api as api_module
from ncpi_extract import batch as batch_module
from ncpi_extract import bundle as bundle_module
from ncpi_extract.api import page_text, parse_file
from ncpi_extract.batch import CSV_COLUMNS, BatchRunError, BatchUsageError, extract_documents, run_batch
from ncpi_extract.batch_cli import batch
from ncpi_extract.bundle import split_releases
from ncpi_extract.decode import decode_bytes
from ncpi_extract.schema import checked_json, validation_errors

FIXTURES = Path(__file__).parent.parent / "fixtures"
SUFFIXES = (".txt", ".md", ".html", ".htm")
# Good fixtures copied into the mixed folder (whichever of them exist).
GOOD = [
    "cleveland_2017_seed.txt", "a_kent_2015_inspection.txt", "a_lancashire_2019_prose_crlf.txt",
    "a_north_wales_2018_cp1252.txt", "a_essex_2024_key_findings_bom.txt", "b_thames_valley_2023_reinspection.md",
    "b_west_midlands_2018_inspection.html", "b_wiltshire_2016_inspection.txt",
]
BUNDLE_PARTS = ("a_kent_2015_inspection.txt", "b_gwent_2014_inspection.txt")
HTML_BUNDLE_PARTS = ("b_south_yorkshire_2015_inspection.txt", "b_hampshire_2019_inspection.txt")
MAX_BYTES = 200_000
EXPECTED_ERRORS = {
    "bad/binary.txt": "binary",
    "bad/broken_link.txt": "broken_link",
    "bad/empty.txt": "empty",
    "bad/huge.txt": "too_large",
    "bad/undecodable.txt": "undecodable",
    "bad/whitespace.md": "empty",
}


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in SUFFIXES and p.name != "README.md")


def fixture_text(path: Path) -> str:
    return page_text(decode_bytes(path.read_bytes(), suffix=path.suffix))[0]


def good_fixtures() -> list[Path]:
    found = [FIXTURES / n for n in GOOD if (FIXTURES / n).exists()]
    assert len(found) >= 5, "the fixtures this test copies have gone"
    return found


def good_folder(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """``tmp_path/in`` holding the first ``count`` good fixtures, and ``tmp_path/out`` (not made)."""
    inp = tmp_path / "in"
    inp.mkdir()
    for src in good_fixtures()[:count]:
        shutil.copy(src, inp / src.name)
    return inp, tmp_path / "out"


def build_folder(root: Path) -> Path:
    """Good fixtures, a two-release text bundle, a two-release HTML page and every kind of bad file."""
    inp = root / "in"
    (inp / "good" / "deeper").mkdir(parents=True)
    (inp / "bad").mkdir()
    for k, src in enumerate(good_fixtures()):
        shutil.copy(src, inp / "good" / ("deeper" if k % 2 else "") / src.name)
    kent, gwent = (fixture_text(FIXTURES / n).strip() for n in BUNDLE_PARTS)
    (inp / "good" / "bundle_kent_gwent.txt").write_text(kent + "\n\n" + gwent + "\n", encoding="utf-8")
    (inp / "good" / "news_feed.html").write_text(html_page(*HTML_BUNDLE_PARTS), encoding="utf-8")
    (inp / "good" / "notes.json").write_text("{}", encoding="utf-8")  # matches no glob
    (inp / "bad" / "empty.txt").write_bytes(b"")
    (inp / "bad" / "whitespace.md").write_bytes(b"  \n\t\n   \r\n")
    (inp / "bad" / "binary.txt").write_bytes(b"%PDF-1.4\x00\x01\x02\x03" * 40)
    (inp / "bad" / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 50)
    (inp / "bad" / "huge.txt").write_bytes((FIXTURES / "cleveland_2017_seed.txt").read_bytes() * 60)  # ~300 kB
    (inp / "bad" / "broken_link.txt").symlink_to(inp / "bad" / "gone.txt")
    (inp / "bad" / "folder.txt").mkdir()
    return inp


def html_page(*names: str) -> str:
    """A news page holding the given fixtures' releases, one <article> each."""
    articles = []
    for name in names:
        paragraphs = fixture_text(FIXTURES / name).strip().split("\n\n")
        articles.append("<article>" + "".join("<p>" + "<br>".join(p.split("\n")) + "</p>" for p in paragraphs) + "</article>")
    return ("<!doctype html><html><head><title>News</title></head><body><nav>Home</nav><main>"
            + "".join(articles) + "</main><footer>Footer</footer></body></html>")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def sqlite_dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The mixed folder run once with one worker and once with two."""
    root = tmp_path_factory.mktemp("batch")
    inp = build_folder(root)
    one = run_batch(inp, root / "out1", workers=1, max_bytes=MAX_BYTES, quiet=True)
    two = run_batch(inp, root / "out2", workers=2, max_bytes=MAX_BYTES, quiet=True)
    return inp, root / "out1", one, root / "out2", two


# -- bundles ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_split_releases_keeps_every_fixture_whole(path):
    text = fixture_text(path)
    assert split_releases(text) == [(0, len(text))]


_STARTS_UNSEEN = {
    "k_leicestershire_2015_printview_doublespaced_o.txt",  # a blank line after every line: each line is a block
    "r_norfolk_2015_table_cp1252_bull.html",  # a site's links and sidebar between the headline and the release before
    "p_north_wales_2016_welsh_first.txt",  # a Welsh headline and lead first: no English reporting word
    "zb_gwent_2016_saveas_cp1252_pbullets.html",  # the site's name and menu, one block, above the headline: seen after a
    # release whose end is marked, not after a page that ends in its own chrome ('Is this page useful? Yes No')
    "zb_northamptonshire_2015_newspaper_repost.html",  # a newspaper's section, standfirst, byline and caption before the lead
    "zi_north_wales_2016_welsh_lead_para.txt",  # a Welsh headline and paragraph first, as p_north_wales
    "zl_essex_2019_summary_box.txt",  # a box drawn in characters above the headline
    "zr_lincolnshire_2015_inspection_tablelayout.html",  # a site's header and menu in a table above the headline
    "zt_staffordshire_2017_review_analyst_markdown.md",  # an analyst's own heading and comment above the release
    "zl_lancashire_2015_numbered_paras.txt",  # every paragraph numbered, the lead too: a numbered lead is read as a note
    "zu_dyfed_powys_2021_progress_charity_summary.html",  # a one-word section label ('Policy') above the headline
    "zu_hampshire_2022_reinspection_newsletter_tables.html",  # a newsletter's preheader and 'View in browser' line first
    "zzc_durham_2018_review_forcenews.html",  # a force's page whose own headline names no one and no inspection
    # ('Inspectors recognise progress in protecting children'): after a page ending in its chrome, its date is its one signal
    "zzq_warwickshire_2017_reinspection_forcenews_cp1252.html",  # as zzc_durham: 'Inspectors recognise progress in how we
    # protect children' and its date, after a newspaper's article whose end shows no sign of one
    "zzh_north_yorkshire_2018_reinspection_localnews.html",  # a newspaper's section label, headline, standfirst and byline, as zb_
    "zzn_cumbria_2015_inspection_pdfcopy.txt",  # a PDF's letterhead ('HMIC' over the inspectorate's name) above its kicker
    "zzn_hertfordshire_2017_inspection_analystnote.md",  # an analyst's own heading and notes above the release, as zt_staffordshire
    "zzl_hertfordshire_2014_inspection_newsletter.txt",  # a newsletter's masthead and contents above the release
    "zzm_hampshire_2016_inspection_force_site.html",  # a site's banner line ('In an emergency always dial 999 ...') above the headline
    "zzo_norfolk_2015_inspection_forwarded_email.txt",  # an e-mail's cover note and headers above it (the release starts at its kicker)
    "zzzzd_hmic_northumbria_inspection_2015.txt",  # its lead is the inspector's quotation ('"Officers in Northumbria ...," said
    # HM Inspector ...'), a kind of lead the splitter gives up (benchmarks/ACCURACY.md, Bundled pages)
    "zzzzd_hmicfrs_dyfed_powys_inspection_2021.txt",  # its headline ends in a quotation in straight marks ('...: "much good
    # work, but ..."'), read as a quotation's line, not a headline
    # a web page turned into text by a tool: the site's header, menu and breadcrumb above the headline, where the
    # release starts for the splitter (the page's chrome goes to the release before it, as an e-mail's headers do)
    "zzu_avonsomerset_2019_inspection_html2text.md",  # html2text: a logo, search and menu links
    "zzzzb_hmicfrs_north_yorkshire_inspection_2022.md",  # a browser extension's clipping: its front matter, 'Skip to main
    # content', the site's menus and breadcrumb above the 'News' kicker, where the release starts for the splitter
    "zzu_nottinghamshire_2015_inspection_lynx.txt",  # lynx -dump: link numbers, a search box and a menu
    "zzu_westyorkshire_2018_review_w3m.txt",  # w3m -dump: the page's header table flattened
    "zzv_gwent_2023_progress_unrtf.txt",  # unrtf's '###' lines about the document above its headline
    "zzu_northwales_2016_review_paste.txt",  # a browser's select-all copy: the menu's lines, the headline twice and the
    # date with no blank line between them, one block, so no headline stands over the lead
    "zzu_wiltshire_2017_review_pandoc.md",  # pandoc's fenced divs (':::') between the headline, its date and the lead
    "zzzb_cumbria_2019_re_inspection.html",  # a force's news page: its emergency banner and its own headline and date above
    # the release's headline, as zzm_hampshire
    "zzzc_gwent_2015_phone_browser_copy.txt",  # a phone's copy of a page: cookie notice, 'Menu', 'Search' and a breadcrumb
    # run together above the headline, as zzu_northwales
    "zzzc_thames_valley_2019_nbsp_typographic_paste.txt",  # an e-mail bulletin's masthead and 'View this email in your
    # browser' above the headline, as zzl_hertfordshire's newsletter
    "u_humberside_2014_local_news_statement.html",  # a newspaper's headline and byline over its reporter's words, as zb_
    "zzze_force_cheshire_2019_reinspection.html",  # a force's banner, its own headline and date above the release's, as zzm_
    "zzzl_force_news_lancashire_insp_2015.html",  # a force's banner and breadcrumb above its own headline, as zzze_cheshire
    "zzzg_hmicfrs_2019_west_midlands_inspection.html",  # its facts block goes on to a correction ('Updated 4 March 2019 –
    # corrected a broken link'), which _PAGE_FACTS_LIST_RX leaves out on purpose: the headline gathers too few signals
}
# ... and five whose end the splitter sets elsewhere, as the release before another:
_ENDS_UNSEEN = {
    "zs_surrey_2017_review_wrapped72.txt",  # it ends with 'ENDS', a separator, which belongs to neither release
    "zzc_northamptonshire_2021_update_newswire.txt",  # it ends with a newswire's rule line ('-----'), a separator, as zs_surrey
    "zzh_gwent_2019_review_concernsfirst.txt",  # it ends with 'ENDS', as zs_surrey
    "zzn_west_yorkshire_2019_progress_numbered.txt",  # it ends with 'ENDS', as zs_surrey
    "zzzn_hmic_devon_cornwall_inspection_2016.txt",  # it ends with a page's 'Tags' and two tag lines, which read as a
    # headline over the next release's kicker (a rule for such lines merged releases under an empty 'Tags': taken back)
}


def _in_an_email(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return sum(line.startswith(">") for line in lines) > 0.8 * len(lines) or bool(
        re.match(r"(?:from|sent|to|subject)\s*:|(?:hi|hello|dear)\b|[=*_-]{5,}\s*$", lines[0], re.I))


SEPARATORS = ["\n\n", "\n\n-----\n\n", "\n\n* * *\n\n", "\n\nENDS\n\n", "\n\n\n\n"]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_split_releases_finds_every_release_of_a_bundle(separator):
    # a release with no blank line between its paragraphs (a page of <br> lines) is one block, and
    # one quoted line by line ('> ') in an e-mail reply has no headline the splitter can see: it
    # does not look inside either; a release forwarded by e-mail starts, for the splitter, at its
    # headline, not at the e-mail's headers or cover note above it (bundle.py's docstring); and a
    # rule ('=====') a page opens with is a separator, which belongs to neither release
    # and thirty-six more the splitter cannot find the start of, as the release after another, and five whose end it sets elsewhere:
    files = [p for p in fixture_files() if "\n\n" in fixture_text(p).strip() and not _in_an_email(fixture_text(p))
             and p.name not in _STARTS_UNSEEN and p.name not in _ENDS_UNSEEN]
    assert len(files) >= 0.9 * len(fixture_files())
    # every fixture in a page of three, first, second or third as the separator's place in the list turns them
    turn = SEPARATORS.index(separator)
    files = files[turn:] + files[:turn]
    missed = []
    for k in range(0, len(files) - 2, 3):
        parts = [fixture_text(p).strip() for p in files[k : k + 3]]
        text = separator.join(parts)
        expected, pos = [], 0
        for part in parts:
            expected.append((pos, pos + len(part)))
            pos += len(part) + len(separator)
        if split_releases(text) != expected:
            missed.append([p.name for p in files[k : k + 3]])
    assert not missed


@pytest.mark.parametrize("name", [
    "zz_north_yorkshire_2021_progress_modern_nofieldwork.html",  # '• Published: 8 June 2021 • Police force: ...' under the headline
    "zzm_north_wales_2019_review_hmicfrs_site.html",  # '• Published: ... • Type: News • Force: North Wales'
    "zzl_wiltshire_2023_update_inspectorate_keyfacts.html",  # 'Published:' and its date on lines of their own, then 'Key facts'
    "zu_nottinghamshire_2017_inspection_newspaper_rewrite.html",  # a standfirst, a byline and a picture's caption
    "zzx_cleveland_2022_progress_hmicfrs_site.html",  # a <dl> of 'Published', its date, 'Last updated', ..., without colons
])
def test_split_releases_looks_past_a_pages_facts_byline_and_caption_to_the_lead(name):
    """The lead of these releases stands under a page's block of facts, a box of key figures, or
    a newspaper's byline and caption: each read as a release of its own after another."""
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    page = fixture_text(FIXTURES / name).strip()
    text = kent + "\n\n" + page
    assert split_releases(text) == [(0, len(kent)), (len(kent) + 2, len(text))]
    assert split_releases(page) == [(0, len(page))]


BUNDLE_KEY = json.loads((FIXTURES / "bundles" / "key.json").read_text(encoding="utf-8"))


# pages whose releases the splitter does not all find (one range for two releases or more)
_BUNDLES_UNSPLIT = {
    "b2_06_headlines_no_force.txt",  # a headline with no name or inspection word after notes: one signal only
    "b2_11_rss_dump.txt",  # a feed's items: title, link and date in one block, which no headline is
    "b3_04_word_numbered.txt",  # headlines numbered '1.', '2.' as in a Word document: list items, to the splitter
    "b3_06_pcc_then_inspectorate.html",  # a commissioner's story that ends 'the inspectorate's release is reproduced
    # below': one release by design (test_a_pages_own_story_over_the_release_it_carries_is_no_release_of_its_own)
    "b3_08_question_headlines.md",  # headlines that are questions: only the first is read, as a Q&A's questions are not
    "b4_03_slack_channel_copy.txt",  # a chat message introduces the second release with a colon ('yep, from the wayback
    # copy:'): a headline under a line ending in ':' is read as an item under a list's cue
    "b5_04_mailing_list_digest.txt",  # its third release quoted line by line ('> '), which the splitter does not look inside
}
# a page whose first release the splitter starts below a piece of its own (a council's report over its appendices)
_BUNDLES_PIECE_ABOVE = {"b3_05_council_appendices.txt"}


@pytest.mark.parametrize("name", sorted(set(BUNDLE_KEY) - _BUNDLES_UNSPLIT))
def test_split_releases_cuts_each_labelled_page_at_its_headlines(name):
    """fixtures/bundles: pages of two to five releases in many styles, and single releases built to
    tempt a splitter (sub-headings over paragraphs naming the inspectorate, a commissioner's statement
    under its own heading, a Welsh version, questions and answers, a summary that repeats the headline),
    with the headlines of their releases (key.json)."""
    text = fixture_text(FIXTURES / "bundles" / name)
    ranges = split_releases(text)
    headlines = BUNDLE_KEY[name]
    def first_words(headline):
        return r"[\s*#_]+".join(map(re.escape, headline.split()[:6]))

    if name in _BUNDLES_PIECE_ABOVE:
        assert not any(re.search(first_words(h), text[:ranges[0][1]]) for h in headlines)
        ranges = ranges[1:]
    assert len(ranges) == len(headlines)
    for k, ((start, end), headline) in enumerate(zip(ranges, headlines, strict=True)):
        found = re.search(first_words(headline), text[start:end])
        # near its top: above it, a kicker, a date, a page's or e-mail's header (above the first, a newsletter's
        # masthead, contents and editor's note, which belong to no release and go with the first)
        assert found and found.start() < (2000 if k == 0 else 1000), headline


def test_the_pages_the_splitter_does_not_cut_fully_come_back_with_fewer_releases_not_wrong_ones():
    for name in _BUNDLES_UNSPLIT:
        text = fixture_text(FIXTURES / "bundles" / name)
        ranges = split_releases(text)
        assert 1 <= len(ranges) < len(BUNDLE_KEY[name])
        assert ranges[0][0] == 0 and ranges[-1][1] == len(text)


@pytest.mark.parametrize("section", [
    "The force's response\n\nChief Constable Alan Pike said: \"HMIC's report published today is fair, and we accept it in full.\"",
    "The force's response\n\nResponding to the report published today by HMIC, Deputy Chief Constable Ann Lee said the force "
    "would act on every recommendation.",
    "Summary\n\nKent Police must do more for children, says HMIC\n\nHMIC has today published a report on the way Kent "
    "Police protects children at risk.",
    "Why did HMIC go back to Kent?\n\nHMIC carries out a review after every inspection; the report of this one was "
    "published today.",
    # a section's paragraph that goes on from the release: what the inspectorate also found, found in the past,
    # will do, or where its report can be read
    "What the inspection found\n\nHMIC also found that the force had improved the way it records what children say, "
    "which the report published today describes.",
    "Progress since the 2013 inspection\n\nHMIC found that the force had met six of the eleven recommendations made in "
    "its first report on the force's child protection work.",
    "Next steps for the force's child protection work\n\nHMIC will return to the force within six months to review the progress it has made, "
    "and publish its findings.",
    "The full inspection report\n\nThe full report, National child protection inspection, is available on the "
    "HMIC website from today.",
])
def test_split_releases_keeps_a_releases_response_summary_and_questions_in_it(section):
    """A section after a release's quotation that reads like a headline over a lead: a response
    opening with who said it, a summary under its heading, a question of a Q&A."""
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    text = kent + "\n\n" + section + "\n\nIt will report again in six months.\n\nNotes to editors\n\n1. HMIC inspects policing."
    assert split_releases(text) == [(0, len(text))]


def test_split_releases_reads_a_date_line_in_a_headlines_block():
    """A page copied from a browser: the next headline's block holds its date line (and a 'Share:' line
    under it). 'Back to top' above it is no signal: browsers' copies put one under every section."""
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    second = ("Staffordshire: officers committed, but supervision lacking\nPublished: 19 June 2018\nShare: Twitter  Email\n\n"
              "HMICFRS has today published its child protection inspection of Staffordshire Police.\n\n"
              "Inspectors spent two weeks with the force in May 2018 and looked at 88 cases.")
    text = kent + "\n\nBack to top\n\n" + second
    assert split_releases(text) == [(0, len(kent) + 13), (len(text) - len(second), len(text))]


def test_split_releases_reads_a_contact_line_that_goes_on_as_the_end_of_a_release():
    """'CONTACT: ..., 020 7946 0654 (8:30am to 5:00pm,' over 'Monday to Friday)': one block that ends a
    release, not a contact line and a headline glued under it (which hid the end, and the next release)."""
    wire = fixture_text(FIXTURES / "a_greater_manchester_2016_newswire.txt").strip()
    assert "(8:30am to 5:00pm,\nMonday to Friday)" in wire
    news = fixture_text(FIXTURES / "zr_north_wales_2017_inspection_force_news.html").strip()
    text = wire + "\n\n" + news
    assert split_releases(text) == [(0, len(wire)), (len(wire) + 2, len(text))]


def test_split_releases_finds_a_headline_glued_to_the_previous_release():
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    cleveland = fixture_text(FIXTURES / "cleveland_2017_seed.txt").strip()
    text = kent + "\n" + cleveland
    assert split_releases(text) == [(0, len(kent)), (len(kent) + 1, len(text))]


def test_a_broken_link_to_a_name_that_is_not_utf8_costs_only_itself(tmp_path):
    """Its reason quotes the target's name, which Python holds with surrogates: written escaped, not a traceback."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    shutil.copy(FIXTURES / "a_kent_2015_inspection.txt", inp / "kent.txt")
    os.symlink(os.fsdecode(b"/gone/caf\xe9.txt"), inp / "link.txt")
    (inp / "2016.txt").mkdir()  # a folder named like a release, walked and not read
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "2016.txt" / "seed.txt")
    os.symlink(inp / "2016.txt", inp / "linked.txt")  # a link to a folder, which the walk does not follow: reported
    for _ in range(2):  # and again, where the link is looked at once more
        summary = run_batch(inp, out, workers=1, quiet=True)
        assert (summary.files, summary.failed) == (4, 2)
        errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
        assert errors == [{"path": "link.txt", "code": "broken_link",
                           "reason": "a symbolic link to /gone/caf\\xe9.txt, which does not exist"},
                          {"path": "linked.txt", "code": "not_a_file", "reason": "a directory, not a file"}]
        assert len((out / "releases.jsonl").read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.parametrize("name", ["zzq_warwickshire_2017_reinspection_forcenews_cp1252.html", "zzc_durham_2018_review_forcenews.html"])
def test_split_releases_starts_a_forces_page_at_its_own_headline_not_the_release_it_carries(name):
    """A force's page: its own headline ('Inspectors recognise progress in how we protect children'), a date line
    ('16/03/2017 - 10:15'), a paragraph whose last sentence introduces the release ('HMIC's news release is printed in full
    below, followed by our response.'), then the release. After another release, all of it is one release."""
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    page = fixture_text(FIXTURES / name).strip()
    text = kent + "\n\n" + page
    assert split_releases(text) == [(0, len(kent)), (len(kent) + 2, len(text))]


def test_split_releases_reads_no_headline_in_a_pdfs_footer_and_next_header():
    """pdftotext's '-layout' text: 'Page 1 of 3', a form feed and the next page's 'HMIC NEWS RELEASE   17 March 2016' on one
    line, between two items of a list broken by the page. No release starts there."""
    text = fixture_text(FIXTURES / "zzt_humberside_2016_inspection_pdftotext.txt")
    assert "Page 1 of 3\fHMIC NEWS RELEASE" in text
    assert split_releases(text) == [(0, len(text))]


def _without_blank_lines(text: str) -> str:
    return "\n".join(line for line in text.strip().split("\n") if line.strip())


def test_split_releases_reads_each_line_of_a_page_without_blank_lines_as_a_paragraph():
    """A copy that lost its blank lines (paragraphs, items and headings one to a line, some lines hundreds of
    characters long): the next headline, right under the last note in one run of lines, starts a release."""
    kent = _without_blank_lines(fixture_text(FIXTURES / "a_kent_2015_inspection.txt"))
    cleveland = _without_blank_lines(fixture_text(FIXTURES / "cleveland_2017_seed.txt"))
    text = kent + "\n" + cleveland
    assert split_releases(text) == [(0, len(kent)), (len(kent) + 1, len(text))]
    assert split_releases(kent) == [(0, len(kent))]


def test_split_releases_starts_a_release_at_front_matter_that_gives_its_only_headline():
    """Markdown files pasted one after another, each headline only in its file's front matter ('title: ...')."""
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    headline, body = fixture_text(FIXTURES / "cleveland_2017_seed.txt").strip().split("\n", 1)
    cleveland = f"---\ntitle: {headline}\ndate: 2017-03-01\nslug: cleveland\n---\n\n{body.strip()}"
    text = kent + "\n" + cleveland
    assert split_releases(text) == [(0, len(kent)), (len(kent) + 1, len(text))]


@pytest.mark.parametrize("above", ["26 April 2017", "Wednesday 26 April 2017", "FOR IMMEDIATE RELEASE", "Published: 7 December 2017",
                                   "Date of release: Tuesday 3 November 2015",
                                   "---\ntitle: Cleveland Police\npublished: 2017-03-01\n---"])
def test_split_releases_starts_a_release_at_the_date_or_kicker_above_its_headline(above):
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    cleveland = above + "\n\n" + fixture_text(FIXTURES / "cleveland_2017_seed.txt").strip()
    text = kent + "\n\n" + cleveland
    assert split_releases(text) == [(0, len(kent)), (len(kent) + 2, len(text))]


def test_split_releases_is_not_fooled_by_parts_of_one_release():
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    tricky = [
        # a report title after 'Get the report', then running text naming the inspectorate
        kent + "\n\nGet the report\n\nKent Police child protection inspection report\n\n"
        "HMIC found that the force had made progress since the report was published in 2014, and it will inspect again.\n\nEnds",
        # a notes heading followed by unnumbered notes
        kent + "\n\nNotes to editors\n\nHMIC is an independent inspectorate which reports on the efficiency of police forces.\n\n"
        "HMIC will publish a national report on child protection later this year.",
        # a sub-heading after a quotation
        kent + "\n\nWhat the inspectors looked at\n\nHMIC inspected how the force protects children, reviewing 100 cases.\n\n"
        "The report was published today.",
        # a notes heading that names the force, over numbered notes the first of which reads like a lead
        kent + "\n\nKent Police inspection: notes for editors\n\n1. HMIC today published its report on the child protection "
        "work of Kent Police, which it inspected in January 2015.\n\n2. HMIC is independent.\n\n3. Media enquiries to the press office.",
        # a short release that is only a headline and two paragraphs after a full one: still part of it (no lead)
        kent + "\n\n-----\n\nAbout this release\n\nThis text is only an appendix.",
    ]
    for text in tricky:
        assert split_releases(text) == [(0, len(text))]


SEPARATOR_LINES = ["-----", "* * *", " ===", "\u2022\u2022\u2022", "#  #  #", "ENDS", "-- ends --", "\u2014ENDS\u2014", "End.",
                   "END\u017f", "\x0b---", "___", "~~ ~", "--", "ENDSHIP", "The end", "A - B - C", "### Kent Police"]


class _Everything:
    def __contains__(self, item):
        return True


def test_blocks_match_only_lines_that_may_be_separators(monkeypatch):
    """``_blocks`` asks ``_SEPARATOR_RX`` only of lines opening with a character of
    ``_SEPARATOR_FIRST``; asked of every line, it finds the same blocks."""
    rng = random.Random(11)
    texts = [fixture_text(p) for p in fixture_files()]
    for _ in range(60):
        lines = rng.choice(texts).splitlines()
        for _ in range(4):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(SEPARATOR_LINES))
        texts.append("\n".join(lines))
    fast = [bundle_module._blocks(t) for t in texts]
    for line in SEPARATOR_LINES:  # the pre-check misses no separator line
        if bundle_module._SEPARATOR_RX.match(line):
            assert line.lstrip()[:1] in bundle_module._SEPARATOR_FIRST, line
    monkeypatch.setattr(bundle_module, "_SEPARATOR_FIRST", _Everything())
    slow = [bundle_module._blocks(t) for t in texts]
    assert fast == slow
    assert sum(b.separator for blocks in slow for b in blocks) >= 100


@pytest.mark.parametrize("introduction", [
    "The full HMICFRS news release is reproduced below.", "The inspectorate's press release follows in full:",
    "HMIC's statement is copied below for information.",
    "The following news release has been issued today by HMIC.",
])
def test_a_pages_own_story_over_the_release_it_carries_is_no_release_of_its_own(introduction):
    """A commissioner's page: its own headline, lead and quotation, then a line that introduces the release
    under it. The page is one release (a batch had made the commissioner's story a release of its own)."""
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    text = ("Commissioner welcomes progress on child protection highlighted by inspectors\n\n15 March 2015\n\n"
            "The Police and Crime Commissioner for Kent, Sam Roe, has welcomed a report by HMIC which found that Kent "
            "Police has made progress.\n\nMr Roe said:\n\n\u201cI am pleased that the inspectors have recognised the "
            "hard work of officers.\u201d\n\n" + introduction + "\n\n" + kent)
    assert split_releases(text) == [(0, len(text))]
    assert split_releases(text.replace(introduction, "Mr Roe will report to the panel in May.")) != [(0, len(text))]


def test_a_releases_last_sentence_about_a_statement_in_full_does_not_keep_the_next_release():
    kent = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    cleveland = fixture_text(FIXTURES / "cleveland_2017_seed.txt").strip()
    first = kent + "\n\nKent Police's own statement on the report is published in full on the force website."
    text = first + "\n\n---\n\n" + cleveland
    assert split_releases(text) == [(0, len(first)), (len(text) - len(cleveland), len(text))]


def test_split_releases_of_trivial_text():
    assert split_releases("") == [(0, 0)]
    assert split_releases("One line only") == [(0, 13)]


# -- the schema check of every output document ---------------------------------------------------
def check(document) -> bool:
    try:
        checked_json(document)
        return True
    except ValueError:
        return False


def test_output_check_never_accepts_what_the_published_schema_rejects():
    """The strict pydantic check the batch and parse use against jsonschema on the checked-in
    schema: on mutated documents it may be stricter (2.0 for an integer) but never looser."""
    documents = [parse_file(p).model_dump(mode="json") for p in fixture_files()[:8]]
    values = [None, True, 0, -1, 1.5, 2.0, "", "x", "2020-13", "2020-01-01", [], {}, ["general"], ["bogus"], {"a": 1}]
    rng = random.Random(3)
    verdicts = {True: 0, False: 0}
    stricter = 0
    for document in documents:
        assert check(document) and not validation_errors(document)
        paths = list(_paths(document))
        for _ in range(60):
            mutated = copy.deepcopy(document)
            path = rng.choice(paths)
            parent = mutated
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict) and rng.random() < 0.2:
                del parent[path[-1]]
            elif isinstance(parent, dict) and rng.random() < 0.1:
                parent["unexpected"] = 1
            else:
                parent[path[-1]] = rng.choice(values)
            official = not validation_errors(mutated)
            ours = check(mutated)
            assert not (ours and not official), path
            if official and not ours:
                assert path[-1] in ("start", "end", "number", "count", "release_index") and parent[path[-1]] == 2.0, path
                stricter += 1
            verdicts[official] += 1
    assert verdicts[True] > 20 and verdicts[False] > 200 and stricter < verdicts[True]


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


# -- one file -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_extract_documents_equals_parse_for_a_single_release(path):
    """batch must not drift from ``parse``: same document, the path aside."""
    (document,) = extract_documents(path.read_bytes(), "x", suffix=path.suffix)
    expected = parse_file(path).model_dump(mode="json")
    expected["source"]["path"] = "x"
    assert document == expected


def test_extract_documents_of_a_bundle_index_the_whole_text():
    kent, gwent = (fixture_text(FIXTURES / n).strip() for n in BUNDLE_PARTS)
    text = kent + "\n\n" + gwent + "\n"
    first, second = extract_documents(text.encode(), "bundle.txt", suffix=".txt")
    assert (first["source"]["release_index"], second["source"]["release_index"]) == (0, 1)
    assert first["force"]["id"] == "kent" and second["force"]["id"] == "gwent"
    assert first["source"]["sha256"] == second["source"]["sha256"]
    alone = parse_file(FIXTURES / BUNDLE_PARTS[1]).model_dump(mode="json")
    shift = len(kent) + 2
    assert [(f["start"] - shift, f["end"] - shift, f["text"]) for f in second["findings"]] == [
        (f["start"], f["end"], f["text"]) for f in alone["findings"]]
    for finding in first["findings"] + second["findings"]:
        assert " ".join(text[finding["start"]:finding["end"]].split()) == finding["text"]
    assert all(s["start"] >= shift for s in second["sections"])
    assert first["sections"][-1]["end"] <= len(kent)


# -- the mixed folder ---------------------------------------------------------------------------
def test_summary_counts(runs):
    inp, out, summary, _, _ = runs
    good = good_fixtures()
    assert summary.files == len(good) + 2 + len(EXPECTED_ERRORS)
    assert summary.extracted == len(good) + 2
    assert summary.reused == 0
    assert summary.failed == len(EXPECTED_ERRORS)
    assert summary.releases == len(good) + 4  # two bundles of two
    expected_findings = sum(len(parse_file(p).findings) for p in good)
    expected_findings += sum(len(parse_file(FIXTURES / n).findings) for n in BUNDLE_PARTS)
    # each release of the HTML page gives what a page holding it alone gives
    expected_findings += sum(len(extract_documents(html_page(n).encode(), suffix=".html")[0]["findings"]) for n in HTML_BUNDLE_PARTS)
    assert summary.findings == expected_findings
    assert summary.exit_code == 1


def test_errors_jsonl(runs):
    _, out, summary, _, _ = runs
    errors = read_jsonl(out / "errors.jsonl")
    assert {e["path"]: e["code"] for e in errors} == EXPECTED_ERRORS
    assert [e["path"] for e in errors] == sorted(EXPECTED_ERRORS)
    reasons = {e["path"]: e["reason"] for e in errors}
    assert reasons["bad/huge.txt"] == f"{(FIXTURES / 'cleveland_2017_seed.txt').stat().st_size * 60:,} bytes, over the limit of 200,000 bytes"
    assert "does not exist" in reasons["bad/broken_link.txt"] and "gone.txt" in reasons["bad/broken_link.txt"]
    assert not any(path.startswith("bad/folder.txt") for path in reasons)  # a folder named like a release is walked, not read
    assert "NUL" in reasons["bad/binary.txt"]
    assert "neither UTF-8 nor Windows-1252" in reasons["bad/undecodable.txt"]
    assert reasons["bad/empty.txt"] == "input is empty"
    assert reasons["bad/whitespace.md"] == "input holds only white space"
    assert summary.errors == errors


def test_releases_jsonl(runs):
    _, out, summary, _, _ = runs
    documents = read_jsonl(out / "releases.jsonl")
    assert len(documents) == summary.releases
    keys = [(d["source"]["path"], d["source"]["release_index"]) for d in documents]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for document in documents:
        assert validation_errors(document) == []
    by_path = {}
    for d in documents:
        by_path.setdefault(d["source"]["path"], []).append(d)
    assert [d["force"]["id"] for d in by_path["good/bundle_kent_gwent.txt"]] == ["kent", "gwent"]
    html = by_path["good/news_feed.html"]
    assert [d["force"]["id"] for d in html] == ["south-yorkshire", "hampshire"]
    assert {d["source"]["format"] for d in html} == {"html"} and {d["source"]["offsets"] for d in html} == {"extracted_text"}
    assert [d["source"]["release_index"] for d in html] == [0, 1]
    # a single release is what ``parse`` gives
    for src in good_fixtures():
        rel = next(p for p in by_path if p.endswith("/" + src.name))
        (document,) = by_path[rel]
        expected = parse_file(src).model_dump(mode="json")
        expected["source"]["path"] = rel
        assert document == expected


def test_findings_csv(runs):
    _, out, summary, _, _ = runs
    with open(out / "findings.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == summary.findings
    documents = read_jsonl(out / "releases.jsonl")
    expected = [
        [d["source"]["path"], str(d["source"]["release_index"]), (d["force"] or {}).get("id", ""), d["stage"],
         (d["fieldwork"] or {}).get("start", ""), (d["fieldwork"] or {}).get("end", ""), f["kind"], ";".join(f["themes"]),
         f["urgency"], f["text"], str(f["start"]), str(f["end"]), f["id"]]
        for d in documents for f in d["findings"]
    ]
    assert rows[1:] == expected
    gwent_rows = [r for r in rows[1:] if r[0] == "good/bundle_kent_gwent.txt" and r[1] == "1"]
    assert gwent_rows and {r[2] for r in gwent_rows} == {"gwent"}
    assert any(";" in r[7] for r in rows[1:])


def test_sqlite_schema_and_queries(runs):
    _, out, summary, _, _ = runs
    documents = read_jsonl(out / "releases.jsonl")
    db = sqlite3.connect(out / "findings.sqlite")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"releases", "findings", "finding_themes", "quotes", "notes"}
    indexes = {r[0]: (r[1], r[2]) for r in db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert indexes["releases_force"][0] == "releases" and "force_id" in indexes["releases_force"][1]
    assert indexes["finding_themes_theme"][0] == "finding_themes" and "theme" in indexes["finding_themes_theme"][1]
    fks = {(t, r[2]) for t in ("findings", "finding_themes", "quotes", "notes") for r in db.execute(f"PRAGMA foreign_key_list({t})")}
    assert fks == {("findings", "releases"), ("finding_themes", "findings"), ("quotes", "releases"), ("notes", "releases")}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM releases") == summary.releases
    assert count("SELECT count(*) FROM findings") == summary.findings
    assert count("SELECT count(*) FROM finding_themes") == sum(len(f["themes"]) for d in documents for f in d["findings"])
    assert count("SELECT count(*) FROM quotes") == sum(len(d["quotes"]) for d in documents)
    assert count("SELECT count(*) FROM notes") == sum(len(d["notes"]) for d in documents)
    assert db.execute("SELECT path, release_index, force_id FROM releases WHERE path = 'good/bundle_kent_gwent.txt' ORDER BY 2").fetchall() == [
        ("good/bundle_kent_gwent.txt", 0, "kent"), ("good/bundle_kent_gwent.txt", 1, "gwent")]
    # findings per force with a theme, against the same count made from releases.jsonl
    theme = "missing_children"
    expected: dict[str, int] = {}
    for d in documents:
        for f in d["findings"]:
            if theme in f["themes"]:
                expected[d["force"]["id"]] = expected.get(d["force"]["id"], 0) + 1
    got = dict(db.execute(
        "SELECT r.force_id, count(*) FROM findings f JOIN releases r ON r.id = f.release_id "
        "JOIN finding_themes t ON t.finding_id = f.id WHERE t.theme = ? GROUP BY r.force_id", (theme,)))
    assert got == expected and sum(got.values()) >= 5
    plan = " ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN SELECT finding_id FROM finding_themes WHERE theme = 'custody'"))
    assert "finding_themes_theme" in plan
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # every index holds every row
    db.close()


def _database_rows(path: Path) -> tuple[list, list, list]:
    """Releases (document as stored, its type), findings and themes as the database holds them,
    keyed by release path and index, in id order."""
    db = sqlite3.connect(path)
    releases = db.execute("SELECT id, path, release_index, typeof(document), document FROM releases ORDER BY id").fetchall()
    findings = db.execute("SELECT f.id, r.path, r.release_index, f.position, f.stable_id, f.text, f.start, f.\"end\" "
                          "FROM findings f JOIN releases r ON r.id = f.release_id ORDER BY f.id").fetchall()
    themes = db.execute("SELECT r.path, r.release_index, f.position, t.theme, t.confidence, t.rule FROM finding_themes t "
                        "JOIN findings f ON f.id = t.finding_id JOIN releases r ON r.id = f.release_id "
                        "ORDER BY t.finding_id, t.theme").fetchall()
    db.close()
    return releases, findings, themes


def test_sqlite_rows_are_the_documents_fresh_reused_and_in_small_inserts(runs, tmp_path, monkeypatch):
    """Workers hand each file's rows over numbered from 0, in multi-row INSERTs that add the writer's
    next ids; the documents come as UTF-8 bytes. The database must hold each release's document as
    text, equal to its line in releases.jsonl, and each finding and theme under its own release,
    whether the rows came from a worker, from the journal (a resumed run) or in many small INSERTs."""
    inp, out1, one, _, _ = runs
    lines = (out1 / "releases.jsonl").read_text(encoding="utf-8").splitlines()
    documents = [json.loads(line) for line in lines]
    releases, findings, themes = _database_rows(out1 / "findings.sqlite")
    assert releases == [(k + 1, d["source"]["path"], d["source"]["release_index"], "text", line)
                        for k, (d, line) in enumerate(zip(documents, lines, strict=True))]
    expected = [(d["source"]["path"], d["source"]["release_index"], p, f["id"], f["text"], f["start"], f["end"])
                for d in documents for p, f in enumerate(d["findings"])]
    assert [row[1:] for row in findings] == expected and [row[0] for row in findings] == list(range(1, len(expected) + 1))
    assert sorted(themes) == sorted((d["source"]["path"], d["source"]["release_index"], p, t, f["confidence"][t],
                                     (f.get("theme_rules") or {}).get(t))
                                    for d in documents for p, f in enumerate(d["findings"]) for t in f["themes"])
    assert any(len(d["findings"]) > 2 for d in documents) and any(d["source"]["release_index"] for d in documents)

    reused = tmp_path / "reused"
    shutil.copytree(out1, reused)
    again = run_batch(inp, reused, workers=1, max_bytes=MAX_BYTES, quiet=True)
    assert again.extracted == 0 and again.reused == one.extracted
    assert sqlite_dump(reused / "findings.sqlite") == sqlite_dump(out1 / "findings.sqlite")

    if sys.platform.startswith("linux"):  # forked workers inherit the patch; spawned ones would not
        monkeypatch.setattr(batch_module, "_GROUP_ROWS", 2)
        small = tmp_path / "small"
        run_batch(inp, small, workers=1, max_bytes=MAX_BYTES, quiet=True)
        assert sqlite_dump(small / "findings.sqlite") == sqlite_dump(out1 / "findings.sqlite")


def test_a_page_of_many_releases_stays_within_old_sqlite_parameter_limits(tmp_path, monkeypatch):
    """SQLite before 3.32 takes at most 999 parameters a statement: the INSERT of a page's
    releases (18 values a row) must be split below that, whatever the build at hand allows."""
    real_open = batch_module._Outputs._open

    def old_limit(self):
        real_open(self)
        self.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

    monkeypatch.setattr(batch_module._Outputs, "_open", old_limit)
    release = fixture_text(FIXTURES / BUNDLE_PARTS[0]).strip()
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "page.txt").write_text("\n\n".join([release] * 70) + "\n", encoding="utf-8")
    summary = run_batch(inp, tmp_path / "out", workers=1, quiet=True)
    assert (summary.failed, summary.releases) == (0, 70)
    db = sqlite3.connect(tmp_path / "out" / "findings.sqlite")
    assert db.execute("SELECT count(*), min(id), max(id), count(DISTINCT release_index) FROM releases").fetchone() == (70, 1, 70, 70)
    per_release = db.execute("SELECT count(*) FROM findings GROUP BY release_id").fetchall()
    assert len(per_release) == 70 and len(set(per_release)) == 1 and per_release[0][0] > 0


def test_indexes_made_before_the_last_files_hold_their_rows_too(tmp_path, monkeypatch):
    made_at = []
    real = batch_module._Outputs.add_indexes
    monkeypatch.setattr(batch_module, "_INDEXES_BEFORE_END", 3)

    def add_indexes(self):
        if not self.indexed:
            made_at.append(self.count_releases)
        real(self)

    monkeypatch.setattr(batch_module._Outputs, "add_indexes", add_indexes)
    summary = run_batch(FIXTURES, tmp_path / "out", workers=1, quiet=True)
    assert summary.files > 10 and made_at and 0 < made_at[0] < summary.releases  # rows before and after
    db = sqlite3.connect(tmp_path / "out" / "findings.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("SELECT count(*) FROM releases INDEXED BY releases_force").fetchone()[0] == summary.releases
    by_index = db.execute("SELECT count(*) FROM finding_themes INDEXED BY finding_themes_theme WHERE theme > ''").fetchone()[0]
    assert by_index == db.execute("SELECT count(*) FROM finding_themes").fetchone()[0] > 0
    db.close()


def test_outputs_do_not_depend_on_the_number_of_workers(runs):
    _, out1, one, out2, two = runs
    for name in ("releases.jsonl", "findings.csv", "errors.jsonl", ".state.jsonl"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    assert sqlite_dump(out1 / "findings.sqlite") == sqlite_dump(out2 / "findings.sqlite")
    assert (one.releases, one.findings, one.failed) == (two.releases, two.findings, two.failed)
    assert sorted(p.name for p in out1.iterdir()) == [".lock", ".state.jsonl", "errors.jsonl", "findings.csv",
                                                      "findings.sqlite", "releases.jsonl"]


def test_unreadable_file(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "ok.txt")
    locked = inp / "locked.txt"
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", locked)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        summary = run_batch(inp, tmp_path / "out", workers=1, quiet=True)
    finally:
        locked.chmod(0o644)
    assert read_jsonl(tmp_path / "out" / "errors.jsonl") == [
        {"path": "locked.txt", "code": "unreadable", "reason": "cannot be read: permission denied"}]
    assert (summary.releases, summary.failed, summary.exit_code) == (1, 1, 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers, which inherit the patch")
def test_permission_denied_is_an_error_record_even_as_root(tmp_path, monkeypatch):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "ok.txt")
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "denied.txt")
    real_open = os.open

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("denied.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(api_module.os, "open", guarded_open)  # (root may read any file: the refusal is made up)
    summary = run_batch(inp, tmp_path / "out", workers=1, quiet=True)
    assert summary.errors == [{"path": "denied.txt", "code": "unreadable", "reason": "cannot be read: permission denied"}]
    assert (summary.extracted, summary.releases, summary.exit_code) == (1, 1, 1)


def test_content_errors_are_reused_but_read_errors_are_looked_at_again(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "ok.txt")
    (inp / "binary.txt").write_bytes(b"\x00\x01" * 100)
    (inp / "link.txt").symlink_to(inp / "later.txt")
    first = run_batch(inp, out, workers=1, quiet=True)
    assert (first.extracted, first.failed) == (1, 2)
    state = [json.loads(line) for line in (out / ".state.jsonl").read_text().splitlines()]
    assert [(s["path"], s["status"], s.get("code")) for s in state] == [("binary.txt", "error", "binary"), ("ok.txt", "ok", None)]
    shutil.copy(FIXTURES / "a_kent_2015_inspection.txt", inp / "later.txt")  # the link now resolves
    second = run_batch(inp, out, workers=1, quiet=True)
    assert (second.extracted, second.reused, second.failed) == (2, 1, 1)
    assert [e["code"] for e in second.errors] == ["binary"]
    assert [d["source"]["path"] for d in read_jsonl(out / "releases.jsonl")] == ["later.txt", "link.txt", "ok.txt"]


def test_odd_names_and_an_output_folder_inside_the_input(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "ordinary.txt")
    shutil.copy(FIXTURES / "a_kent_2015_inspection.txt", os.path.join(os.fsencode(inp), b"caf\xe9 kent.TXT"))
    shutil.copy(FIXTURES / "b_gwent_2014_inspection.txt", inp / "sp ace & \u00fcml\u00e4ut.txt")
    out = inp / "results"
    first = run_batch(inp, out, workers=1, quiet=True, globs=["*"])
    second = run_batch(inp, out, workers=1, quiet=True, globs=["*"])  # its own outputs are not inputs
    assert (first.files, first.releases, first.failed) == (3, 3, 0)
    assert (second.files, second.reused, second.extracted) == (3, 3, 0)
    paths = [d["source"]["path"] for d in read_jsonl(out / "releases.jsonl")]
    assert paths == ["caf\\xe9 kent.TXT", "ordinary.txt", "sp ace & \u00fcml\u00e4ut.txt"]


# -- resume ---------------------------------------------------------------------------------------
def test_resume_reuses_unchanged_files_and_redoes_changed_ones(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    good = good_fixtures()
    for src in good[:3]:
        shutil.copy(src, inp / src.name)
    first = run_batch(inp, out, workers=1, quiet=True)
    assert (first.extracted, first.reused) == (3, 0)
    for src in good[3:]:
        shutil.copy(src, inp / src.name)
    second = run_batch(inp, out, workers=2, quiet=True)
    assert (second.extracted, second.reused, second.failed) == (len(good) - 3, 3, 0)
    assert second.releases == len(good)
    changed = inp / good[0].name
    changed.write_bytes(changed.read_bytes().replace(b"Inspectors were pleased to find", b"Inspectors were glad to find", 1) + b"\n")
    (inp / good[1].name).unlink()
    third = run_batch(inp, out, workers=1, quiet=True)
    assert (third.extracted, third.reused, third.releases) == (1, len(good) - 2, len(good) - 1)
    documents = read_jsonl(out / "releases.jsonl")
    paths = [d["source"]["path"] for d in documents]
    assert paths == sorted(p.name for p in inp.iterdir()) and len(set(paths)) == len(paths)
    redone = next(d for d in documents if d["source"]["path"] == good[0].name)
    import hashlib

    assert redone["source"]["sha256"] == hashlib.sha256(changed.read_bytes()).hexdigest()
    state = read_jsonl(out / ".state.jsonl")  # compacted: one line per current file
    assert [s["path"] for s in state] == paths


def _batch_started(inp: Path, out: Path, count: int, *options: str, **popen) -> subprocess.Popen:
    """The batch command started in a subprocess on ``count`` copies of the text fixtures (each made
    unique) written to ``inp``, once it has journaled 10 files: a run to stop part-way."""
    inp.mkdir()
    sources = [p for p in fixture_files() if p.suffix == ".txt" and not p.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))]
    for k in range(count):  # (UTF-16 files left out: ASCII bytes appended would break them)
        src = sources[k % len(sources)]
        (inp / f"{k:03d}_{src.name}").write_bytes(src.read_bytes() + f"\n\nRef {k}\n".encode())
    command = [sys.executable, "-c", "from ncpi_extract.batch_cli import batch; batch()", str(inp), "-o", str(out),
               *options]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
    state = out / ".state.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if state.exists() and state.read_bytes().count(b"\n") >= 10:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be stopped"
    return proc


def test_a_journal_line_of_neither_form_is_skipped_not_a_traceback(tmp_path):
    """An 'ok' line without releases, or an error line without a reason (a journal edited by hand), is no result: the
    file is extracted again."""
    inp, out = good_folder(tmp_path, 3)
    run_batch(inp, out, workers=1, quiet=True)
    state = out / ".state.jsonl"
    heads = []
    for line in state.read_text(encoding="utf-8").splitlines():
        head = json.loads(line)
        head.pop("releases", None)
        heads.append(head)
    heads[1] = {**heads[1], "status": "error", "code": "empty"}  # and no reason
    state.write_text("".join(json.dumps(h) + "\n" for h in heads), encoding="utf-8")
    summary = run_batch(inp, out, workers=1, quiet=True)
    assert (summary.reused, summary.extracted, summary.failed) == (0, 3, 0)


def test_names_that_are_not_utf8_and_names_with_a_backslash_never_show_alike(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    shutil.copy(FIXTURES / "a_kent_2015_inspection.txt", os.fsdecode(bytes(inp) + b"/caf\xe9.txt"))
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "caf\\xe9.txt")
    summary = run_batch(inp, out, workers=1, quiet=True)
    assert (summary.files, summary.releases, summary.failed) == (2, 2, 0)
    paths = [d["source"]["path"] for d in read_jsonl(out / "releases.jsonl")]
    assert sorted(paths) == ["caf\\\\xe9.txt", "caf\\xe9.txt"]


def test_a_pipe_where_a_file_was_is_no_file_and_no_hang(tmp_path, monkeypatch):
    """A file swapped for a pipe between the look at its kind and its opening would block the reader for ever."""
    from ncpi_extract import api

    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    real_stat = os.stat
    regular = real_stat(FIXTURES / "cleveland_2017_seed.txt")
    monkeypatch.setattr(api.os, "stat", lambda path, *a, **k: regular if str(path) == str(fifo) else real_stat(path, *a, **k))
    with pytest.raises(api.InputError, match="not a regular file"):
        api.read_file(fifo)


def test_resume_after_a_killed_run(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    count = 160
    proc = _batch_started(inp, out, count, "--workers", "1", "--quiet")
    state = out / ".state.jsonl"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    journaled = state.read_bytes()
    done = journaled.count(b"\n")
    assert 10 <= done < count
    for name in ("releases.jsonl", "findings.csv", "findings.sqlite", "errors.jsonl"):
        assert not (out / name).exists(), name  # nothing half written: outputs come only at the end
    with open(state, "ab") as f:  # as if the kill had cut a line short
        f.write(b'{"path": "000_cut')
    summary = run_batch(inp, out, workers=2, quiet=True)
    assert (summary.reused, summary.extracted, summary.failed) == (done, count - done, 0)
    documents = read_jsonl(out / "releases.jsonl")
    paths = [d["source"]["path"] for d in documents]
    assert paths == sorted(p.name for p in inp.iterdir())
    with open(out / "findings.csv", newline="", encoding="utf-8") as f:
        assert len(list(csv.reader(f))) - 1 == summary.findings == sum(len(d["findings"]) for d in documents)
    assert not list(out.glob(".ncpi-batch-tmp-*"))



@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_second_ctrl_c_stops_a_two_worker_run_too(tmp_path):
    """The second ^C lands while the pool waits for its chunks: the workers must not be left waiting
    for work, or the interpreter, which joins them on exit, hangs (it did)."""
    inp, out = tmp_path / "in", tmp_path / "out"
    proc = _batch_started(inp, out, 400, "--workers", "2", preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    state = out / ".state.jsonl"
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the run hung after a second Ctrl-C")
    assert proc.returncode in (130, -signal.SIGINT)
    assert b"interrupted" in err
    assert state.read_bytes().count(b"\n") < 400  # stopped part-way
    assert run_batch(inp, out, workers=2, quiet=True).releases == 400  # and resumes

def test_a_failed_output_write_leaves_the_previous_outputs(tmp_path, monkeypatch):
    inp, out = good_folder(tmp_path, 3)
    run_batch(inp, out, workers=1, quiet=True)
    before = {n: (out / n).read_bytes() for n in ("releases.jsonl", "findings.csv", "findings.sqlite", "errors.jsonl")}
    shutil.copy(good_fixtures()[3], inp / good_fixtures()[3].name)
    calls = []

    def failing(self, documents, rows):
        calls.append(documents)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, documents, rows)

    original = batch_module._Outputs.add_file
    monkeypatch.setattr(batch_module._Outputs, "add_file", failing)
    with pytest.raises(BatchRunError, match=r"could not write the outputs: No space left on device\. The outputs in .*out are unchanged") as caught:
        run_batch(inp, out, workers=1, quiet=True)
    assert isinstance(caught.value.__cause__, OSError) and caught.value.__cause__.errno == 28
    assert {n: (out / n).read_bytes() for n in before} == before
    assert not list(out.glob(".ncpi-batch-tmp-*"))
    monkeypatch.undo()
    summary = run_batch(inp, out, workers=1, quiet=True)
    # outputs are written while the run goes on, so the failure may come before the new file is extracted:
    # the journal keeps every file done before it, and the rerun does only the rest
    assert summary.reused >= 3 and (summary.reused + summary.extracted, summary.releases) == (4, 4)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers, which inherit the patch")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_crashing_worker_costs_only_its_file(tmp_path, monkeypatch, workers):
    inp, out = good_folder(tmp_path, 5)
    victim = good_fixtures()[2].name
    original = batch_module._release_pieces

    def crash_on_victim(data, path, **kwargs):
        if path == victim:
            os._exit(3)  # like a segfault or the OOM killer
        return original(data, path, **kwargs)

    monkeypatch.setattr(batch_module, "_release_pieces", crash_on_victim)  # forked workers inherit it
    summary = run_batch(inp, out, workers=workers, quiet=True)
    assert summary.errors == [{"path": victim, "code": "worker_crashed",
                               "reason": f"the worker process died while extracting {victim}"}]
    assert (summary.extracted, summary.releases) == (4, 4)
    assert not list(out.glob(".ncpi-batch-tmp-*"))  # the workers' results folder is gone too
    import hashlib

    state = {s["path"]: s for s in read_jsonl(out / ".state.jsonl")}
    assert state[victim]["sha256"] == hashlib.sha256((inp / victim).read_bytes()).hexdigest()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers, which inherit the patch")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_that_takes_far_too_long_costs_only_itself(tmp_path, monkeypatch, workers):
    """A parser that is quadratic on some input would hold a worker, and the run, for hours: past the time limit the
    workers are stopped, the chunk's other files run again, and the slow file is reported as timed_out."""
    inp, out = good_folder(tmp_path, 5)
    victim = good_fixtures()[2].name
    original = batch_module._release_pieces

    def hang_on_victim(data, path, **kwargs):
        if path == victim:
            time.sleep(600)
        return original(data, path, **kwargs)

    monkeypatch.setattr(batch_module, "_release_pieces", hang_on_victim)  # forked workers inherit it
    monkeypatch.setattr(batch_module, "_TIME_LIMIT_SECONDS", 2.0)
    monkeypatch.setattr(batch_module, "_TIME_LIMIT_SECONDS_PER_MB", 0.0)
    monkeypatch.setattr(batch_module, "_WATCH_SECONDS", 0.1)
    began = time.monotonic()
    summary = run_batch(inp, out, workers=workers, quiet=True)
    assert time.monotonic() - began < 60
    assert summary.errors == [{"path": victim, "code": "timed_out",
                               "reason": "extracting it took longer than 2 s, the limit for a file of its size"}]
    assert (summary.extracted, summary.releases) == (4, 4)
    assert not list(out.glob(".ncpi-batch-tmp-*"))


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    import fcntl

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    out.mkdir()
    with open(out / ".lock", "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(BatchUsageError, match="another batch run"):
            run_batch(inp, out, workers=1, quiet=True)


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:  # closed meanwhile (the listing's own descriptor)
        return ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers, which inherit the patch")
@pytest.mark.parametrize("workers", [1, 2])
def test_files_are_parsed_in_tuned_workers_never_in_the_callers_process(tmp_path, monkeypatch, workers):
    import gc

    inp, _ = good_folder(tmp_path, 3)
    seen = tmp_path / "seen.txt"  # written by whichever process does the work
    real = batch_module._run_chunk

    def note(line):
        with open(seen, "a") as f:
            f.write(f"{os.getpid()} {line}\n")

    def holds_the_lock():  # a copy of the run's lock would keep it taken after the run was killed
        lock = str(tmp_path / "out" / ".lock")
        return any(_readlink(f"/proc/self/fd/{fd}") == lock for fd in os.listdir("/proc/self/fd"))

    def parse_noted(*args):
        note(f"parse {gc.get_threshold()[0]} {gc.get_freeze_count() > 10_000} {holds_the_lock()}")
        return real(*args)

    monkeypatch.setattr(batch_module, "_run_chunk", parse_noted)
    monkeypatch.setattr(batch_module, "_set_malloc", lambda values: note(f"malloc {values == batch_module._MALLOC_KEPT}"))
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert run_batch(inp, tmp_path / "out", workers=workers, quiet=True).releases == 3
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
    lines = [line.split() for line in seen.read_text().splitlines()]
    parsers = {pid for pid, what, *_ in lines if what == "parse"}
    assert 1 <= len(parsers) <= workers and str(os.getpid()) not in parsers  # a busy machine may leave a worker idle
    assert {(what, *rest) for _, what, *rest in lines} == {
        ("parse", str(batch_module._GC_THRESHOLD[0]), "True", "False"), ("malloc", "True")}
    assert parsers <= {pid for pid, what, *_ in lines if what == "malloc"}


# Whether a 12 MB block comes from mmap (glibc counts those in mallinfo2's hblks): with glibc's
# starting thresholds it does, with _MALLOC_KEPT's (16 MB) it comes from the heap.
MMAPPED = r"""
import ctypes, sys
class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "kept":
    from ncpi_extract import batch
    assert batch._set_malloc(batch._MALLOC_KEPT)
before = libc.mallinfo2().hblks
block = libc.malloc(12 << 20)
print(libc.mallinfo2().hblks - before)
libc.free(block)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc"
                    or tuple(map(int, platform.libc_ver()[1].split(".")[:2])) < (2, 33), reason="glibc's mallinfo2")
def test_the_malloc_values_take_effect_on_glibc():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}

    def mmapped(mode):
        return subprocess.run([sys.executable, "-c", MMAPPED, mode], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    assert mmapped("default") == "1"
    assert mmapped("kept") == "0"


def test_malloc_set_through_the_environment_is_left_alone(monkeypatch):
    def no_libc(*args, **kwargs):
        raise AssertionError("mallopt must not be called")

    monkeypatch.setattr(batch_module.ctypes, "CDLL", no_libc)
    for name, value in (("MALLOC_MMAP_THRESHOLD_", "8388608"), ("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1000")):
        with monkeypatch.context() as env:
            env.setenv(name, value)
            assert batch_module._set_malloc(batch_module._MALLOC_KEPT) is False
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")  # not a value _set_malloc sets
    with pytest.raises(AssertionError, match="mallopt must not be called"):
        batch_module._set_malloc(batch_module._MALLOC_KEPT)


def test_a_worker_starts_with_the_collector_and_malloc_tuned(monkeypatch):
    calls = []
    monkeypatch.setattr(batch_module.signal, "signal", lambda *a: calls.append("signal"))
    monkeypatch.setattr(batch_module, "_tune_gc", lambda: calls.append("gc"))
    monkeypatch.setattr(batch_module, "_set_malloc", lambda values: calls.append(values))
    monkeypatch.setattr(batch_module.ctypes, "CDLL", lambda *a, **k: calls.append("prctl") or type("L", (), {"prctl": lambda *a: 0})())
    batch_module._init_worker(os.getppid())
    assert calls == ["signal", "signal", "prctl", "gc", batch_module._MALLOC_KEPT]


# -- the command ----------------------------------------------------------------------------------
def test_cli_help():
    result = CliRunner().invoke(batch, ["--help"])
    assert result.exit_code == 0
    for word in ("INPUT_DIR", "--output", "--glob", "--workers", "--max-bytes", "--quiet", "releases.jsonl",
                 "findings.csv", "findings.sqlite", "errors.jsonl", "Exit status"):
        assert word in result.output


def test_cli_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(batch, [str(tmp_path / "missing"), "-o", str(tmp_path / "out")]).exit_code == 2
    assert runner.invoke(batch, [str(tmp_path)]).exit_code == 2  # no -o
    assert runner.invoke(batch, [str(tmp_path), "-o", str(tmp_path / "o"), "--workers", "0"]).exit_code == 2
    assert runner.invoke(batch, [str(tmp_path), "-o", str(tmp_path / "o"), "--max-bytes", "0"]).exit_code == 2
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = runner.invoke(batch, [str(tmp_path), "-o", str(a_file)])
    assert result.exit_code == 2


def test_cli_output_folder_that_cannot_be_made_is_a_usage_error_without_a_traceback(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = subprocess.run([sys.executable, "-m", "ncpi_extract.cli", "batch", str(FIXTURES), "-o", str(a_file / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"Error: cannot make the output folder {a_file / 'out'}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_folder_that_cannot_be_written_to_is_a_usage_error(tmp_path):
    out = tmp_path / "out"
    run_batch(FIXTURES, out, workers=1, quiet=True)  # used before: its .lock is there
    (out / f".ncpi-batch-tmp-{os.getpid()}-probe").mkdir()  # a file cannot be made where the probe goes
    with pytest.raises(BatchUsageError, match=f"cannot write to the output folder {out}: "):
        run_batch(FIXTURES, out, workers=1, quiet=True)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="flock is POSIX")
def test_a_folder_that_cannot_be_locked_is_a_usage_error(tmp_path, monkeypatch):
    import errno
    import fcntl

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(BatchUsageError, match="cannot lock the output folder .*: No locks available"):
        run_batch(FIXTURES, tmp_path / "out", workers=1, quiet=True)


def test_a_database_error_part_way_exits_3_with_a_line(tmp_path, monkeypatch):
    inp, out = good_folder(tmp_path, 3)

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(batch_module._Outputs, "flush_rows", full)
    result = CliRunner().invoke(batch, [str(inp), "-o", str(out), "-j", "1", "-q"])
    assert result.exit_code == 3
    assert result.output == (f"ncpi-extract: error: could not write the outputs: database or disk is full. The outputs "
                             f"in {out} are unchanged, and its .state.jsonl keeps the files finished before this: run "
                             "the same command again, once the cause is fixed, to resume\n")
    assert sorted(p.name for p in out.iterdir()) == [".lock", ".state.jsonl"]  # no temporary file, no output
    journaled = len(read_jsonl(out / ".state.jsonl"))  # the files done before the failure (its first write)
    assert journaled >= 1
    monkeypatch.undo()
    again = run_batch(inp, out, workers=1, quiet=True)
    assert (again.reused, again.reused + again.extracted, again.failed) == (journaled, 3, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("failing_fork", [1, 2])
def test_workers_that_cannot_be_started_exit_3_with_a_line(tmp_path, monkeypatch, failing_fork):
    import multiprocessing

    forks = []
    real_fork = os.fork

    def fork():
        forks.append(1)
        if len(forks) == failing_fork:  # the second: one worker is already running
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    out = tmp_path / "out"
    result = CliRunner().invoke(batch, [str(FIXTURES), "-o", str(out), "-j", "2", "-q"])
    monkeypatch.undo()
    assert result.exit_code == 3
    assert result.output.startswith("ncpi-extract: error: could not start the worker processes: "
                                    f"Resource temporarily unavailable. The outputs in {out} are unchanged")
    assert sorted(p.name for p in out.iterdir()) == [".lock", ".state.jsonl"]
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:  # reaps the killed worker
        time.sleep(0.05)
    assert multiprocessing.active_children() == []  # none left for the interpreter to wait for at exit


def test_a_pipeline_that_cannot_be_loaded_for_the_workers_exits_3(tmp_path, monkeypatch):
    def unreadable():
        raise PermissionError(13, "Permission denied", "models/ncpi_en/config.cfg")

    monkeypatch.setattr(batch_module, "_warm_up", unreadable)
    monkeypatch.setattr(batch_module, "_init_worker", lambda parent: unreadable())  # where workers load it themselves
    with pytest.raises(BatchRunError, match=r"could not start the worker processes: Permission denied \(models/ncpi_en"):
        run_batch(FIXTURES, tmp_path / "out", workers=1, quiet=True)


def test_a_failure_part_way_through_opening_the_outputs_leaves_no_temporary_file(tmp_path, monkeypatch):
    def full(*args, **kwargs):  # after the text files are made, before the database is
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(batch_module.sqlite3, "connect", full)
    with pytest.raises(BatchRunError, match="database or disk is full"):
        run_batch(FIXTURES, tmp_path / "out", workers=1, quiet=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".lock", ".state.jsonl"]


def test_the_journal_closes_its_file_when_its_last_sync_fails(tmp_path, monkeypatch):
    journal = batch_module._Journal(tmp_path / ".state.jsonl")
    journal.unsynced = True

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(batch_module.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        journal.close()
    assert journal.file.closed


def test_a_failure_while_moving_the_outputs_in_says_so_and_the_next_run_writes_them_all(tmp_path, monkeypatch):
    inp, out = good_folder(tmp_path, 2)
    run_batch(inp, out, workers=1, quiet=True)
    shutil.copy(good_fixtures()[2], inp / good_fixtures()[2].name)
    moves = []
    real_replace = os.replace

    def replace(src, dst):
        moves.append(dst)
        if len(moves) == 3:  # releases.jsonl and findings.csv are in, findings.sqlite is not
            raise OSError(5, "Input/output error", str(src), None, str(dst))  # as os.replace raises it
        return real_replace(src, dst)

    monkeypatch.setattr(batch_module.os, "replace", replace)
    with pytest.raises(BatchRunError, match=r"could not move the outputs into place: Input/output error \(.*tmp.*findings"
                                            r"\.sqlite -> .*out/findings\.sqlite\)\. Some outputs "
                                            r"in .*out may be this run's and others older"):
        run_batch(inp, out, workers=1, quiet=True)
    assert len(read_jsonl(out / "releases.jsonl")) == 3
    assert sqlite3.connect(out / "findings.sqlite").execute("SELECT count(*) FROM releases").fetchone()[0] == 2
    monkeypatch.undo()
    again = run_batch(inp, out, workers=1, quiet=True)
    assert (again.reused, again.extracted, again.releases) == (3, 0, 3)
    assert sqlite3.connect(out / "findings.sqlite").execute("SELECT count(*) FROM releases").fetchone()[0] == 3
    assert not list(out.glob(".ncpi-batch-tmp-*"))


def test_cli_exit_codes_globs_and_quiet(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIXTURES / "cleveland_2017_seed.txt", inp / "seed.txt")
    shutil.copy(FIXTURES / "b_west_midlands_2018_inspection.html", inp / "page.HTM")
    (inp / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(batch, [str(inp), "-o", str(tmp_path / "all"), "--workers", "1"])
    assert result.exit_code == 1
    assert "empty.txt: input is empty [empty]" in result.output
    assert "3 files (2 extracted, 0 unchanged, 1 failed), 2 releases" in result.output
    result = runner.invoke(batch, [str(inp), "-o", str(tmp_path / "htm"), "--glob", "*.htm", "-j", "1", "-q"])
    assert (result.exit_code, result.output) == (0, "")
    (document,) = read_jsonl(tmp_path / "htm" / "releases.jsonl")
    assert document["source"]["path"] == "page.HTM" and document["force"]["id"] == "west-midlands"
    result = runner.invoke(batch, [str(inp), "-o", str(tmp_path / "seed"), "--glob", "seed.*", "--glob", "nothing*", "-j", "1"])
    assert result.exit_code == 0 and "1 files (1 extracted, 0 unchanged, 0 failed), 1 releases" in result.output


def _chunks_of(monkeypatch, files: int) -> None:
    """Make the pool hand out chunks of ``files`` files, however few files there are."""
    real_init = batch_module._Pool.__init__

    def sized(self, *args):
        real_init(self, *args)
        self.chunk_size = files

    monkeypatch.setattr(batch_module._Pool, "__init__", sized)



def test_chunks_shrink_towards_the_end_with_several_workers():
    """So that two workers finish together; one worker keeps full chunks (fewer messages)."""
    tasks = [batch_module._Task(f"{k}.txt", f"/x/{k}.txt", ".txt", 100) for k in range(1000)]
    sizes = [len(chunk) for chunk in batch_module._chunks(iter(tasks), 32, len(tasks), 2)]
    assert sum(sizes) == 1000 and sizes[:5] == [32] * 5 and sizes[-3:] == [1, 1, 1]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) < 60
    assert [len(chunk) for chunk in batch_module._chunks(iter(tasks), 32, len(tasks), 1)] == [32] * 31 + [8]
    big = [batch_module._Task(f"{k}.txt", f"/x/{k}.txt", ".txt", 3 << 20) for k in range(4)]
    assert [len(chunk) for chunk in batch_module._chunks(iter(big), 32, 4, 1)] == [2, 2]  # 4 MB at most, as before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers, which inherit the patch")
def test_a_parser_bug_in_a_batched_chunk_costs_only_its_file(tmp_path, monkeypatch):
    """Releases of a chunk go through one nlp.pipe; if that fails part-way, the files it had not
    finished are redone alone."""
    inp, out = good_folder(tmp_path, 3)
    victim = sorted(p.name for p in good_fixtures()[:3])[1]
    original = batch_module.iter_text_documents
    chunk_sizes = tmp_path / "chunks.txt"

    def fail_at_victim(items, **kwargs):
        with open(chunk_sizes, "a") as f:
            f.write(f"{len(items)}\n")
        for (_, source), document in zip(items, original(items, **kwargs), strict=True):
            if source.path == victim:
                raise RuntimeError("a parser bug")
            yield document

    _chunks_of(monkeypatch, 3)
    monkeypatch.setattr(batch_module, "iter_text_documents", fail_at_victim)  # forked workers inherit it
    summary = run_batch(inp, out, workers=1, quiet=True)
    assert summary.errors == [{"path": victim, "code": "internal_error", "reason": "RuntimeError: a parser bug"}]
    assert summary.extracted == 2
    # one chunk of the three files, then the victim and the files after it alone (not those before)
    before = sorted(p.name for p in inp.iterdir()).index(victim)
    assert before > 0 and chunk_sizes.read_text().split() == ["3"] + ["1"] * (3 - before)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers, which inherit the patch")
def test_a_document_failing_the_schema_costs_only_its_file(tmp_path, monkeypatch):
    """The first release of a bundle fails the check: the bundle is an invalid_output error, and the
    file after it in the same chunk still gets its own documents, not the bundle's left-overs."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    kent, gwent = (fixture_text(FIXTURES / n).strip() for n in BUNDLE_PARTS)
    (inp / "a.txt").write_bytes((FIXTURES / "cleveland_2017_seed.txt").read_bytes())
    (inp / "b_bundle.txt").write_text(kent + "\n\n" + gwent + "\n", encoding="utf-8")
    (inp / "c.txt").write_bytes(good_fixtures()[0].read_bytes())
    real_check = batch_module.checked_json

    def reject_first_of_bundle(document):
        if document["source"]["path"] == "b_bundle.txt" and document["source"]["release_index"] == 0:
            raise ValueError("a document that fails the schema")
        return real_check(document)

    _chunks_of(monkeypatch, 3)
    monkeypatch.setattr(batch_module, "checked_json", reject_first_of_bundle)  # forked workers inherit both
    summary = run_batch(inp, out, workers=1, quiet=True)
    assert summary.errors == [{"path": "b_bundle.txt", "code": "invalid_output", "reason": "a document that fails the schema"}]
    documents = read_jsonl(out / "releases.jsonl")
    assert [(d["source"]["path"], d["source"]["release_index"]) for d in documents] == [("a.txt", 0), ("c.txt", 0)]
    alone = {name: parse_file(inp / name).model_dump(mode="json")["findings"] for name in ("a.txt", "c.txt")}
    assert [d["findings"] for d in documents] == [alone["a.txt"], alone["c.txt"]]


def test_results_waiting_for_a_slow_file_are_read_back_from_the_journal(tmp_path, monkeypatch):
    from ncpi_extract import batch

    inp = tmp_path / "in"
    inp.mkdir()
    for k, src in enumerate(good_fixtures()[:6]):
        shutil.copy(src, inp / f"{k}_{src.name}")
    expected_out = tmp_path / "expected"
    run_batch(inp, expected_out, workers=1, quiet=True)
    monkeypatch.setattr(batch, "_MAX_WAITING", 2)
    real_execute = batch._execute

    def first_file_last(*args):  # the first file's result arrives after all the others, each on its own
        results = [result for chunk in real_execute(*args) for result in chunk]
        yield from ([result] for result in results[1:] + results[:1])

    monkeypatch.setattr(batch, "_execute", first_file_last)
    out = tmp_path / "out"
    summary = run_batch(inp, out, workers=1, quiet=True)
    assert summary.releases == 6 and summary.failed == 0
    for name in ("releases.jsonl", "findings.csv", "errors.jsonl"):
        assert (out / name).read_bytes() == (expected_out / name).read_bytes(), name


def _leaf_types(value, found: set) -> set:
    found.add(type(value))
    children = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    for child in children:
        _leaf_types(child, found)
    return found


def test_a_chunk_reaches_the_parent_as_it_was_made(tmp_path):
    """Workers send a chunk's results as one marshal string: it must read back equal, and
    hold only the plain types marshal writes exactly (it would write a numpy scalar as bytes)."""
    import hashlib

    tasks = [batch_module._Task(path.name, str(path), path.suffix, path.stat().st_size) for path in fixture_files()]
    tasks.append(batch_module._Task("empty.txt", "/nowhere/empty.txt", ".txt", 0, b"", hashlib.sha256(b"").hexdigest()))
    tasks.append(batch_module._Task("gone.txt", "/nowhere/gone.txt", ".txt", 0))
    results = batch_module._run_chunk(tasks, batch_module.DEFAULT_MAX_BYTES)
    assert any(r["status"] == "ok" for r in results) and any(r["status"] == "error" for r in results)
    packed = batch_module._run_chunk_packed(tasks, batch_module.DEFAULT_MAX_BYTES)
    assert isinstance(packed, bytes)
    assert batch_module._unpacked(packed) == results
    spool = tmp_path / "spool"
    spool.mkdir()
    spooled = batch_module._run_chunk_packed(tasks, batch_module.DEFAULT_MAX_BYTES, str(spool))
    assert isinstance(spooled, str) and Path(spooled).parent == spool
    assert batch_module._unpacked(spooled) == results and not list(spool.iterdir())
    gone = next(r for r in results if r["path"] == "gone.txt")
    assert gone == {"path": "gone.txt", "sha256": "", "status": "error", "code": "not_found", "reason": "no such file",
                    "unread": True}
    assert _leaf_types(results, set()) <= {dict, list, tuple, str, bytes, int, float, bool, type(None)}


def test_a_result_marshal_cannot_write_is_sent_as_it_is(monkeypatch):
    class Text(str):
        pass

    odd = [{"path": Text("a.txt"), "status": "error", "code": "empty", "reason": "x", "sha256": "0"}]
    monkeypatch.setattr(batch_module, "_run_chunk", lambda tasks, max_bytes: odd)
    sent = batch_module._run_chunk_packed([], None)
    assert sent is odd and batch_module._unpacked(sent) is odd


def test_listing_matches_and_names_as_fnmatch_and_pathlib_do():
    """The listing's one-regex glob test and its suffix are quicker forms of fnmatchcase over
    lower-cased names and of PurePath.suffix: they must agree with them (with 3.11's suffix)."""
    import fnmatch
    from pathlib import PurePath

    globs = ["*.txt", "*.HTML", "news/*.md", "[ab]?.htm", "*/2019/*", "x*y"]
    suffixes = {"a.": "", "a..": ""}  # as Python 3.11-3.13 have it (3.14 calls a final dot a suffix)
    matches = batch_module._matcher(globs)
    names = ["a.txt", "A.TXT", "b.html", "news", "notes.md", "ab.htm", "aa.HTM", "c1.htm", "xy", "x.y", "xay", "a.", ".txt",
             "a.tar.gz", "a..", "..a", ".hidden.md", "\u00e9t\u00e9.txt", "a.txt.bak", "[ab].htm", "no_suffix"]
    for folder in ["", "news/", "2019/", "x/2019/", "NEWS/sub/"]:
        for name in names:
            rel = folder + name
            expected = any(fnmatch.fnmatchcase((rel if "/" in g else name).lower(), g.lower()) for g in globs)
            assert matches(rel, name) == expected, rel
            assert batch_module._Input(rel, "/in/" + rel).suffix == suffixes.get(name, PurePath(name).suffix), rel


def test_the_syncer_writes_files_through_while_its_block_runs(tmp_path, monkeypatch):
    import threading

    monkeypatch.setattr(batch_module, "FSYNC_INTERVAL", 0.01)
    synced: list[int] = []
    monkeypatch.setattr(batch_module, "_datasync", synced.append)
    with open(tmp_path / "a", "wb") as f:
        with batch_module._Syncer([f.fileno()]) as syncer:
            deadline = time.monotonic() + 10
            while not synced and time.monotonic() < deadline:
                time.sleep(0.01)
        assert not syncer.thread.is_alive()
        count = len(synced)
        time.sleep(0.05)
        assert count >= 1 and len(synced) == count and set(synced) == {f.fileno()}
    monkeypatch.undo()
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(good_fixtures()[0], inp)
    run_batch(inp, tmp_path / "out", workers=1, quiet=True)
    assert not [t for t in threading.enumerate() if t.name == "ncpi-batch-sync"]


def test_the_writer_reads_only_files_the_journal_may_reuse(tmp_path, monkeypatch):
    """Workers read the files they extract; the writing process reads a file only to compare it
    with a journaled result, and a file a worker cannot read is reported as before."""
    inp, out = good_folder(tmp_path, 3)
    (inp / "dangling.txt").symlink_to(inp / "nowhere.txt")
    read_here: list[str] = []
    real_read = batch_module._read

    def counted(item, max_bytes):
        read_here.append(item.path)
        return real_read(item, max_bytes)

    monkeypatch.setattr(batch_module, "_read", counted)
    first = run_batch(inp, out, workers=2, quiet=True)
    assert read_here == [] and (first.extracted, first.failed) == (3, 1)
    assert first.errors == [{"path": "dangling.txt", "code": "broken_link",
                             "reason": f"a symbolic link to {inp / 'nowhere.txt'}, which does not exist"}]
    assert "dangling.txt" not in (out / ".state.jsonl").read_text()
    second = run_batch(inp, out, workers=2, quiet=True)
    assert sorted(read_here) == sorted(src.name for src in good_fixtures()[:3])  # the dangling link: not journaled
    assert (second.reused, second.extracted, second.failed) == (3, 0, 1)


def test_workers_results_come_back_however_the_folder_for_them_fares(tmp_path, monkeypatch):
    """Workers hand results back through files in the output folder: with no such folder they
    come through the pool, a result file that cannot be read back has its files redone one by
    one, and a killed run's folder is removed by the next run."""
    inp, _ = good_folder(tmp_path, 6)
    expected = tmp_path / "expected"
    run_batch(inp, expected, workers=1, quiet=True)

    def same(out):
        return all((out / n).read_bytes() == (expected / n).read_bytes() for n in ("releases.jsonl", "findings.csv"))

    out = tmp_path / "no-folder"
    monkeypatch.setattr(batch_module._Pool, "_make_spool", lambda self: None)
    assert run_batch(inp, out, workers=2, quiet=True).failed == 0 and same(out)
    monkeypatch.undo()

    real_unpacked = batch_module._unpacked
    lost: list[int] = []

    def lose_the_first(results):
        if not lost:
            lost.append(1)
            if isinstance(results, str):
                os.unlink(results)
            raise FileNotFoundError("gone")
        return real_unpacked(results)

    monkeypatch.setattr(batch_module, "_unpacked", lose_the_first)
    monkeypatch.setattr(batch_module, "_CHUNK_FILES", 3)
    out = tmp_path / "lost"
    summary = run_batch(inp, out, workers=2, quiet=True)
    assert lost and summary.failed == 0 and same(out)
    assert not list(out.glob(".ncpi-batch-tmp-*"))
    monkeypatch.undo()

    left = out / ".ncpi-batch-tmp-999999-results"  # as a killed run leaves it
    left.mkdir()
    (left / "1-0").write_bytes(b"x")
    run_batch(inp, out, workers=2, quiet=True)
    assert not left.exists()


def test_split_releases_reads_a_pages_kicker_meta_lines_and_footer():
    first = ("Kent Police must do more for children, says HMIC\n\nPublished: 7 April 2016\n\nSource: HM Inspectorate of "
             "Constabulary\n\nHMIC has today published its report on the child protection work of Kent Police, which it "
             "inspected in January.\n\nInspectors were pleased to find:\n\n• a strong commitment.\n\nNotes to editors\n\n"
             "1. HMIC inspects policing.\n\nLast updated: 8 April 2016\n\nShare this page:")
    second = ("Press release\n\nProgress in South Wales, but some children still at risk, finds HMIC\n\nHMIC has revisited "
              "South Wales Police to assess the progress it has made. The review, published today, sets out what has "
              "changed.\n\nInspectors found that the force had improved.\n")
    text = first + "\n\n" + second
    assert split_releases(text) == [(0, len(first)), (len(first) + 2, len(text))]
    assert split_releases(first) == [(0, len(first))]  # a page footer is no headline of a release after it


@pytest.mark.parametrize("after", [
    "Media briefing for journalists\n\nDate 10 May 2016 Time 10am Venue Kent Police headquarters, Sutton Road, Maidstone\n\n"
    "HMIC inspectors will be available to discuss the findings of the report with journalists after the briefing.\n",
    "Correction to this release\n\nUpdated 5 May 2016 to correct the number of case files that the inspectors examined\n\n"
    "HMIC's report on Kent Police, published on 3 May 2016, said that inspectors examined 120 case files; it was 102.\n",
])
def test_a_dated_line_without_a_colon_that_is_no_page_s_facts_starts_no_release(after):
    release = ("Kent Police child protection inspection published\n\nPublished 3 May 2016\n\nHMIC has today published a report "
               "on child protection in Kent Police. Inspectors found that the force had improved its response to missing "
               "children.\n\nInspectors found that the force has:\n\n- improved its handling of missing children;\n"
               "- trained staff well.\n\nHM Inspector of Constabulary Wendy Williams said: \"This is good progress.\"\n\n")
    text = release + after
    assert split_releases(text) == [(0, len(text))]


@pytest.mark.parametrize("facts", [
    "Published 19 October 2022 Last updated 9 January 2023 Forces Cleveland Police",
    "Published 19 October 2022 Content type News release",
])
def test_a_pages_facts_without_colons_under_a_headline_with_no_name(facts):
    first = fixture_text(FIXTURES / "a_kent_2015_inspection.txt").strip()
    second = (f"Better help for missing children, say inspectors\n\n{facts}\n\nCleveland Police has made good progress in "
              "how it protects children, HMICFRS has said.\n\nInspectors found that the force has:\n\n- trained its staff.\n")
    text = first + "\n\n" + second
    assert split_releases(text) == [(0, len(first)), (len(first) + 2, len(text))]
