"""Quotes: who said each quotation, in what role, and its full text.

The sectionizer has already found each quotation and the words that introduce it
("HM Inspector of Constabulary Jane Doe said:") or follow it ("..., said Jane Doe,
Chief Inspector of Prisons."). This component applies the attribution rules in
``attributions.json`` to those words, and resolves follow-ups ("Ms Doe added:",
"She continued:") to the speaker named earlier.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .component import RuleComponent
from .docext import SpanList, read_group, release_subject, text_of, warn
from .sections import RELEASE_ENDS
from .textnorm import SENTENCE_BREAK, fold, squash


class QuoteAttributor(RuleComponent):
    rule_files = ("attributions",)

    def compile(self) -> None:
        data = self.rules["attributions"]
        defs = data["definitions"]

        def expand(pattern: str) -> re.Pattern[str]:
            for key, value in defs.items():
                pattern = pattern.replace("{" + key + "}", value)
            return re.compile(pattern)

        self.intro_rules = [(r["id"], expand(r["pattern"])) for r in data["rules"]]
        self.trailing_rules = [(r["id"], expand(r["pattern"])) for r in data["trailing_rules"]]
        self.after_rules = [(r["id"], expand(r["pattern"])) for r in data["after_rules"]]
        self.mention_rules = [expand(r["pattern"]) for r in data["mentions"]]
        # an attribution's last sentence, tried when its whole words name no one (see 'about')
        self.sentence_end = re.compile("".join(rf"(?<!\b{re.escape(short)})" for short in data["last_sentence_short_forms"])
                                       + r"(?<!\b[A-Z])[.!?]\s+(?=[A-Z\"\u201c])")
        self.goes_on = re.compile(data["last_sentence_goes_on"])
        self.role_words = re.compile(data["last_sentence_role_words"])
        titles = "|".join(map(re.escape, data["strip_titles"]))
        self.title_prefix = re.compile(rf"^(?:(?:{titles})\.?\s+)+")
        trailing = "|".join(map(re.escape, data["role_trailing_titles"]))  # not 'Ward Councillor'
        self.title_suffix = re.compile(rf"(?:\s+(?:{trailing})\.?)+$")  # 'HMI Dr Ian Caffrey': the role is 'HMI', not 'HMI Dr'
        honours = "|".join(map(re.escape, data["strip_post_nominals"]))
        self.post_nominals = re.compile(rf"(?:,?\s+(?:{honours}))+$")
        self.role_prefix = re.compile(data["strip_role_prefix"])
        self.role_force_first = expand(data["role_force_first"])
        self.role_place_first = re.compile(data["role_place_first"])
        self.not_a_person = frozenset(data["not_a_person"])
        self.abbreviations = {re.sub(r"\W", "", k): v for k, v in data["role_abbreviations"].items()}
        spelled = "|".join(sorted((r"\.?\s+".join(map(re.escape, k.split())) for k in data["role_abbreviations"]), key=len, reverse=True))
        self.abbreviation = re.compile(rf"^(?:{spelled})\.?(?=\s|,|$)")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        quotes = SpanList(doc, "quotes")
        subject = release_subject(doc, text)
        speakers: list[tuple[str, str | None]] = []
        previous_end = None
        ends = _release_end(doc, len(text))
        for _, info in read_group(doc, "quote_blocks"):
            if info["start"] > ends:
                continue
            speaker, role, rule = None, None, None
            known = _Mentioned(self, text, info["start"], speakers, previous_end or 0, subject)
            if info["intro"] is not None:
                # '**X said:** “...”' in Markdown: the bold marks are no part of the words
                intro = info["intro"].lstrip("*_")
                speaker = None
                if (run_in := _RUN_IN_HEADING.match(intro)) is not None:  # '**Reaction** Jane Doe, Chief Constable, said:'
                    speaker, role, rule = self.attribute(intro[run_in.end() :].replace("**", "").replace("__", ""), self.intro_rules, known)
                intro = intro.replace("**", "").replace("__", "")  # 'HM Inspector **Jane Doe** said:'
                if speaker is None:
                    speaker, role, rule = self.attribute(intro, self.intro_rules, known)
                last = self.last_sentence(intro)
                if speaker is None and last != intro:  # 'Kent Police welcomed the report. Chief Constable Jane Doe said:'
                    # a pronoun is the last speaker only when it goes on ('She added:'), not after news of someone
                    # else ('Kent Police responded on Tuesday. He said:')
                    speaker, role, rule = self.attribute(last, self.intro_rules, known,
                                                         previous_speaker=bool(self.goes_on.search(last)))
                    if speaker is not None and self.role_words.search(speaker):
                        speaker, role, rule = None, None, None  # 'The Assistant Chief Constable said:' names no one
            if speaker is None and info["trailing"] is not None:
                speaker, role, rule = self.attribute("\"" + info["trailing"], self.trailing_rules, known)
            elif speakers and previous_end is not None and _adjacent(text, previous_end, info["start"]):
                speaker, role = speakers[-1]
                rule = "attr.continues_previous"
            if speaker is None:  # 'That was the verdict of HM Inspector of Constabulary Jane Doe ...' below it
                after = text[info["end"] : info["end"] + 400].lstrip(_CLOSING)
                speaker, role, rule = self.attribute(after, self.after_rules, known)
            if speaker is None:
                warn(doc, "unattributed_quote", f"no speaker found for the quotation at offset {info['start']}")
            else:
                speakers.append((speaker, role))
            body = "\n\n".join(squash(text[s:e]) for s, e in info["paragraphs"] if e > s)
            quotes.add(info["start"], info["end"], "quote", {"speaker": speaker, "role": role, "text": body, "rule": rule})
            previous_end = info["end"]
        if not quotes.save():
            warn(doc, "no_quote", "the release has no quotation")
        return doc

    def attribute(self, words: str, rules, known: _Mentioned, *, previous_speaker: bool = True):
        """Return (speaker, role, rule id) for the attribution ``words``; a pronoun ('He said:') is the person the
        text before names, else (``previous_speaker``) the last quotation's speaker."""
        folded = fold(words)
        for rule_id, rx in rules:
            m = rx.search(folded)
            if not m:
                continue
            groups = m.groupdict()
            if groups.get("pronoun"):
                reported = known.reported()
                if reported is not None:  # 'Chief Constable Jane Doe said the force ...' just before: her
                    return reported[0], reported[1], rule_id
                if known.speakers and previous_speaker:
                    return known.speakers[-1][0], known.speakers[-1][1], rule_id
                continue
            if groups.get("role_only"):  # 'The Chief Constable said:': whoever the release named so before
                found = known.holding(self.spelled_out(_group(words, m, "role_only")))
                if found is not None:
                    return found[0], found[1], rule_id
                return None, None, None
            if groups.get("surname"):
                surname = groups["surname"]
                found = known.named(surname)
                if found is not None:
                    return found[0], found[1], rule_id
                if rule_id.endswith("follow_up_surname") and not groups.get("title"):
                    continue  # "Smith said" with no earlier Smith: let a fuller rule try
                return surname, None, rule_id
            if self.crosses_a_sentence(folded, m):  # 'Jane Doe, the Chief Constable, welcomed it. She said:'
                continue
            name, role = self.name_and_role(words, m)
            if name and role is None and " " not in name and (found := known.named(fold(name))) is not None:
                return found[0], found[1], rule_id  # '..., said Mr Hurrell.': the person named so before
            return name, role, rule_id
        return None, None, None

    def crosses_a_sentence(self, folded: str, m: re.Match) -> bool:
        """Whether a name, role or rank the match read runs across the end of a sentence."""
        return any(m.group(key) and self.sentence_end.search(m.group(key) + " ")
                   for key in ("name", "role", "rank", "owner") if key in m.re.groupindex)

    def name_and_role(self, words: str, m: re.Match) -> tuple[str | None, str | None]:
        """The speaker and role an attribution or mention rule's match names."""
        name = self.clean_name(_group(words, m, "name"))
        role = _group(words, m, "role")
        force = None
        if not role or role.startswith(("who ", "which ")):  # 'ACC Jane Doe, who leads on safeguarding, said:'
            role = _group(words, m, "rank")
            force = _group(words, m, "of_force")  # 'Chief Constable Jane Doe of Kent Police'
        role = self.spelled_out(self.title_suffix.sub("", self.role_prefix.sub("", role.strip(" ,")))) if role else None
        force = force or _group(words, m, "owner")  # 'Kent Police's Chief Constable, Jane Doe,'
        first = self.role_force_first.match(role) if role and not force else None
        if first:  # 'Kent Police Chief Constable Jane Doe said:'
            role, force = role[first.start("rank") :], role[: first.end("force")]
        if role and force:  # a role naming its force, however worded, reads as 'The Chief Constable of Kent Police, Jane Doe,' has it
            role = f"{role} of {force}"
        elif role and (place := self.role_place_first.match(role)):  # 'Norfolk's Police and Crime Commissioner'
            role = f"{place['office']} for {place['place']}"
        return name, role

    def last_sentence(self, words: str) -> str:
        """The last sentence of an attribution that opens with others ('Kent Police welcomed the report. Chief Constable
        Jane Doe said:'), or all of it: a stop then a capital or an opening quotation mark ends a sentence, but not the
        stop of a title or rank written short ('Mr. Ashby', 'Det. Supt. Jane Doe') or of an initial."""
        ends = list(self.sentence_end.finditer(words))
        return words[ends[-1].end() :] if ends else words

    def mentions(self, folded: str) -> list[re.Match]:
        """Every place ``folded`` names a person with a role, as the ``mentions`` rules read them (not a body:
        'Kent Police, the Police and Crime Commissioner, and ...' names none)."""
        return [m for rx in self.mention_rules for m in rx.finditer(folded)
                if m.group("name").split()[-1] not in self.not_a_person]

    def spelled_out(self, role: str) -> str:
        """'DCC' as 'Deputy Chief Constable', 'PCC for Kent' as 'Police and Crime Commissioner for Kent'."""
        m = self.abbreviation.match(role)
        if m is None:
            return role
        return self.abbreviations[re.sub(r"\W", "", m.group())] + role[m.end() :]

    def clean_name(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.post_nominals.sub("", self.title_prefix.sub("", squash(name))).strip(" ,")


class _Mentioned:
    """The people a quotation's surname-only attribution ('Ms Thorne said:') may mean: the speakers
    of the quotations before it, then the people the release names with a role before it
    (``attributions.json``'s ``mentions``), read only when a surname needs them."""

    def __init__(self, owner: QuoteAttributor, text: str, limit: int, speakers: list[tuple[str, str | None]],
                 since: int = 0, subject: str = "") -> None:
        self.owner, self.text, self.limit, self.speakers, self.since = owner, text, limit, speakers, since
        self.subject = fold(subject).lower()  # the headline and lead: the force or place the release is about

    def reported(self) -> tuple[str, str | None] | None:
        """The person named last before the quotation, in its own paragraph or the one before it (after
        any quotation before it), whom a pronoun attributing the quotation ('..., she said.') means:
        'North Yorkshire Police Chief Constable Jane Doe said the force accepted the findings.',
        'Chief Constable Jane Doe welcomed the report. “...,” she said.'"""
        end = self.text.rfind("\n\n", self.since, self.limit)  # where the quotation's own paragraph starts
        start = self.text.rfind("\n\n", self.since, end) + 2 if end >= 0 else self.since
        region = self.text[max(start, self.since) : self.limit].rstrip().rstrip(_OPENING)
        for sentence in reversed(SENTENCE_BREAK.split(region)):
            person = self.person_in(sentence.strip())
            if person is not None:  # a speaker already quoted keeps the role their attribution gave
                return next((known for known in reversed(self.speakers) if known[0] == person[0]), person)
        return None

    def person_in(self, sentence: str) -> tuple[str, str | None] | None:
        """The person a sentence names last: as an attribution rule reads them ('Kent Police Chief Constable
        Jane Doe said ...', with the role it gives) or, should it name someone after, as a mention rule does."""
        if not sentence or sentence[0] in _OPENING:
            return None
        folded = fold(sentence)
        mentions = self.owner.mentions(folded)
        last = self.owner.name_and_role(sentence, max(mentions, key=lambda m: m.start())) if mentions else None
        for _, rx in self.owner.intro_rules:
            m = rx.search(folded)
            if m and not m.groupdict().get("pronoun") and not m.groupdict().get("surname"):
                name, role = self.owner.name_and_role(sentence, m)
                if name and (last is None or last[0] == name):
                    return name, role
                break
        return last if last is not None and last[0] else None

    def holding(self, role: str) -> tuple[str, str | None] | None:
        """The person last named before the quotation with ``role`` ('Chief Constable'), whatever force or place
        their role went on to name: a quotation's speaker first, then the release's mentions."""
        def holds(their_role: str | None) -> bool:  # one word ('The Commissioner') may stand for a longer title, not a deputy's
            head = re.split(r"\s+(?:of|for)\s+", their_role, maxsplit=1)[0] if their_role else ""
            return head == role or (" " not in role and head.endswith(" " + role) and not head.startswith(_DEPUTIES))

        def here(their_role: str) -> bool:  # a role of another force or place ('Chief Constable of Norfolk Constabulary') is not this release's
            place = re.split(r"\s+(?:of|for)\s+(?:the\s+)?", their_role, maxsplit=1)[1:]
            return not place or fold(place[0].split()[0]).lower() in self.subject

        for name, their_role in reversed(self.speakers):
            if holds(their_role):
                return name, their_role
        return self.last_mention(lambda start, name, their_role: holds(their_role) and here(their_role)  # not 'Deputy Police
                                 and not fold(self.text[max(0, start - 12) : start]).rstrip().endswith(_DEPUTY_WORDS))  # and Crime Commissioner Jane Doe'

    def named(self, surname: str) -> tuple[str, str | None] | None:
        for name, role in reversed(self.speakers):
            if fold(name.split()[-1]) == surname:  # the surname is read from folded text: 'O’Neill' is 'O'Neill'
                return name, role
        if surname not in self.text[: self.limit]:
            return None
        return self.last_mention(lambda start, name, role: fold(name.split()[-1]) == surname)

    def last_mention(self, keep) -> tuple[str, str | None] | None:
        """The person the release's mentions name last before the quotation with a role, of those that
        ``keep(start, name, role)`` accepts."""
        before = self.text[: self.limit]
        found = []
        for m in self.owner.mentions(fold(before)):
            name, role = self.owner.name_and_role(before, m)
            if name and role and keep(m.start(), name, role):
                found.append((m.start(), name, role))
        return max(found)[1:] if found else None


def _release_end(doc: Doc, length: int) -> int:
    """Where 'ENDS' closes the release, when no list of findings follows it (another release would): a
    quotation after it is the page's, a force's response under the release it carries, not the release's."""
    sections = read_group(doc, "sections")
    last_list = max((i["start"] for label, i in sections if label in ("strengths", "concerns", "findings")), default=-1)
    return min((i["start"] for _, i in sections if i.get("rule") == RELEASE_ENDS and i["start"] > last_list), default=length)


def _group(original: str, match: re.Match, name: str) -> str | None:
    """The text of a named group, taken from the unfolded words (curly quotes kept)."""
    if match.groupdict().get(name) is None:
        return None
    return squash(original[match.start(name) : match.end(name)])


_RUN_IN_HEADING = re.compile(r"^[^*_\n]{1,40}(?:\*\*|__)\s+(?=\S)")  # a bold label before the attribution, its opening marks gone
_DEPUTIES = ("Deputy ", "Assistant ", "Acting ", "Temporary ")
_DEPUTY_WORDS = tuple(d.strip() for d in _DEPUTIES)  # a mention's rank just before it: 'Deputy' + 'Police and Crime Commissioner'
_CLOSING = " \n\t\"\u201d\u2019'.,"
_OPENING = "\"'\u201c\u2018"


def _adjacent(text: str, end: int, start: int) -> bool:
    """Only white space and closing marks between two quotations."""
    return not text[end:start].strip(" \n\t\"\u201d\u201c.,")


@Language.factory("ncpi_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteAttributor:
    return QuoteAttributor(nlp, name)
