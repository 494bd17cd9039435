"""The sectionizer: a release's structure from its cue phrases.

It splits the text into units (``layout``), recognises each unit's role from the cue
rules in ``sections.json`` (a list cue, a heading, a quote introduction, a quote
paragraph or body text) and walks the units once, writing:

- ``doc.spans["sections"]``: headline, lead, strengths, concerns, findings (a neutral
  cue), quotes, reports, notes, contacts, other;
- ``doc.spans["cues"]``: each list cue, labelled strength / concern / neutral;
- ``doc.spans["list_items"]``: each item of a list, its text without mark or "; and";
- ``doc.spans["quote_blocks"]``: each quotation with its attribution;
- ``doc.spans["note_items"]``: each numbered note to editors.

Later components read these groups; none of them looks at the raw layout again.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .bundle import FRONT_MATTER_LINE_RX
from .component import RuleComponent
from .docext import SpanList, folded_of, text_of, warn
from .layout import Unit, split_units
from .rules import compile_lower, compile_lower_rules, compile_pattern, compile_rules
from .ruleset import RuleSet, prefilter
from .textnorm import count_of, lower, squash

_EMPHASIS = " \t*_#"
_TRAILING_JOINER = re.compile(r"(?:\s*[;,]\s*(?:and|or)|\s*[;,])\s*$", re.I)
_JOINER_ENDS = frozenset(";,dDrR")  # the last character of any _TRAILING_JOINER match (ASCII text)
_ENDS_WITH_JOINER = re.compile(r"[;,]\s*(?:and|or)?$")
_ENDS_WITH_AND_OR = re.compile(r"[;,]\s*(?:and|or)$", re.I)
_OPEN_QUOTE = '"'
_NOTE_HEAD_MAX_WORDS = 8
_HEADING_MAX_WORDS = 12
_NUMBERED_HEADING_MAX_WORDS = 4  # '5. Notes to editors', '2. Get the report', '4. Further information'
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[ivx]{1,4}[.)])\s+")  # '5. ', '2.1 ', 'iv) ' before a heading
_NOT_HEADING_ENDS = (".", ";", ",")  # a line ending so is a sentence or an item, not a heading
# A paragraph's last sentence this short ('These included:', 'In particular, the force has:') takes its cue from the
# sentences before it; a longer one must state its own
_ANAPHORIC_MAX_WORDS = 6
_LAST_SENTENCE = re.compile(r"(?<=[.!?]) +(?=[a-z0-9])")  # where a sentence of a lower-cased paragraph ends
_TITLE_MAX_WORDS = 20
_HEADLINE_MAX_WORDS = 25
# After a closing quotation mark: ', while the Commissioner, Jane Doe, said: "' (a second speaker)
_SECOND_ATTRIBUTION = re.compile(r"[\s.,;]*(?:(?:while|whilst|and|whereas|but)\s+)?(?P<attribution>[^\"\n]{3,200}?\b"
                                 r"(?:said|added|commented|responded|stated)\s*:)\s*\"")
_LEAD_IN_MIN_WORDS = 8  # a list item a cue rule matches is a lead-in to the items under it when longer than this
_GROUP_LABEL_MAX_WORDS = 3  # 'Initial contact' over its own items below a cue; a longer line there is no label of the cue's list
_LABEL_MAX_WORDS = 4  # 'Children in custody:' over nested items is their label; a longer line ending ':' leads in to them
CLOSING_PUNCTUATION = tuple(".;:!?,\"')")  # what ends a sentence or an item, not a heading
_ONLY_WHEN_FOUND = frozenset({"areas", "theme_paragraphs"})  # groups most releases leave empty: saved only when they are not
_NOT_AREA_HEADING_ENDS = frozenset(".;!?,\"')")  # the last character of a sentence or an item (a heading may end ':')
_THEME_HEADING_MAX_CHARS = 120  # an area heading is short: longer units are not asked (a setext underline included)
_SETEXT_UNDERLINE = re.compile(r"-{3,}|={3,}")  # the line under a Markdown heading written 'setext' style
_SENTENCE_ENDS = tuple(".!?\"')")  # what ends a paragraph of sentences (not ':' over a list, not ';' of an item)
_NOTES_TO_EDITORS = "notes.notes_to_editors"  # the heading rule that names the notes beyond doubt
RELEASE_ENDS = "end.ends"  # 'ENDS' under the release: notes to editors may follow, its quotations may not
PAGE_CHROME = "end.page_chrome"  # 'Related', 'Leave a reply': what a web page adds after the release
EMAIL_ENVELOPE = "preamble.email"  # the headers, greeting and cover note of a release forwarded by e-mail
EMAIL_SIGNATURE = "end.email_signature"  # 'Regards' or '--' after a forwarded release: the sender's signature
FRONT_MATTER = "preamble.front_matter"  # a Markdown file's YAML block at its top
_FRONT_MATTER_MAX_LINES = 40
OUTSIDE_RELEASE = frozenset({PAGE_CHROME, EMAIL_ENVELOPE, EMAIL_SIGNATURE})  # no finding, title or contact comes from these
_TABLE_RULE = re.compile(r"[\s|:+=-]+")  # the line under a table's head ('-----+-----', '|---|:---|')
_TABLE_RULE_ID = "table.column_heads"
_RELEASE_PARTS = frozenset({"strengths", "concerns", "findings", "quotes", "reports", "notes"})


@dataclass(slots=True)
class _Role:
    kind: str  # body | cue | heading | intro | quote
    label: str = ""
    rule: str = ""
    cue_text: str = ""
    count: int | None = None  # the items a sentence cue announces ('two matters ...'), if it says
    guessed: bool = False  # a cue no rule knows, read by its words alone (``fallback_cue``)


class Sectionizer(RuleComponent):
    rule_files = ("sections",)

    def compile(self) -> None:
        data = self.rules["sections"]
        self.list_cues = compile_lower_rules(data["list_cues"])
        self.headings = compile_lower_rules(data["headings"])
        self.quote_intro = compile_lower_rules(data["quote_intro"])
        self.quote_outro = compile_rules(data["quote_outro"], flags=0)
        self.quote_signature = compile_rules(data["quote_signature"], flags=0)
        self.list_stops = compile_lower_rules(data["list_stops"])
        self.run_in_not_finding = compile_lower(data["run_in_not_finding"]["pattern"])
        self.not_cues = compile_lower_rules(data["not_cues"])
        self.preamble = compile_lower_rules(data["preamble"])
        email = data["email"]
        fields = email["header_fields"]
        self.email_header = compile_lower(f"^(?:{'|'.join(map(re.escape, fields))})\\s*:|{email['reply_header']}")
        # str tests that skip the regex where it cannot match (five times faster than one regex scan)
        self.header_openings = (*fields, "on ")  # what a header line opens with
        self.header_opening_width = max(map(len, self.header_openings))
        self.header_signs = tuple(f"{f}{gap}:" for f in (*email["block_fields"], "wrote") for gap in ("", " "))  # one in every block
        self.email_greeting = compile_lower(email["greeting"])
        self.cover_note_max_units = email["cover_note_max_units"]
        self.single_item_heading = compile_lower(data["single_item_heading"]["pattern"])
        themes = data["theme_headings"]
        area = "|".join(f"(?:{a})" for patterns in themes["areas"].values() for a in patterns)
        self.theme_heading = compile_lower(rf"\b(?:{area})\b")
        self.theme_heading_scan = prefilter(self.theme_heading)  # asked of every short line: RE2 first
        self.area_themes = [(theme, compile_lower(r"\b(?:" + "|".join(f"(?:{a})" for a in patterns) + r")\b"))
                            for theme, patterns in themes["areas"].items() if theme]
        self.theme_heading_max_words, self.theme_run_min = themes["max_words"], themes["min_run"]
        self.findings_heading = compile_lower(themes["findings_heading"])
        self.findings_heading_max_words = themes["findings_heading_max_words"]
        self.breadcrumb = compile_lower(data["breadcrumb"]["pattern"])
        self.breadcrumb_within = data["breadcrumb"]["within_units"]
        self.heading_cue_max_words = data["heading_cue_max_words"]
        self.chrome_notes_heading = compile_pattern(data["chrome_notes_heading"])  # 'About HMIC', a footer's link
        self.not_a_note = compile_pattern(data["not_a_note"])  # 'Read more', 'Share': a page's controls among unnumbered notes
        sentence_cues = data["sentence_cues"]
        self.sentence_cue_max_words = sentence_cues["max_words"]
        self.announce = compile_lower_rules(sentence_cues["announce"] + sentence_cues["list_announce"])
        fallback = data["fallback_cues"]
        self.fallback_max_words = fallback["max_words"]
        self.fallback_words = {kind: compile_lower("|".join(f"(?:{p})" for p in fallback[kind])) for kind in ("strength", "concern")}
        self.fallback_decisive = compile_lower("|".join(f"(?:{p})" for p in fallback["decisive"]))
        self.fallback_borrowing = compile_lower(fallback["borrowing"])  # 'In particular, they found:' reads the sentence before
        self.fallback_subject = compile_lower(fallback["subjects"])
        self.fallback_negation = compile_lower(fallback["negation"])
        self.fallback_not = RuleSet([rx for _, rx in compile_lower_rules(fallback["not_findings"])])
        # the same rules, asked together: which match at all (``ruleset``)
        self.heading_set, self.quote_intro_set, self.list_cue_set, self.not_cue_set, self.preamble_set, self.list_stop_set = (
            RuleSet([rx for _, rx in rules])
            for rules in (self.headings, self.quote_intro, self.list_cues, self.not_cues, self.preamble, self.list_stops))

    # -- per-unit roles --------------------------------------------------------
    def role_of(self, unit: Unit, folded: str) -> _Role:
        parts = folded[unit.start : unit.end].split()
        joined = " ".join(parts)  # cue phrases may be broken across lines
        bare = joined.strip(_EMPHASIS)
        low = lower(bare)
        words = len(parts) if len(bare) == len(joined) else len(bare.split())
        if unit.marker == ">" or bare.startswith(_OPEN_QUOTE):
            return _Role("quote")
        if words <= _HEADING_MAX_WORDS and not unit.is_item:
            role = self.heading_role(bare, low)
            if role is not None:
                return role
        if ":" not in bare:
            if bare.endswith(".") and not unit.is_item and words <= self.sentence_cue_max_words:
                return self.sentence_cue(bare, low) or _Role("body")
            return _Role("body")
        for k in self.quote_intro_set.matching(low):
            entry, rx = self.quote_intro[k]
            m = rx.search(low)
            if m and _OPEN_QUOTE not in bare[: m.start()]:
                return _Role("intro", rule=entry["id"], cue_text=bare[: m.end()])
        if bare.endswith(":"):  # an item too: the outer item of a nested list may be the cue
            return self.cue_role(bare, low) or _Role("body")
        return _Role("body")

    def heading_role(self, bare: str, low: str) -> _Role | None:
        """The section a heading names ('Notes to editors', 'Get the report'), its section number aside
        ('5. Notes to editors', a document's numbered headings); None for any other line."""
        heading = _SECTION_NUMBER.sub("", low.rstrip(":").strip(_EMPHASIS), count=1)
        hits = self.heading_set.matching(heading) + (self.heading_set.matching(low) if heading != low else [])
        if not hits:
            return None
        entry = self.headings[min(hits)][0]  # the first heading rule that matches either form
        return _Role("heading", entry["section"], entry["id"], bare)

    def numbered_heading(self, units: list[Unit], i: int, folded: str) -> _Role | None:
        """A numbered item that is a section's heading ('5. Notes to editors' over notes numbered from 1): a few
        words that are a heading's, and no item of a list beside it goes on with its numbering (a table of contents'
        '3. Notes to editors' under '2. What inspectors found'; a note 'The full report is available at www...')."""
        unit = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else None
        if unit.number is None or (nxt is not None and nxt.number == unit.number + 1) \
                or (i > 0 and units[i - 1].number == unit.number - 1):
            return None
        bare = squash(folded[unit.start : unit.end]).strip(_EMPHASIS)
        if len(bare.split()) > _NUMBERED_HEADING_MAX_WORDS or bare.endswith(".") or ":" in bare.rstrip(":"):
            return None  # a note of its own ('4. Media enquiries: HMIC press office, 020 ...')
        return self.heading_role(bare, lower(bare))

    def cue_role(self, bare: str, low: str) -> _Role | None:
        """The list cue a paragraph states, if any: the cue ending nearest its end decides."""
        if self.not_cue_set.matching(low):
            return None
        best: tuple[int, dict] | None = None
        polar: tuple[int, dict] | None = None  # the strength or concern cue ending last
        for k in self.list_cue_set.matching(low):
            entry, rx = self.list_cues[k]
            for m in rx.finditer(low):
                if best is None or m.end() > best[0]:
                    best = (m.end(), entry)
                if entry["kind"] != "neutral" and (polar is None or m.end() > polar[0]):
                    polar = (m.end(), entry)
        if best is None:
            return None
        last = _LAST_SENTENCE.split(low)[-1]
        if best[0] <= len(low) - len(last) and len(last.split()) > _ANAPHORIC_MAX_WORDS:
            return None  # 'The Board welcomed two new members. It has also agreed its priorities for 2015:'
        kind = best[1]["kind"]
        if kind == "neutral" and polar is not None:  # 'More needs to be done. In particular:'
            kind = polar[1]["kind"]
        return _Role("cue", kind, best[1]["id"], bare)

    def fallback_cue(self, bare: str, low: str) -> _Role | None:
        """A line no cue rule knows, ending in a colon or a short heading, above a list, read as a
        cue by its own words of praise or concern (``fallback_cues`` in sections.json); None when
        they say neither. ``low`` is folded and lower case; the words of its last sentence decide."""
        sentences = _LAST_SENTENCE.split(low)
        low = sentences[-1]  # 'In 2015 HMIC said the force needed to improve. The review found:'
        if len(sentences) > 1 and self.fallback_borrowing.match(low) and self.fallback_decisive.search(sentences[-2]):
            low = sentences[-2] + " " + low  # 'Inspectors saw a lot to commend. In particular, they found:': its words are the sentence's before
        words = len(bare.split())
        heading = words <= self.heading_cue_max_words and not bare.endswith(_NOT_HEADING_ENDS)  # 'Still to be put right'
        if not (bare.endswith(":") or heading) or words > self.fallback_max_words \
                or self.not_cue_set.matching(low) or self.fallback_not.matching(low):
            return None
        points = self.fallback_points(low)
        if not any(points.values()) or not (self.fallback_decisive.search(low) or self.fallback_subject.search(low)):
            return None  # 'Need help?', 'Success stories': weak words without an inspection's subject
        kind = "strength" if points["strength"] > points["concern"] else "concern"  # a tie: 'Progress is still patchy:'
        return _Role("cue", kind, f"fallback.{kind}", bare, guessed=True)

    def fallback_points(self, low: str) -> dict[str, int]:
        """A point for each word of praise and of concern in ``low`` (a word after a negation counts for the other side)."""
        points = {"strength": 0, "concern": 0}
        for kind, other in (("strength", "concern"), ("concern", "strength")):
            for m in self.fallback_words[kind].finditer(low):  # 'not going well', 'no longer a worry': the other side's
                negated = self.fallback_negation.search(low, max(0, m.start() - 40), m.start())
                points[other if negated else kind] += 1
        return points

    def sentence_cue(self, bare: str, low: str) -> _Role | None:
        """A one-sentence paragraph that announces a list ('... in the following respects.')."""
        if "." in low[:-1].replace("e.g.", "").replace("i.e.", ""):
            return None  # more than one sentence: prose
        for _, rx in self.announce:
            m = rx.search(low)
            if m is None:
                continue
            role = self.cue_role(bare, low)
            if role is None:
                return None
            count = m.groupdict().get("count")
            role.count = count_of(count) if count else None
            return role
        return None

    def heading_cue(self, unit: Unit, folded: str) -> _Role | None:
        """A short heading such as 'Areas for improvement' (no colon) over a bulleted list."""
        bare = squash(folded[unit.start : unit.end]).strip(_EMPHASIS)
        if unit.is_item or bare.endswith(_NOT_HEADING_ENDS) or len(bare.split()) > self.heading_cue_max_words:
            return None
        return self.cue_role(bare, lower(bare))

    def is_preamble(self, unit: Unit, folded: str) -> bool:
        """A kicker such as 'NEWS RELEASE', an e-mail header or a date line above the headline."""
        text = lower(folded[unit.start : unit.end].strip(_EMPHASIS))
        return bool(self.preamble_set.matching(text))

    def runs_on(self, unit: Unit, folded: str) -> bool:
        """The words after a run-in label are its item, unless they tell the inspection's course or plans."""
        return self.run_in_not_finding.search(lower(folded[unit.start : unit.end].strip(_EMPHASIS))) is None

    def stops_list(self, unit: Unit, folded: str) -> bool:
        text = lower(folded[unit.start : unit.end].strip(_EMPHASIS))
        return bool(self.list_stop_set.matching(text))

    # -- the walk ----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        folded = folded_of(doc)
        units = split_units(text, folded)
        doc._.ncpi_units = [(u.start, u.end, u.marker) for u in units]
        roles = [self.role_of(u, folded) for u in units]
        for i, unit in enumerate(units):
            if unit.number is not None and unit.is_item and roles[i].kind == "body":
                roles[i] = self.numbered_heading(units, i, folded) or roles[i]
        walk = _Walk(self, doc, units, roles, folded)
        walk.run()
        return doc


class _Walk:
    """One pass over the units of a document, collecting spans per group."""

    def __init__(self, owner: Sectionizer, doc: Doc, units: list[Unit], roles: list[_Role], folded: str) -> None:
        self.owner, self.doc, self.units, self.roles, self.folded = owner, doc, units, roles, folded
        self.text = text_of(doc)
        self.groups = {g: SpanList(doc, g) for g in ("sections", "cues", "list_items", "quote_blocks", "note_items", "areas", "theme_paragraphs")}
        self._item_starts: set[int] | None = None
        self._fallback: dict[int, _Role | None] = {}  # fallback_role's answer per unit: asked twice of some

    @functools.cached_property
    def hard_wrapped(self) -> bool:
        """Paragraphs broken into lines (hard-wrapped copy), not a paragraph to a line with no blank line between."""
        return any(u.marker is None and "\n" in u.text for u in self.units)

    def span(self, group: str, start: int, end: int, label: str, **info) -> None:
        self.groups[group].add(start, end, label, info)

    def section(self, kind: str, first: int, last: int, cue: str | None = None, rule: str | None = None) -> None:
        start = self.units[first].line_start
        end = self.units[last].end
        self.span("sections", start, end, kind, cue=cue, rule=rule)

    def run(self) -> None:
        units, roles = self.units, self.roles
        n = len(units)
        i = 0
        lead_open = True
        for k in range(n - 1):  # 'Areas for improvement' over a bulleted list is a cue without its colon
            if roles[k].kind == "body" and units[k + 1].is_item:
                roles[k] = self.owner.heading_cue(units[k], self.folded) or roles[k]
            elif roles[k].kind == "body" and roles[k + 1].kind == "body" and units[k].end - units[k].start <= 40 \
                    and self.owner.single_item_heading.match(lower(squash(self.folded[units[k].start : units[k].end]).strip(_EMPHASIS + ":"))):
                role = self.owner.heading_cue(units[k], self.folded)  # 'Cause of concern' over its one paragraph
                if role is not None:
                    role.count = 1
                    roles[k] = role
        i = self.envelope_end()
        if i:
            self.section("other", 0, i - 1, rule=EMAIL_ENVELOPE)
        front = self.front_matter_end(i)
        if front > i:  # a Markdown file's '---', 'title: ...', '---': no headline
            self.section("other", i, front - 1, rule=FRONT_MATTER)
            i = front
        crumbs = [k for k in range(i, min(n, i + self.owner.breadcrumb_within)) if roles[k].kind == "body"
                  and self.owner.breadcrumb.search(lower(squash(self.folded[units[k].start : units[k].end])))]
        if crumbs:  # a page's trail, and the site's name above it
            self.section("other", i, crumbs[-1])
            i = crumbs[-1] + 1
        while i < n and roles[i].kind == "body" and self.owner.is_preamble(units[i], self.folded):
            self.section("other", i, i)
            i += 1
        while i < n and roles[i].kind == "heading" and roles[i].rule == PAGE_CHROME:
            # a page's 'Related publications' box above the release: the heading and the lines under it
            j = i + 1
            while j < n and (not units[j].blank_before or units[j].is_item):  # its list, after a blank line too
                j += 1
            self.section("other", i, j - 1, cue=roles[i].cue_text, rule=PAGE_CHROME)
            i = j
        if i < n and roles[i].kind == "body":
            self.section("headline", i, i)
            i += 1
        self.mark_headed_paragraphs(i)
        while i < n:
            role = roles[i]
            table_end = self.table_section(i)
            if table_end:
                i = table_end
                lead_open = False
            elif role.kind == "cue":
                i = self.list_section(i)
                lead_open = False
            elif role.kind in ("intro", "quote"):
                i = self.quote_section(i)
                lead_open = False
            elif role.kind == "heading":
                i = self.heading_section(i)
                lead_open = False
            elif self.embedded_quote(i):
                lead_open = False
                i += 1
            elif self.unknown_cue(i):
                i = self.list_section(i)
                lead_open = False
            elif not lead_open and i + 1 < n and self._signature(units[i + 1]) and not units[i].is_item:
                # a statement without quotation marks, signed on the line under it ('— Jane Doe, Chief Constable
                # of Kent Police'), as a web page's blockquote gives one
                self.quote_block(i, i + 1, None, [(units[i].start, units[i].end)], (units[i + 1].start, units[i + 1].end))
                i += 2
            else:
                j = i
                while j + 1 < n and roles[j + 1].kind == "body" and not (lead_open is False and units[j + 1].blank_before) \
                        and self._outro(units[j + 1]) is None and self._table_columns(j + 1) is None \
                        and self.fallback_role(j + 1) is None:
                    if lead_open and j + 1 - i >= 2:
                        break
                    j += 1
                self.section("lead" if lead_open else "other", i, j)
                lead_open = False
                i = j + 1
        self.headless_notes()
        self.theme_paragraphs()
        for group, spans in self.groups.items():
            if spans.items or group not in _ONLY_WHEN_FOUND:
                spans.save()

    def mark_headed_paragraphs(self, first: int) -> None:
        """A short heading below the headline that is a strength or concern cue ('What still needs
        to improve'), over paragraphs of sentences rather than a bulleted list: the paragraphs are
        its items, as the items of the same heading over a list are."""
        units, roles = self.units, self.roles
        for k in range(first, len(units) - 1):
            heading, below = units[k], units[k + 1]
            if roles[k].kind != "body" or roles[k + 1].kind != "body" or heading.is_item or below.is_item \
                    or not self._plain_heading(heading) or self._starts_lower(below) \
                    or not self.folded[below.start : below.end].rstrip().endswith(CLOSING_PUNCTUATION) \
                    or (k + 2 < len(units) and units[k + 2].is_item and self.folded[below.start : below.end].rstrip().endswith(":")):
                # (a paragraph ending in ':' over a list announces the list: the heading's cue is its)
                continue
            role = self.owner.heading_cue(heading, self.folded)
            if role is not None and role.label in ("strength", "concern"):
                roles[k] = role

    def theme_paragraphs(self) -> None:
        """The blocks under area headings ('Custody', 'Missing children') of a release that groups its findings
        so: two or more such headings one after another, a finding cue under one at least. Each block's findings
        have its area's themes; a paragraph of plain sentences in it (or a list with no cue) states findings without
        a cue of its own, and the findings component reads its sentences by their words. (A cue's paragraphs keep
        the cue's kind, its second and third too: 'Children were regularly held in cells.' under 'Inspectors were
        concerned that:' is a concern whatever its words say.)"""
        units, roles, owner = self.units, self.roles, self.owner
        n = len(units)
        folded = self.folded
        short = [k for k, u in enumerate(units) if u.end - u.start <= _THEME_HEADING_MAX_CHARS and (u.marker is None or u.marker[0] == "#")
                 and folded[u.end - 1] not in _NOT_AREA_HEADING_ENDS]
        if len(short) < owner.theme_run_min:
            return
        # the short lines' words asked at once (one scan, not one a line: most releases have none of these headings)
        lines = [lower(folded[units[k].start : units[k].end]) for k in short]
        offsets = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        named = sorted({bisect.bisect_right(offsets, m.start()) - 1 for m in owner.theme_heading_scan.finditer("\n".join(lines))})
        if len(named) < owner.theme_run_min:
            return
        heads = [short[p] for p in named if self._theme_heading(short[p])]
        if len(heads) < owner.theme_run_min:
            return
        is_head = set(heads)
        ends = {h: next((k for k in range(h + 1, n) if k in is_head or self._block_boundary(k)), n) for h in heads}
        runs: list[list[int]] = []
        for h in heads:
            if ends[h] == h + 1:  # nothing under it: a line of a list or table of areas ('Investigation – adequate'), no heading
                runs.append([])
            elif runs and runs[-1] and ends[runs[-1][-1]] == h:
                runs[-1].append(h)
            else:
                runs.append([h])
        listed = {info["start"] for _, info in self.groups["list_items"].items}
        for run in runs:
            if len(run) < owner.theme_run_min or not (self._under_findings_heading(run[0])
                                                      or any(roles[k].kind == "cue" for h in run for k in range(h + 1, ends[h]))):
                continue
            for h in run:
                heading = self._heading_line(h, colon=True) or ""
                low = lower(heading)
                self.span("areas", units[h].start, units[ends[h] - 1].end, "area", heading=heading,
                          themes=[theme for theme, rx in owner.area_themes if rx.search(low)])
                for k in range(h + 1, ends[h]):
                    unit = units[k]
                    if roles[k].kind == "body" and unit.start not in listed \
                            and folded[unit.start : unit.end].rstrip().endswith(_SENTENCE_ENDS):
                        self.span("theme_paragraphs", unit.start, unit.end, "theme_paragraph", heading=heading)

    def _theme_heading(self, k: int) -> bool:
        line = self._heading_line(k, colon=True)
        return line is not None and len(line.split()) <= self.owner.theme_heading_max_words \
            and self.owner.theme_heading.search(lower(line)) is not None

    def _under_findings_heading(self, first: int) -> bool:
        """The nearest heading above unit ``first`` (past a paragraph or two introducing the areas) is a findings
        heading ('Key findings', 'What inspectors found')."""
        for k in range(first - 1, max(-1, first - 4), -1):
            if self._block_boundary(k):
                line = self._heading_line(k) if self.roles[k].kind == "body" else None
                if line is None:
                    line = squash(self.folded[self.units[k].start : self.units[k].end]).strip(_EMPHASIS + ":")
                return len(line.split()) <= self.owner.findings_heading_max_words \
                    and self.owner.findings_heading.fullmatch(lower(line)) is not None
        return False

    def _block_boundary(self, k: int) -> bool:
        """Unit ``k`` ends an area heading's block: a heading of any kind ('What happens next?' too), or a quotation
        or its introduction."""
        if self.roles[k].kind in ("heading", "intro", "quote"):
            return True
        line = self._heading_line(k, question=True)
        return line is not None and len(line.split()) <= _HEADING_MAX_WORDS and not line[:1].islower() \
            and not _SETEXT_UNDERLINE.fullmatch(line)  # (the underline of the heading above, a line of its own)

    def _heading_line(self, k: int, *, colon: bool = False, question: bool = False) -> str | None:
        """The words of unit ``k`` when it is one line of body text with no closing punctuation (a Markdown
        heading's marks, emphasis and a setext underline aside; with ``colon``, a colon too; with ``question``, a
        question mark), else None."""
        unit = self.units[k]
        if self.roles[k].kind != "body" or unit.is_item or unit.marker == ">":
            return None
        lines = self.folded[unit.start : unit.end].strip().split("\n")
        if len(lines) == 2 and _SETEXT_UNDERLINE.fullmatch(lines[1].strip()):
            lines.pop()
        line = squash(lines[0]).strip(_EMPHASIS)
        if colon:
            line = line.removesuffix(":").rstrip(_EMPHASIS)
        if question:
            line = line.removesuffix("?").rstrip(_EMPHASIS)
        return line if len(lines) == 1 and line and not line.endswith(CLOSING_PUNCTUATION) else None

    # -- lists ---------------------------------------------------------------------
    def fallback_role(self, i: int) -> _Role | None:
        """The cue of unit ``i`` when it is a paragraph of the body right above a list, ends in a colon
        or is a short heading, that no cue rule knows, but whose words say strength or concern."""
        units = self.units
        if not self._body_over_items(i):
            return None
        if i not in self._fallback:
            bare = squash(self.folded[units[i].start : units[i].end]).strip(_EMPHASIS)
            self._fallback[i] = self.owner.fallback_cue(bare, lower(bare))
        return self._fallback[i]

    def unknown_cue(self, i: int) -> bool:
        """Unit ``i`` is a cue by ``fallback_role``: its role is set, and the release is warned
        that the kind of its items is a guess."""
        role = self.fallback_role(i)
        if role is None:
            return False
        self.roles[i] = role
        warn(self.doc, "unknown_cue", f"no cue rule knows {role.cue_text!r}: its list was read as {role.label}s by its words, "
                                      "each finding flagged needs_review")
        return True

    def list_section(self, i: int) -> int:
        cue_unit, role = self.units[i], self.roles[i]
        if role.label == "neutral" and i > 0 and self.roles[i - 1].kind == "body" and self._plain_heading(self.units[i - 1]):
            above = self.owner.heading_cue(self.units[i - 1], self.folded)  # 'What needs to improve' over 'Inspectors found:'
            if above is not None and above.label in ("strength", "concern"):
                role.label = above.label
        self.span("cues", cue_unit.start, cue_unit.end, role.label, rule=role.rule, text=role.cue_text)
        items = self.collect_items(i + 1)
        if role.count is not None:
            items = items[: role.count]
        if not items and not role.cue_text.endswith(":"):
            self.section("other", i, i)  # a sentence that seemed to announce a list, but none follows
            return i + 1
        kind = {"strength": "strengths", "concern": "concerns"}.get(role.label, "findings")
        below = self.roles[i + 1] if i + 1 < len(self.roles) else None
        if not items and below is not None and below.kind == "cue":
            if below.label == "neutral" and role.label in ("strength", "concern"):
                below.label = role.label  # 'What the force does well:' over 'Inspectors found that the force:' and its list
            # ('The inspectors found:' over 'Progress the force has made' and its list: the cue below has the items)
            self.section(kind, i, i, cue=role.cue_text, rule=role.rule)
            return i + 1
        if not items:
            warn(self.doc, "truncated_list", f"the cue {role.cue_text!r} at offset {cue_unit.start} is followed by no list items")
            self.section(kind, i, i, cue=role.cue_text, rule=role.rule)
            return i + 1
        for pos, group in enumerate(self.joined_items(items)):
            unit, last = self.units[group[0]], self.units[group[-1]]
            body = self.text[unit.start : last.end]
            end = unit.start + len(_without_joiner(body.rstrip().rstrip("*").rstrip()))
            parts = {}
            if len(group) > 1:  # the words of each nested item, without its mark, after the lead-in's
                parts["parts"] = [(self.units[k].start, self.units[k].end) for k in group[:-1]] + [(last.start, end)]
            self.span("list_items", unit.start, end, role.label,
                      cue_start=cue_unit.start, cue_rule=role.rule, cue_text=role.cue_text,
                      marker=unit.marker, position=pos, **parts, **({"kind_guessed": True} if role.guessed else {}))
        last_text = self.folded[self.units[items[-1]].start : self.units[items[-1]].end].rstrip()
        if _ENDS_WITH_JOINER.search(last_text):
            warn(self.doc, "truncated_list", f"the list after {role.cue_text!r} ends with {last_text[-6:]!r}: items may be missing")
        self.section(kind, i, items[-1], cue=role.cue_text, rule=role.rule)
        return items[-1] + 1

    def table_section(self, i: int) -> int:
        """A plain-text or Markdown table whose column heads are cues ('Strengths | Areas for
        improvement'): every cell below the head is an item of its column's kind. Returns the
        index after the table, or 0 when unit ``i`` heads no such table."""
        units = self.units
        columns = self._table_columns(i)
        if columns is None:
            return 0
        framed = self._framed(units[i])
        j, rows = i + 1, 0
        while j < len(units) and self.roles[j].kind == "body":
            rule_line = _TABLE_RULE.fullmatch(units[j].text) is not None
            if not rule_line and "|" not in units[j].text:
                break
            cells = self._cells(units[j], framed)
            if cells is None:
                break
            if not rule_line:
                for k, (s, e) in enumerate(cells[: len(columns)]):
                    if e > s:
                        role, bare = columns[k]
                        self.span("list_items", s, e, role.label, cue_start=units[i].start, cue_rule=role.rule,
                                  cue_text=bare, marker=None, position=rows)
                rows += 1
            j += 1
        if not rows:
            return 0
        self.span("cues", units[i].start, units[i].end, "neutral", rule=_TABLE_RULE_ID, text=squash(units[i].text))
        self.section("findings", i, j - 1, cue=squash(units[i].text), rule=_TABLE_RULE_ID)
        return j

    def _table_columns(self, i: int) -> list[tuple[_Role, str]] | None:
        """The cue of each column when unit ``i`` is a table's head, else None."""
        if self.roles[i].kind not in ("body", "cue", "heading") or "|" not in self.units[i].text:
            return None  # ('Strengths | Areas for improvement' holds a cue itself)
        head = self._cells(self.units[i], self._framed(self.units[i]))
        if head is None or len(head) < 2:
            return None
        columns = []
        for s, e in head:
            bare = squash(self.folded[s:e]).strip(_EMPHASIS + ":")
            role = self.owner.cue_role(bare, lower(bare)) if bare else None
            if role is None:
                return None
            columns.append((role, bare))
        return columns if any(role.label in ("strength", "concern") for role, _ in columns) else None

    def _framed(self, unit: Unit) -> bool:
        """The table's rows open and close with '|' (Markdown), as its head row does."""
        return self.folded.startswith("|", unit.start, unit.end)

    def _cells(self, unit: Unit, framed: bool) -> list[tuple[int, int]] | None:
        """(start, end) of each cell's text in a one-line table row, empty cells as (s, s)."""
        if "\n" in unit.text:
            return None
        line_start = unit.line_start  # from the line's start: a row may open with an empty cell
        line = self.folded[line_start : unit.end]
        bounds = [-1] + [k for k, c in enumerate(line) if c == "|"] + [len(line)]
        if framed and line.lstrip().startswith("|"):
            bounds = bounds[1:]
        if framed and line.rstrip().endswith("|"):
            bounds = bounds[:-1]
        cells = []
        for a, b in itertools.pairwise(bounds):
            part = line[a + 1 : b]
            lead = len(part) - len(part.lstrip())
            s = line_start + a + 1 + lead
            cells.append((s, s + len(part.strip())))
        return cells

    def collect_items(self, j: int) -> list[int]:
        units, roles = self.units, self.roles
        n = len(units)
        items: list[int] = []
        if j >= n:
            return items
        if units[j].is_item:
            return self.marked_items(j)
        if self._group_label(j):
            return self.labelled_groups(j)
        first_lower = self._starts_lower(units[j])
        run_in = j > 0 and "\n" not in self.text[units[j - 1].end : units[j].start]  # 'CONCERN: Inspectors found ...' on one line
        while j < n and roles[j].kind == "body" and not units[j].is_item and not units[j].is_heading:
            if self.owner.stops_list(units[j], self.folded) and not (run_in and not items and self.owner.runs_on(units[j], self.folded)):
                break  # (the words after a run-in label are its own, 'CONCERN: Inspectors found ...', but for the inspection's course)
            if items and first_lower and not self._starts_lower(units[j]):
                break
            if not first_lower and self._plain_heading(units[j]):
                break
            items.append(j)
            if self._ends_list(items):
                break
            j += 1
        return items

    def marked_items(self, j: int) -> list[int]:
        """The marked items of a list that opens at unit ``j``, and those nested in it, but not the labels
        of nested groups."""
        units, roles = self.units, self.roles
        n = len(units)
        items: list[int] = []
        family, indent = _family(units[j].marker), units[j].indent
        while j < n and units[j].is_item and (roles[j].kind in ("body", "quote") or self._item_sentence(j, indent)) \
                and (_family(units[j].marker) == family or units[j].indent > indent):  # or nested in the list
            items.append(j)
            if self._ends_list(items):
                break
            j += 1
        return [k for k, after in itertools.zip_longest(items, items[1:]) if not self._label(k, after)]

    def labelled_groups(self, j: int) -> list[int]:
        """The items of a cue's list that comes in groups, each under a short label of its own
        ('Initial contact', 'Custody:') rather than nested under it: the labels are no findings."""
        items: list[int] = []
        family = None
        while j < len(self.units) and self._group_label(j):
            group = self.marked_items(j + 1)
            if not group or family not in (None, _family(self.units[group[0]].marker)):
                break
            family = _family(self.units[group[0]].marker)
            items += group
            j = group[-1] + 1
        return items

    def _group_label(self, j: int) -> bool:
        """Unit ``j`` is a short unmarked label ('Investigation', 'Initial contact') over marked items."""
        if not self._body_over_items(j):
            return False
        line = self._unmarked(j).rstrip(":").rstrip()
        return 0 < len(line.split()) <= _GROUP_LABEL_MAX_WORDS and not line.endswith(CLOSING_PUNCTUATION) \
            and not self.owner.stops_list(self.units[j], self.folded)

    def _body_over_items(self, j: int) -> bool:
        """Unit ``j`` is a paragraph of the body, no item itself, with an item right under it."""
        units = self.units
        return self.roles[j].kind == "body" and not units[j].is_item and j + 1 < len(units) and units[j + 1].is_item

    def _item_sentence(self, j: int, indent: int) -> bool:
        """A list item at the list's own level that a cue rule matched, but that is a sentence leading in
        to items nested under it ('1. Improve the way officers record their work, because the review found
        two recurring problems:'), not a heading over a list of its own ('Strengths:')."""
        unit = self.units[j]
        return self.roles[j].kind == "cue" and unit.indent == indent and j + 1 < len(self.units) \
            and self.units[j + 1].is_item and self.units[j + 1].indent > indent \
            and len(self.folded[unit.start : unit.end].split()) > _LEAD_IN_MIN_WORDS

    def _label(self, k: int, after: int | None) -> bool:
        """Item ``k`` is the label of a group of items nested under it ('Children in custody' or
        'Custody:' over its findings): a short heading, not a finding."""
        line = self._over_nested(k, after)
        return line is not None and (self._plain_heading(self.units[k]) or (line.endswith(":") and len(line.split()) <= _LABEL_MAX_WORDS))

    def _lead_in(self, k: int, after: int | None) -> bool:
        """Item ``k`` opens a sentence that the items nested under it finish ('The force's approach to
        missing children needs improvement:' over what inspectors saw): one finding with them."""
        line = self._over_nested(k, after)
        return line is not None and line.endswith((":", " -")) and len(line.split()) > _LABEL_MAX_WORDS

    def _over_nested(self, k: int, after: int | None) -> str | None:
        """Item ``k``'s words without emphasis marks when the item after it is nested deeper, else None."""
        if after is None or self.units[after].indent <= self.units[k].indent:
            return None
        return self._unmarked(k)

    def _unmarked(self, k: int) -> str:
        """Unit ``k``'s words without the emphasis marks around them."""
        return self.folded[self.units[k].start : self.units[k].end].strip().strip(_EMPHASIS).rstrip()

    def joined_items(self, items: list[int]) -> list[list[int]]:
        """The items in groups that are one finding each: an item alone, or a lead-in item with the
        items nested under it."""
        groups: list[list[int]] = []
        p = 0
        while p < len(items):
            k = items[p]
            group = [k]
            if self._lead_in(k, items[p + 1] if p + 1 < len(items) else None):
                while p + 1 < len(items) and items[p + 1] == items[p] + 1 and self.units[items[p + 1]].indent > self.units[k].indent:
                    p += 1
                    group.append(items[p])
            groups.append(group)
            p += 1
        return groups

    def _plain_heading(self, unit: Unit, max_words: int | None = None) -> bool:
        """A short line with no closing punctuation ('What still needs to improve'): it ends a
        list of sentences. (``max_words``: the heading's length at most, by default a cue heading's.)"""
        line = self.folded[unit.start : unit.end].rstrip()
        return len(line.split()) <= (max_words or self.owner.heading_cue_max_words) and not line.endswith(CLOSING_PUNCTUATION)

    def _headline_like(self, unit: Unit) -> bool:
        """One line of at most 25 words with no closing punctuation: a headline."""
        return "\n" not in self.folded[unit.start : unit.end].rstrip() and self._plain_heading(unit, _HEADLINE_MAX_WORDS)

    def _starts_lower(self, unit: Unit) -> bool:
        head = self.folded[unit.start : unit.start + 12].lstrip(_EMPHASIS + "\"'(")
        return bool(head) and (head[0].islower() or head[0].isdigit())

    def _ends_list(self, items: list[int]) -> bool:
        """True once the item after a '; and' item, or a '.' item after ';' items, is reached."""
        if len(items) < 2:
            return False
        last = self._item_text(items[-1])
        before = self._item_text(items[-2])
        if _ENDS_WITH_AND_OR.search(before):
            return True
        return last.endswith(".") and before.endswith(";") and self._item_text(items[0]).endswith(";")

    def _item_text(self, k: int) -> str:
        return self.folded[self.units[k].start : self.units[k].end].rstrip()

    # -- quotes --------------------------------------------------------------------
    def quote_section(self, i: int) -> int:
        units, roles, folded = self.units, self.roles, self.folded
        n = len(units)
        intro: tuple[int, int, str, str] | None = None
        paragraphs: list[tuple[int, int]] = []
        trailing: tuple[int, int] | None = None
        first = i
        if roles[i].kind == "intro":
            unit = units[i]
            intro_end = _intro_end(folded, unit)
            intro = (unit.start, intro_end, self.text[unit.start:intro_end], roles[i].rule)
            rest_start = intro_end + 1
            while rest_start < unit.end and (folded[rest_start].isspace() or folded[rest_start] in _EMPHASIS):
                rest_start += 1  # ('**X said:**': the emphasis closing after the colon is no quotation)
            j = i + 1
            if rest_start < unit.end:
                second = self._second_attribution(rest_start, unit.end)
                if second is not None:  # 'X said: “...,” while Y said: “...”': two quotations in one paragraph
                    close_at, attr_start, attr_end = second
                    self._add_paragraph(paragraphs, rest_start, close_at + 1)
                    self.quote_block(first, i, intro, paragraphs, None)
                    then: list[tuple[int, int]] = []
                    self._add_paragraph(then, attr_end + 1, unit.end)
                    self.quote_block(first, i, (attr_start, attr_end, self.text[attr_start:attr_end], roles[i].rule), then,
                                     None, section=False)
                    return i + 1
                closed = self._add_paragraph(paragraphs, rest_start, unit.end)
                if closed:
                    self.quote_block(first, i, intro, paragraphs, None)
                    return i + 1
            if j < n and roles[j].kind == "body" and not paragraphs:
                if self._headline_like(units[j]):  # 'In a statement, HMIC said:' over a whole release, headline first
                    self.section("other", i, i)
                    return i + 1
                # an unquoted statement after "X said:" is still the quote (and one whose marks a lossy
                # conversion made '?' opens after its '?')
                start, end = units[j].start, units[j].end
                if _lossy_open(self.folded, start, end):
                    start += 1
                    end -= self.folded.endswith(_LOSSY_CLOSE, start, end)
                paragraphs.append((start, end))
                self.quote_block(first, j, intro, paragraphs, None)
                return j + 1
        else:
            j = i
        last = j - 1
        while j < n and roles[j].kind == "quote":
            unit = units[j]
            outro = self._outro(unit)
            if outro is not None:
                close_at, attr_start = outro
                paragraphs.append((_after_open(folded, unit.start, close_at), close_at))
                reopen = folded.find('"', attr_start, unit.end)
                trailing = (attr_start, reopen if reopen >= 0 else unit.end)
                last = j
                closed = self._add_paragraph(paragraphs, reopen, unit.end) if reopen >= 0 else True
                # '“A,” said X. “B.”' or a new paragraph '“B ...' : the quotation goes on after its attribution
                j += 1
                while j < n and roles[j].kind == "quote" and self.folded[units[j].start] == '"' \
                        and (reopen < 0 or not closed) and self._outro(units[j]) is None:
                    closed = self._add_paragraph(paragraphs, units[j].start, units[j].end)
                    last = j
                    j += 1
                    if closed:
                        break
                break
            closed = self._add_paragraph(paragraphs, unit.start, unit.end)
            last = j
            j += 1
            while not closed and j < n and roles[j].kind == "body" and not units[j].blank_before and units[j].marker is None \
                    and self.hard_wrapped:
                # a quotation not yet closed goes on in lines that the layout took for a paragraph of their own
                # (hard-wrapped copy whose line ended a sentence short of the width)
                closed = self._add_paragraph(paragraphs, paragraphs.pop()[0], units[j].end)
                last = j
                j += 1
            if not closed and folded[unit.start : unit.end].rstrip().endswith(":"):
                while j < n and units[j].is_item and roles[j].kind in ("body", "quote"):  # '“... the force has:' over a list
                    paragraphs.append((units[j].start, units[j].end))
                    last = j
                    j += 1
            # after 'X said:', paragraphs each in their own quotation marks are still X's one statement
            if closed and (intro is None or j >= n or roles[j].kind != "quote" or self.folded[units[j].start] != '"'
                           or self._outro(units[j]) is not None):
                break
        if not paragraphs:
            self.section("quotes", first, first)
            return first + 1
        if intro is None and trailing is None and last + 1 < n and self._signature(units[last + 1]):
            trailing = (units[last + 1].start, units[last + 1].end)
            last += 1
        elif intro is None and trailing is None and last + 2 < n and self._two_line_signature(units[last + 1], units[last + 2]):
            trailing = (units[last + 1].start, units[last + 2].end)
            last += 2
        self.quote_block(first, last, intro, paragraphs, trailing)
        return last + 1

    def front_matter_end(self, i: int) -> int:
        """The unit after a Markdown file's front matter that opens at unit ``i`` ('---', then 'key: value'
        lines and their lists, then '---'), or ``i`` if none opens there."""
        units, text = self.units, self.text
        if i >= len(units) or text[units[i].start : units[i].end].strip() != "---":
            return i
        for k in range(i + 1, min(len(units), i + _FRONT_MATTER_MAX_LINES)):
            line = text[text.rfind("\n", 0, units[k].start) + 1 : units[k].end]  # with a list item's mark
            if line.strip() == "---":
                return k + 1 if k > i + 1 else i
            if not FRONT_MATTER_LINE_RX.match(line):
                return i
        return i

    def envelope_end(self) -> int:
        """The first unit of a release forwarded by e-mail, after its envelope (``sections.json``'s
        ``email``); 0 when the text is not an e-mail."""
        owner, units = self.owner, self.units
        low = self.folded.lower()
        if not any(sign in low for sign in owner.header_signs):
            return 0
        headers = {k for k, u in enumerate(units) if self._header_line(u.start, min(u.end, u.start + 200))}
        blocks = [k for k in sorted(headers) if k - 1 in headers or k + 1 in headers or self._header_block(units[k])]
        if not blocks:
            return 0
        first = blocks[-1] + 1
        if first < len(units) and owner.email_greeting.match(lower(squash(self.folded[units[first].start : units[first].end]))):
            first += 1
            for k in range(first, min(len(units), first + owner.cover_note_max_units)):
                if self.roles[k].kind != "body":
                    break
                if owner.is_preamble(units[k], self.folded) or self._plain_heading(units[k]):
                    return k  # the cover note ends at the release's kicker or headline
        return min(first, len(units))

    def _header_line(self, start: int, end: int) -> bool:
        """``folded[start:end]`` opens like an e-mail header ('From: ...', 'On ... wrote:')."""
        owner = self.owner
        return self.folded[start : start + owner.header_opening_width].lower().startswith(owner.header_openings) and \
            bool(owner.email_header.match(lower(squash(self.folded[start:end]))))

    def _header_block(self, unit: Unit) -> bool:
        """A unit that is a header block by itself: 'On ... wrote:', or header lines joined in one unit."""
        text = self.folded[unit.start : unit.end]
        if text.endswith("wrote:"):
            return True
        return sum(1 for line in text.split("\n") if self.owner.email_header.match(lower(line.strip()))) > 1

    def embedded_quote(self, i: int) -> bool:
        """A paragraph of reported speech that ends in a quotation ('The Commissioner, Jane Doe, said
        she would act. "We have ...," she said.'): the quotation, introduced by the sentence before it."""
        unit = self.units[i]
        outro = self._outro(unit)
        if outro is None:
            return False
        close_at, attr_start = outro
        opening = self.folded.rfind('"', unit.start, close_at)
        if opening <= unit.start or self.folded[unit.start : opening].rstrip()[-1:] not in (".", ":"):
            return False  # not a sentence, then a quotation
        paragraphs = [(_after_open(self.folded, opening, close_at), close_at)]
        intro = (unit.start, opening, self.text[unit.start : opening].rstrip(), "quote.embedded")
        self.quote_block(i, i, intro, paragraphs, (attr_start, unit.end))
        return True

    def _add_paragraph(self, paragraphs: list[tuple[int, int]], start: int, end: int) -> bool:
        """Add a quoted paragraph without its quotation marks; True if it closes the quote."""
        s = _after_open(self.folded, start, end)
        tail = self.folded[s:end].rstrip()
        if s > start and self.folded[s - 1] == "?" and tail.endswith(_LOSSY_CLOSE):
            tail = tail[:-1] + '"'  # the closing mark of a quotation that a lossy conversion made '?'
        body = tail.rstrip(".,")
        closed = body.endswith('"')
        e = s + (len(body) - 1 if closed else len(tail))
        paragraphs.append((s, max(s, e)))
        return closed

    def _outro(self, unit: Unit) -> tuple[int, int] | None:
        """For '“...,” said Name, Role.': (offset of the closing quote, start of the attribution)."""
        segment = self.folded[unit.start : unit.end]
        if '"' not in segment:
            return None  # every attribution after a quotation follows its closing mark
        for _, rx in self.owner.quote_outro:
            m = rx.search(segment)
            if m:
                close = segment.rfind('"', 0, m.start() + 1)
                if close <= 0:
                    continue
                inner_end = close
                while inner_end > 0 and segment[inner_end - 1] in ",. ":
                    inner_end -= 1
                return unit.start + inner_end, unit.start + close + 1
        return None

    def _signature(self, unit: Unit) -> bool:
        """'Jane Doe, HM Inspector of Constabulary' on its own line under a quotation, perhaps after a
        dash ('— Jane Doe, ...', which the layout reads as a bullet)."""
        if unit.is_item and unit.marker not in ("-", "\u2013", "\u2014"):
            return False
        return self._signed(self._bare(unit))

    def _two_line_signature(self, name: Unit, role: Unit) -> bool:
        """The name over the role, on two lines under a quotation ('Jane Doe' / 'Police and Crime
        Commissioner for Kent'): a signature as if a comma parted them."""
        if name.is_item or role.is_item or self.folded.count("\n", name.end, role.start) != 1:  # on the next line
            return False
        return self._signed(self._bare(name) + ", " + self._bare(role))

    def _bare(self, unit: Unit) -> str:
        return squash(self.folded[unit.start : unit.end]).strip(_EMPHASIS)

    def _signed(self, line: str) -> bool:
        return any(rx.match(line) for _, rx in self.owner.quote_signature)

    def _second_attribution(self, start: int, end: int) -> tuple[int, int, int] | None:
        """In a paragraph that opens with a quotation after 'X said:', a second speaker's attribution
        after its closing mark ('..., while the Commissioner, Y, said: “...'): (the closing mark,
        the attribution's start and its colon), or None."""
        folded = self.folded
        if folded[start] != '"':
            return None
        close_at = folded.find('"', start + 1, end)
        m = _SECOND_ATTRIBUTION.match(folded, close_at + 1, end) if close_at > 0 else None
        if m is None:
            return None
        return close_at, m.start("attribution"), m.end("attribution") - 1

    def quote_block(self, first: int, last: int, intro, paragraphs, trailing, *, section: bool = True) -> None:
        start, end = paragraphs[0][0], paragraphs[-1][1]
        info = {
            "intro": intro[2] if intro else None,
            "intro_rule": intro[3] if intro else None,
            "intro_start": intro[0] if intro else None,
            "trailing": self.text[trailing[0] : trailing[1]] if trailing else None,
            "paragraphs": paragraphs,
        }
        self.span("quote_blocks", start, max(end, start + 1), "quote", **info)
        if section:
            self.section("quotes", first, last, cue=intro[2] if intro else None, rule=intro[3] if intro else None)

    # -- headed sections -----------------------------------------------------------
    def heading_section(self, i: int) -> int:
        units, roles = self.units, self.roles
        n = len(units)
        role = roles[i]
        kind = role.label
        j = i + 1
        if kind == "reports":
            while j < n and roles[j].kind == "body" and len(self.folded[units[j].start : units[j].end].split()) <= _TITLE_MAX_WORDS \
                    and not self.folded[units[j].start : units[j].end].rstrip().endswith((".", ":")) \
                    and not (units[j].is_heading and self._body_over_items(j)):  # '## Progress since 2015' over a list
                j += 1
            self.section("reports", i, j - 1, cue=role.cue_text, rule=role.rule)
            return j
        if kind == "end":
            if role.rule in OUTSIDE_RELEASE and any(label in _RELEASE_PARTS for label, _ in self.groups["sections"].items):
                # 'Related', comments: the page's, not the release's, and so is a footer's link 'About HMIC', which the
                # notes' heading rules also know (but not 'Editor's notes' or 'Background', which start notes after 'Share')
                while j < n and (roles[j].kind != "heading"
                                 or (roles[j].label == "notes" and self.owner.chrome_notes_heading.match(roles[j].cue_text))):
                    j += 1
            self.section("other", i, j - 1, cue=role.cue_text, rule=role.rule)
            return j
        if kind == "notes" and role.rule != _NOTES_TO_EDITORS and any(
                r.kind == "heading" and r.rule == _NOTES_TO_EDITORS for r in roles[i + 1 :]):
            kind = "other"  # 'Background' in the body, with the notes to editors still to come
        while j < n and (roles[j].kind in ("body", "quote") or (roles[j].kind == "heading" and roles[j].label == kind)
                         or (kind == "notes" and units[j].is_item)):  # a note's own list ('It examines:' over bullets)
            j += 1
        if kind == "notes":
            self.note_items(range(i + 1, j))
        self.section(kind, i, max(i, j - 1), cue=role.cue_text, rule=role.rule)
        return j

    def note_items(self, indices) -> None:
        """Numbered notes; when some are numbered, unnumbered lines (a contact line) are not notes.
        Notes all numbered alike ('1.' each, as Markdown lets one write a list) count up from it.
        A list numbered from 1 again after them, or going back (a newsletter's next items), is not the notes."""
        indices = [k for k in indices if self.roles[k].kind != "heading"]
        if any(self.units[k].number is not None for k in indices):
            indices = [k for k in indices if self.units[k].number is not None]
            restart = next((p for p in range(1, len(indices))  # numbered from 1 again, or going back ('3.' then '2. NEWS')
                            if self.units[indices[p]].number < self.units[indices[p - 1]].number), None)
            indices = indices[:restart]
        else:
            indices = [k for k in indices if not self.owner.not_a_note.match(self.folded[self.units[k].start : self.units[k].end])]
        numbers: list[int] = []
        for k in indices:
            unit = self.units[k]
            numbers.append(unit.number if unit.number is not None else (numbers[-1] if numbers else 0) + 1)
        if len(numbers) > 1 and len(set(numbers)) == 1:
            numbers = [numbers[0] + k for k in range(len(numbers))]
        for k, number in zip(indices, numbers, strict=True):
            unit = self.units[k]
            self.span("note_items", unit.start, unit.end, "note", number=number)

    def headless_notes(self) -> None:
        """A numbered block at the end with no heading is the notes to editors."""
        if any(label == "notes" for label, _ in self.groups["sections"].items):
            return
        units = self.units
        last = len(units) - 1
        while last >= 0 and units[last].number is None and self.roles[last].kind in ("body", "heading") and \
                len(self.folded[units[last].start : units[last].end].split()) <= _NOTE_HEAD_MAX_WORDS:
            last -= 1
        first = last
        while first >= 0 and units[first].number is not None and not self._in_list(first):
            first -= 1
        first += 1
        if first > last or units[first].number != 1 or last - first < 1:
            return
        self.groups["sections"].retain(lambda label, info: not (info["start"] >= units[first].line_start and label == "other"))
        self.note_items(range(first, last + 1))
        self.section("notes", first, last, cue=None, rule="notes.headless_numbered_block")

    def _in_list(self, k: int) -> bool:
        if self._item_starts is None:
            self._item_starts = {info["start"] for _, info in self.groups["list_items"].items}
        return self.units[k].start in self._item_starts


def _without_joiner(item: str) -> str:
    """``item`` (no trailing white space) without a closing ';', ',' or '; and' / ', or'.

    What ``_TRAILING_JOINER.sub("", item)`` gives, with the regex run only from the white
    space before the last ';' or ',' (where any match must start) rather than along the
    whole item.
    """
    if not item or (item[-1] not in _JOINER_ENDS and item[-1].isascii()):
        return item
    k = max(item.rfind(";"), item.rfind(","))
    if k < 0:
        return item
    j = k
    while j > 0 and item[j - 1].isspace():
        j -= 1
    return item[:j] + _TRAILING_JOINER.sub("", item[j:])


def _family(marker: str | None) -> str:
    if marker is None:
        return ""
    if marker[0] == "(" or marker[0].isdigit():
        return "number" if any(c.isdigit() for c in marker) else "letter"
    if marker[0].isalpha() and len(marker) > 1:
        return "letter"
    return "bullet"


def _after_open(folded: str, start: int, end: int) -> int:
    s = start
    while s < end and folded[s] in '"\' *_':
        s += 1
    if _lossy_open(folded, s, end):
        s += 1
    return s


# '?We found ... this.?': quotation marks that a lossy conversion to ASCII made '?'
_LOSSY_CLOSE = (".?", ",?", "!?")


def _lossy_open(folded: str, s: int, end: int) -> bool:
    return s + 1 < end and folded[s] == "?" and folded[s + 1].isupper()


def _intro_end(folded: str, unit: Unit) -> int:
    """Offset of the colon that ends an attribution such as 'X said:'."""
    segment = folded[unit.start : unit.end]
    quote = segment.find('"')
    colon = segment.rfind(":", 0, quote if quote > 0 else len(segment))
    return unit.start + (colon if colon >= 0 else len(segment))


@Language.factory("ncpi_sectionizer")
def make_sectionizer(nlp: Language, name: str) -> Sectionizer:
    return Sectionizer(nlp, name)


__all__ = ["Sectionizer"]
