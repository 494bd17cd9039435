"""Findings: list items under a strength or concern cue, and prose sentences whose
own cue makes them a finding ("Inspectors were impressed by ...").

Items under a neutral cue ("Key findings:") and neutral prose ("HMICFRS found
that ...") are judged one by one with the polarity word lists in ``polarity.json``.
Themes and urgency are added later by the classifier; this component decides only
what is a finding, its kind, its exact text and offsets.
"""

from __future__ import annotations

import bisect
import hashlib
import re

from spacy.language import Language
from spacy.tokens import Doc

from .component import RuleComponent
from .docext import SpanList, folded_of, read_group, text_of, warn
from .layout import without_page_lines
from .rules import compile_lower, compile_lower_rules
from .ruleset import RuleSet
from .sections import CLOSING_PUNCTUATION, OUTSIDE_RELEASE
from .textnorm import comparable, fold, lower, plain, squash

_PROSE_SECTIONS = ("lead", "other")
_HEADING_MAX_CHARS = 100  # a heading above paragraphs is short: longer units are not asked
_LEAD, _ABOVE_LISTS = "lead", "above_lists"  # where a sentence may sum up the verdict (``_summaries``)
THEME_PARAGRAPH = "findings.theme_paragraph"  # the rule of a sentence read by its words under an area heading
_ABBREVIATIONS = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|No|Prof|Sgt|Insp|Supt|Det|Cllr|vs|etc|e\.g|i\.e)|\b[A-Z])\.$")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(]?[A-Z0-9])")


def finding_id(kind: str, text: str) -> str:
    """A stable id: the same words and kind give the same id in every run."""
    return hashlib.sha1(f"{kind}\n{comparable(text)}".encode()).hexdigest()[:16]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence offsets, not breaking after 'Mr.' and the like."""
    out = []
    s = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _ABBREVIATIONS.search(text[max(s, m.start() - 6) : m.start() + 1]):
            continue
        out.append((s, m.start() + 1 + len(m.group(0)[1:].rstrip())))
        s = m.end()
    if s < end:
        out.append((s, end))
    return [(a, b) for a, b in ((a, a + len(text[a:b].rstrip())) for a, b in out) if b > a]


class FindingExtractor(RuleComponent):
    rule_files = ("sections", "polarity")

    def compile(self) -> None:
        self.prose_cues = compile_lower_rules(self.rules["sections"]["prose_cues"])
        self.prose_not_findings = compile_lower_rules(self.rules["sections"]["prose_not_findings"])
        self.prose_min_words = self.rules["sections"]["prose_min_words"]
        pol = self.rules["polarity"]
        self.concern_words = compile_lower("|".join(f"(?:{p})" for p in pol["concern"]))
        self.strength_words = compile_lower("|".join(f"(?:{p})" for p in pol["strength"]))
        self.negation = compile_lower(pol["negation"])
        self.remedy = compile_lower(pol["remedy"])
        self.remedy_after = compile_lower(pol["remedy_after"])
        self.praise_undone = compile_lower(pol["praise_undone"])
        self.negatable_concern = compile_lower(pol["negatable_concern"])
        self.summary_contrast = compile_lower(pol["summary_contrast"])
        self.summary_concession = compile_lower(pol["summary_concession"])
        self.summary_concern = compile_lower(pol["summary_concern"])
        self.opening_concession = compile_lower(pol["opening_concession"])
        self.clause_contrast = compile_lower(pol["clause_contrast"])
        self.summary_whole = compile_lower(pol["summary_whole"])
        self.prose_cue_set = RuleSet([rx for _, rx in self.prose_cues])
        self.list_cues = [(entry, rx) for entry, rx in compile_lower_rules(self.rules["sections"]["list_cues"])
                          if entry["kind"] != "neutral"]
        self.list_cue_set = RuleSet([rx for _, rx in self.list_cues])
        self.prose_not_finding_set = RuleSet([rx for _, rx in self.prose_not_findings])
        self.findings_heading = compile_lower(self.rules["sections"]["theme_headings"]["findings_heading"])
        self.findings_heading_max_words = self.rules["sections"]["theme_headings"]["findings_heading_max_words"]
        self.context_set = RuleSet([rx for _, rx in compile_lower_rules(self.rules["sections"]["theme_headings"]["context_not_findings"])])
        sentence_cues = self.rules["sections"]["sentence_cues"]
        self.announce_max_words = sentence_cues["prose_announce_max_words"]
        # '... in some areas.' ends a sentence that announces, and is set aside when asking whether it ends in a list cue
        in_some_areas = sentence_cues["in_some_areas"]
        self.in_some_areas = compile_lower(rf"\s*{in_some_areas}$")
        self.announce_set = RuleSet([rx for _, rx in compile_lower_rules(sentence_cues["announce"] + sentence_cues["prose_announce"])]
                                    + [compile_lower(rf"{in_some_areas}\.$")])

    def polarity(self, text: str) -> tuple[str, bool]:
        """Strength or concern for a finding whose cue does not say which, and whether its words
        decided it: with as many words of praise as of concern (or none), the kind is a guess."""
        folded = lower(fold(text))
        concern, strength = self.votes(folded)
        kind = self.decided_kind(folded, concern, strength)
        if kind is not None:
            return kind, True
        if concern and min(concern) < min(strength):
            return "concern", False
        return "strength", False

    def heading_words(self, unit: str) -> str | None:
        """The words of ``unit`` (folded) when it is a short line with no closing punctuation, marks aside."""
        line = unit.strip().strip("*_#:").strip()
        short = "\n" not in line and 0 < len(line.split()) <= self.findings_heading_max_words
        return line if short and not line.endswith(CLOSING_PUNCTUATION) else None

    def decided_kind(self, folded: str, concern: list[int], strength: list[int]) -> str | None:
        """The kind the words of ``folded`` (its ``votes``) decide, or None: words of both kinds by a contrast
        (``contrast_kind``: 'Staff were highly skilled, but they were under great pressure'), else the side with more."""
        turned = self.contrast_kind(folded, concern, strength) if concern and strength else None
        if turned is not None or len(concern) == len(strength):
            return turned
        return "concern" if len(concern) > len(strength) else "strength"

    def contrast_kind(self, sentence: str, concern: list[int], strength: list[int]) -> str | None:
        """The side of the words after the sentence's last turn ('but', 'however', the comma closing an opening
        'Although ...' clause), when one side has more words there than the other."""
        turn = [m.end() for m in self.clause_contrast.finditer(sentence)]  # (not a parenthetical ', however,')
        conceded = -1
        opening = self.opening_concession.match(sentence)
        if opening is not None:  # the clause's end: the last comma before the last word of either side, since the
            # clause may list ('Although officers were caring, knowledgeable and committed, supervision was poor')
            conceded = sentence.rfind(",", opening.end(), max(concern + strength))
            if conceded >= 0:
                turn.append(conceded)
        if not turn:
            return None
        after = max(turn)
        sides = {"concern": sum(at > after for at in concern), "strength": sum(at > after for at in strength)}
        if sides["concern"] == sides["strength"]:
            if after != conceded:
                return None
            # 'Although staff were caring, they did not always act promptly': the side the conceded clause lacks
            before_concern, before_strength = len(concern) - sides["concern"], len(strength) - sides["strength"]
            if sides["concern"] and before_strength and not before_concern:
                return "concern"
            if sides["strength"] and before_concern and not before_strength:
                return "strength"
            return None
        return max(sides, key=sides.get)

    def is_verdict_summary(self, sentence: str) -> bool:
        """'Inspectors found committed officers, but a backlog of cases.': praise and concern set against each
        other in one sentence of the lead sum up the verdict that the release's lists then give in full."""
        concern, strength = self.votes(sentence)
        concern = concern + [m.start() for m in self.summary_concern.finditer(sentence)]
        if not (concern and strength):
            return False
        between = [m.start() for m in self.summary_contrast.finditer(sentence)]  # 'committed officers, but a backlog'
        conceded = [m.start() for m in self.summary_concession.finditer(sentence)]  # 'although it has made changes, ...'
        return any(min(strength) < at < max(concern) or min(concern) < at < max(strength) for at in between + conceded) \
            or any(min(strength) > at and min(concern) > at for at in conceded)

    def votes(self, folded: str) -> tuple[list[int], list[int]]:
        """Where the folded, lower-case ``folded`` has words of concern and words of praise."""
        concern, remedied = [], []
        for m in self.concern_words.finditer(folded):  # 'reducing the backlog': a concern put right ('not cleared its backlog' not)
            fix = self.remedy.search(folded, max(0, m.start() - 40), m.start())
            put_right = (fix is not None and not self.negation.search(folded, max(0, fix.start() - 40), fix.start())) \
                or self.remedy_after.match(folded, m.end(), m.end() + 60) is not None  # 'staff shortages have been resolved'
            (remedied if put_right else concern).append(m.start())
        concern += [m.start() for m in self.negatable_concern.finditer(folded)  # 'left at risk', unless 'no child was left at risk'
                    if not self.negation.search(folded, max(0, m.start() - 40), m.start())]
        strength = [m.start() for m in self.strength_words.finditer(folded)  # not 'not always given prompt ...', 'a trusted adult was not'
                    if not self.negation.search(folded, max(0, m.start() - 40), m.start())
                    and self.praise_undone.match(folded, m.end(), m.end() + 60) is None] + remedied
        return concern, strength

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        found: list[tuple[int, int, str, str, str, dict]] = []
        for kind, info in read_group(doc, "list_items"):
            extra = {"cue": info["cue_text"]}
            if info.get("parts"):
                extra["parts"] = info["parts"]
            if kind == "neutral":
                kind, decided = self.polarity(text[info["start"] : info["end"]])
                if not decided:
                    extra["kind_guessed"] = True
            elif info.get("kind_guessed"):  # under a cue no rule knows (sections.fallback_cue)
                extra["kind_guessed"] = True
            found.append((info["start"], info["end"], kind, "list", info["cue_rule"], extra))
        prose = [(info["start"], info["end"], label) for label, info in read_group(doc, "sections")
                 if label in _PROSE_SECTIONS and info.get("rule") not in OUTSIDE_RELEASE]
        starts = [a for a, _, _ in prose]
        listed = bool(found)  # a release that lists its findings sums them up in its lead, or above its first list
        first_item = min((f[0] for f in found), default=len(text))
        by_words = {info["start"] for _, info in read_group(doc, "theme_paragraphs")}  # under 'Custody' and the like
        folded = folded_of(doc)
        headed = False  # a heading other than 'Key findings' stands above the unit: its paragraphs sum up no verdict
        for start, end, _marker in doc._.ncpi_units or []:  # a sentence never runs from one unit into the next
            k = bisect.bisect_right(starts, start) - 1
            if start in by_words:  # (a cue's later paragraph among them, in a section of the cue's kind)
                found.extend(self.prose_findings(text, folded, start, end, by_words=True))
            elif k >= 0 and end <= prose[k][1]:
                found.extend(self.prose_findings(text, folded, start, end,
                                                 summaries=_summaries(listed, prose[k][2], end <= first_item and not headed)))
            heading = self.heading_words(folded[start:end]) if start < first_item and end - start <= _HEADING_MAX_CHARS \
                and folded[end - 1] not in CLOSING_PUNCTUATION and k >= 0 and prose[k][2] != "lead" else None  # (above the lists only)
            if heading is not None:
                headed = not self.findings_heading.fullmatch(lower(heading))
        areas = [(info["start"], info["end"], info["themes"]) for _, info in read_group(doc, "areas") if info["themes"]]
        spans = SpanList(doc, "findings")
        for start, end, kind, source, rule, extra in sorted(found, key=lambda f: f[0]):
            area = next((themes for a, b, themes in areas if a <= start < b), None) if areas else None
            if area:  # under 'Custody' and the like: the area's themes, whatever its words say
                extra["area_themes"] = area
            parts = extra.pop("parts", None)  # a lead-in item and the items nested under it: their words, without marks
            words = " ".join(plain(text[s:e]) for s, e in parts) if parts else plain(without_page_lines(text[start:end]))
            spans.add(start, end, kind, {"kind": kind, "text": words, "source": source, "rule": rule,
                                         "id": finding_id(kind, words), **extra})
        kinds = {label for label, _ in spans.save()}
        if not kinds:
            warn(doc, "no_findings", "no strength or concern was found in the release")
        elif "strength" not in kinds:
            warn(doc, "no_strengths", "the release lists concerns but no strengths")
        elif "concern" not in kinds:
            warn(doc, "no_concerns", "the release lists strengths but no concerns")
        return doc

    def prose_findings(self, text: str, folded: str, start: int, end: int, *, summaries: str | None = None, by_words: bool = False):
        """Sentences that a prose cue makes findings. A cue sentence that only announces more
        ('HMIC also found that the force needs to make further improvements.') is no finding
        itself: the sentences after it in the paragraph are, of its kind. Where ``summaries`` says
        (``_summaries``: a lead over lists, or a paragraph above them), a neutral cue's sentence that sums
        up the verdict is none either. With ``by_words``
        (a paragraph under an area heading among findings), a sentence without a cue is a finding when
        its words decide its kind."""
        spans = sentences(text, start, end)
        for k, (s, e) in enumerate(spans):
            sentence = lower(squash(folded[s:e]))
            if sentence.rstrip().endswith(":") or len(sentence.split()) < self.prose_min_words:
                continue
            if len(spans) == 1 and not sentence.endswith(CLOSING_PUNCTUATION) \
                    and not plain(text[s:e]).rstrip().endswith(CLOSING_PUNCTUATION):
                continue  # a paragraph of one sentence that no punctuation closes (emphasis and footnote marks aside): a standfirst or a heading
            first = self.prose_cue_set.first(sentence)
            # 'Inspectors also set out three areas for improvement. The force should ...', 'However, some
            # improvements were still needed. Inspectors found ...': a short sentence ending in a list cue
            # announces the sentences after it when a prose cue, a count or a prose_announce rule says so
            announces = k + 1 < len(spans) and (first is not None or bool(self.announce_set.matching(sentence))) \
                and (first is None or self.prose_cues[first][0].get("announces", True))  # 'X's response to Y needs to improve.' is itself the finding
            announced = self.announced_kind(sentence) if announces else None
            if announced is not None:
                cue = squash(text[s:e])
                for s2, e2 in spans[k + 1 :]:
                    yield (s2, e2, announced, "prose", "prose.announced", {"cue": cue})
                return
            if first is None and by_words:
                kind = None if self.context_set.matching(sentence.rstrip()) else self.decided_kind(sentence, *self.votes(sentence))
                if kind is not None:
                    yield (s, e, kind, "prose", THEME_PARAGRAPH, {"cue": None})
                continue
            if first is None or self.prose_not_finding_set.matching(sentence.rstrip()):
                continue
            entry = self.prose_cues[first][0]
            kind, extra = entry["kind"], {"cue": None}
            if kind == "neutral" and (summaries == _LEAD or (summaries == _ABOVE_LISTS and k == 0 and self.summary_whole.search(sentence))) \
                    and self.is_verdict_summary(sentence):  # above the lists: its first sentence, of the whole force
                continue
            if kind == "neutral":
                kind, decided = self.polarity(sentence)
                if not decided:
                    extra["kind_guessed"] = True
            yield (s, e, kind, "prose", entry["id"], extra)

    def announced_kind(self, sentence: str) -> str | None:
        """The kind of a list cue that ends ``sentence`` (nothing after it but the full stop)."""
        if len(sentence.split()) > self.announce_max_words:
            return None  # '... the force's response to children at risk of exploitation is still not good enough.'
        body = self.in_some_areas.sub("", sentence.rstrip().rstrip(".").rstrip())  # '... needs to do more in some areas.'
        for k in self.list_cue_set.matching(body):
            entry, rx = self.list_cues[k]
            if any(m.end() == len(body) for m in rx.finditer(body)):
                return entry["kind"]
        return None


def _summaries(listed: bool, section: str, above_lists: bool) -> str | None:
    """Which of a paragraph's sentences may sum up the verdict: in a release that lists its findings, any of its
    lead's (_LEAD); the first of a paragraph above its lists (_ABOVE_LISTS: 'Key findings', then 'Overall, inspectors
    found committed officers, but ...'), since a later one there states a finding of its own ('Leeds has the largest
    caseload. Inspectors saw excellent work, but found ...')."""
    if not listed:
        return None
    return _LEAD if section == "lead" else _ABOVE_LISTS if above_lists else None


@Language.factory("ncpi_findings")
def make_findings(nlp: Language, name: str) -> FindingExtractor:
    return FindingExtractor(nlp, name)
