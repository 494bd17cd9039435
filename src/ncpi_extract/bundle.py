"""Split a page that holds several press releases one after another.

Some saved pages (a news feed, a newswire digest, a forwarded e-mail) hold several
releases in a row: a headline, its lead paragraph and body, then the next headline.
:func:`split_releases` finds where each release starts, with a heuristic that uses no
data (no force names, no trained model) and errs towards *not* splitting: a normal
release must always come back whole, as ``[(0, len(text))]``.

A new release starts at a block (a paragraph: lines between blank lines) that

* looks like a headline: one to three short lines, three or more words, not a list
  item, not a quotation, not a known section heading ("Notes to editors", "Background",
  "Get the report", ...), no phone number or e-mail address, not ending in ``:;,.``;
* is not a report title (the line after "Get the report"), does not follow a line
  that introduces something (ending in ``:``) or a release's section heading ("Summary",
  "Questions and answers"), and is no question ("Why did HMICFRS go back?") unless a
  separator or kicker stands above it;
* is followed, after an optional date line ("Published 14 March 2024", or a page's block of facts
  led by its date: "• Published: 8 June 2021 • Police force: ..."), an optional second headline
  (or, under a date line, a short heading over a box of key facts; or a one-sentence standfirst over
  a date line), and a reposted story's byline and picture caption,
  by a lead paragraph that names the inspectorate (HMIC, HMICFRS,
  "Inspectorate") together with a reporting word (published, today, inspection,
  review, report, found ...) in it or in the short block after it (a standfirst comes
  before the lead on some pages), and does not open with a response ("Chief Constable X
  said: ...", "Responding to the report ...") or go on from what came before ("HMICFRS also
  found ...", "Since the inspection ...", "HMIC found that ..." with no "today", "HMIC will ...",
  "The full report ... is available on ..."), and by at least one more block;
* comes after at least three blocks and 200 characters of the release before it, which
  must itself be a release: a headline over such a lead that is no cover note ("the release is
  reproduced below"), or two of a release's parts (list items, quotations, a notes or report
  heading); an e-mail or a newsletter that a release was pasted into is not a release before it;

and gathers enough of these signals (two points or more):

* +2 a separator line just before it ("-----", "* * *", "=====", "ENDS");
* +1 a kicker or date line just above it ("Press release", "Published 3 May 2018"), or a date line
  just under it or in its own block ("Published: 19 June 2018" under the headline's line);
* +1 the release before it has visibly ended: its last block closes a quotation, is a
  list item (a note to editors), holds contact details, is a report title, reads
  "ENDS"/"SOURCE:"/"CONTACT:" ("Back to top" is no end: a browser's copy has one under every section);
* +1 the headline and the lead share a proper name (the force: "Kent ... Kent Police");
* +1 the headline speaks of a force or an inspection (police, constabulary, force,
  HMIC, inspectorate, inspection, review, child protection);

unless its only points are for the end of the release before and for speaking of a force or an
inspection, and its lead names all that the headline of the release above names (the same force):
that is a section of the release above ("Progress since the 2016 inspection", a commissioner's
statement under a heading of its own).

Releases whose paragraphs are not set apart by blank lines (lines broken with ``<br>``, all in
one block), and releases quoted line by line in an e-mail reply ('> '), are not found: the
rules above read unquoted blocks, not lines. A release forwarded by e-mail starts at its headline
(or kicker): the e-mail's headers and cover note above it stay with the release before.

Each range runs from its headline (or the kicker, "FOR IMMEDIATE RELEASE", a running header
"HMICFRS - Protecting children", the date line, "Published: 7 December 2017", or a Markdown
file's front matter just above it) to the end of the release's last block (separator lines
between releases belong to neither); the first starts at 0, the last ends at ``len(text)``,
so a caller can slice ``text[start:end]`` and shift offsets by ``start``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["split_releases"]

# Typographic characters folded for the checks below (same length: offsets stay put).
_FOLD_RX = re.compile("[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2010-\u2015\u2212\u00a0]")
_FOLD_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00a0": " ",
}

# (from a line's first visible character: from its start, a long line of spaces cost time in its square)
_BLOCK_RX = re.compile(r"\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_SEPARATOR_RX = re.compile(r"^\s*(?:(?:[-=_~*#\u2022\u00b7]\s*){3,}|[-\u2013\u2014#*\s]*ENDS?\b[-\u2013\u2014#*.\s]*)$", re.I)
# The first character after white space of any line _SEPARATOR_RX matches (str.lstrip and
# the regex's \s agree on white space): other lines need not be matched.
_SEPARATOR_FIRST = frozenset("-=_~*#\u2022\u00b7\u2013\u2014Ee")
_DECORATION_RX = re.compile(r"^(?:[ \t]*#{1,6}[ \t]+|[ \t]*>[ \t]*)|[*_]{2,}", re.M)
_LIST_START_RX = re.compile(r"^\s*(?:[-*+\u2022\u2013\u2014\u00b7\u25aa\u25e6\u2023>|]|\(?[a-z0-9]{1,3}[.)]\s|[\"'\u201c\u2018(\[])", re.I)
# Section headings of a release: these start a heading block ...
_HEADING_PREFIX_RX = re.compile(
    r"^(?:notes?\s+(?:to|for)\s+editors?|editors?'?s?\s+notes?|editor\s+information|background\b|about\s+(?:hmicfrs|hmic|us|the)\b|"
    r"further\s+information|media\s+(?:enquiries|contacts?)|press\s+(?:office|enquiries|contacts?)|"
    r"(?:get|read|download|view)\s+(?:the\s+)?(?:full\s+)?report|related\s+(?:links|content|reports?)|share(?:\s+this|\s+on\b|\s*:)|"
    r"(?:(?:an?|the|our)\s+)?(?:statement|response|comment|reaction)s?\s+(?:from|by|of)\b)",
    re.I,
)
# ... as does this anywhere in a block ('Kent Police inspection: notes for editors')
_NOTES_HEADING_RX = re.compile(r"\bnotes?\s+(?:to|for)\s+(?:news\s+)?editors?\b|\beditors?'?s?\s+notes?\b", re.I)
# ... and these are the whole block.
# 'PDF, 1.2MB, 64 pages' under a line: that line is a document's title in a page's list of attachments, not a headline
_FILE_NOTE_RX = re.compile(r"^\(?(?:pdf|html|word|docx?|odt|epub|rtf)\b\W{0,3}\d", re.I)
_HEADING_WHOLE_RX = re.compile(
    r"^(?:notes?|contacts?|ends?|key\s+findings|summary|findings|recommendations?|causes?\s+of\s+concern|"
    r"areas?\s+for\s+improvement|source|published|first\s+published)\W*$",
    re.I,
)
_REPORT_LINK_RX = re.compile(r"^\W*(?:get|read|download|view)\s+(?:the\s+)?(?:full\s+)?report\b", re.I)
_PAGE_NUMBER_RX = re.compile(r"\bpage\s+\d{1,3}\s*(?:of|/)\s*\d{1,3}\b", re.I)
_CONTACT_RX = re.compile(r"\d[\d ]{8,}\d|@\w|https?://|www\.|^\s*(?:source|contact|ends?)\s*:", re.I)
_DATE_LINE_RX = re.compile(
    r"\b(?:published|updated|january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|posted)\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|^\W*\d{1,2}[/.]\d{1,2}[/.]\d{4}(?:\s*[-\u2013|,]?\s*\d{1,2}[:.]\d{2})?\W*$",  # '16/03/2017 - 10:15', not a span of dates
    re.I,
)
_INSPECTORATE_RX = re.compile(r"\b(?:HMIC|HMICFRS|HMI|[Ii]nspectorate|Inspectors? of Constabulary)\b")
_REPORTING_RX = re.compile(
    r"\b(?:publish\w*|today|inspect\w*|re-?inspect\w*|review\w*|report\w*|found|finds|revisit\w*|visit\w*|progress|said|says)\b", re.I
)
_NUMBERED_RX = re.compile(r"(?:^|\s)\d{1,2}[.)]\s")
_COVER_NOTE_RX = re.compile(r"\b(?:below|attached|forwarded|reproduced|pasted|copied)\b", re.I)
# A short block that introduces the release under it ('The full HMICFRS news release is reproduced below.'): what
# comes before is the story of the page that carries the release, not a release of its own
_INTRODUCES_RELEASE_RX = re.compile(
    r"\b(?:release|statement|announcement|news\s+story)\b.*\b(?:below|follows)\b"
    r"|\bthe\s+following\s+(?:news\s+|press\s+|media\s+)?(?:release|statement)\b"
    r"|\b(?:reproduced|pasted|copied|republished|shared)\b.*\bbelow\b", re.I)
_INTRODUCTION_MAX_WORDS = 25
_FORCEISH_RX = re.compile(r"\b(?:police|constabulary|force|inspection|re-?inspection|inspected|review|child\s+protection|hmic|hmicfrs|"
                          r"inspectorate)\b", re.I)
_CAPWORD_RX = re.compile(r"\b[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)*\b")
_COMMON_CAPS = frozenset(
    "The This That These Those Her His Majesty Majesty's Inspectorate Inspector Inspectors Constabulary Police Service "
    "Force National Child Children Protection Report Review Inspection Today Says Said And But However Fire Rescue "
    "Services Chief Constable Commissioner Crime More Must Has Have Its New Still Too How What When Why Where Who".split()
)

# A date written out ('Thursday 14 March 2024', '3rd May 2018'): in a kicker, a headline's block, a page's facts
_DAY_MONTH_YEAR = (r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:january|february|march|"
                   r"april|may|june|july|august|september|october|november|december)\s+\d{4}")
# Lines that stand above a headline and belong to the release below them: a kicker, or a date alone
# or after 'Published:' or the like.
_KICKER_RX = re.compile(
    r"^\W*(?:(?:(?:hmicfrs|hmic)\s+)?(?:news|press|media)\s+release|for\s+immediate\s+release|embargo(?:ed)?\b|news(?:\s+(?:story|article|item))?\W*$)|^\[toc\]$"
    r"|^\W*(?:hmicfrs|hmic)\s*[-:|]\s*\w[\w ,'&-]{2,40}$"  # a running header: 'HMICFRS - Protecting children'
    r"|^\W*(?:(?:published|first\s+published|date|date\s+of\s+(?:release|publication|issue)|(?:release|publication)\s+date|issued)\s*:?\s*)?"
    + _DAY_MONTH_YEAR + r"\W*$"
    r"|^\W*(?:(?:published|first\s+published|(?:release|publication)\s+date|issued)\s*:?\s*)?\d{1,2}[./]\d{1,2}[./]\d{4}\W*$",  # 'Published: 08.02.2017', '16/07/2019'
    re.I,
)
# A headline's block that holds its date line ('... "not being heard"' over 'Published: 19 June 2018', perhaps
# over a 'Share:' line); not 'Updated: ...', which a section of a release may carry too
_DATED_LINE_IN_BLOCK_RX = re.compile(r"\b(?:published|posted|date)\s*:?\s*" + _DAY_MONTH_YEAR + r"\b", re.I)
_KICKER_MAX_WORDS = 12
_YEAR_RX = re.compile(r"\b(?:19|20)\d{2}\b")
_PAGE_DATE_RX = re.compile(r"^[\W_]*(?:last\s+)?(?:updated|modified|published|posted)\b[^.]{0,30}\d{4}\W*$", re.I)  # 'Last updated: 28 February 2018'
# (a page's list of tags needs no colon: 'Tags' over its tags, 'Posted in News releases | Tagged Child protection')
_META_LINE_RX = re.compile(r"^\W*(?:(?:source|from|category|categories|tags?|topics?|related|keywords?|subjects?|filed\s+under|posted\s+in|by)\b[^:]{0,20}:"
                           r"|(?:tags|tagged|filed\s+under|posted\s+in)\b)", re.I)
_SOURCE_LINK_RX = re.compile(r"^\W*\[[^\]\n]{1,80}\]\(https?://[^)\s]*\)")  # '[justiceinspectorates.gov.uk](https://...) · 4 min read'
_QUOTED_ENDING_RX = re.compile(r"""^[^:"']{10,}\s(["'])[^"':]{3,60}\1$""")  # no attribution ('X added: "..."') before it
# A page's block of facts about the release under its headline, led by its date ('• Published: 8 June 2021 • Police
# force: North Yorkshire Police', or 'Published:' and the date on lines of their own): a date line, as 'Published 8 June 2021'
_PAGE_META_BLOCK_RX = re.compile(r"^\W*(?:published|first\s+published|last\s+updated|updated|date|release\s+date|issued)\s*:\s*"
                                 + _DAY_MONTH_YEAR + r"\b(?!\s*[.,;])", re.I)
_PAGE_META_BLOCK_MAX_WORDS = 20
# ... or a <dl> of such facts without colons, nothing but labels and values: 'Published 19 October 2022 Last updated
# 9 January 2023 Force Cleveland Police' (not 'Updated 5 May 2016 to correct ...' nor 'Date 10 May 2016 Time 10am ...')
_PAGE_FACTS_LIST_RX = re.compile(r"^\W*(?:first\s+)?published\s+" + _DAY_MONTH_YEAR + r"\b(?:\s+(?:last\s+)?updated\s+" + _DAY_MONTH_YEAR
                                 + r"\b)?(?:\s+(?:police\s+)?(?:forces?|(?:content\s+)?type|category|categories|topics?|themes?|tags?|region)\s+[^.:;]{1,60})?\W*$", re.I)
# A newspaper's byline ('By Hannah Rudge, Crime reporter') and a picture's caption ('... Picture: Courier archive'),
# between a reposted story's headline and its lead
_BYLINE_RX = re.compile(r"^\W*[Bb]y\s+[A-Z][a-z]+|\b(?:[Rr]eporter|[Cc]orrespondent)\b")
_CAPTION_RX = re.compile(r"\b(?:[Pp]icture|[Ii]mage|[Pp]hoto(?:graph)?)\s*:")
_BYLINE_MAX_WORDS = 25
_STANDFIRST_MAX_WORDS = 25
# A section heading of a release, over a part of it that may look like a headline and a lead
_SECTION_ABOVE_RX = re.compile(r"^\W*(?:summary|in\s+summary|key\s+(?:findings|points|facts)|findings|background|in\s+brief|"
                               r"at\s+a\s+glance|questions\s+and\s+answers|q\s*(?:&|and)\s*a|faqs?|"
                               r"frequently\s+asked\s+questions)(?:\s+(?:of|on|from|about)\s+[^.:]{1,50})?\W*$", re.I)
_QUESTION_RX = re.compile(r"[?\uff1f][\W_]*$")
# A lead that opens with a response to the report, which a release's own section ('The force's response') holds
_RESPONSE_LEAD_RX = re.compile(r"^(?:responding|commenting|reacting|replying|in\s+response)\b|^[^.\"]{0,120}?\b(?:said|says|added)\s*:",
                               re.I)
_CONTINUATION_LEAD_RX = re.compile(
    r"^(?:however|also|in\s+addition|additionally|further(?:more)?|moreover|meanwhile|nonetheless|nevertheless|"
    r"since\s+(?:the|that|its|our|then)|this|these|those|it|they|its|their)\b"
    r"|^(?:\S+\s+){0,4}?(?:also|further|still)\s+(?:found|finds|raised|noted|notes|said|says|states?|identified|"
    r"identifies|highlighted|highlights|reported)\b"
    # what the inspectorate found, in the past and not today, or what it will do: a section's account, not a lead
    r"|^(?:hmicfrs|hmic|the\s+inspectorate|inspectors)\s+(?:found|noted|identified|raised|reported)\b(?![^.]*\btoday\b)"
    r"|^(?:hmicfrs|hmic|the\s+inspectorate|inspectors)\s+will\b"
    # where the report can be read ('The full report, Kent Police - National child protection inspection, is available ...')
    r"|^[^.]{0,160}\bis\s+available\s+(?:on|from|at)\b", re.I)
_CONTENTS_RX = re.compile(r"^\W*(?:on this page|contents|table of contents|in this (?:article|release|page))\W*$", re.I)
_SHARE_RX = re.compile(r"^\W*(?:share|follow\s+us)\b", re.I)  # 'Share this page:' at the foot of a page
_TITLE_LINE_RX = re.compile(r"title:[ \t]*\S")  # the first line of a front matter, as static site generators write it
# 'title: ...' (or a list's '  - item') in YAML front matter; the sectionizer reads a file's own front matter by it too
FRONT_MATTER_LINE_RX = re.compile(r"^(?:[A-Za-z][\w-]*:(?:\s|$)|\s+-\s)")

# The heading of a page's block of tags or files under a release (the block under it is no headline)
_FOOT_HEADING_RX = re.compile(r"^\W*(?:tags|tagged|topics|keywords|related(?:\s+(?:documents|files|downloads|reports|"
                              r"publications|links|content|news|pages))?|downloads?|documents|attachments|see\s+also)\W*$", re.I)

_FOOT_LINES = 6
# A file's line in such a block: a report's title in the programme's form ('Kent – National child protection inspection'),
# with its year or file note in brackets at the end
_FILE_LINE_RX = re.compile(r"^[A-Z][\w&'. -]{2,60}?\s*(?:[-:]|\u2013|\u2014)\s*national\s+child\s+protection\b[^\n]*"
                           r"[(\[][^()\[\]]*\b(?:(?:19|20)\d\d|pdf|kb|mb)\b[^()\[\]]*[)\]]\W*$", re.I)

_MIN_PREVIOUS_BLOCKS = 3
_UNWRAPPED_MIN_CHARS = 150
_MIN_CHARS = 200


class _Block(NamedTuple):  # a named tuple: a page has dozens, and a frozen dataclass cost thrice as much
    start: int
    end: int
    text: str  # folded, decoration stripped, lines joined by one space
    lines: int
    separator: bool = False
    words: int = 0


def split_releases(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of the releases in ``text``, in order.

    A normal single release gives ``[(0, len(text))]``; see the module docstring for the rules.
    """
    blocks = _blocks(text)
    starts: list[int] = []  # block indices where a release starts (after the first)
    segment_first = 0
    unseparated = [0]  # unseparated[k]: how many of blocks[:k] are no separator lines
    for block in blocks:
        unseparated.append(unseparated[-1] + (not block.separator))
    for k in range(1, len(blocks)):
        if _front_matter_starts(text, blocks, k, segment_first, unseparated) \
                or _starts_release(blocks, k, segment_first, len(text), unseparated):
            starts.append(k)
            segment_first = k
    if not starts:
        return [(0, len(text))]
    ranges: list[tuple[int, int]] = []
    begin = 0
    for k in starts:
        while k - 1 > 0 and _KICKER_RX.match(blocks[k - 1].text) and blocks[k - 1].words <= _KICKER_MAX_WORDS:
            k -= 1
        if k - 3 > 0 and _is_separator(blocks[k - 1]) and _is_separator(blocks[k - 3]) and _front_matter(text, blocks[k - 2]):
            k -= 3  # '---', the front matter's 'key: value' lines, '---': the top of a Markdown file
        last = k - 1
        while last > 0 and _is_separator(blocks[last]):
            last -= 1
        ranges.append((begin, blocks[last].end))
        begin = blocks[k].start
    ranges.append((begin, len(text)))
    return ranges


# -- blocks -------------------------------------------------------------------------
def _fold(s: str) -> str:
    if s.isascii():  # every character folded is outside ASCII
        return s
    return _FOLD_RX.sub(lambda m: _FOLD_MAP.get(m.group(), "-"), s)


def _blocks(text: str) -> list[_Block]:
    """Paragraphs (runs of non-blank lines); a separator line is a block of its own."""
    folded = _fold(text)  # same length: offsets hold
    out: list[_Block] = []
    for m in _BLOCK_RX.finditer(folded):
        pos = m.start()
        pending_start: int | None = None
        lines: list[str] = []
        for line in m.group().split("\n"):
            line_start, line_end = pos, pos + len(line)
            pos = line_end + 1
            if len(line) < 80 and line.lstrip()[:1] in _SEPARATOR_FIRST and _SEPARATOR_RX.match(line):
                if pending_start is not None:
                    out.append(_make_block(folded, pending_start, line_start - 1, len(lines)))
                    pending_start, lines = None, []
                out.append(_Block(line_start, line_end, line.strip(), 1, separator=True))
                continue
            if pending_start is None:
                pending_start = line_start
            lines.append(line)
        if pending_start is not None:
            if len(lines) >= 3 and _unwrapped(lines):
                # paragraphs, items and headings one to a line with no blank line between: each line is a block
                for line in lines:
                    out.append(_make_block(folded, pending_start, pending_start + len(line), 1))
                    pending_start += len(line) + 1
            elif len(lines) >= 2 and _glued_headline(lines):
                # a headline written on the line right after the previous release's last line
                tail = len(lines[-1])
                out.append(_make_block(folded, pending_start, m.end() - tail - 1, len(lines) - 1))
                out.append(_make_block(folded, m.end() - tail, m.end(), 1))
            else:
                out.append(_make_block(folded, pending_start, m.end(), len(lines)))
    return out


def _unwrapped(lines: list[str]) -> bool:
    """Two lines or more of a block run past any width text is wrapped at: its line breaks end paragraphs."""
    return sum(len(line) > _UNWRAPPED_MIN_CHARS for line in lines) >= 2


def _make_block(folded: str, start: int, end: int, lines: int) -> _Block:
    while start < end and folded[start].isspace():
        start += 1
    while end > start and folded[end - 1].isspace():
        end -= 1
    words = _undecorated(folded[start:end]).split()
    return _Block(start, end, " ".join(words), lines, words=len(words))


def _undecorated(text: str) -> str:
    """``text`` without Markdown decoration (``_DECORATION_RX``), which only these characters make."""
    if "*" in text or "_" in text or "#" in text or ">" in text:
        return _DECORATION_RX.sub("", text)
    return text


def _glued_headline(lines: list[str]) -> bool:
    """The last line of a block stands on its own as a headline: the line before it ends a
    sentence, quotation or list item, and it starts with a capital letter."""
    before = lines[-2].rstrip()
    if not before or before[-1] in ",;:(&/-" or not (before[-1] in ".!?\"')" or _CONTACT_RX.search(before)):
        return False  # (a contact line that goes on: 'CONTACT: 020 7946 0654 (8:30am to 5:00pm,' over 'Monday to Friday)')
    last = _undecorated(lines[-1]).strip()
    if not last[:1].isupper() or last.count(")") > last.count("("):
        return False
    return _looks_like_headline(_Block(0, len(last), last, 1, words=len(last.split())))


def _front_matter(text: str, block: _Block) -> bool:
    return all(FRONT_MATTER_LINE_RX.match(line) for line in text[block.start : block.end].split("\n"))


def _front_matter_starts(text: str, blocks: list[_Block], k: int, first: int, unseparated: list[int]) -> bool:
    """Block ``k`` opens a Markdown file's front matter that gives a title ('---', 'title: ...' and other 'key: value'
    lines, '---'), after a release: a file pasted after another, whose headline may be only that title."""
    return (blocks[k].text == "---" and k + 2 < len(blocks) and blocks[k + 2].text == "---"
            and unseparated[k] - unseparated[first] >= _MIN_PREVIOUS_BLOCKS
            and _TITLE_LINE_RX.match(text, blocks[k + 1].start, blocks[k + 1].end) is not None
            and _front_matter(text, blocks[k + 1]) and _lead_words(blocks, k + 2) is not None)


def _under_foot_heading(before: list[_Block]) -> bool:
    """The last blocks before a headline are a page's block of tags or files: a heading such as 'Tags' or 'Related
    documents' (_FOOT_HEADING_RX), then at most _FOOT_LINES short lines that are no sentences."""
    for block in reversed(before[-(_FOOT_LINES + 1):]):
        if _FOOT_HEADING_RX.match(block.text):
            return True
        if block.words > _KICKER_MAX_WORDS * block.lines or block.text.rstrip().endswith("."):
            return False  # (a line of the block each: 'TITLE (2017)' over 'TITLE (2015)')
    return False


def _is_separator(block: _Block) -> bool:
    return block.separator


# -- the rules ---------------------------------------------------------------------------
def _starts_release(blocks: list[_Block], k: int, segment_first: int, text_len: int, unseparated: list[int]) -> bool:
    head = blocks[k]
    if not _looks_like_headline(head):
        return False
    count = unseparated[k] - unseparated[segment_first]  # the release before: its blocks but separator lines
    if count < _MIN_PREVIOUS_BLOCKS or blocks[k - 1].start - blocks[segment_first].start < _MIN_CHARS:
        return False
    if text_len - head.start < _MIN_CHARS:
        return False
    if k + 1 < len(blocks) and _FILE_NOTE_RX.match(blocks[k + 1].text):
        return False
    before = _last_blocks(blocks, segment_first, k)
    separated = _is_separator(blocks[k - 1])
    kicker = False
    while count > 1 and len(before) > 1 and _KICKER_RX.match(before[-1].text) and before[-1].words <= _KICKER_MAX_WORDS:
        before = before[:-1]  # the kicker or date line above the headline belongs to it: the release before ends above
        count -= 1
        kicker = True
    previous = before[-1]
    if _REPORT_LINK_RX.match(previous.text) or (previous.text.endswith(":") and not _SHARE_RX.match(previous.text)
                                                 and not _META_LINE_RX.match(previous.text)):  # (a page's empty 'Tags:')
        return False
    if _SECTION_ABOVE_RX.match(previous.text):
        return False  # under a release's 'Summary' or 'Questions and answers': a part of it
    if _under_foot_heading(before) and _FILE_LINE_RX.search(head.text):
        return False  # a page's 'Related documents' over its files, at the foot of the release before: a file's line
        # ('Kent – National child protection inspection (2015)') is no headline
    if not separated and _introduces_release(previous):
        return False  # 'The full HMICFRS news release is reproduced below.': a page's own story introduces the release it carries
    lead_words = _lead_words(blocks, k)
    if lead_words is None or _RESPONSE_LEAD_RX.match(lead_words) or _CONTINUATION_LEAD_RX.match(lead_words):
        return False  # (a lead that opens with a response, 'Chief Constable X said: ...', or goes on from what came
        # before, 'HMICFRS also found ...', 'Since the inspection ...', is under a release's own heading)
    if not separated and _QUESTION_RX.search(head.text):
        return False  # a question over its answer ('Why did HMICFRS go back to Hertfordshire?'), in a release's Q&A
    score = 2 if separated else 0
    dated = (kicker or (k + 1 < len(blocks) and _is_date_line(blocks[k + 1]) and bool(_YEAR_RX.search(blocks[k + 1].text)))
             or (head.lines > 1 and bool(_DATED_LINE_IN_BLOCK_RX.search(head.text, 1))))  # its date on a line of its block
    score += dated
    score += _has_ended(before)
    named = _shares_name(head.text, lead_words)
    score += named
    score += bool(_FORCEISH_RX.search(head.text))
    if score < 2:
        return False
    if not (separated or dated or named) and _same_subject(blocks, segment_first, k, lead_words):
        # only the weakest signals (the block above ends a list or a quotation, the heading speaks of an
        # inspection), and a lead about the force the release above is about: a section of that release
        # ('Progress since the 2016 inspection', a commissioner's statement under its own heading)
        return False
    return _holds_a_release(blocks, segment_first, k)


def _introduces_release(block: _Block) -> bool:
    """The block, or the last sentence of its paragraph, is a short line that introduces the release below it ('The
    inspectorate's press release is below.' after what a force's page says of the report itself)."""
    last = block.text if block.words <= _INTRODUCTION_MAX_WORDS else block.text.rsplit(". ", 1)[-1]
    return len(last.split()) <= _INTRODUCTION_MAX_WORDS and _INTRODUCES_RELEASE_RX.search(last) is not None


def _last_blocks(blocks: list[_Block], first: int, k: int) -> list[_Block]:
    """The last blocks from ``first`` to ``k`` but separator lines, at most ``_TAIL_BLOCKS`` of them: what
    the rules read of the release before a headline (its whole, at every headline of a long page, cost time
    in the page's length squared)."""
    tail: list[_Block] = []
    j = k - 1
    while j >= first and len(tail) < _TAIL_BLOCKS:
        if not blocks[j].separator:
            tail.append(blocks[j])
        j -= 1
    tail.reverse()
    return tail


_TAIL_BLOCKS = 16


def _same_subject(blocks: list[_Block], first: int, k: int, lead: str) -> bool:
    """Whether ``lead`` names all that the headline of the release from block ``first`` names (its
    first headline over a lead, before block ``k``): 'Kent' in a release on Kent Police, where 'South
    Yorkshire' over a lead on West Yorkshire Police is another subject."""
    for j in range(first, k):
        if _looks_like_headline(blocks[j]) and _lead_words(blocks, j, k) is not None:
            names = _names(blocks[j].text)
            return bool(names) and names <= set(_CAPWORD_RX.findall(lead))
    return False


def _holds_a_release(blocks: list[_Block], first: int, k: int) -> bool:
    """Blocks ``first`` to ``k`` are a release, not the e-mail or newsletter one was pasted into:
    a headline over a lead that is no cover note ('the release is reproduced below'), or two of
    a release's parts (list items, quotations, a notes or report heading)."""
    for j in range(first, k):
        if _looks_like_headline(blocks[j]):
            lead = _lead_words(blocks, j, k)
            if lead is not None and not _COVER_NOTE_RX.search(lead):
                return True
    parts = set()
    for block in blocks[first:k]:
        if block.text[:1] in "\"'":
            parts.add("quote")
        elif _LIST_START_RX.match(block.text):
            parts.add("list")
        elif _HEADING_PREFIX_RX.match(block.text) or _REPORT_LINK_RX.match(block.text):
            parts.add("heading")
    return len(parts) >= 2


def _lead_words(blocks: list[_Block], k: int, limit: int | None = None) -> str | None:
    """The words of the lead under the headline at ``k`` (and of the short block after it) when
    they name the inspectorate with a reporting word; None if there is no such lead before ``limit``."""
    lead_words = _lead_at(blocks, _find_lead(blocks, k), limit)
    if lead_words is None and k + 2 < len(blocks) and _is_standfirst(blocks[k + 1]) and _is_date_line(blocks[k + 2]):
        # the standfirst read as the lead, and the inspectorate named only in the lead under the date line
        lead_words = _lead_at(blocks, _find_lead(blocks, k, standfirst=True), limit)
    return lead_words


def _lead_at(blocks: list[_Block], lead_at: int | None, limit: int | None) -> str | None:
    if lead_at is None or lead_at + 1 >= min(len(blocks), limit or len(blocks)):
        return None
    lead_words = blocks[lead_at].text
    following = blocks[lead_at + 1]
    if _is_prose(following) or (following.words <= 30 and not _looks_like_headline(following)):
        lead_words += " " + following.text  # the lead after a standfirst, or a page's 'From: ... Published ...' line
    if not (_INSPECTORATE_RX.search(lead_words) and _REPORTING_RX.search(lead_words)):
        return None
    return lead_words


def _is_standfirst(block: _Block) -> bool:
    """One short sentence of running text that does not name the inspectorate."""
    return (block.words <= _STANDFIRST_MAX_WORDS and ". " not in block.text and _is_prose(block)
            and not _INSPECTORATE_RX.search(block.text))


def _looks_like_headline(block: _Block) -> bool:
    text = block.text
    if not text or block.separator or block.lines > 3:
        return False
    if not 15 <= len(text) <= 200 or not 3 <= block.words <= 35:
        return False
    if _LIST_START_RX.match(text) or text[-1] in ":;,." or (text[-1] in "\"'" and not _QUOTED_ENDING_RX.search(text)):
        return False  # (a headline may end on a short quoted phrase: '... but "there is more to do"')
    if _HEADING_PREFIX_RX.match(text) or _NOTES_HEADING_RX.search(text) or _HEADING_WHOLE_RX.match(text) or _PAGE_DATE_RX.match(text) or _META_LINE_RX.match(text):
        return False  # (nor is a page's 'Tags: ...' line)
    if _CONTACT_RX.search(text) or _PAGE_NUMBER_RX.search(text):
        return False  # (nor a PDF's footer and the next page's header, one line around a form feed: 'Page 1 of 3 HMIC ...')
    return not text.startswith("|")


def _is_prose(block: _Block) -> bool:
    """A paragraph of running text (not a list item, quotation, heading or table)."""
    text = block.text
    if len(text) < 60 or _LIST_START_RX.match(text) or block.separator or (text.endswith(":") and ". " not in text):
        return False  # (a paragraph of sentences whose last announces a list is still running text)
    return "." in text and len(_NUMBERED_RX.findall(text)) < 2  # 'In this issue 1. ... 2. ...' is a list


def _is_date_line(block: _Block) -> bool:
    if block.words <= _PAGE_META_BLOCK_MAX_WORDS and (_PAGE_META_BLOCK_RX.match(block.text) or _PAGE_FACTS_LIST_RX.match(block.text)):
        return True  # a page's facts about the release, its date first
    return len(block.text) <= 80 and block.words <= 10 and bool(_DATE_LINE_RX.search(block.text))


def _find_lead(blocks: list[_Block], k: int, standfirst: bool = False) -> int | None:
    """Index of the lead paragraph after the headline at ``k``, skipping date lines, one sub-headline
    and one quotation (``standfirst``: and the block right under the headline, whatever it is)."""
    dates = subheads = quotes = meta = contents = tags = bylines = captions = facts = rules = 0
    for j in range(k + 1, min(len(blocks), k + 8)):
        block = blocks[j]
        if block.words <= _BYLINE_MAX_WORDS and not _is_prose(block):
            if bylines < 1 and _BYLINE_RX.search(block.text):
                bylines += 1  # a reposted story's byline ('By Hannah Rudge Crime reporter 17:30, 23 May 2017')
                continue
            if captions < 1 and _CAPTION_RX.search(block.text):
                captions += 1  # its picture's caption
                continue
        if meta < 1 and (block.words <= 12 and _META_LINE_RX.match(block.text) or _SOURCE_LINK_RX.match(block.text)):
            meta += 1  # 'Source: HM Inspectorate of Constabulary' under the date line, or a saved copy's link to its source
            continue
        if block.text[:1] == '"' and quotes < 1:
            quotes += 1  # a quotation before the lead ('"...," That was the verdict of ...')
            continue
        if j == k + 1 and block.separator and block.text[:1] in "=-" and len(block.text) >= 5 and block.start == blocks[k].end + 1:
            continue  # a Markdown headline's underline ('=====') right under it
        if block.separator and rules < 1 and (tags or meta or bylines) and j + 1 < len(blocks) and _is_date_line(blocks[j + 1]):
            rules += 1  # a rule under the page's facts, over its date line ('# Headline', '[source](...)', '---', 'Published ...')
            continue
        if tags < 1 and not block.separator and block.words <= 8 and _LIST_START_RX.match(block.text):
            tags += 1  # a page's topic tags under its date line ('• Child protection • Dorset')
            continue
        if (facts < 1 and subheads == 1 and dates >= 1 and j > k + 1 and blocks[j - 1].words <= 4 and not block.separator
                and block.words <= 40 and _LIST_START_RX.match(block.text)):
            facts += 1  # a box of key facts under its heading ('Key facts', then '• 72 case files examined' ...)
            continue
        if contents < 3 and (_CONTENTS_RX.match(block.text) or block.text.count("](#") >= 2 or (block.separator and contents)):
            contents += 1  # a page's table of contents ('On this page', its anchor links, the rule under them)
            continue
        if standfirst and j == k + 1:
            subheads += 1  # a standfirst ('A report published today finds good practice ...'): see _lead_words
            continue
        if _is_prose(block):
            return j
        if _is_date_line(block) and dates < 2:
            dates += 1
        elif (_looks_like_headline(block) or (block.words <= 4 and block.text[-1:].isalnum())) and subheads < 1:
            subheads += 1  # a standfirst, or a section's heading over the lead ('Summary')
        else:
            return None
    return None


def _has_ended(before: list[_Block]) -> int:
    """1 when the last block of the previous release looks like the end of one (a page's 'Tags: ...'
    line under it set aside)."""
    end = len(before) - 1
    while end > 0 and _META_LINE_RX.match(before[end].text):
        end -= 1
    last = before[end].text
    if last.rstrip(" .").endswith(('"', "'")):
        return 1
    if _LIST_START_RX.match(last) and not last.startswith(('"', "'")):
        return 1
    if _CONTACT_RX.search(last) or re.match(r"^\W*(?:ends?|source|contact)\b", last, re.I):
        return 1
    if end >= 1 and _REPORT_LINK_RX.match(before[end - 1].text):
        return 1
    return 0


def _shares_name(headline: str, lead: str) -> int:
    names = _names(headline)
    if not names:
        return 0
    lead_names = set(_CAPWORD_RX.findall(lead))
    return int(bool(names & lead_names))


def _names(headline: str) -> set[str]:
    """The proper names of a headline (capitalised words but the common ones)."""
    if headline.isupper():  # 'LANCASHIRE POLICE MUST DO MORE ...': a wire headline in capitals
        headline = headline.title()
    return {w for w in _CAPWORD_RX.findall(headline) if w not in _COMMON_CAPS}
