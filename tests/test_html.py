"""What ``html_to_text`` keeps of a saved page and what it drops as page furniture."""

from __future__ import annotations

import pytest

from ncpi_extract.html import html_to_text

_PAGE = """<html><body class="single-post">
<div class="cookie-banner">We use cookies. <a href="#">Accept</a></div>
<div id="page" class="site">
 <div class="content-wrapper {wrapper}">
  <{main} class="site-main"><h1>Kent Police must do more for children</h1>
   <p>Inspectors were pleased to find:</p><ul><li>strong leadership</li></ul></{main}>
  <div class="sidebar"><h2>Related content</h2><p>PEEL 2018: Kent Police</p></div>
 </div>
</div></body></html>"""


@pytest.mark.parametrize(("wrapper", "main"), [
    ("has-sidebar", "main"), ("has-sidebar", "div"), ("with-sidebar", "div"), ("no-menu", "div"),
    ("sidebar-layout", "main"), ("menu-open", "article"),
])
def test_a_wrapper_named_after_furniture_keeps_the_release_inside_it(wrapper, main):
    """A wrapper whose class says it has a sidebar ('has-sidebar'), or that holds the page's <main> or
    <article>, is no furniture itself: the release inside it stays (a page whose wrapper said so came out
    empty). The real sidebar and the cookie banner still go."""
    text = html_to_text(_PAGE.format(wrapper=wrapper, main=main))
    assert text == "Kent Police must do more for children\n\nInspectors were pleased to find:\n\n\u2022 strong leadership\n"


def test_a_menu_no_class_names_is_dropped():
    """Three or more short lines in a row that are each one link are a menu (a page laid out in a table
    names none), and 'Media contacts' among them no heading of the release; a single link line stays."""
    page = ("<html><body><table><tr><td><table>"
            "<tr><td><b>News</b></td></tr><tr><td><a href='/feed'>News feed</a></td></tr>"
            "<tr><td><a href='/speeches'>Speeches</a></td></tr><tr><td><a href='/media'>Media contacts</a></td></tr>"
            "</table></td><td><h1>Kent Police must do more</h1><p>HMIC has today published its report.</p>"
            "<p><a href='/r.pdf'>Read the report</a></p></td></tr></table></body></html>")
    assert html_to_text(page) == "News\n\nKent Police must do more\n\nHMIC has today published its report.\n\nRead the report\n"


def test_a_link_and_the_words_after_it_stay_apart():
    """'<a>Title</a><span>PDF, 1.2MB</span>' reads 'Title PDF, 1.2MB', as a browser shows it, not 'TitlePDF'."""
    page = ("<html><body><main><ul><li><a href='/r.pdf'><strong>Kent Police – National child protection inspection"
            "</strong></a><span class='file-meta'>PDF, 1.2MB</span></li><li>re<a href='#'>port</a>s</li></ul></main></body></html>")
    assert html_to_text(page) == "\u2022 Kent Police – National child protection inspection PDF, 1.2MB\n\u2022 reports\n"


def test_a_word_a_word_processor_split_across_spans_stays_one_word():
    """'<span>safe</span><span><em>guarding</em></span>' reads 'safeguarding', as a browser shows it; spans that
    hold words of their own stay apart ('<span>12 March 2015</span><span>News</span>')."""
    page = ("<html><body><main><ul><li><span style='font-weight: 400;'>the multi-agency </span><span>safe</span>"
            "<span><em>guarding</em></span><span> hubs</span></li><li><span>a lack of super</span><span><strong>vision"
            "</strong></span></li></ul><p><span>12 March 2015</span><span>News</span></p></main></body></html>")
    assert html_to_text(page) == "\u2022 the multi-agency safeguarding hubs\n\u2022 a lack of supervision\n\n12 March 2015 News\n"


def test_a_sidebar_holding_an_article_teaser_is_still_a_sidebar():
    page = ("<html><body><div class='sidebar'><article class='teaser'>Surrey Police praised</article></div>"
            "<article class='post'><h1>Kent Police must do more</h1><p>HMIC has today published its report on Kent "
            "Police, the longest part of this page by far, with every finding in it.</p></article></body></html>")
    assert html_to_text(page) == ("Kent Police must do more\n\nHMIC has today published its report on Kent Police, the "
                                  "longest part of this page by far, with every finding in it.\n")


def test_contact_lines_that_are_links_are_no_menu():
    page = ("<html><body><main><h2>Media enquiries</h2><p><a href='tel:02079460731'>020 7946 0731</a></p>"
            "<p><a href='mailto:press@hmic.example.gov.uk'>press@hmic.example.gov.uk</a></p>"
            "<p><a href='tel:07700900418'>07700 900418</a></p></main></body></html>")
    assert html_to_text(page) == ("Media enquiries\n\n020 7946 0731\n\npress@hmic.example.gov.uk\n\n07700 900418\n")


@pytest.mark.parametrize(("links", "kept"), [
    ("<a href='/r.pdf'>Kent Police – National child protection inspection</a> <a href='/r.pdf' download>Download</a>", True),
    ("<a href='/news'>News</a> <a href='/about'>About us</a>", False),
    ("<a href='#'>Child protection</a>, <a href='#'>Vulnerability</a>", False),
    ("<a href='/news'>News</a> | <a href='/news'>Latest news</a>", False),  # one place, but no document: navigation
])
def test_a_line_of_links_is_navigation_unless_they_are_one_documents(links, kept):
    """A file block's title and its 'Download' button are two links to the one document: the report's title, which a
    page lost when every line of two links or more was dropped as navigation."""
    page = f"<html><body><main><h2>Read the report</h2><div class='wp-block-file'>{links}</div></main></body></html>"
    line = html_to_text(page).split("\n\n")[1:]
    assert bool(line) == kept


def test_a_page_wide_form_is_a_wrapper_and_a_search_form_is_dropped():
    # ASP.NET WebForms wraps the whole page in one <form>: dropping every form lost the release
    page = ('<html><body><form method="post" action="./article.aspx?id=1" id="aspnetForm">'
            '<input type="hidden" name="__VIEWSTATE" value="x">'
            "<h1>Kent Police must do more</h1><p>HMIC has today published its report on child protection in Kent.</p>"
            "<ul><li>clear leadership</li></ul></form></body></html>")
    assert html_to_text(page) == ("Kent Police must do more\n\nHMIC has today published its report on child protection in Kent.\n\n"
                                  "\u2022 clear leadership\n")
    page = ("<html><body><form action='/search'><label>Search this site</label><input name='q'></form>"
            "<h1>Kent Police must do more</h1><p>HMIC has today published its report on child protection in "
            "Kent.</p><form action='/comments'><p>Leave a comment</p><textarea></textarea></form></body></html>")
    assert html_to_text(page) == "Kent Police must do more\n\nHMIC has today published its report on child protection in Kent.\n"


def test_a_sign_up_form_most_of_a_short_page_is_dropped():
    page = ("<html><body><div id='page'><h1>Kent Police inspection published</h1><p>HMIC has today published a report.</p>"
            "<form action='/subscribe'><p>Sign up to receive news from Kent Police by email. Choose your topics:</p><ul>"
            "<li><label><input type='checkbox'> Crime prevention advice and campaigns in your area</label></li>"
            "<li><label><input type='checkbox'> Appeals for information and wanted people</label></li></ul>"
            "<p>We will use your email address only to send you the newsletter, or call 01622 690690.</p></form></div></body></html>")
    assert html_to_text(page) == "Kent Police inspection published\n\nHMIC has today published a report.\n"


@pytest.mark.parametrize("form", [
    "<form method='post' action='/web/news.nsf/0/ABC?OpenDocument' name='_DominoForm'>",  # Lotus Domino
    "<form id='j_idt5' action='/news/kent.xhtml'>",  # JSF
])
def test_another_page_wide_form_holding_the_release_s_heading_is_kept(form):
    page = (f"<html><body>{form}<div class='content'><h2>Kent Police child protection inspection published</h2>"
            "<p>HMIC has today published a report on child protection in Kent Police.</p></div></form></body></html>")
    assert html_to_text(page) == ("Kent Police child protection inspection published\n\n"
                                  "HMIC has today published a report on child protection in Kent Police.\n")
