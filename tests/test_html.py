from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msglint.mapping import MappedText
from msglint.markup import html as html_module
from msglint.markup.html import (
    Element,
    TextNode,
    _TreeBuilder,
    document_content,
    find_preheader,
    images,
    link_texts,
    parse_html,
    preheader_text,
    visible_text,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def text_of(html: str) -> str:
    return visible_text(parse_html(html), MappedText.identity(html)).text


def test_visible_text_skips_head_style_script_comments_and_hidden_elements() -> None:
    html = (
        "<html><head><title>Title</title><style>p { color: red }</style></head><body>"
        "<script>var x = 1;</script><!-- a comment --><p>Shown</p>"
        '<div style="display: none">Hidden</div><span hidden>Also hidden</span>'
        '<p style="mso-hide:all">Not in Outlook</p><template>Tpl</template><p>End</p>'
        "</body></html>"
    )
    assert text_of(html) == "Shown\n\nEnd"


def test_visible_text_skips_the_hidden_preheader() -> None:
    html = (
        "<html><head><style>.preheader { display: none !important; }</style></head>"
        '<body><span class="preheader">Preview line</span><p>Dear customer</p></body></html>'
    )
    assert text_of(html) == "Dear customer"


def test_class_hidden_only_in_a_media_query_stays_visible() -> None:
    html = (
        "<style>@media (max-width: 480px) { .desktop { display: none } }</style>"
        '<p class="desktop">Desktop text</p>'
    )
    assert text_of(html) == "Desktop text"


def test_conditional_comments_keep_only_what_non_outlook_clients_show() -> None:
    html = (
        "<!--[if mso]><p>Outlook only</p><![endif]-->"
        "<!--[if !mso]><!--><p>Everyone else</p><!--<![endif]-->"
    )
    assert text_of(html) == "Everyone else"


def test_blocks_break_lines_and_inline_elements_do_not() -> None:
    html = (
        "<p>One</p><p>Two<br>three</p><table><tr><td>Cell</td><td>Next</td></tr></table>"
        "<p><b>bold</b>tail and   <i>more</i>\n  words</p><ul><li>a<li>b</ul>"
    )
    assert text_of(html) == "One\n\nTwo\nthree\n\nCell\nNext\n\nboldtail and more words\n\na\nb"


def test_entities_are_decoded_as_generated_chunks_and_words_stay_literal() -> None:
    html = "<p>Fish &amp; Chips&nbsp;for&#32;you &copy; &bogus; caf&eacute;</p>"
    visible = visible_text(parse_html(html), MappedText.identity(html))
    assert visible.text == "Fish & Chips for you © &bogus; café"
    amp = visible.text.index("&")
    assert not visible.is_literal(amp, amp + 1)
    assert visible.source_range(amp, amp + 1) == (html.index("&amp;"), html.index("&amp;") + 5)
    fish = visible.text.index("Fish")
    assert visible.is_literal(fish, fish + 4)
    assert visible.source_offset(visible.text.index("Chips")) == html.index("Chips")
    bogus = visible.text.index("&bogus;")
    assert visible.is_literal(bogus, bogus + 7)


def test_single_spaces_stay_literal_so_fixes_can_span_words() -> None:
    html = "<p>please note that</p>"
    visible = visible_text(parse_html(html), MappedText.identity(html))
    assert visible.text == "please note that"
    assert visible.is_literal(0, len(visible.text))


def test_visible_text_maps_through_the_source_map() -> None:
    # The rendered HTML starts at offset 100 of the file; "Hello" must map there.
    rendered = "<p>Hello <b>World</b></p>"
    source = MappedText.identity(rendered, offset=100)
    visible = visible_text(parse_html(rendered), source)
    assert visible.text == "Hello World"
    assert visible.source_offset(visible.text.index("World")) == 100 + rendered.index("World")


def test_links_and_images() -> None:
    html = (
        '<p>Read <a href="https://example.com/terms">our <b>terms</b></a>.</p>'
        '<a href="/home"><img src="logo.png" alt="Home"></a><img src="spacer.gif">'
        '<div style="display:none"><a href="/hidden">hidden</a></div>'
    )
    doc = parse_html(html)
    source = MappedText.identity(html)
    links = link_texts(doc, source)
    assert [(link.href, link.text.text, link.has_image) for link in links] == [
        ("https://example.com/terms", "our terms", False),
        ("/home", "", True),
    ]
    assert html[links[0].start : links[0].end] == '<a href="https://example.com/terms">'
    found = images(doc, source)
    assert [(image.src, image.alt) for image in found] == [
        ("logo.png", "Home"),
        ("spacer.gif", None),
    ]


def test_document_queries() -> None:
    html = '<!doctype html><html lang="de"><body><p class="a b" data-x=1>x</p></body></html>'
    doc = parse_html(html)
    assert doc.lang == "de"
    (p,) = doc.find_all("p")
    assert p.classes == ["a", "b"]
    assert p.get("data-x") == "1"
    start, end = doc.attribute_span(p, "data-x")
    assert html[start:end] == "data-x=1"
    assert p.parent is doc.find("body")


def test_preheader_is_the_first_hidden_element_before_visible_text() -> None:
    html = (
        '<body><table><tr><td><div style="display:none;max-height:0;overflow:hidden">'
        "Your order is on its way</div><p>Hello</p></td></tr></table></body>"
    )
    doc = parse_html(html)
    element = find_preheader(doc)
    assert element is not None
    assert visible_text(doc, MappedText.identity(html), element).text == "Your order is on its way"
    late = '<body><p>Hello</p><div style="display:none">Later</div></body>'
    assert find_preheader(parse_html(late)) is None


@pytest.mark.parametrize(
    "html",
    [
        '<body><span class="preheader">Sale &amp; more<br>today</span><p>Hi</p></body>',
        '<body><div hidden> </div><div class="x Preview-Text">Soon</div><p>Hi</p></body>',
        '<body><p>Hi</p><div style="display:none">Later</div></body>',
        "<body><div hidden>&zwnj;&nbsp;</div></body>",
    ],
)
def test_preheader_text_is_the_visible_text_of_the_preheader(html: str) -> None:
    source = MappedText.identity(html, 7)
    element = find_preheader(parse_html(html))
    text = preheader_text(parse_html(html), source)
    if element is None:
        assert text is None
    else:
        assert text is not None
        expected = visible_text(parse_html(html), source, element)
        assert (text.text, text.source_range(0, len(text.text))) == (
            expected.text,
            expected.source_range(0, len(expected.text)),
        )


@pytest.mark.parametrize(
    "html",
    [
        "<p>unclosed <b>bold <i>italic",
        "</div></p></span>stray end tags",
        "<![foo]>marked section",
        '<a href="unterminated>text',
        "<!-- unclosed comment",
        "<p>a < b && c > d</p>",
        "<table><td>cell<tr>row</table></td>",
        "<div>" * 5000 + "deep",
        "<?php echo 1 ?><!doctype><x:y/>",
        "",
        "<",
        "&",
        "<mj-text>x</mj-column></mj-text>",
    ],
)
def test_broken_html_never_raises(html: str) -> None:
    doc = parse_html(html)
    source = MappedText.identity(html)
    visible_text(doc, source)
    link_texts(doc, source)
    images(doc, source)
    find_preheader(doc)


def test_deeply_nested_text_is_still_found() -> None:
    assert text_of("<div>" * 5000 + "deep") == "deep"


def test_text_scanner_matches_its_plain_alternatives() -> None:
    # _text_irregular() is written for speed; it must find what the readable pattern finds.
    import random
    import re

    from msglint.markup.html import _text_irregular

    zero = "\\u200b\\u200c\\u200d\\u2060\\ufeff"
    plain = re.compile(
        rf"(?P<space>[^\S{zero}]{{2,}}|[^\S {zero}])"
        rf"|(?P<invisible>[{zero}\u034f\u00ad]+)"
        r"|(?P<ref>&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{0,31};?))"
    )
    pieces = [" ", "  ", "\n", "\t", "\r\n", "\xa0", "\u2003", "\u3000", "\u200b", "\u200c",
              "\ufeff", "\u034f", "\u00ad", "&", "&amp;", "&#12;", "&#x1F;", "&nbsp", "&#",
              "&x", "&#xZ", "#", ";", "a", "b", "x1"]  # fmt: skip
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        found = [(m.span(), m.lastgroup) for m in _text_irregular().finditer(text, start, end)]
        assert found == [(m.span(), m.lastgroup) for m in plain.finditer(text, start, end)]


def _same_as_separate_walks(html: str) -> None:
    # build_email takes all three from one walk; each must equal its own walk.
    source = MappedText.identity(html, offset=7)
    doc = parse_html(html)
    text, links, found = document_content(doc, source)
    alone = visible_text(doc, source)
    assert (text.text, text.chunks) == (alone.text, alone.chunks)
    expected = link_texts(doc, source)
    assert [
        (lk.href, lk.text.text, lk.text.chunks, lk.start, lk.end, lk.tag, lk.has_image)
        for lk in links
    ] == [
        (lk.href, lk.text.text, lk.text.chunks, lk.start, lk.end, lk.tag, lk.has_image)
        for lk in expected
    ]
    assert found == images(doc, source)


@pytest.mark.parametrize(
    "html",
    [
        '<p>x <a href="u"> <b>a</b>  b </a> y</p>',
        "<a href=u>&amp; x</a>",
        "a<br><a href=u><br>b</a>",
        "<div>x</div><a href=1><div> y </div></a><a href=2></a>",
        "<a href=1>a<a href=2>b</a>c</a>",
        "<p>t<a href=1>&#8203;&nbsp;q&zz;</a>",
        '<a href=1 style="display:none">hidden</a><a href=2><img src=i alt="Logo"></a>',
        '<mjml><mj-body><mj-button href="x">Go  now</mj-button>'
        '<mj-image href="y" src=s alt=a /></mj-body></mjml>',
    ],
)
def test_one_walk_gives_what_the_separate_walks_give(html: str) -> None:
    _same_as_separate_walks(html)


_PIECES = st.sampled_from(
    [
        "<a href=u>",
        "</a>",
        "<p>",
        "</p>",
        "<br>",
        "<div>",
        "</div>",
        "<img src=s alt=x>",
        '<span style="display:none">',
        "</span>",
        "<style>p{}</style>",
        "<!-- c -->",
        "&nbsp;",
        " ",
        "\n",
        "Text",
        "mehr",
        ".",
        "<b>",
        "</b>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_one_walk_matches_separate_walks_on_any_markup(html: str) -> None:
    _same_as_separate_walks(html)


def test_stray_less_than_signs_split_text_after_the_first() -> None:
    doc = parse_html("a < b < c <p>x < y</p>< z <")
    spans = [(c.start, c.end) for c in doc.root.children if isinstance(c, TextNode)]
    assert spans == [(0, 6), (6, 10), (22, 26), (26, 27)]
    p = doc.find("p")
    assert p is not None
    assert [(c.start, c.end) for c in p.children if isinstance(c, TextNode)] == [(13, 18)]


def _tree(doc_root: Element) -> list[object]:
    out: list[object] = []
    stack: list[Element | TextNode] = [doc_root]
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            out.append((node.start, node.end))
            continue
        out.append((node.tag, node.start, node.content_end, node.close_end, len(node.children)))
        stack.extend(reversed(node.children))
    return out


_BLOCK_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<div>", "</div>", "<table>", "</table>", "<tr>", "<td>", "</td>",
        "<th>", "<tbody>", "<li>", "</li>", "<ul>", "</ul>", "<dl>", "<dt>", "<dd>", "<h1>",
        "</h1>", "<button>", "</button>", "<mj-text>", "</mj-text>", "<b>", "</b>", "</br>",
        "<P class=x>", "<br/>", "<select>", "<option>", "x", " < ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_BLOCK_PIECES, max_size=30).map("".join))
def test_implied_end_tags_skip_only_scans_that_close_nothing(html: str) -> None:
    # The parser counts open <p> elements and looks at the innermost element to skip the
    # implied-end-tag scan of the open elements: the count stays right, and the tree is the
    # one a scan for every start tag gives.
    builder = _TreeBuilder(html)
    builder.feed()
    assert builder._open_p == sum(el.tag == "p" for el in builder._stack[1:])
    stops = html_module._IMPLIED_STOPS
    try:
        html_module._IMPLIED_STOPS = {tag: frozenset() for tag in html_module._CLOSE_RULES}
        always_scanned = parse_html(html)
    finally:
        html_module._IMPLIED_STOPS = stops
    assert _tree(parse_html(html).root) == _tree(always_scanned.root)


def test_isspace_is_what_a_whitespace_regex_matches() -> None:
    # The text walk tests text nodes with str.isspace instead of fullmatch of \s+.
    space = re.compile(r"\s+")
    for code in range(0x110000):
        ch = chr(code)
        assert ch.isspace() == (space.fullmatch(ch) is not None), hex(code)
    assert not "".isspace()
