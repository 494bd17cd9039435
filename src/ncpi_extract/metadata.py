"""Release-level facts: force, inspectorate, stage, fieldwork, publication date,
gradings and title.

Each fact is looked for where a reader would look first: the force in the headline
and report titles before the body, the stage in the report title before the text.
Quotes and notes to editors are boilerplate about the programme, so the body text
searched here leaves them out.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from .component import RuleComponent
from .docext import folded_of, read_group, release_subject, text_of, warn
from .rules import compile_lower, compile_pattern, literal_alternation
from .ruleset import RuleSet
from .sections import OUTSIDE_RELEASE
from .textnorm import SENTENCE_BREAK, comparable, count_of, fold, lower, plain, squash

_PROSE_LINE = re.compile(r"^[^\n]{40,}[.!?][\"'\u201d]?[ \t]*$", re.M)  # a line of running text ending a sentence: the lead, say
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}
_MONTH_ALIASES = {**MONTHS, **{m[:3]: i for m, i in MONTHS.items()}, "sept": 9}
_MONTH_OR_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(sorted(_MONTH_ALIASES, key=len, reverse=True)) + r")\.?\b|\b(?P<year>(?:19|20)\d{2})\b", re.I)
_GRADE_CONTEXT = re.compile(r"\b(?:grad(?:ed|e|es|ing)|judged|rated|rating|assessed as|found to be)\b", re.I)
_WEIGHTS = {"headline": 5, "reports": 3}
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")  # the marks of a Markdown heading before a headline: no part of its title


class MetadataExtractor(RuleComponent):
    rule_files = ("forces", "metadata")

    def compile(self) -> None:
        self.force_of: dict[str, str] = {}
        for force in self.rules["forces"]["forces"]:
            for name in force["names"]:
                self.force_of[name] = force["id"]
        self.force_rx = re.compile(r"(?:" + literal_alternation(list(self.force_of), word_start=True) + r")\b")
        meta = self.rules["metadata"]
        self.stage_rules = [(r["stage"], r["id"], compile_lower(r["pattern"])) for r in meta["stages"]]
        self.fieldwork_cues = compile_lower("|".join(f"(?:{p})" for p in meta["fieldwork_cues"]))
        self.fieldwork_exclude = compile_lower(meta["fieldwork_exclude"])
        self.fieldwork_elsewhere = compile_lower(meta["fieldwork_elsewhere"])
        self.fieldwork_second_visit = compile_lower(meta["fieldwork_second_visit"])
        self.fieldwork_return = compile_lower(meta["fieldwork_return"])
        self.fieldwork_own_words = compile_lower(meta["fieldwork_own_words"])  # this stage's own visit, beside the original
        self.fieldwork_return_stages = {stage: compile_lower(p) for stage, p in meta["fieldwork_return_stages"].items()}
        self.fieldwork_first_visit = compile_lower(meta["fieldwork_first_visit"])
        self.fieldwork_return_purpose = compile_lower(meta["fieldwork_return_purpose"])
        self.fieldwork_none = compile_lower(meta["fieldwork_none"])
        self.fieldwork_in_notes = compile_lower(meta["fieldwork_in_notes"])
        self.fieldwork_in_notes_not = compile_lower(meta["fieldwork_in_notes_not"])
        self.fieldwork_in_notes_original = compile_lower(meta["fieldwork_in_notes_original"])
        self.fieldwork_in_notes_later_stage = compile_lower(meta["fieldwork_in_notes_later_stage"])
        self.published_rx = [compile_lower(p, re.M) for p in meta["published_patterns"]]
        self.published_head_rx = [compile_lower(p, re.M) for p in meta["published_head_patterns"]]
        self.published_head_chars = meta["published_head_chars"]
        self.published_elsewhere = compile_lower(meta["published_elsewhere"])
        self.grading_rx = compile_pattern(meta["grading_pattern"])
        self.grading_line_rx = compile_pattern(meta["grading_line"], re.I | re.M)
        self.grading_requires_quote = meta["grading_requires_quote"]
        self.grades = [(grade, compile_pattern(re.escape(grade))) for grade in meta["grades"]]
        self.any_grade = compile_pattern(r"\b(?:" + "|".join(re.escape(g) for g, _ in self.grades) + r")\b")
        insp = meta["inspectorate"]
        self.hmicfrs_rx = compile_pattern(insp["hmicfrs"], 0)
        self.hmic_rx = compile_pattern(insp["hmic"], 0)
        self.renamed = date.fromisoformat(insp["renamed"])
        # which rules match at all, asked in one scan (``ruleset``)
        self.stage_set = RuleSet([rx for _, _, rx in self.stage_rules])
        self.published_set = RuleSet(self.published_rx)
        self.fieldwork_cue_set = RuleSet([self.fieldwork_cues])
        self.grading_line_set = RuleSet([self.grading_line_rx])
        self.any_grade_set = RuleSet([self.any_grade])
        self.hmicfrs_set = RuleSet([self.hmicfrs_rx])

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        folded = folded_of(doc)
        by_kind: dict[str, list[tuple[int, int]]] = {}
        for label, info in read_group(doc, "sections"):
            if info.get("rule") not in OUTSIDE_RELEASE:  # not an e-mail's headers or a web page's comments
                by_kind.setdefault(label, []).append((info["start"], info["end"]))
        titles = [info["title"] for _, info in read_group(doc, "reports")]
        body_parts = [(a, b) for kind, spans in by_kind.items() if kind not in ("notes", "quotes", "contacts") for a, b in spans]
        body = "\n\n".join(folded[a:b] for a, b in sorted(body_parts))
        headline = next((_MARKDOWN_HEADING.sub("", plain(text[a:b])) for a, b in by_kind.get("headline", [])), None)

        meta: dict = {"title": headline}
        meta["force"] = self.force(text, by_kind, titles)
        meta["published"] = self.published(lower(folded).replace("*", " "))  # '**Published:**' in Markdown
        meta["inspectorate"] = self.inspectorate(folded, meta["published"])
        sentences = _sentences(body)
        low_body = lower(body)
        meta["stage"], meta["stage_rule"] = self.stage([lower(fold(t)) for t in titles], lower(fold(headline or "")), low_body)
        # a national report naming forces as examples: several forces, none of them in its headline, lead or titles
        examples = meta["stage"] == "thematic" and meta["force"] is not None and len(self.forces_named([body])) > 1 \
            and meta["force"]["id"] not in self.forces_named([release_subject(doc, text, whole_lead=True), *titles])
        if examples:
            meta["force"] = None  # a national report naming forces as examples is none of theirs
        # 'we did not carry out fieldwork for this update.': a later stage's months, but a return's, are the original's
        none_of_its_own = meta["stage"] not in ("inspection", "other") and ("fieldwork" in low_body or "visit" in low_body) \
            and any(self.fieldwork_none.search(lower(sentence)) for sentence in sentences)
        if none_of_its_own:
            revisit = self.revisit_months(sentences, meta["stage"])
            meta["fieldwork"] = _months_span(revisit)
        else:
            meta["fieldwork"] = self.fieldwork(sentences, meta["stage"])
        if meta["fieldwork"] is None and "notes" in by_kind and not none_of_its_own:
            notes = self.fieldwork_notes(folded, by_kind["notes"], meta["force"], meta["stage"])
            meta["fieldwork"] = self.fieldwork(notes, meta["stage"], take_earlier=False)
        meta["gradings"] = self.gradings(body, sentences)
        doc._.ncpi_meta = meta
        if examples:
            warn(doc, "unknown_force", "a national report: the forces it names are examples, not its subject")
        elif meta["force"] is None:
            warn(doc, "unknown_force", "no police force of England and Wales is named in the release")
        if meta["fieldwork"] is None:
            warn(doc, "no_fieldwork", "the release does not say when the inspection took place")
        return doc

    # -- force ---------------------------------------------------------------------
    def force(self, text: str, by_kind: dict, titles: list[str]) -> dict | None:
        scores: dict[str, float] = {}
        first_name: dict[str, tuple[int, str]] = {}
        zones = [(k, a, b) for k, spans in by_kind.items() if k not in ("notes", "contacts") for a, b in spans]
        for kind, a, b in zones:
            for m in self.force_rx.finditer(text, a, b):
                fid = self.force_of[m.group(0)]
                scores[fid] = scores.get(fid, 0) + _WEIGHTS.get(kind, 1)
                _keep_first(first_name, fid, m.start(), m.group(0))
        for title in titles:
            for m in self.force_rx.finditer(title):
                fid = self.force_of[m.group(0)]
                scores[fid] = scores.get(fid, 0) + _WEIGHTS["reports"]
        if not scores:
            return None
        best = max(scores, key=lambda f: (scores[f], -first_name.get(f, (len(text), ""))[0]))
        return {"id": best, "name": first_name.get(best, (0, best))[1]}

    def forces_named(self, texts: list[str]) -> set[str]:
        return {self.force_of[m.group(0)] for t in texts for m in self.force_rx.finditer(t)}

    # -- dates -----------------------------------------------------------------------
    def published(self, folded: str) -> str | None:
        # 'News item – 24/09/2015' under the headline, above the lead: not in a page's list of other news further down
        lead = _PROSE_LINE.search(folded, 0, self.published_head_chars)
        head = folded[: lead.start() if lead else self.published_head_chars]
        for rx in self.published_head_rx:
            for m in rx.finditer(head):
                parsed = _parse_numeric_date(m.group("dmy")) if m.group("dmy") else _parse_day_month_year(m.group("date"))
                if parsed:
                    return parsed
        for k in self.published_set.matching(folded):
            # the first match not about another report ('... was published on 12 October 2017')
            m = next((m for m in self.published_rx[k].finditer(folded)
                      if not self.published_elsewhere.search(folded, max(0, m.start() - 24), m.start())), None)
            if not m:
                continue
            groups = m.groupdict()
            if groups.get("iso"):
                return groups["iso"]
            if groups.get("dmy"):
                parsed = _parse_numeric_date(groups["dmy"])
                if parsed:
                    return parsed
                continue
            if groups.get("mdy"):  # 'March 24, 2015', as a WordPress theme may print it
                month_day, _, year = groups["mdy"].rpartition(",")
                month, day = month_day.split()
                groups["date"] = f"{day.rstrip('stndrh')} {month} {year.strip()}"
            parsed = _parse_day_month_year(groups.get("date") or "")
            if parsed:
                return parsed
        return None

    def inspectorate(self, folded: str, published: str | None) -> str | None:
        if self.hmicfrs_set.matching(folded):
            return "HMICFRS"
        if published:
            return "HMIC" if date.fromisoformat(published) < self.renamed else "HMICFRS"
        if self.hmic_rx.search(folded):
            return "HMIC"
        return None

    def stage(self, titles: list[str], headline: str, body: str) -> tuple[str, str | None]:
        """The stage of the first title, headline or body a stage rule matches; of several titles,
        the first of a later stage than the original inspection, which later releases name too."""
        found = [self.stage_rules[k] for k in map(self.stage_set.first, titles) if k is not None]
        if found:
            stage, rule_id, _ = next((rule for rule in found if rule[0] not in ("inspection", "other")), found[0])
            return stage, rule_id
        for text in (headline, body):
            first = self.stage_set.first(text)
            if first is not None:
                stage, rule_id, _ = self.stage_rules[first]
                return stage, rule_id
        return "other", None

    def fieldwork(self, sentences: list[str], stage: str = "inspection", *, take_earlier: bool = True) -> dict | None:
        """The months of the fieldwork, from the first sentence (of the body's ``sentences``) that
        says when it happened; one about an earlier inspection only if no other sentence says (and
        ``take_earlier``: not in the notes, which date the programme's other reports), and
        not when it goes on to a return it gives no month of (those months are the original's)."""
        if stage not in ("inspection", "other"):
            revisit = self.revisit_months(sentences, stage)
            if revisit:
                return _months_span(revisit)
        earlier: list[str] | None = None
        later_stage = stage in self.fieldwork_return_stages
        for sentence in sentences:
            sentence = lower(sentence)
            if not self.fieldwork_cue_set.matching(sentence):
                continue
            months = self.fieldwork_months(sentence)
            if months and later_stage and self.another_stage(sentence, stage):
                continue  # 'Inspectors returned for a re-inspection in February 2018', in a progress update: that stage's
            elsewhere = (self.fieldwork_elsewhere.search(sentence) or (later_stage and self.fieldwork_first_visit.search(sentence))) \
                if months else None
            if elsewhere:
                about_the_original = later_stage and self.about_the_original(sentence)
                if take_earlier and not about_the_original and self.return_months(sentence) is None:
                    # not 'originally inspected in March 2017, and inspectors returned ...', nor, in a later stage's
                    # release, 'The original inspection took place in June 2015' (its months are the original's)
                    earlier = earlier or months
            elif months:
                later = self.second_visit_months(sentence)
                if later:
                    return {"start": months[0], "end": max(months[-1], later[-1])}
                returned = self.return_months(sentence) or []
                if returned and stage not in ("inspection", "other"):
                    months = returned  # a later stage's return: the months before it are the original inspection's
                elif returned:
                    months = [months[0], max(months[-1], returned[-1])]  # an inspection's further visit
                return _months_span(months)
        return _months_span(earlier)

    def fieldwork_notes(self, folded: str, notes: list[tuple[int, int]], force: dict | None, stage: str) -> list[str]:
        """The sentences of the notes to editors that speak of this inspection's fieldwork ('The fieldwork for the
        post-inspection review took place between 6 and 10 November 2017.'): not of the programme's forces, another
        force or a visit to come, and in a release on a later stage, of that stage or a return (metadata.json)."""
        later = stage not in ("inspection", "other")
        kept = []
        for sentence in _sentences("\n\n".join(folded[a:b] for a, b in sorted(notes))):
            low = lower(sentence)
            if not self.fieldwork_in_notes.search(low) or self.fieldwork_in_notes_not.search(low):
                continue
            if later and not self.fieldwork_in_notes_later_stage.search(low) and (
                    self.fieldwork_in_notes_original.search(low) or self.fieldwork_elsewhere.search(low)):
                continue  # in a later stage's release, 'The fieldwork for the inspection took place in May 2016', the original's
            if any(force is None or self.force_of[m.group(0)] != force["id"] for m in self.force_rx.finditer(sentence)):
                continue  # 'The fieldwork for Essex Police's inspection took place in June 2017'
            kept.append(sentence)
        return kept

    def revisit_months(self, sentences: list[str], stage: str = "") -> list[str]:
        """A later stage's fieldwork is its return visit: the months right after the first return that
        names them ('Inspectors returned in October 2015'), even after a sentence that dates the original
        inspection in words the other rules do not know ('HMIC published its inspection of the force in May 2015')."""
        if not self.fieldwork_return.search(lower("\n".join(sentences))):  # one search over the body: most name no return
            return []
        for sentence in sentences:
            sentence = lower(sentence)
            m = self.fieldwork_return.search(sentence)
            if m is not None and self.fieldwork_cue_set.matching(sentence) and not self.another_stage(sentence, stage):
                months = self.months_after(sentence, m.end())
                if months:
                    return months
        return []

    def another_stage(self, sentence: str, stage: str) -> bool:
        """The sentence's return was made for a later stage other than the release's ('Inspectors returned for a
        re-inspection in ...', in a progress update): its months are that stage's."""
        back = self.fieldwork_return.search(sentence)
        if back is None:
            return False
        for other, rx in self.fieldwork_return_stages.items():
            named = rx.search(sentence, back.end(), back.end() + 80) if other != stage else None
            if named and self.fieldwork_return_purpose.match(sentence[back.end() : named.start()]):
                return True
        return False

    def return_months(self, sentence: str) -> list[str] | None:
        """The months after a return the sentence goes on to, when it names its first visit's
        months before it ('... took place in May 2015, and inspectors returned between 28 June and 1 July 2016');
        [] for such a return without months, None when the sentence goes on to no return."""
        first = self.fieldwork_cues.search(sentence)
        m = self.fieldwork_return.search(sentence, first.end()) if first else None
        if m is None or not _months(sentence[first.end() : m.start()]):
            return None
        return self.months_after(sentence, m.end())

    def months_after(self, sentence: str, at: int) -> list[str]:
        """The months named in the words after ``at``, up to a word ('published', 'since') that
        turns to something else."""
        window = sentence[at : at + 120]
        stop = self.fieldwork_exclude.search(window)
        return _months(window[: stop.start()] if stop else window)

    def about_the_original(self, sentence: str) -> bool:
        """Whether a sentence naming the original inspection dates only that ('The original inspection took place in
        June 2015'): it has no word of a visit of this stage's own ('Following the 2015 inspection, fieldwork for the
        review was carried out in May 2016', 'Since the original inspection in 2015, inspectors visited the force ...')."""
        return not self.fieldwork_own_words.search(sentence)

    def fieldwork_months(self, sentence: str) -> list[str]:
        """The months named after a cue ('carried out in May 2017'), else before the first one ('In
        November and December 2018, inspectors returned to the force'), unless a word such as
        'published' says those months are about something else."""
        first = None
        for m in self.fieldwork_cues.finditer(sentence):
            first = first or m
            months = self.months_after(sentence, m.start("when") if m.group("when") else m.end())  # a rule may read its date itself
            if months:
                return months
        if first is not None:
            window = sentence[max(0, first.start() - 200) : first.start()]
            if not self.fieldwork_exclude.search(window):
                return _months(window)
        return []

    def second_visit_months(self, sentence: str) -> list[str]:
        """The months of an unannounced second visit the sentence goes on to ('..., and then
        returned for an unannounced visit during the week beginning 8 August 2016')."""
        m = self.fieldwork_second_visit.search(sentence)
        return self.months_after(sentence, m.end()) if m else []

    def grade(self, matched: str) -> str:
        """The grade's name as ``metadata.json`` spells it: a case-insensitive match may hold
        'İ' or 'ſ', which lower() does not turn into the 'i' or 's' of the output's grade names."""
        return next((grade for grade, rx in self.grades if rx.fullmatch(matched)), matched.lower())

    def gradings(self, body: str, sentences: list[str]) -> list[dict]:
        """Grades per area ('Investigation – requires improvement', a table row), then the
        counts a sentence (of the body's ``sentences``) gives ("'adequate' in one area,
        'requires improvement' in three of the four areas") unless they only sum up the lines."""
        by_area = []
        if self.grading_line_set.matching(body):
            by_area = [{"grade": self.grade(m.group("grade")), "area": squash(m.group("area")), "count": None}
                       for m in self.grading_line_rx.finditer(body)]
        out: list[dict] = []
        if not self.any_grade_set.matching(body):
            return by_area
        for sentence in sentences:
            if not self.any_grade_set.matching(sentence):
                continue
            graded = bool(_GRADE_CONTEXT.search(sentence))
            if by_area and self.grading_line_set.matching(sentence):
                continue  # the lines themselves, already read
            for m in self.grading_rx.finditer(sentence):
                quoted = sentence[max(0, m.start() - 1) : m.start() + 1].strip()[:1] in ("'", '"') or m.group(0)[:1] in ("'", '"')
                if self.grading_requires_quote and not (quoted or graded):
                    continue
                count = m.group("count")
                area = m.group("area")
                out.append({
                    "grade": self.grade(m.group("grade")),
                    "area": squash(area) if area else None,
                    "count": count_of(count) if count else None,
                })
        if by_area:  # a sentence summing up the lines ('adequate in one area and requires improvement in two') adds nothing
            per_grade = Counter(g["grade"] for g in by_area)
            areas = {comparable(g["area"]) for g in by_area}
            out = [g for g in out if (g["count"] is None or per_grade[g["grade"]] != g["count"])
                   and (g["area"] is None or comparable(g["area"]) not in areas)]
        return by_area + out


def _sentences(body: str) -> list[str]:
    """Sentences of the body; hard line breaks inside a paragraph do not end one."""
    return [squash(s) for s in SENTENCE_BREAK.split(body) if s.strip()]


def _keep_first(first: dict, fid: str, pos: int, name: str) -> None:
    """Keep the earliest mention, preferring a full name ('Kent Police') at the same place."""
    if fid not in first or pos < first[fid][0]:
        first[fid] = (pos, name)


def _months(window: str) -> list[str]:
    """'in September and October 2015' -> ['2015-09', '2015-10']; a month takes the next year named."""
    pending: list[int] = []
    out: list[tuple[int, int]] = []
    for m in _MONTH_OR_YEAR.finditer(window):
        if m.group("month"):
            word = m.group("month").lower()
            if word == "may" and not re.match(r"\s*(?:\d|and|to|-|,)", window[m.end():]) and not re.search(r"\d\s*$", window[: m.start()]):
                continue  # 'may' the verb
            pending.append(_MONTH_ALIASES[word])
        elif pending:
            year = int(m.group("year"))
            for k, month in enumerate(pending):
                later = pending[k + 1 :]
                y = year - 1 if any(month > other for other in later) else year
                out.append((y, month))
            pending = []
    out = sorted(set(out))
    return [f"{y:04d}-{mo:02d}" for y, mo in out]


def _parse_day_month_year(text: str) -> str | None:
    m = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})", text.strip())
    if not m:
        return None
    month = _MONTH_ALIASES.get(m.group(2).lower())
    if not month:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(1))).isoformat()
    except ValueError:
        return None


def _parse_numeric_date(text: str) -> str | None:
    """'08/12/2016' or '08.12.2016' as a British reader takes it: day, month, year."""
    day, month, year = (int(part) for part in text.replace(".", "/").split("/"))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@Language.factory("ncpi_metadata")
def make_metadata(nlp: Language, name: str) -> MetadataExtractor:
    return MetadataExtractor(nlp, name)


def _months_span(months: list[str]) -> dict[str, str] | None:
    """The fieldwork's first and last month ("YYYY-MM", in order), or None when no month was read."""
    return {"start": months[0], "end": months[-1]} if months else None
