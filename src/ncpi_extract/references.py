"""Report titles, notes to editors and press contacts."""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from .component import RuleComponent
from .docext import SpanList, folded_of, read_group, release_subject, text_of, warn
from .rules import compile_pattern
from .ruleset import RuleSet
from .sections import OUTSIDE_RELEASE, PAGE_CHROME
from .textnorm import MARKDOWN_LINK_TARGET, comparable, plain, squash

# A file's size as a note without brackets writes it ('PDF, 1.2MB', '850kB'): only a title holding one is searched
# for such a note (report_file_info_bare)
_SUBJECT = re.compile(r"\s+[-:]\s+|:\s+")  # where a title's force or place ends: 'Kent Police – National ...'
_FILE_SIZES = ("KB", "kB", "kb", "Kb", "MB", "mB", "mb", "Mb")
_LINK_ADDRESS_AT_END = re.compile(r"\]\([^)]*\)\s*$")  # "[TITLE](address)" ending a line: the title ends before it
_BARE_ADDRESS_AT_END = re.compile(r"\s+(?:https?://|www\.)\S+\s*$")  # "TITLE https://..." pasted from a page
# "TITLE Download": a file block's button copied after the file's title (a page's download link to the same file)
_DOWNLOAD_AT_END = re.compile(r"\s+(?:[-\u2013|]\s*)?download(?:\s+(?:the\s+)?(?:pdf|file|report|document))?\W*$", re.I)
_LINK_NUMBER = re.compile(r"\d{1,4}\][ \t]*(?=\S)")  # lynx's '[19]' before a link's text (the "[" already stripped)
_POINTS_TO = re.compile(r"\b(?:at|on|from|via|here|to|see|visit|website)\W*$", re.I)  # words that lead to an address
_REPORT_WORD = re.compile(r"report|update|review", re.I)  # a word both sentence rules for titles hold
_PROGRAMME = re.compile(r"national\s+child\s+protection", re.I)  # what every title of the programme's own form holds
# Markdown's [text](address), [text](address "hover title") and [text][reference]
_LINK_TEXT = re.compile(rf"\[(?P<title>[^\[\]\n]{{5,200}})\]{MARKDOWN_LINK_TARGET}")


# what report_title_lead needs in a line before it is tried (its words, either case, less the first letter)
_TITLE_LEAD_WORDS = ("eport", "EPORT", "ummary", "UMMARY", "ublication", "UBLICATION")


class ReferenceExtractor(RuleComponent):
    rule_files = ("references",)

    def compile(self) -> None:
        data = self.rules["references"]
        self.title_rx = compile_pattern(data["report_title"])
        self.title_set = RuleSet([self.title_rx])  # asked of every short line: one RE2 scan (``ruleset``)
        self.title_words = tuple(data["report_title_words"])  # one of them is in every title: other units skip the rules
        self.title_max_words = data["report_title_max_words"]
        self.file_info_rx = compile_pattern(data["report_file_info"])
        self.bare_file_info_rx = compile_pattern(data["report_file_info_bare"])
        self.bare_file_kind_rx = compile_pattern(data["report_file_kind_bare"])
        self.attachment_heading_rx = compile_pattern(data["report_attachment_heading"])
        self.title_lead_rx = compile_pattern(data["report_title_lead"])
        self.title_lead_word_rx = compile_pattern(data["report_title_lead_word"])
        self.apposition_rx = compile_pattern(data["report_title_apposition"])
        self.inline_title_rx = compile_pattern(data["report_title_inline"])
        self.named_title_rx = compile_pattern(data["report_title_named"])
        self.title_lead_verbs = frozenset(data["report_title_lead_verbs"])
        self.not_title_rx = compile_pattern(data["report_title_not"])
        self.phone_rx = compile_pattern(data["phone"], 0)
        self.email_rx = compile_pattern(data["email"], 0)
        self.hours_rx = [compile_pattern(p) for p in data["hours"]]
        self.other_body_rx = compile_pattern(data["contact_other_body"])
        self.inspectorate_rx = compile_pattern(data["contact_inspectorate"])
        self.invitation_rx = compile_pattern(data["contact_page_invitation"])
        self.joint_rx = compile_pattern(data["contact_joint_release"])
        self.note_only_rx = compile_pattern(data["report_note_only"])
        self.disclaimer_rx = compile_pattern(data["contact_disclaimer"])

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        folded = folded_of(doc)
        units = doc._.ncpi_units or []
        taken = _Intervals([(i["start"], i["end"]) for group in ("quotes", "findings") for _, i in read_group(doc, group)]
                           + [(i["start"], i["end"]) for _, i in read_group(doc, "sections") if i.get("rule") in OUTSIDE_RELEASE])
        headline = _Intervals([(i["start"], i["end"]) for label, i in read_group(doc, "sections") if label == "headline"])
        reports = self.reports(doc, text, folded, units, taken, headline)
        if not reports.items:
            self.attached_report(reports, doc, text, folded, units)
        reports = reports.save()
        notes = SpanList(doc, "notes")
        note_items = [n for _, n in read_group(doc, "note_items")]
        for n in note_items:
            notes.add(n["start"], n["end"], "note", {"number": n["number"], "text": plain(text[n["start"] : n["end"]])})
        notes = notes.save()
        self.contacts(doc, text, folded, units, taken, note_items).save()
        if not reports:
            warn(doc, "no_report", "no report title was found")
        if not notes:
            warn(doc, "no_notes", "the release has no notes to editors")
        return doc

    def reports(self, doc, text, folded, units, taken, headline):
        """Every short line naming an inspection report, once each (titles often repeat), and a
        title named in a sentence about the report ('The full report, TITLE, is available', 'Full
        details are in the report TITLE, which ...')."""
        seen: set[str] = set()
        spans = SpanList(doc, "reports")
        for start, end, _marker in _rejoined_titles(units, folded):
            if taken.covers(start) or headline.covers(start):
                continue
            low = folded[start:end].lower()
            if not any(word in low for word in self.title_words):
                continue  # no title can be in it: most units skip every title rule
            lines = self.title_lines(folded, start, end)
            kept: list[tuple[int, int]] = []  # titles in this unit: a sentence rule may find one again, or part of it
            for s, e in lines or [self.title_span(folded, start, end)]:
                if self.add_title(spans, seen, text, folded, s, e):
                    kept.append((s, e))
            if folded.find("ection", start, end) < 0:  # every title names a protection or inspection: most units skip the regexes
                continue
            rules = ([_LINK_TEXT] if _has_link(folded, start, end) else []) + (
                [self.apposition_rx, self.inline_title_rx] if _REPORT_WORD.search(folded, start, end) else []) + (
                [self.named_title_rx] if _PROGRAMME.search(folded, start, end) else [])
            found = sorted((self.named_start(folded, m) if rx is self.named_title_rx else m.start("title"), -m.end("title"))
                           for rx in rules for m in rx.finditer(folded, start, end))
            for s, minus_e in found:
                if not any(s < e and -minus_e > a for a, e in kept) and self.add_title(spans, seen, text, folded, s, -minus_e):
                    kept.append((s, -minus_e))
        return spans

    def attached_report(self, spans: SpanList, doc, text: str, folded: str, units) -> None:
        """The first title in the page's block of files after the release ('Related documents' and under it
        'Kent Police – National child protection inspection', 'PDF, 612 KB'), for a release that links its
        report without naming it."""
        sections = read_group(doc, "sections")
        subject = release_subject(doc, folded, whole_lead=True).lower()
        for _, info in sections:
            if info.get("rule") != PAGE_CHROME or not self.attachment_heading_rx.match(squash(info.get("cue") or "")):
                continue
            titles = [self.title_span(folded, start, end) for start, end, _marker in units
                      if info["start"] <= start and end <= info["end"] and folded.find("\n", start, end) < 0]
            titles = [(s, e) for s, e in titles if self.is_title(folded[s:e])]
            # one file, named for what the headline and lead are about ('Kent Police – ...' under a Kent headline): not
            # the original inspection's report beside the review's, another force's or a national report
            if len(titles) == 1 and _SUBJECT.split(folded[titles[0][0] : titles[0][1]], maxsplit=1)[0].strip().lower() in subject:
                self.add_title(spans, set(), text, folded, *titles[0])
            return  # only the first such block: the page's own files

    def named_start(self, folded: str, m: re.Match) -> int:
        """Where a title in the programme's form starts: after a verb that leads to it ('Read Kent Police – ...')."""
        s, e = m.start("title"), m.end("title")
        words = folded[s:e].split(None, 1)
        return e - len(words[1]) if len(words) == 2 and words[0].lower() in self.title_lead_verbs else s

    def title_span(self, folded: str, start: int, end: int) -> tuple[int, int]:
        """Where a line's title would be: after a lead such as 'Read the report:', without marks, a
        link's address or a note of the file."""
        worded = any(folded.find(word, start, end) >= 0 for word in _TITLE_LEAD_WORDS)
        head = self.title_lead_rx.match(folded, start, end) if worded else None  # a lead names the report, summary or publication
        head = head or self.title_lead_word_rx.match(folded, start, end)  # or is a link's verb: 'Download: TITLE'
        s = head.end() if head else start
        s += len(folded[s:end]) - len(folded[s:end].lstrip(" *_#["))
        if folded[s : s + 1].isdigit() and (number := _LINK_NUMBER.match(folded, s, end)):
            s = number.end()  # '[19]TITLE': the number lynx gives a link, its "[" stripped above
        link = _LINK_ADDRESS_AT_END.search(folded, s, end)
        if link is None:  # 'TITLE https://...', but not '..., is available at https://...'
            link = _BARE_ADDRESS_AT_END.search(folded, s, end)
            if link is not None and _POINTS_TO.search(folded, s, link.start()):
                link = None
        e = link.start() if link else end
        e = s + len(folded[s:e].rstrip(" *_#]"))
        return s, e

    def title_lines(self, folded: str, start: int, end: int) -> list[tuple[int, int]]:
        """Each line's title when a unit is several lines that are each a title: hard-wrapped copy
        joins two titles listed one under the other into one unit."""
        if folded.find("\n", start, end) < 0 or folded[end - 1] == ".":
            return []  # one line, or a paragraph
        lines = folded[start:end].split("\n")
        if len(lines) > 4 or any(line.rstrip()[-1:] in ".;:," or len(line.split()) > self.title_max_words for line in lines):
            return []  # the lines of a wrapped paragraph or item
        spans, s = [], start
        for line in lines:
            span = self.title_span(folded, s + len(line) - len(line.lstrip()), s + len(line))
            if not self.is_title(folded[span[0] : span[1]]):
                return []
            spans.append(span)
            s += len(line) + 1
        return spans

    def is_title(self, bare: str) -> bool:
        if "\n" in bare:  # a title wrapped inside a sentence
            bare = squash(bare)
        first = next((c for c in bare if c.isalnum()), "")
        return bool(bare) and not first.islower() and len(bare.split()) <= self.title_max_words and not bare.endswith((".", ":")) \
            and bool(self.title_set.matching(bare)) and not self.not_title_rx.match(bare)

    def add_title(self, spans: SpanList, seen: set[str], text: str, folded: str, s: int, e: int) -> bool:
        """Add ``text[s:e]`` if it is a title not seen before: the text of a link, without the
        quotation marks around it. True when it is a title (new or seen before)."""
        link = _LINK_TEXT.fullmatch(folded, s, e)
        if link:
            s, e = link.span("title")
        elif _has_link(folded, s, e):
            return False  # words around a link: the link's own text is tried on its own
        if folded.find("ownload", s, e) >= 0 and (button := _DOWNLOAD_AT_END.search(folded, s, e)):
            e = button.start()
        if e - s > 2 and folded[e - 1] == "." and folded[e - 2] in ")]":
            e -= 1  # 'Read the full report: TITLE (PDF, 1.1 MB).'
        if folded.find("(", s, e) >= 0 or folded.find("[", s, e) >= 0:  # 'TITLE (PDF document, 1.2 MB)': a note of the file, not the title
            file_info = self.file_info_rx.search(folded, s, e)
            while file_info:  # and 'TITLE (2019) (PDF document)': each note of the file or the year alone before it
                e = s + len(folded[s : file_info.start()].rstrip(" *_#]"))
                file_info = self.file_info_rx.search(folded, s, e)
                if file_info and not self.note_only_rx.match(folded, file_info.start(), e):
                    break
        elif any(folded.find(size, s, e) >= 0 for size in _FILE_SIZES):  # 'TITLE PDF, 1.2MB': a link's file note after it
            file_info = self.bare_file_info_rx.search(folded, s, e)
            if file_info:
                e = file_info.start()
        elif file_kind := self.bare_file_kind_rx.search(folded, s, e):  # 'TITLE » PDF': a link's kind of file
            e = file_kind.start()
        if e - s > 2 and folded[s] == folded[e - 1] and folded[s] in "\"'":
            s, e = s + 1, e - 1
        while e - s > 2 and folded[s] == folded[e - 1] and folded[s] in "*_":
            s, e = s + 1, e - 1  # '*TITLE*': Markdown's emphasis around it
        if not self.is_title(folded[s:e]):
            return False  # not a title; 'Read the re-inspection report' names one without being it
        title = squash(text[s:e])
        if comparable(title) not in seen:
            seen.add(comparable(title))
            spans.add(s, e, "report", {"title": title})
        return True

    def contacts(self, doc, text, folded, units, taken, note_items):
        starts = [u[0] for u in units]
        seen: set[tuple[str, str]] = set()
        found = []
        for kind, rx in (("phone", self.phone_rx), ("email", self.email_rx)):
            if kind == "email" and "@" not in folded:
                continue  # the scan is costly and most releases give no address
            for m in rx.finditer(folded):
                if taken.covers(m.start()):
                    continue
                start = m.start() + (folded[m.start()] == "(" and ")" not in folded[m.start() : m.end()])  # '(07700 900672 out of hours)'
                value = squash(text[start : m.end()])  # a non-breaking space or a line break inside is a space
                if kind == "phone" and sum(c.isdigit() for c in value) < 10:
                    continue
                if (kind, value) in seen:
                    continue
                seen.add((kind, value))
                k = max(0, bisect.bisect_right(starts, m.start()) - 1)
                unit_start, unit_end = (units[k][0], units[k][1]) if units else (0, len(text))
                if self.invitation_rx.match(folded, unit_start, unit_end) or self.disclaimer_rx.search(folded, unit_start, unit_end):
                    continue  # 'Got a story? Contact the newsdesk on ...': the newspaper's; an e-mail's disclaimer: its sender's
                found.append((start, m.end(), kind, value, unit_start, unit_end))
        notes_start = min((n["start"] for n in note_items), default=len(text))
        notes_end = max((n["end"] for n in note_items), default=len(text))
        if any(c[0] < notes_end and (self.inspectorate_rx.search(folded, c[4], c[5])
                                     or (notes_start <= c[0] and not self.pages_own(folded, c[4], c[5]))) for c in found) \
                and not self.joint_rx.search(release_subject(doc, folded, whole_lead=True)):
            # the release gave the inspectorate's contact (or, in its notes, the press office's naming no other body):
            # another body's after its notes is the host page's
            found = [c for c in found if c[0] < notes_end or not self.pages_own(folded, c[4], c[5])]
        spans = SpanList(doc, "contacts")
        for start, end, kind, value, unit_start, unit_end in sorted(found):
            spans.add(start, end, kind, {"kind": kind, "value": value, "hours": self.hours(text, folded, unit_start, unit_end)})
        return spans

    def pages_own(self, folded: str, start: int, end: int) -> bool:
        """Whether the paragraph ``folded[start:end]``, after the release's notes, gives the contact
        of another body (a force's, a commissioner's, a newspaper's) rather than the inspectorate's."""
        return self.other_body_rx.search(folded, start, end) is not None \
            and self.inspectorate_rx.search(folded, start, end) is None

    def hours(self, text: str, folded: str, start: int, end: int) -> str | None:
        for rx in self.hours_rx:
            m = rx.search(folded, start, end)
            if m:
                return squash(text[m.start() : m.end()])
        return None


_STAGE_LINE = re.compile(r"(?:re-?inspection|post-inspection review|progress update)\W*", re.I)


def _rejoined_titles(units, folded: str):
    """The units, with a title broken after its colon joined again: hard-wrapped copy puts
    'Kent Police – National child protection inspection:' and 're-inspection' on lines of their own,
    and a line ending in ':' opens a new unit."""
    k = 0
    while k < len(units):
        start, end, marker = units[k]
        if k + 1 < len(units) and folded[start:end].rstrip().endswith(":") \
                and _STAGE_LINE.fullmatch(folded, units[k + 1][0], units[k + 1][1]) and _PROGRAMME.search(folded, start, end):
            yield start, units[k + 1][1], marker
            k += 2
            continue
        yield start, end, marker
        k += 1


def _has_link(folded: str, start: int, end: int) -> bool:
    """A Markdown link may be in ``folded[start:end]`` ('](' or ']['): most units hold none."""
    return folded.find("](", start, end) >= 0 or folded.find("][", start, end) >= 0


class _Intervals:
    """Answers 'is this offset inside one of these spans?'."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def covers(self, offset: int) -> bool:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k >= 0 and self.spans[k][0] <= offset < self.spans[k][1]


@Language.factory("ncpi_references")
def make_references(nlp: Language, name: str) -> ReferenceExtractor:
    return ReferenceExtractor(nlp, name)
