"""Reduce a saved web page to the text of its release.

selectolax (the Lexbor HTML5 parser) does the parsing: browsers' error recovery,
entities and encodings are its job. This module only chooses the main content and
writes it out one block per line (list items with a bullet or their number, headings
and quote paragraphs on lines of their own), so the text parser sees the same shape
as in a plain-text release. Scripts are dropped, never run; nothing is fetched.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "button",
    "nav", "footer", "aside", "select", "object", "embed", "head",
)
_BOILERPLATE = re.compile(
    r"cookie|consent|banner|breadcrumb|skip|navbar|menu|masthead|site-header|site-footer|footer|share|social|sidebar",
    re.I,
)
_REPORT_BOX = re.compile(r"\W*(?:get|read|download|view)\s+(?:the\s+)?(?:full\s+)?report\b", re.I)
_MAIN_SELECTORS = ("main", "[role=main]", "article", "#content", ".content", "#main", "body")
_WRAPPER_SHARE = 0.5  # a block named as furniture that holds this share of the page's words or more wraps the page
# A class that states what a block holds ('has-sidebar', 'no-menu', 'is-sharing'), not what it is: a
# wrapper may carry one around the whole release
_MODIFIER = re.compile(r"^(?:has|with|without|no|is|show|hide)[-_]", re.I)
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "blockquote", "ul", "ol", "li", "table", "tr",
    "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure", "figcaption", "address", "hr",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "pre", "figure", "hr"}
# Inline elements whose words end with them when another element follows ('<time>March 24, 2015</time><a>News</a>')
_INLINE_ENDS_WORDS = frozenset(("a", "time", "span"))
# What the writer has met since such an element ended: text (or none ended yet), nothing yet, another element
_IN_WORDS, _INLINE_ENDED, _ELEMENT_AFTER = 0, 1, 2
_MENU_MIN_LINES = 3  # short link lines in a row that make a menu
_MENU_ITEM_MAX_WORDS = 4
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")


def html_to_text(html: str) -> str:
    """Return the main text of an HTML page, one block per line, paragraphs apart."""
    tree = LexborHTMLParser(html)
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            if tag == "footer" and _inside(node, ("blockquote", "figure")):
                continue  # a quotation's own footer names its speaker ('— <cite>Jane Doe, ...</cite>')
            if tag == "aside" and _inside(node, ("article",)) and _REPORT_BOX.match(node.text(deep=True, separator=" ")):
                continue  # the article's own box of its report ('<aside><h2>Get the report</h2> TITLE ...'), not a sidebar
            node.decompose()
    page_chars = None
    for node in tree.css("form"):  # a search box, a comment or sign-up form; but ASP.NET's page-wide <form> wraps the page
        if not _wraps_the_page(node):
            node.decompose()
            continue
        page_chars = _body_chars(tree) if page_chars is None else page_chars
        if len(node.text(deep=True)) < _WRAPPER_SHARE * page_chars:
            node.decompose()
    page_chars = None  # (counted again below: forms may have gone)
    for node in tree.css("[id], [class], [role]"):
        if node.tag in ("body", "main", "article", "html") or not _named_as_furniture(node):
            continue
        if node.css_first("main, [role=main]") is None:
            page_chars = _body_chars(tree) if page_chars is None else page_chars
            if len(node.text(deep=True)) < _WRAPPER_SHARE * page_chars:
                node.decompose()  # (a block holding most of the page's words is a wrapper: 'content-wrapper has-sidebar')
    root = next((n for sel in _MAIN_SELECTORS if (n := tree.css_first(sel)) is not None), None)
    if root is None:
        return ""
    writer = _Writer()
    writer.walk(root)
    return writer.result()


def _body_chars(tree) -> int:
    """The characters of the page's text: a block holding half of them or more wraps the page."""
    return len(tree.body.text(deep=True)) if tree.body is not None else 0


_ASPNET_ACTION = re.compile(r"\.aspx\b", re.I)


def _wraps_the_page(form) -> bool:
    """A <form> that may be the page's wrapper: ASP.NET's (its state field, an '.aspx' action, its id), or one holding
    the page's main content or a heading (Lotus Domino's and JSF's page-wide forms). Any other form is a form (a search
    box, a comment or sign-up form), whatever its share of the page's words."""
    attributes = form.attributes
    return (form.css_first("input[name=__VIEWSTATE], main, article, [role=main], h1, h2, h3") is not None
            or bool(_ASPNET_ACTION.search(attributes.get("action") or "")) or (attributes.get("id") or "").lower() == "aspnetform")


def _named_as_furniture(node) -> bool:
    """The block's id, class or role names page furniture (a cookie banner, a menu, a sidebar); a word
    that states what a block has ('has-sidebar') names none. Whether it is furniture, not a wrapper
    round the release, ``html_to_text`` asks of its words."""
    words = " ".join(filter(None, (node.attributes.get(a) for a in ("id", "class", "role")))).split()
    return any(_BOILERPLATE.search(word) and not _MODIFIER.match(word) for word in words)


def _inside(node, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


_CELL_BLOCKS = "p, ul, ol, h1, h2, h3, h4, h5, h6, blockquote, table"


def _lays_out(cell) -> bool:
    """A table cell that lays a page out rather than holding a value (a list, a heading, or two
    paragraphs or more; e-mail software wraps a single value in one <p>): its blocks are written
    as blocks, not joined into the row's line."""
    blocks = cell.css(_CELL_BLOCKS)
    return len(blocks) > 1 or any(block.tag != "p" for block in blocks)


_FILE_LINK = re.compile(r"\.(?:pdf|docx?|odt|rtf|epub)(?:[?#].*)?$", re.I)


def _document_target(node) -> str | None:
    """Where a link to a document goes (its file's name says so, or it asks the browser to download it); None for
    any other link."""
    href = (node.attributes.get("href") or "").strip()
    return href if "download" in node.attributes or _FILE_LINK.search(href) else None


class _Writer:
    """Walks the tree with an explicit stack (deep pages must not overflow Python's)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.rows = 0  # inside a table row, cells and their paragraphs make one line
        self.items = 0  # inside a list item: a line break there carries the item on, indented
        self.marker_only = False  # ``current`` holds only a list item's bullet or number so far
        self.indent_next = False
        self.in_link = 0
        self.links = 0  # links begun in ``current``, and the characters of their text
        self.file_links: set[str] = set()  # where those of them that are a document's go
        self.link_chars = 0
        self.menu_lines: set[int] = set()  # lines that are one short link each
        self.inline_end = _IN_WORDS  # where the writer stands after the end of a link, a date or a span (_INLINE_ENDED ...)
        self.span_ended = False  # the last of them to end was a span
        self.in_time = 0

    def walk(self, root) -> None:
        stack: list[tuple[object, bool, int]] = [(root, False, 0)]
        counters: list[int] = []
        while stack:
            node, leaving, saved_rows = stack.pop()
            tag = node.tag
            if leaving:
                if tag in ("ol", "ul"):
                    counters.pop()
                if tag == "tr":
                    self.rows -= 1
                if tag == "li":
                    self.items -= 1
                    self.marker_only = False
                if tag == "a":
                    self.in_link -= 1
                if tag in _INLINE_ENDS_WORDS:
                    self.inline_end = _INLINE_ENDED
                    self.span_ended = tag == "span"
                if tag == "time":
                    self.in_time -= 1
                if tag in ("td", "th") and saved_rows:  # a layout cell: its row goes on
                    self.flush(blank=True)
                    self.rows = saved_rows
                elif tag in ("td", "th"):
                    self.end_cell()
                elif self.rows and tag in _BLOCK and tag != "tr":
                    self.current.append(" ")
                elif tag in _BLOCK:
                    self.flush(blank=tag in _PARAGRAPH)
                if tag == "li":
                    self.indent_next = False
                continue
            if node.is_text_node:
                words = node.text_content or ""
                if self.inline_end == _ELEMENT_AFTER and words[:1].isalnum() and self.current and self.current[-1][-1:].isalnum() \
                        and not (self.span_ended and words[:1].islower() and self.current[-1][-1:].islower()):
                    self.current.append(" ")  # '<a>Report title</a><span>PDF, 1.2MB</span>': the link's words end there
                    # (not a word a word processor's spans split: '<span>safe</span><span><em>guarding</em></span>')
                if words:
                    self.inline_end = _IN_WORDS
                self.current.append(words)
                if self.in_link and not self.in_time:  # a date is no navigation, even as a link ('<a><time>March 24, 2015</time></a>')
                    self.link_chars += len(words.strip())
                self.marker_only = self.marker_only and not words.strip()
                continue
            if self.inline_end == _INLINE_ENDED:
                self.inline_end = _ELEMENT_AFTER  # an element opens after the link ('<a>...</a><span>'), not the rest of its word ('re<a>port</a>s')
            if tag == "br":
                self.flush(blank=False)
                self.indent_next = self.items > 0
                continue
            if tag in _BLOCK and not self.rows:
                if tag in ("ul", "ol", "li", "table"):
                    self.marker_only = False  # an item that opens with a list: its own bullet stands alone, and is dropped
                self.flush(blank=tag in _PARAGRAPH)
            saved = 0
            if tag in ("td", "th") and self.rows and _lays_out(node):
                self.flush(blank=True)
                saved, self.rows = self.rows, 0
            if tag == "tr":
                self.rows += 1
            if tag in ("ol", "ul"):
                counters.append(0 if tag == "ol" else -1)
            if tag == "a":
                self.in_link += 1
                self.links += 1
                if (document := _document_target(node)) is not None:
                    self.file_links.add(document)
            if tag == "time":
                self.in_time += 1
            if tag == "li":
                self.items += 1
                self.indent_next = False
                if counters:
                    if counters[-1] >= 0:
                        counters[-1] += 1
                        self.current.append(f"{counters[-1]}. ")
                    else:
                        self.current.append("\u2022 ")
                    self.marker_only = True
            stack.append((node, True, saved))
            children = list(node.iter(include_text=True))
            stack.extend((child, False, 0) for child in reversed(children))

    def end_cell(self) -> None:
        """Cells of a row are kept apart by ' | ' ('Investigation | requires improvement'),
        except after a cell that only numbers the row ('1.' of a notes table)."""
        cell = "".join(self.current).strip()
        if not re.fullmatch(r"\(?\d{1,2}[.)]|[\u2022*-]", cell.rsplit(" | ", 1)[-1]):
            self.current.append(" | ")
        else:
            self.current.append(" ")

    def flush(self, *, blank: bool) -> None:
        if self.marker_only:
            return  # '<li><p>...': the item's first block follows its bullet or number on one line
        line = _SPACES.sub(" ", "".join(self.current)).strip().removesuffix(" |").strip()
        links, link_chars, one_file = self.links, self.link_chars, len(self.file_links) == 1 and self.links <= 3
        self.current, self.links, self.file_links, self.link_chars = [], 0, set(), 0
        all_links = links > 0 and link_chars >= 0.9 * sum(c.isalnum() for c in line)  # the line's words are its links'
        if all_links and links >= 2 and not one_file:
            line = ""  # a row of links ('Home | News | Contact us'): navigation that no class named (but a file block's
            # title and its 'Download' button, links to one document, are the title of a report)
        if line and line not in ("\u2022", "\u2022 "):
            self.lines.append("   " + line if self.indent_next else line)
            self.indent_next = False
            if all_links and len(line.split()) <= _MENU_ITEM_MAX_WORDS \
                    and not any(c.isdigit() or c == "@" for c in line):  # a phone number or an address is no menu item
                self.menu_lines.add(len(self.lines) - 1)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def result(self) -> str:
        self.flush(blank=False)
        return "\n".join(self._without_menus()).strip() + "\n"

    def _without_menus(self) -> list[str]:
        """The lines without runs of ``_MENU_MIN_LINES`` or more short lines that are each one link
        ('News feed' / 'Speeches' / 'Media contacts'): a menu that no class named, as a page laid out
        in a table has."""
        lines, drop, run = self.lines, set(), []
        for k in range(len(lines) + 1):
            if k < len(lines) and (k in self.menu_lines or (run and lines[k] == "")):
                run.append(k)
                continue
            menu = [j for j in run if j in self.menu_lines]
            if len(menu) >= _MENU_MIN_LINES:
                drop.update(range(menu[0], menu[-1] + 1))
            run = []
        return [line for k, line in enumerate(lines) if k not in drop]
