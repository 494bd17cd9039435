"""Bad input gets a clear error or a warning, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ncpi_extract import InputError, parse, parse_bytes, parse_file
from ncpi_extract.cli import main


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\t\r\n  ", "empty"),
        (b"\x00\x01\x02binary\x00\xff" * 20, "binary"),
        (b"\x81\x8d\x8f\x90\x9d" * 20, "undecodable"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e" * 30, "binary"),
    ],
)
def test_bad_bytes_raise_input_error(data, code):
    with pytest.raises(InputError) as err:
        parse_bytes(data, "bad.txt")
    assert err.value.code == code
    assert err.value.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_text_not_refused_as_binary(codec):
    text = "Kent Police must improve how it protects children\n\nInspectors were concerned to find:\n\n• delays in ‘strategy discussions’\n"
    release = parse_bytes(text.encode(codec), "kent.txt")
    assert release.source.encoding == codec
    assert [(f.kind, f.text) for f in release.findings] == [("concern", "delays in ‘strategy discussions’")]


def test_nul_bytes_on_both_sides_are_still_binary_and_an_odd_utf16_is_undecodable():
    with pytest.raises(InputError) as err:
        parse_bytes(b"a\x00b\x00\x00c" * 10, "x.txt")
    assert err.value.code == "binary" and "NUL" in err.value.message
    with pytest.raises(InputError) as err:
        parse_bytes("text ".encode("utf-16-le") * 20 + b"\xdc\xdc", "x.txt")  # a lone low surrogate
    assert err.value.code == "undecodable" and "utf-16-le" in err.value.message


def test_text_with_a_lone_surrogate_is_refused_as_undecodable_not_a_traceback():
    text = "Kent Police\n\nInspectors were pleased to find:\n\n- good work b" + "\udc80" + "y officers\n"  # surrogateescape's trace
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.code == "undecodable" and "U+DC80 at character 60" in err.value.message


def test_too_large():
    with pytest.raises(InputError) as err:
        parse_bytes(b"x" * 2000, max_bytes=1000)
    assert err.value.code == "too_large"


def test_read_file_reads_all_of_a_file_that_grew_after_stat_and_no_more_than_the_limit(tmp_path, monkeypatch):
    import os

    from ncpi_extract import api

    path = tmp_path / "growing.txt"
    path.write_bytes(b"y" * 900)
    real_stat = os.stat

    def stale_stat(p, *a, **k):  # the size the file had a moment before
        st = real_stat(p, *a, **k)
        return os.stat_result((st.st_mode, *st[1:6], 100, *st[7:]))

    monkeypatch.setattr(api.os, "stat", stale_stat)
    assert api.read_file(path, max_bytes=1000) == b"y" * 900
    path.write_bytes(b"y" * 1500)
    with pytest.raises(InputError) as err:
        api.read_file(path, max_bytes=1000)
    assert err.value.code == "too_large"
    monkeypatch.setattr(api.os, "stat", real_stat)
    assert api.read_file(path, max_bytes=None) == b"y" * 1500
    assert api.read_file(path, max_bytes=1500) == b"y" * 1500


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as err:
        parse_file(tmp_path / "nope.txt")
    assert err.value.code == "not_found"


def test_empty_text():
    with pytest.raises(InputError):
        parse("  \n ")


def test_text_with_no_sections_warns():
    release = parse("A note about the weather.\n\nIt rained all day in the town and nobody minded much.\n")
    codes = {w.code for w in release.warnings}
    assert {"no_sections", "no_findings", "no_quote", "unknown_force"} <= codes
    assert release.findings == [] and release.force is None


def test_cp1252_and_crlf_decode():
    text = "Kent Police inspection\r\n\r\nInspectors were pleased to find:\r\n\r\n\u2022 officers are well trained \u2013 and confident;\r\n\u2022 supervision is strong.\r\n"
    release = parse_bytes(text.encode("cp1252"), "kent.txt", suffix=".txt")
    assert release.source.encoding == "cp1252"
    assert [f.text for f in release.findings] == ["officers are well trained \u2013 and confident", "supervision is strong."]
    assert release.force.id == "kent"


def test_cli_reports_bad_input_without_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00\x00")
    result = CliRunner().invoke(main, ["parse", str(bad)])
    assert result.exit_code == 1
    assert "binary" in result.output and "Traceback" not in result.output
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["parse", str(empty)])
    assert result.exit_code == 1 and "empty" in result.output


def test_a_grade_written_with_letters_that_lower_case_oddly():
    """'İ' and 'ſ' match a case-insensitive grade pattern but lower() keeps them; the output
    must carry the schema's grade names, as for plain letters (this used to fail the release)."""
    def gradings(sentence):
        return parse("Kent Police child protection inspection\n\n" + sentence + "\n\n"
                     "Inspectors were concerned to find:\n- poor records of risk;\n- slow investigations.\n").gradings

    odd = gradings("HMICFRS graded Kent Police 'İnadequate' in two areas and 'outſtanding' in one.")
    assert odd == gradings("HMICFRS graded Kent Police 'inadequate' in two areas and 'outstanding' in one.")
    assert [g.grade for g in odd] == ["inadequate", "outstanding"]


def test_mojibake_is_repaired_and_said_so():
    text = ("Kent Police inspection\n\nHMIC has today published its report on Kent Police.\n\nInspectors were pleased to find:"
            "\n\n\u2022 the force\u2019s hub shares information quickly \u2013 within a day;\n\u2022 Ren\u00e9e\u2019s team is strong.\n")
    damaged = text.encode("utf-8").decode("cp1252").encode("utf-8")  # read as Windows-1252 once, saved as UTF-8
    release = parse_bytes(damaged, "kent.txt", suffix=".txt")
    assert release.source.encoding == "utf-8, mojibake repaired"
    assert [f.text for f in release.findings] == ["the force\u2019s hub shares information quickly \u2013 within a day",
                                                  "Ren\u00e9e\u2019s team is strong."]


def test_a_pdfs_ligatures_and_a_web_systems_character_references_are_read_as_letters():
    text = ("Kent Police inspection\n\nHMIC has today published its report on Kent Police.\n\nInspectors were pleased to find:"
            "\n\n&bull; the force&rsquo;s of\ufb01cers work with schools &amp; charities;\n&bull; staff are con\ufb01dent.\n")
    release = parse_bytes(text.encode("utf-8"), "kent.txt", suffix=".txt")
    assert [f.text for f in release.findings] == ["the force\u2019s officers work with schools & charities", "staff are confident."]
    assert release.source.encoding == "utf-8"


def test_one_character_reference_alone_is_left_as_written():
    from ncpi_extract.decode import decode_bytes

    assert decode_bytes(b"Kent &amp; Medway\n", suffix=".txt").text == "Kent &amp; Medway\n"
    assert decode_bytes(b"Kent &amp; Medway&rsquo;s\n", suffix=".txt").text == "Kent & Medway\u2019s\n"
    assert decode_bytes(b"<p>Kent &amp; Medway&rsquo;s</p>", suffix=".html").text == "<p>Kent &amp; Medway&rsquo;s</p>"


def test_parse_says_when_a_page_holds_several_releases():
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    kent = (fixtures / "a_kent_2015_inspection.txt").read_text(encoding="utf-8").strip()
    cleveland = (fixtures / "cleveland_2017_seed.txt").read_text(encoding="utf-8").strip()
    assert "several_releases" not in [w.code for w in parse(kent).warnings]
    both = parse(kent + "\n\n" + cleveland)
    several = [w for w in both.warnings if w.code == "several_releases"]
    assert len(several) == 1 and "holds 2 releases" in several[0].message


@pytest.mark.parametrize("run", ["\u201c" * 25_000, "x" * 5_000 + ".", "<" * 3_000 + "a"])
def test_a_long_run_without_white_space_is_one_token_not_a_search_in_the_square_of_its_length(run):
    # spaCy's tokenizer strips one suffix a pass and searches the rest again: 25,000 quotation marks took 54 s
    from ncpi_extract.pipeline import load_pipeline

    doc = load_pipeline().make_doc("Kent Police. " + run + " The end.")
    assert run in [t.text for t in doc] and doc.text == "Kent Police. " + run + " The end."
    assert parse("Kent Police child protection inspection\n\n" + run + "\n").title == "Kent Police child protection inspection"


def test_a_warning_is_given_once_and_many_warnings_are_kept_in_order():
    from ncpi_extract.docext import warn
    from ncpi_extract.pipeline import load_pipeline

    doc = load_pipeline().make_doc("Kent Police.")
    for k in [1, 2, 1, 3, 2]:
        warn(doc, "unattributed_quote", f"no speaker found for the quotation at offset {k}")
    assert [w["message"][-1] for w in doc._.ncpi_warnings] == ["1", "2", "3"]
    release = parse("Kent Police inspection\n\n" + "\u201ca\u201d\n\n" * 3000)
    assert len(release.quotes) == 3000 and sum(w.code == "unattributed_quote" for w in release.warnings) == 3000
