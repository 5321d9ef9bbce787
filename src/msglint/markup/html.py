"""HTML parsed once into a light tree that remembers source offsets.

The stdlib tokenizer (:mod:`html.parser`) is tolerant of broken markup; we turn its line/column
positions into offsets and build a small tree with the implied end tags that e-mail HTML relies
on (``<p>``, ``<li>``, ``<td>``). MJML sources parse into the same tree (``mj-*`` elements), so
visible text, links and images come out of either with exact positions.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from weakref import ReferenceType, ref

from msglint.lazy import lazy_pattern
from msglint.mapping import MappedText, MappedTextBuilder
from msglint.model import FACTORY_DEFAULT, dataclass_repr

VOID_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
        # MJML components that never have content (often written without "/>").
        "mj-image", "mj-divider", "mj-spacer", "mj-carousel-image", "mj-breakpoint", "mj-font",
        "mj-include", "mj-all", "mj-class",
    }
)  # fmt: skip

# Elements whose content the reader never sees.
SKIP_TAGS = frozenset(
    {
        "head", "style", "script", "template", "title", "xml", "mj-head", "mj-style",
        "mj-attributes", "mj-title", "mj-preview", "mj-breakpoint", "mj-font",
        "mj-html-attributes", "mj-include",
    }
)  # fmt: skip

# Elements that start a new paragraph / a new line in the visible text.
PARAGRAPH_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote", "pre",
        "section", "article", "header", "footer", "hr", "mj-section", "mj-wrapper", "mj-hero",
        "mj-text", "mj-button", "mj-table", "mj-social", "mj-navbar", "mj-accordion-element",
        "mj-divider", "mj-image",
    }
)  # fmt: skip
LINE_TAGS = frozenset(
    {
        "div", "li", "tr", "td", "th", "dt", "dd", "caption", "address", "figure", "figcaption",
        "center", "form", "nav", "main", "aside", "body", "html", "option", "tbody", "thead",
        "tfoot", "mj-column", "mj-group", "mj-navbar-link", "mj-social-element",
        "mj-accordion-title", "mj-accordion-text", "mj-raw", "mj-body",
    }
)  # fmt: skip

# Start tags that close an open element of another tag: tag -> (closed tags, scope boundaries).
_TABLE_SCOPE = frozenset({"table", "html", "template"})
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu", "td", "th"}) | _TABLE_SCOPE),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "td", "th"}) | _TABLE_SCOPE),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "td", "th"}) | _TABLE_SCOPE),
    "td": (frozenset({"td", "th"}), frozenset({"tr"}) | _TABLE_SCOPE),
    "th": (frozenset({"td", "th"}), frozenset({"tr"}) | _TABLE_SCOPE),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"tbody", "thead", "tfoot"}) | _TABLE_SCOPE),
    "tbody": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), _TABLE_SCOPE),
    "thead": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), _TABLE_SCOPE),
    "tfoot": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), _TABLE_SCOPE),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
}
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "div", "dl", "fieldset",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "dd", "dt", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
    }
)  # fmt: skip
_P_RULE = (
    frozenset({"p"}),
    frozenset({"button", "table", "td", "th", "caption", "html", "template", "object"}),
)

# Per start tag with an _IMPLIED rule, the innermost open tags that end that rule's scan
# without closing anything (its scope boundaries; no rule's closed tags are among them).
_IMPLIED_STOPS = {tag: boundary for tag, (_closes, boundary) in _IMPLIED.items()}

# Per start tag, the rules above that apply to it (looked up once per start tag).
_CLOSE_RULES: dict[str, tuple[tuple[frozenset[str], frozenset[str]], ...]] = {
    tag: ((_IMPLIED[tag],) if tag in _IMPLIED else ()) + ((_P_RULE,) if tag in _CLOSES_P else ())
    for tag in _IMPLIED.keys() | _CLOSES_P
}

# Line breaks around an element's content: 2 for paragraph tags, 1 for line tags.
_BREAKS = {tag: 1 for tag in LINE_TAGS} | {tag: 2 for tag in PARAGRAPH_TAGS}

LINK_TAGS = frozenset({"a", "mj-button", "mj-navbar-link", "mj-social-element", "mj-image",
                       "mj-carousel-image"})  # fmt: skip
IMAGE_TAGS = frozenset({"img", "mj-image", "mj-carousel-image"})
_LINK_OR_IMAGE_TAGS = LINK_TAGS | IMAGE_TAGS

_PREHEADER_CLASS = re.compile(r"pre-?header|preview-?text|^preview$|^hidden-?preview")
_MAX_ZERO = r"\s*:\s*0(?:px|em|rem|%)?\s*(?:!important\s*)?(?:;|$)"


_hidden_style = lazy_pattern(
    r"(?:^|;)\s*(?:display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden"
    rf"|opacity{_MAX_ZERO})",
    re.IGNORECASE,
)


_MAX_HEIGHT_ZERO = re.compile(rf"(?:^|;)\s*max-height{_MAX_ZERO}", re.IGNORECASE)
_OVERFLOW_HIDDEN = re.compile(r"(?:^|;)\s*overflow\s*:\s*hidden", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_CSS_CLASS_SELECTOR = re.compile(r"^[a-zA-Z0-9]*\.([\w-]+)$")
_CSS_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad")


# Whitespace that collapses (runs, or anything but a single plain space), invisible characters
# (dropped) and character references. Runs of words separated by single spaces are copied in
# one piece: most of visible_text's time used to go into per-word work.
# Written as one leading character class, each alternative checking that character with a
# lookbehind: the regex engine skips to the next candidate character in C, where alternatives
# of groups are tried at every position (~3x the instructions). The same matches as (a test
# checks it):
# (?P<space>[^\S\u200b\u200c\u200d\u2060\ufeff]{2,}|[^\S \u200b\u200c\u200d\u2060\ufeff])
# |(?P<invisible>[\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad]+)
# |(?P<ref>&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{0,31};?))
_text_irregular = lazy_pattern(
    r"[\s\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad&]"
    r"(?:(?P<space>(?<=[^\S \u200b\u200c\u200d\u2060\ufeff])"
    r"[^\S\u200b\u200c\u200d\u2060\ufeff]*"
    r"|(?<= )[^\S\u200b\u200c\u200d\u2060\ufeff]+)"
    r"|(?P<invisible>(?<=[\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad])"
    r"[\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad]*)"
    r"|(?P<ref>(?<=&)(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{0,31};?)))"
)


@dataclass(eq=False, slots=True, init=False, repr=False)  # methods: see msglint.model
class TextNode:
    """Raw character data at ``document.text[start:end]`` (entities not decoded).

    No parent: nothing asks a text node for it, and a reference up would make every node a
    reference cycle with its parent's children list (freed only by the garbage collector).
    """

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end

    __repr__ = dataclass_repr


@dataclass(eq=False, slots=True, init=False, repr=False, weakref_slot=True)  # see msglint.model
class Element:
    """An element; ``start``/``end`` is its start tag in the parsed text.

    The parent is held by a weak reference: with a strong one every element would be a
    reference cycle with its parent's children list, and a parsed e-mail would be freed only
    by the garbage collector (it was most of a run's cyclic garbage). The tree is kept alive
    from the root down (by its ``HtmlDocument``).
    """

    tag: str
    attrs: dict[str, str]  # names lower-case, values decoded; a bare attribute has ""
    start: int
    end: int
    parent_ref: ReferenceType[Element] | None = None
    children: list[Element | TextNode] = field(default_factory=list)
    content_end: int = -1  # where the content ends: the end tag, or where it was implied
    close_end: int = -1  # after the end tag (== content_end when there is none)
    self_closing: bool = False

    def __init__(
        self,
        tag: str,
        attrs: dict[str, str],
        start: int,
        end: int,
        parent_ref: ReferenceType[Element] | None = None,
        children: list[Element | TextNode] = FACTORY_DEFAULT,
        content_end: int = -1,
        close_end: int = -1,
        self_closing: bool = False,
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.end = end
        self.parent_ref = parent_ref
        self.children = [] if children is FACTORY_DEFAULT else children
        self.content_end = content_end
        self.close_end = close_end
        self.self_closing = self_closing

    def __repr__(self) -> str:
        return f"<Element {self.tag} at {self.start}>"

    @property
    def parent(self) -> Element | None:
        weak = self.parent_ref
        return weak() if weak is not None else None

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self) -> Iterator[Element]:
        """Descendant elements in document order."""
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, Element):
                yield node
                stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[Element]:
        weak = self.parent_ref
        while weak is not None:
            node = weak()
            if node is None:
                return
            yield node
            weak = node.parent_ref


class Comment(NamedTuple):
    start: int
    end: int
    data: str


class Link(NamedTuple):
    """A link as the reader sees it; ``start``/``end`` is its tag in the *source* text."""

    href: str
    text: MappedText  # visible link text, mapped like the ``source`` it was extracted with
    start: int
    end: int
    tag: str = "a"
    has_image: bool = False  # the link wraps an image (its text may be the image's alt)


class Image(NamedTuple):
    """An image; ``start``/``end`` is its tag in the *source* text."""

    src: str
    alt: str | None  # None: no alt attribute at all
    start: int
    end: int
    tag: str = "img"


class HtmlDocument:
    """A parsed HTML (or MJML) text: the element tree plus lookups."""

    def __init__(
        self, text: str, root: Element, elements: list[Element], comments: list[Comment]
    ) -> None:
        self.text = text
        self.root = root
        self.elements = elements  # document order
        self.comments = comments
        self._by_tag: dict[str, list[Element]] = {}
        for el in elements:
            self._by_tag.setdefault(el.tag, []).append(el)
        self._hidden_classes: frozenset[str] | None = None
        # is_hidden per element: the text, links and images walks each ask for most elements.
        self._hidden: dict[Element, bool] = {}
        self._shown: list[Element] | None = None

    def find_all(self, tag: str) -> list[Element]:
        return self._by_tag.get(tag, [])

    def find(self, tag: str) -> Element | None:
        found = self._by_tag.get(tag)
        return found[0] if found else None

    @property
    def lang(self) -> str | None:
        """The ``lang`` attribute of ``<html>`` (or ``<mjml>``), if set."""
        el = self.find("html") or self.find("mjml")
        value = (el.get("lang") or "").strip() if el is not None else ""
        return value or None

    @property
    def body(self) -> Element:
        return self.find("body") or self.find("mj-body") or self.root

    def raw(self, node: Element | TextNode) -> str:
        """The source of a text node, or of an element's start tag."""
        return self.text[node.start : node.end]

    def attribute_span(self, el: Element, name: str) -> tuple[int, int]:
        """Where ``name="value"`` is written in the start tag (the whole tag if not found)."""
        tag_text = self.text[el.start : el.end]
        pattern = rf"(?<=[\s\"'/]){re.escape(name)}(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?"
        match = re.search(pattern, tag_text, re.IGNORECASE)
        if match is None:
            return el.start, el.end
        return el.start + match.start(), el.start + match.end()

    @property
    def hidden_classes(self) -> frozenset[str]:
        """Classes that top-level CSS rules in ``<style>`` hide with ``display: none``."""
        if self._hidden_classes is None:
            self._hidden_classes = _hidden_classes(self)
        return self._hidden_classes

    def is_hidden(self, el: Element) -> bool:
        """Hidden by attribute, inline style, a hiding CSS class or a preheader class name."""
        if not el.attrs:
            return False
        hidden = self._hidden.get(el)
        if hidden is None:
            hidden = self._hidden[el] = self._hides(el)
        return hidden

    def _hides(self, el: Element) -> bool:
        attrs = el.attrs
        if "hidden" in attrs or (el.tag == "input" and attrs.get("type") == "hidden"):
            return True
        style = attrs.get("style")
        if style and _style_hides(style):
            return True
        classes = attrs.get("class")
        if classes:
            hidden = self.hidden_classes
            for name in classes.lower().split():
                if name in hidden or _preheader_class(name):
                    return True
        return False


@lru_cache(maxsize=1024)
def _preheader_class(name: str) -> bool:
    """Memoised: e-mails repeat a few class names on many elements."""
    return _PREHEADER_CLASS.search(name) is not None


@lru_cache(maxsize=4096)
def _style_hides(style: str) -> bool:
    """Memoised: e-mails repeat a few inline styles on many elements (each search scans it all)."""
    return bool(
        _hidden_style().search(style)
        or (_MAX_HEIGHT_ZERO.search(style) and _OVERFLOW_HIDDEN.search(style))
    )


# One token at a time: comments, declarations, processing instructions, end and start tags.
# A regex scanner instead of html.parser: ~4x faster, and it gives offsets directly. Comments
# and attributes are written as runs of plain characters (no per-character alternation).
_MARKUP = r"""<!--(?P<comment>[^-]*(?:-(?!->)[^-]*)*)(?:-->|\Z)
    |<!\[CDATA\[.*?(?:\]\]>|\Z)
    |<![^>]*(?:>|\Z)
    |<\?[^>]*(?:>|\Z)
    |</(?P<end>[a-zA-Z][^\t\n\r\f />\x00]*)[^>]*(?:>|\Z)
    |<(?P<start>[a-zA-Z][^\t\n\r\f />\x00]*)(?P<attrs>[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>
    |<"""


_markup = lazy_pattern(_MARKUP, re.DOTALL | re.VERBOSE)


_attribute = lazy_pattern(
    r"""(?P<name>[^\s"'<>/=][^\s"'<>/=]*)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+)))?"""
)


# Elements whose content is text up to their own end tag (as browsers and html.parser read it).
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")}


@lru_cache(maxsize=4096)
def _attributes(raw: str) -> tuple[dict[str, str], bool]:
    """The attributes of a start tag and whether it is self-closing (ends with "/").

    Names lower-case, values decoded ("" for a bare attribute); the first duplicate wins.
    Memoised: a repository's templates share their layout's tags. Callers copy the dict.
    """
    values: dict[str, str] = {}
    # findall: unmatched value groups are "" here, and so is a bare attribute's value.
    for name, dq, sq, bare in _attribute().findall(raw):
        value = dq or sq or bare
        if "&" in value:
            value = html.unescape(value)
        values.setdefault(name.lower(), value)
    return values, raw.rstrip().endswith("/")


class _TreeBuilder:
    def __init__(self, text: str) -> None:
        self._text = text
        self.root = Element("#document", {}, 0, 0, content_end=len(text), close_end=len(text))
        self._stack: list[Element] = [self.root]
        self.elements: list[Element] = []
        self.comments: list[Comment] = []
        # How many <p> elements are open (on the stack): with none, the implied end tags of
        # block start tags close nothing, without a scan of the stack.
        self._open_p = 0

    def feed(self) -> None:
        text = self._text
        n = len(text)
        pos = 0
        while pos < n:
            pos = self._feed_from(pos)
        # A raw-text element's content runs to the end of the text: pos == n.

    def _feed_from(self, pos: int) -> int:
        """Tokens from ``pos`` on; returns where a raw-text element's content ends (or the end).

        One finditer over the text: the stray "<" alternative makes every "<" a token, so
        the text between tokens is found without a str.find per token.
        """
        text = self._text
        stack = self._stack
        elements = self.elements
        n = len(text)
        attributes = _attributes  # memoised: each element gets its own copy
        close_rules = _CLOSE_RULES
        implied_stops = _IMPLIED_STOPS
        stray = False  # a stray "<" since the last token: the next one starts a text node
        for m in _markup().finditer(text, pos):
            lt, token_end = m.span()
            if token_end - lt == 1:
                # A "<" that starts no markup is text. The text after a token splits at each
                # such "<" but the first (as the parser has always split it).
                if stray:
                    stack[-1].children.append(TextNode(pos, lt))
                    pos = lt
                stray = True
                continue
            stray = False
            if lt > pos:
                stack[-1].children.append(TextNode(pos, lt))
            pos = token_end
            comment, end_tag, tag, attrs_raw = m.groups()
            if tag is not None:
                # _start, inlined: this is the parser's busiest path.
                if attrs_raw:
                    attrs, closed = attributes(attrs_raw)
                    attrs = attrs.copy()
                else:
                    attrs = {}
                    closed = False
                tag = tag.lower()
                if tag in close_rules:
                    # Implied end tags, unless they surely close nothing: no <p> is open (for
                    # the <p> rule) and the innermost element bounds the other rule's scan.
                    stops = implied_stops.get(tag)
                    if (self._open_p and tag in _CLOSES_P) or (
                        stops is not None and stack[-1].tag not in stops
                    ):
                        self._close_implied(tag, lt)
                parent = stack[-1]
                if closed or tag in VOID_TAGS:
                    el = Element(tag, attrs, lt, pos, ref(parent), [], pos, pos, closed)
                else:
                    el = Element(tag, attrs, lt, pos, ref(parent), [], -1, -1, False)
                    stack.append(el)
                    if tag == "p":
                        self._open_p += 1
                parent.children.append(el)
                elements.append(el)
                if tag in _RAW_TEXT_END and not closed:
                    close = _RAW_TEXT_END[tag].search(text, pos)
                    content_end = close.start() if close else n
                    self._data(pos, content_end)
                    return content_end
                continue
            if end_tag is not None:
                end_tag = end_tag.lower()
                top = stack[-1]
                if top.tag == end_tag and len(stack) > 1:
                    # Closes the innermost element, as most end tags do: _end, inlined.
                    top.content_end = lt
                    top.close_end = pos
                    stack.pop()
                    if end_tag == "p":
                        self._open_p -= 1
                else:
                    self._end(end_tag, lt, pos)
                continue
            if comment is not None:
                self.comments.append(Comment(lt, pos, comment))
            # Declarations (<!doctype>, <![endif]>), CDATA and processing instructions: skipped.
        self._data(pos, n)
        return n

    def _data(self, start: int, end: int) -> None:
        if end > start:
            self._stack[-1].children.append(TextNode(start, end))

    def finish(self) -> None:
        for el in self._stack[1:]:
            el.content_end = el.close_end = len(self._text)

    def _start(self, tag: str, attrs: dict[str, str], pos: int, end: int, *, closed: bool) -> None:
        if tag in _CLOSE_RULES:
            self._close_implied(tag, pos)
        parent = self._stack[-1]
        el = Element(tag, attrs, pos, end, ref(parent), self_closing=closed)
        parent.children.append(el)
        self.elements.append(el)
        if closed or tag in VOID_TAGS:
            el.content_end = el.close_end = end
        else:
            self._stack.append(el)
            if tag == "p":
                self._open_p += 1

    def _close_implied(self, tag: str, pos: int) -> None:
        stack = self._stack
        for closes, boundary in _CLOSE_RULES[tag]:
            for i in range(len(stack) - 1, 0, -1):
                open_tag = stack[i].tag
                if open_tag in closes:
                    self._pop_from(i, pos, pos)
                    break
                if open_tag in boundary or open_tag.startswith("mj"):
                    break

    def _pop_from(self, index: int, pos: int, end: int) -> None:
        for el in self._stack[index + 1 :]:
            el.content_end = el.close_end = pos
        if self._open_p:
            self._open_p -= sum(el.tag == "p" for el in self._stack[index:])
        self._stack[index].content_end = pos
        self._stack[index].close_end = end
        del self._stack[index:]

    def _end(self, tag: str, pos: int, end: int) -> None:
        if tag == "br":  # browsers read </br> as <br>
            self._start("br", {}, pos, end, closed=True)
            return
        mjml_tag = tag.startswith("mj")
        stack = self._stack
        for i in range(len(stack) - 1, 0, -1):
            open_tag = stack[i].tag
            if open_tag == tag:
                self._pop_from(i, pos, end)
                return
            # An HTML end tag inside an MJML component never closes the component.
            if not mjml_tag and open_tag.startswith("mj"):
                return
        # A stray end tag is ignored, as browsers do.


def parse_html(text: str) -> HtmlDocument:
    """Parse HTML (or an MJML source) into a tree with offsets; never raises on bad markup."""
    builder = _TreeBuilder(text)
    with contextlib.suppress(RecursionError):  # keep what was parsed
        builder.feed()
    builder.finish()
    return HtmlDocument(text, builder.root, builder.elements, builder.comments)


def _hidden_classes(doc: HtmlDocument) -> frozenset[str]:
    hidden: set[str] = set()
    for tag in ("style", "mj-style"):
        for el in doc.find_all(tag):
            css = "".join(doc.raw(c) for c in el.children if isinstance(c, TextNode))
            hidden.update(_css_hidden_classes(css))
    return frozenset(hidden)


@lru_cache(maxsize=256)
def _css_hidden_classes(css: str) -> frozenset[str]:
    """Classes that top-level rules of one style sheet hide (cached like _top_level_css)."""
    hidden: set[str] = set()
    for selectors, body in _CSS_RULE.findall(_top_level_css(css)):
        if not _CSS_DISPLAY_NONE.search(body):
            continue
        for selector in selectors.split(","):
            match = _CSS_CLASS_SELECTOR.match(selector.strip())
            if match:
                hidden.add(match.group(1).lower())
    return frozenset(hidden)


_CSS_STRUCTURE = re.compile(r"[@{};]")


@lru_cache(maxsize=256)
def _top_level_css(css: str) -> str:
    """CSS without comments and without the rules nested in ``@media``/``@supports`` blocks.

    Cached: the templates of one repository share their layout's CSS.
    """
    css = _CSS_COMMENT.sub("", css)
    out: list[str] = []
    depth = 0
    at_block_depth: list[int] = []
    copied_to = 0  # css[copied_to:pos] is pending top-level text
    skip_to = -1
    for m in _CSS_STRUCTURE.finditer(css):
        i = m.start()
        if i < skip_to:
            continue
        ch = m.group()
        if ch == "@" and depth == 0:
            if not at_block_depth:
                out.append(css[copied_to:i])
            brace = css.find("{", i)
            semi = css.find(";", i)
            if semi != -1 and (brace == -1 or semi < brace):
                skip_to = copied_to = semi + 1  # @import ...;
                continue
            if brace == -1:
                return "".join(out)
            at_block_depth.append(depth)
            depth += 1
            skip_to = copied_to = brace + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if at_block_depth and depth == at_block_depth[-1]:
                at_block_depth.pop()
                copied_to = i + 1
                continue
    if not at_block_depth:
        out.append(css[copied_to:])
    return "".join(out)


class _TextCollector:
    """Collects visible text, collapsing whitespace and adding line and paragraph breaks."""

    def __init__(self, doc: HtmlDocument) -> None:
        self.doc = doc
        self.builder = MappedTextBuilder()
        self.started = False
        self.breaks = 0
        self.break_src = (0, 0)
        self.space: tuple[int, int] | None = None

    def request_break(self, count: int, start: int, end: int) -> None:
        if not self.started:
            return
        if count > self.breaks or (self.breaks and self.break_src[0] == self.break_src[1]):
            # An implied end tag has no text of its own: map the break to the next tag then.
            self.breaks = max(self.breaks, min(count, 2))
            self.break_src = (start, end)
        self.space = None

    def request_br(self, start: int, end: int) -> None:
        if self.started:
            self.breaks = min(self.breaks + 1, 2)
            self.break_src = (start, end)
            self.space = None

    def _separate(self) -> None:
        if self.started:
            if self.breaks:
                self.builder.generated("\n" * self.breaks, *self.break_src)
            elif self.space is not None:
                start, end = self.space
                if end - start == 1 and self.doc.text[start] == " ":
                    self.builder.literal(" ", start)
                else:
                    self.builder.generated(" ", start, end)
        self.breaks = 0
        self.space = None
        self.started = True

    def _space_at(self, start: int, end: int) -> None:
        if self.started and not self.breaks and self.space is None:
            self.space = (start, end)

    def add_text(self, start: int, end: int) -> None:
        text = self.doc.text
        if text[start:end].isspace():  # as fullmatch of \s+ does, for less than a regex call
            if self.started and not self.breaks and self.space is None:  # _space_at, inlined
                self.space = (start, end)
            return
        # _words, _separate and _space_at inlined on local state: a text node costs a few
        # method calls per run of words otherwise, and visible text is made for every part.
        builder = self.builder
        literal = builder.literal
        started = self.started
        breaks = self.breaks
        space = self.space
        pos = start
        for match in [*_text_irregular().finditer(text, start, end), None]:
            m_start = end if match is None else match.start()
            if m_start > pos:
                # Words separated by single spaces: one literal piece (edge spaces may collapse).
                w_start = pos
                w_end = m_start
                if text[w_start] == " ":
                    if started and not breaks and space is None:
                        space = (w_start, w_start + 1)
                    w_start += 1
                trailing = w_end > w_start and text[w_end - 1] == " "
                if trailing:
                    w_end -= 1
                if w_end > w_start:
                    if started:
                        if breaks:
                            builder.generated("\n" * breaks, *self.break_src)
                        elif space is not None:
                            s_start, s_end = space
                            if s_end - s_start == 1 and text[s_start] == " ":
                                literal(" ", s_start)
                            else:
                                builder.generated(" ", s_start, s_end)
                    breaks = 0
                    space = None
                    started = True
                    literal(text[w_start:w_end], w_start)
                if trailing and started and not breaks and space is None:
                    space = (w_end, w_end + 1)
            if match is None:
                break
            pos = match.end()
            kind = match.lastgroup
            if kind == "space":
                if started and not breaks and space is None:
                    space = (m_start, pos)
            elif kind == "ref":
                self.started = started
                self.breaks = breaks
                self.space = space
                self._add_ref(match.group(), m_start, pos)
                started = self.started
                breaks = self.breaks
                space = self.space
        self.started = started
        self.breaks = breaks
        self.space = space

    def _add_ref(self, ref: str, start: int, end: int) -> None:
        decoded = html.unescape(ref)
        if decoded == ref:  # not a known reference: the text stays as written
            self._separate()
            self.builder.literal(ref, start)
        elif all(ch in _INVISIBLE for ch in decoded):
            return
        elif all(ch.isspace() or ch in _INVISIBLE for ch in decoded):
            self._space_at(start, end)  # &nbsp; spacers read as spaces
        else:
            self._separate()
            self.builder.generated(decoded, start, end)


class _LinkSpan:
    """A link met by the text walk: its content is the builder's pieces ``[start:end]``."""

    __slots__ = ("element", "end", "start")

    def __init__(self, element: Element, start: int) -> None:
        self.element = element
        self.start = start
        self.end = start


def _collect(
    doc: HtmlDocument,
    root: Element,
    links: list[_LinkSpan] | None = None,
    images: list[Element] | None = None,
) -> _TextCollector:
    """The visible text of ``root``'s content; with ``links`` and ``images`` (both or none),
    also the shown links and images, in document order."""
    collector = _TextCollector(doc)
    pieces = collector.builder.pieces
    add_text = collector.add_text
    request_break = collector.request_break
    text = doc.text
    # is_hidden, inlined (its memo and its test): the walk asks for most elements.
    hidden_memo = doc._hidden
    hides = doc._hides
    # Iterative walk: broken HTML can nest deeper than Python's recursion limit. A tuple on
    # the stack is the break after a block element's content: (count, start, end).
    stack: list[Element | TextNode | tuple[int, int, int] | _LinkSpan] = list(
        reversed(root.children)
    )
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            start = node.start
            end = node.end
            # isspace of the slice: what fullmatch of \s+ tells, for less than a regex call.
            if text[start:end].isspace():
                # Indentation between tags, mostly: add_text's first case, inlined.
                if collector.started and not collector.breaks and collector.space is None:
                    collector.space = (start, end)
            else:
                add_text(start, end)
            continue
        if isinstance(node, tuple):
            if collector.started:  # request_break, inlined (a count is 1 or 2 here)
                count = node[0]
                have = collector.breaks
                if count > have:
                    collector.breaks = count
                    collector.break_src = node[1:]
                elif have and collector.break_src[0] == collector.break_src[1]:
                    collector.break_src = node[1:]
                collector.space = None
            continue
        if isinstance(node, _LinkSpan):
            node.end = pieces()
            continue
        tag = node.tag
        if tag in SKIP_TAGS:
            continue
        if node.attrs:
            hidden = hidden_memo.get(node)
            if hidden is None:
                hidden = hidden_memo[node] = hides(node)
            if hidden:
                continue
        if tag == "br":
            collector.request_br(node.start, node.end)
            continue
        breaks = _BREAKS.get(tag)
        if breaks:
            if collector.started:
                request_break(breaks, node.start, node.end)
            stack.append((breaks, node.content_end, node.close_end))
        if links is not None and images is not None and tag in _LINK_OR_IMAGE_TAGS:
            if tag in IMAGE_TAGS:
                images.append(node)
            if tag in LINK_TAGS and "href" in node.attrs:
                span = _LinkSpan(node, pieces())
                links.append(span)
                stack.append(span)  # popped after the content: the end of the link's pieces
        stack.extend(reversed(node.children))
    return collector


def visible_text(doc: HtmlDocument, source: MappedText, root: Element | None = None) -> MappedText:
    """The text a reader sees, mapped like ``source`` (whose text ``doc`` was parsed from).

    Skips ``<head>``, styles, scripts, comments and hidden elements (the hidden preheader too);
    decodes entities; collapses whitespace; block elements become line or paragraph breaks.
    With ``root``, only that element's content (even if the element itself is hidden).
    """
    collector = _collect(doc, root if root is not None else doc.root)
    return collector.builder.build().compose(source)


# What the text walk puts between two pieces of text (a piece never is only whitespace).
_SEPARATORS = frozenset({" ", "\n", "\n\n"})


def document_content(
    doc: HtmlDocument, source: MappedText
) -> tuple[MappedText, list[Link], list[Image]]:
    """``visible_text``, ``link_texts`` and ``images`` of the whole document, from one walk.

    A link's text is the pieces the walk added inside the link, less the separator from the
    text before it: after its first piece a walk of the link alone makes the same pieces.
    """
    spans: list[_LinkSpan] = []
    elements: list[Element] = []
    builder = _collect(doc, doc.root, spans, elements).builder
    links: list[Link] = []
    for span in spans:
        el = span.element
        first = span.start
        if first < span.end and builder.piece(first) in _SEPARATORS:
            first += 1
        start, end = source.source_range(el.start, el.end)
        has_image = el.tag in IMAGE_TAGS or any(d.tag in IMAGE_TAGS for d in el.iter())
        text = builder.build_pieces(first, span.end).compose(source)
        links.append(Link(el.attrs["href"], text, start, end, el.tag, has_image))
    found: list[Image] = []
    for el in elements:
        start, end = source.source_range(el.start, el.end)
        found.append(Image(el.attrs.get("src", ""), el.attrs.get("alt"), start, end, el.tag))
    return builder.build().compose(source), links, found


def _shown_elements(doc: HtmlDocument, root: Element) -> Iterator[Element]:
    """Elements outside skipped and hidden subtrees, in document order."""
    stack = [c for c in reversed(root.children) if isinstance(c, Element)]
    while stack:
        el = stack.pop()
        if el.tag in SKIP_TAGS or doc.is_hidden(el):
            continue
        yield el
        stack += [c for c in reversed(el.children) if isinstance(c, Element)]


def _shown_in_document(doc: HtmlDocument) -> list[Element]:
    # Links and images are both looked for in every e-mail: one walk for the two.
    if doc._shown is None:
        doc._shown = list(_shown_elements(doc, doc.root))
    return doc._shown


def link_texts(doc: HtmlDocument, source: MappedText) -> list[Link]:
    """Visible links (``<a href>``, ``mj-button``, ``mj-image href`` ...) with their text."""
    links: list[Link] = []
    for el in _shown_in_document(doc):
        if el.tag not in LINK_TAGS or "href" not in el.attrs:
            continue
        start, end = source.source_range(el.start, el.end)
        has_image = el.tag in IMAGE_TAGS or any(d.tag in IMAGE_TAGS for d in el.iter())
        links.append(
            Link(el.attrs["href"], visible_text(doc, source, el), start, end, el.tag, has_image)
        )
    return links


def images(doc: HtmlDocument, source: MappedText) -> list[Image]:
    """Visible images (``<img>``, ``mj-image``, ``mj-carousel-image``)."""
    found: list[Image] = []
    for el in _shown_in_document(doc):
        if el.tag in IMAGE_TAGS:
            start, end = source.source_range(el.start, el.end)
            found.append(Image(el.attrs.get("src", ""), el.attrs.get("alt"), start, end, el.tag))
    return found


def find_preheader(doc: HtmlDocument) -> Element | None:
    """The hidden preheader: a hidden element with text before any visible text of the body."""
    found = _find_preheader(doc)
    return found[0] if found is not None else None


def preheader_text(doc: HtmlDocument, source: MappedText) -> MappedText | None:
    """The visible text of :func:`find_preheader`'s element (``visible_text`` of it), or None."""
    found = _find_preheader(doc)
    return found[1].builder.build().compose(source) if found is not None else None


def _find_preheader(doc: HtmlDocument) -> tuple[Element, _TextCollector] | None:
    # With the walk of the preheader's text, which tells whether it has any: its text is
    # wanted next, without a second walk.
    stack: list[Element | TextNode] = list(reversed(doc.body.children))
    text = doc.text
    while stack:
        node = stack.pop()
        if isinstance(node, TextNode):
            chunk = text[node.start : node.end]
            if chunk.strip() and html.unescape(chunk).strip(" \t\r\n\f\xa0" + "".join(_INVISIBLE)):
                return None  # visible text comes first: there is no preheader
            continue
        if node.tag in SKIP_TAGS:
            continue
        if doc.is_hidden(node):
            collector = _collect(doc, node)
            if collector.started:
                return node, collector
            continue
        if node.tag in IMAGE_TAGS and node.get("alt"):
            return None  # an image with alt text is the first thing clients show
        stack.extend(reversed(node.children))
    return None
