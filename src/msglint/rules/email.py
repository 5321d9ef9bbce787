"""``email/``: subject, preheader, accessibility, links, size and unsubscribe of e-mails.

Every rule reads the HTML/MJML tree the e-mail channel parsed once (``channel_data
["document"]``, offsets in ``parts["body"].content``) and the links and images it extracted
(offsets in the template file); none parses markup again. Word lists are the ``channel-fit``
packs (``rules/<lang>/channel-fit.yaml``, ``rules/channels/channel-fit.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from msglint.lazy import lazy_pattern
from msglint.markup.html import IMAGE_TAGS, Element, HtmlDocument, Image, Link
from msglint.model import Finding, Message, Part
from msglint.rules.channel_words import (
    LanguageWords,
    all_language_words,
    language_words,
    neutral_words,
    normalise_phrase,
)
from msglint.rules.registry import RuleContext, RuleDoc, rule

_MARKUP = ("html", "mjml")
_INLINE = frozenset({"br", "a", "b", "i", "em", "strong", "span", "u", "small", "font", "sup"})


# --- shared helpers ------------------------------------------------------------------------


def _document(message: Message) -> HtmlDocument | None:
    doc = message.channel_data.get("document")
    return doc if isinstance(doc, HtmlDocument) else None


def _body(message: Message) -> Part | None:
    return message.parts.get("body")


def _links(message: Message) -> list[Link]:
    links = message.channel_data.get("links")
    return [x for x in links if isinstance(x, Link)] if isinstance(links, list) else []


def _images(message: Message) -> list[Image]:
    found = message.channel_data.get("images")
    return [x for x in found if isinstance(x, Image)] if isinstance(found, list) else []


def _element_range(message: Message, el: Element) -> tuple[int, int]:
    """File offsets of an element's start tag (the tree's offsets are in the body content)."""
    body = _body(message)
    if body is None:
        return el.start, el.end
    return body.content.source_range(el.start, el.end)


def _tag_source(message: Message, start: int, end: int) -> str:
    """The template source that produced a tag (file offsets), lower-cased."""
    return message.template.text[start:end].casefold()


_ANCHOR_TAGS = frozenset({"a"})

# The last message's maps by tags (img-alt and image-only both want the images' one). Held by
# identity with the message and its tree: another message never sees them.
_element_maps: tuple[
    Message | None, HtmlDocument | None, dict[frozenset[str], dict[int, Element]]
] = (
    None,
    None,
    {},
)


def _elements_by_file_start(
    message: Message, doc: HtmlDocument, tags: frozenset[str]
) -> dict[int, Element]:
    """Elements of ``tags`` keyed by the file offset of their start tag (to pair with links)."""
    global _element_maps
    last_message, last_doc, maps = _element_maps
    if last_message is not message or last_doc is not doc:
        maps = {}
        _element_maps = (message, doc, maps)
    found: dict[int, Element] | None = maps.get(tags)
    if found is None:
        found = maps[tags] = {}
        for el in doc.elements:
            if el.tag in tags:
                found.setdefault(_element_range(message, el)[0], el)
    return found


def _words(message: Message) -> LanguageWords:
    return language_words(message.language or "en")


def _compare_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _quote(text: str, limit: int = 60) -> str:
    words = text.split(None, limit)
    if len(words) > limit > 1:
        # The first ``limit`` words are longer than ``limit`` joined: the rest is cut anyway
        # (the whole body is quoted when an e-mail has no preheader).
        del words[limit:]
    text = " ".join(words)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _int(ctx: RuleContext, name: str) -> int:
    return int(ctx.option(name))


def _longest_part(message: Message, name: str) -> Part | None:
    """The part ``name`` of the variant where it is longest (the primary on ties)."""
    best = message.parts.get(name)
    for variant in message.variants:
        part = variant.parts.get(name)
        if part is not None and (best is None or len(part.text) > len(best.text)):
            best = part
    return best


# --- subject and preheader -----------------------------------------------------------------

_SPAM_PUNCTUATION = re.compile(r"[!?]{2,}|[!?](?:\s+[!?])+|[$€£]{2,}")
_FAKE_REPLY = re.compile(r"^\s*(?:re|fwd?|aw|wg|antw|tr)\s*:", re.IGNORECASE)


@rule(
    "email/subject",
    severity="warning",
    summary="Subject line missing, too long, in capitals, spammy or the same as the preheader",
    doc=RuleDoc(
        what=(
            "Checks the subject (front-matter `subject:`, `<title>` or `<mj-title>`): missing "
            "(when the template keeps its metadata in front matter), longer than `max_chars` "
            "with the longest sample, written in capitals, with spammy punctuation (`!!`, "
            "`?!`, `$$$`) or a fake `Re:`/`AW:` reply prefix, or identical to the preheader."
        ),
        why=(
            "The subject decides whether the customer opens the e-mail at all. Mobile inboxes "
            "show about 35-50 characters; what comes after is cut off. Capitals and `!!!` read "
            "as shouting and are classic spam-filter signals; a fake `Re:` breaks trust, and a "
            "preheader that repeats the subject wastes the second line of the preview."
        ),
        bad=(
            'subject: "WICHTIG!!! Ihre Rechnung für den Monat März ist jetzt im Kundenportal '
            'verfügbar"\n'
            'subject: "RE: YOUR INVOICE IS READY!!"'
        ),
        good='subject: "Ihre Rechnung für März ist da"\nsubject: "Your March invoice is ready"',
        fix=(
            "Put the one thing the customer must know first, keep it under the limit, write in "
            "sentence case with at most one exclamation mark, and let the preheader add "
            "something new."
        ),
        options={
            "max_chars": "Characters before a subject counts as too long (default 50).",
            "require": (
                "`auto` (default): a missing subject is reported when the template has front "
                "matter (MJML without <mj-title> is email/mjml's); `always`; `never` (subjects "
                "live in the sending code)."
            ),
        },
    ),
    options={"max_chars": 50, "require": "auto"},
    channels=("email",),
    # Capitals and "!!!" are tone/shouting's to report when both rules see them.
    defers_to=("tone/shouting",),
)
def check_subject(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    subject = message.parts.get("subject")
    if subject is None:
        require = str(ctx.option("require")).lower()
        markup = message.channel_data.get("markup")
        auto = bool(message.template.front_matter) and markup != "mjml"
        if require in ("always", "true") or (require == "auto" and auto):
            yield ctx.at_line(
                message,
                1,
                "the e-mail has no subject: add `subject:` to the front matter (or a <title>)",
                part="subject",
            )
        return
    text = subject.text
    max_chars = _int(ctx, "max_chars")
    longest = _longest_part(message, "subject") or subject
    if len(longest.text) > max_chars:
        yield ctx.at(
            message,
            longest,
            max_chars,
            len(longest.text),
            f"subject has {len(longest.text)} characters; mobile inboxes cut it off after about "
            f"{max_chars}: put what matters first and shorten it",
        )
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 8 and all(c.isupper() for c in letters):
        yield ctx.at(
            message,
            subject,
            0,
            len(text),
            "subject is written in capitals: it reads as shouting and is a spam-filter signal",
            fix=("write the subject in sentence case", text.capitalize()),
        )
    for match in _SPAM_PUNCTUATION.finditer(text):
        yield ctx.at(
            message,
            subject,
            match.start(),
            match.end(),
            f"'{match.group()}' in the subject looks like spam to filters and readers; use one "
            "mark at most",
        )
    reply = _FAKE_REPLY.match(text)
    if reply:
        yield ctx.at(
            message,
            subject,
            reply.start(),
            reply.end(),
            f"'{reply.group().strip()}' pretends the e-mail answers one of the customer's: "
            "remove the prefix",
        )
    preheader = message.parts.get("preheader")
    if preheader is not None and _compare_key(preheader.text) == _compare_key(text):
        yield ctx.at(
            message,
            subject,
            0,
            len(text),
            "subject and preheader are the same: the preview shows the text twice; let the "
            "preheader add the next piece of information",
        )


@rule(
    "email/preheader",
    severity="info",
    summary="Preheader (preview text) missing, too short, too long or repeating the subject",
    doc=RuleDoc(
        what=(
            "Checks the preheader of HTML and MJML e-mails (front-matter `preheader:`, "
            "`<mj-preview>`, or the hidden element before the body text): missing, shorter "
            "than `min_chars`, longer than `max_chars`, or starting with the subject."
        ),
        why=(
            "Inboxes show the preheader next to the subject. Without one they show the first "
            "text of the body instead - often 'View in browser', a greeting or alt text; a "
            "short one is filled up with whatever follows, and a repeated subject wastes the "
            "line that could tell the customer why to open the e-mail."
        ),
        bad=(
            "<body><p>Hallo Anna,</p> ...   (preview: 'Hallo Anna, wir haben ...')\n"
            '<span class="preheader">Your invoice</span>  (subject: Your invoice)'
        ),
        good=(
            '<span class="preheader" style="display:none">Betrag: 49,90 € - wird am 3. März '
            "abgebucht. Sie müssen nichts tun.</span>\n"
            "<mj-preview>Amount due: $49.90 on March 3 - no action needed.</mj-preview>"
        ),
        fix=(
            "Add a hidden preheader (or `<mj-preview>`) of about 40-140 characters that adds "
            "to the subject: the amount, the date, what the customer has to do."
        ),
        options={
            "min_chars": "Shorter preheaders are reported (default 40).",
            "max_chars": "Longer preheaders are reported (default 140).",
        },
    ),
    options={"min_chars": 40, "max_chars": 140},
    channels=("email",),
)
def check_preheader(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if message.channel_data.get("markup") not in _MARKUP:
        return  # a plain-text e-mail's preview is its first line: there is no preheader
    preheader = message.parts.get("preheader")
    body = _body(message)
    doc = _document(message)
    if doc is not None and all(el.tag in _INLINE for el in doc.elements):
        return  # plain text with a stray <br>: a text e-mail, which has no preheader
    if preheader is None:
        first = _quote(body.text, 50) if body is not None else ""
        shown = f": inboxes show the first body text instead ('{first}')" if first else ""
        yield ctx.at_part(
            message,
            "body",
            f"no preheader{shown}; add a hidden preheader or <mj-preview> that adds to the subject",
        )
        return
    text = preheader.text.strip()
    min_chars, max_chars = _int(ctx, "min_chars"), _int(ctx, "max_chars")
    if len(text) < min_chars:
        yield ctx.at_part(
            message,
            preheader,
            f"preheader has {len(text)} characters: inboxes fill the rest of the preview with "
            f"the body text; write {min_chars}-{max_chars} characters",
        )
    elif len(preheader.text) > max_chars:
        yield ctx.at(
            message,
            preheader,
            max_chars,
            len(preheader.text),
            f"preheader has {len(preheader.text)} characters; inboxes show about {max_chars} "
            "at most: shorten it",
        )
    subject = message.parts.get("subject")
    if subject is not None:
        key, subject_key = _compare_key(text), _compare_key(subject.text)
        if subject_key and key != subject_key and key.startswith(subject_key):
            yield ctx.at(
                message,
                preheader,
                0,
                len(subject.text.strip()),
                "preheader starts by repeating the subject: the preview shows it twice",
            )


# --- images and links ----------------------------------------------------------------------


_file_name = lazy_pattern(
    r"^[\w.~%+-]*\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|avif|heic)$|^(?:img|image|dsc|pxl)[_-]?\d+$",
    re.IGNORECASE,
)


def _is_pixel(el: Element | None) -> bool:
    """A tracking pixel or spacer: 0-1 pixels wide and high."""
    if el is None:
        return False
    size = {"0", "1", "0px", "1px"}
    return el.attrs.get("width", "").strip() in size and el.attrs.get("height", "").strip() in size


@rule(
    "email/img-alt",
    severity="warning",
    summary="Images without alt attribute, with a file name as alt text, or empty image links",
    doc=RuleDoc(
        what=(
            "Finds `<img>` and `<mj-image>` without an `alt` attribute, alt texts that are a "
            "file name or a generic word ('image', 'Bild'), and linked images whose empty alt "
            'leaves the link without any text. `alt=""` is right for decorative images.'
        ),
        why=(
            "Many clients block images by default, and screen readers read the alt text: "
            "without it, the customer hears the file name ('banner_final_v2.png') or nothing, "
            "and a linked image without text is announced as just 'link'."
        ),
        bad=(
            '<img src="https://shop.de/img/rabatt.png">\n'
            '<a href="https://shop.example/sale"><img src="sale.png" alt="sale.png"></a>'
        ),
        good=(
            '<img src="https://shop.de/img/rabatt.png" alt="20 % Rabatt auf alle Schuhe">\n'
            '<a href="https://shop.example/sale"><img src="sale.png" alt="Shop the sale"></a>\n'
            '<img src="https://shop.de/img/linie.png" alt="">  (decorative)'
        ),
        fix=(
            "Describe what the image says in a few words; give decorative images and spacers "
            '`alt=""`; give a linked image the text of the link.'
        ),
    ),
    channels=("email",),
)
def check_img_alt(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    doc = _document(message)
    if doc is None:
        return
    elements = _elements_by_file_start(message, doc, IMAGE_TAGS)
    generic = _words(message).generic_alt_texts
    for image in _images(message):
        el = elements.get(image.start)
        if image.alt is None:
            what = "tracking pixel" if _is_pixel(el) else f"<{image.tag}>"
            advice = 'describe it in alt="…", or use alt="" if it is decorative'
            if image.tag != "img":
                advice += ' (without alt, MJML writes alt="" and screen readers skip it)'
            if _is_pixel(el):
                advice = 'give it alt="" so screen readers skip it'
            yield ctx.at_offset(
                message, image.start, image.end, f"{what} without alt text: {advice}", "body"
            )
            continue
        alt = image.alt.strip()
        src_name = image.src.rsplit("/", 1)[-1].split("?")[0]
        if alt and (
            _file_name().match(alt)
            or (src_name and alt == src_name)
            or normalise_phrase(alt) in generic
        ):
            yield ctx.at_offset(
                message,
                image.start,
                image.end,
                f"alt text '{_quote(alt, 40)}' does not say what the image shows: describe it "
                '(or alt="" if it is decorative)',
                "body",
            )
    anchors = _elements_by_file_start(message, doc, _ANCHOR_TAGS)
    for link in _links(message):
        anchor = anchors.get(link.start)
        described = anchor is not None and any(
            d.tag in IMAGE_TAGS and (d.get("alt") or "").strip() for d in anchor.iter()
        )
        if link.has_image and not link.text.text.strip() and link.tag == "a" and not described:
            yield ctx.at_offset(
                message,
                link.start,
                link.end,
                "linked image with empty alt text: the link has no text and screen readers "
                "announce just 'link' or the URL; put the link's purpose in the image's alt",
                "body",
            )


_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _vague_link_texts(language: str) -> frozenset[str]:
    # German e-mails use English link texts too ("click here"): check every shipped list.
    words = language_words(language)
    return words.vague_link_texts.union(*(w.vague_link_texts for w in all_language_words()))


@rule(
    "email/link-text",
    severity="warning",
    summary="Vague link texts ('click here', 'mehr') and bare URLs as link text",
    doc=RuleDoc(
        what=(
            "Finds links and buttons whose whole text is vague ('hier klicken', 'hier', "
            "'mehr', 'click here', 'read more' - the lists are rules/de/channel-fit.yaml and "
            "rules/en/channel-fit.yaml), links whose text is the URL itself, and links "
            "without any text."
        ),
        why=(
            "Screen-reader users jump from link to link and hear only the link text (WCAG "
            "2.4.4); 'hier' five times tells them nothing. Scanning readers look for the "
            "underlined words too. A long URL as link text is read out character by "
            "character and looks like phishing."
        ),
        bad=(
            'Ihre Rechnung finden Sie <a href="https://shop.de/r/1">hier</a>.\n'
            '<a href="https://shop.example/orders/1">https://shop.example/orders/1</a>'
        ),
        good=(
            '<a href="https://shop.de/r/1">Rechnung ansehen</a>\n'
            '<a href="https://shop.example/orders/1">Track your order</a>'
        ),
        fix="Make the link text say where it goes or what it does: 'Rechnung als PDF laden'.",
    ),
    channels=("email",),
)
def check_link_text(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    words = _words(message)
    vague = _vague_link_texts(message.language or "en")
    links = _links(message)
    # A URL written out under a button ("if the button does not work, copy this link") is a
    # deliberate fallback, not a link without words.
    example = "'Rechnung ansehen'" if message.language.startswith("de") else "'Track your parcel'"
    described = {x.href.strip() for x in links if x.text.text.strip() != x.href.strip()}
    for link in links:
        text = link.text.text.strip()
        part = Part("body", link.text)
        if not text:
            if not link.has_image and link.tag == "a":
                yield ctx.at_offset(
                    message,
                    link.start,
                    link.end,
                    "link without text: screen readers announce just 'link'; give it a text",
                    "body",
                )
            continue
        start = len(link.text.text) - len(link.text.text.lstrip())
        end = start + len(text)
        if normalise_phrase(text) in vague:
            yield ctx.at(
                message,
                part,
                start,
                end,
                f"vague link text '{_quote(text, 40)}': say where the link goes ({example}) - "
                "screen readers list links by their text",
            )
        elif (_BARE_URL.match(text) or (len(text) > 3 and text == link.href.strip())) and (
            link.href.strip() not in described
        ):
            before = message.template.text[max(0, link.start - 200) : link.start].casefold()
            if any(hint in before for hint in words.copy_url_hints):
                continue
            yield ctx.at(
                message,
                part,
                start,
                end,
                "the URL is the link text: it is read out character by character; use words "
                "that say where the link goes",
            )


# --- document --------------------------------------------------------------------------------


@rule(
    "email/lang",
    severity="warning",
    summary="<html> without lang, or a lang that contradicts the template's language",
    doc=RuleDoc(
        what=(
            "Checks the `lang` of the e-mail's `<html>` (for MJML: of the compiled HTML, which "
            'the mjml package writes as `lang="und"` unless `<mjml lang="…">` sets it). '
            "Reports a missing or undetermined `lang`, and one whose language differs from "
            "the template's configured language. HTML fragments without `<html>` (wrapped by "
            "the sending system) are not checked."
        ),
        why=(
            "Screen readers choose pronunciation by `lang`: a German e-mail without it is read "
            "with English rules to many customers and becomes hard to understand. Clients "
            "also use it for hyphenation and translation offers."
        ),
        bad='<html>\n<mjml>  (compiles to lang="und")\n<html lang="en">  (template language: de)',
        good='<html lang="de">\n<mjml lang="en">',
        fix='Set `lang` on `<html>` (or `<mjml lang="…">`) to the language of the text.',
    ),
    channels=("email",),
)
def check_lang(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    doc = _document(message)
    markup = message.channel_data.get("markup")
    if doc is None or markup not in _MARKUP:
        return
    root = doc.find("mjml") if markup == "mjml" else doc.find("html")
    if root is None:
        return
    start, end = _element_range(message, root)
    lang = message.channel_data.get("lang")
    if not lang:
        if markup == "mjml":
            text = (
                'the compiled HTML has lang="und": screen readers guess the language; set '
                f'<mjml lang="{message.language}">'
            )
        else:
            text = (
                "<html> has no lang attribute: screen readers guess the language; add "
                f'lang="{message.language}"'
            )
        yield ctx.at_offset(message, start, end, text, "body")
        return
    declared = message.meta.language
    if not declared or not isinstance(lang, str):
        return  # the template's language was only detected: not certain enough to contradict
    body = _body(message)
    attr_start, attr_end = doc.attribute_span(root, "lang")
    if body is not None and not body.content.is_literal(attr_start, attr_end):
        return  # lang="{{ locale }}" follows the data
    if lang.split("-")[0].lower() != declared.split("-")[0].split("_")[0].lower():
        a_start, a_end = _element_range(message, root)
        if body is not None:
            a_start, a_end = body.content.source_range(attr_start, attr_end)
        yield ctx.at_offset(
            message,
            a_start,
            a_end,
            f'lang="{lang}" but the template is {declared}: screen readers will read the text '
            "with the wrong pronunciation",
            "body",
        )


_DATA_TABLE_PARTS = frozenset({"th", "thead", "tfoot", "caption", "colgroup"})
_BLOCK_CONTENT = frozenset({"img", "table", "div", "p", "h1", "h2", "h3", "ul", "ol", "center"})


def _nearest(el: Element, tags: frozenset[str]) -> Element | None:
    for ancestor in el.ancestors():
        if ancestor.tag in tags:
            return ancestor
    return None


def _cells(row: Element) -> list[Element]:
    return [c for c in row.children if isinstance(c, Element) and c.tag == "td"]


def _layout_tables(doc: HtmlDocument) -> Iterator[Element]:
    """Tables that lay out content (not data) and carry no ``role``.

    Like the browsers' layout-table heuristics: header cells, captions or column groups make
    a data table; a nested table, a single column, or one row holding blocks make a layout
    table; anything else gets the benefit of the doubt.
    """
    tables = doc.find_all("table")
    if not tables:
        return
    table_tags = frozenset({"table"})
    data: set[int] = set()
    nested: set[int] = set()
    rows: dict[int, list[Element]] = {}
    for el in doc.elements:
        if el.tag in _DATA_TABLE_PARTS or (
            el.tag == "td" and ("scope" in el.attrs or "headers" in el.attrs)
        ):
            owner = _nearest(el, table_tags)
            if owner is not None:
                data.add(id(owner))
        elif el.tag == "table":
            outer = _nearest(el, table_tags)
            if outer is not None:
                nested.add(id(outer))
        elif el.tag == "tr":
            owner = _nearest(el, table_tags)
            if owner is not None:
                rows.setdefault(id(owner), []).append(el)
    for table in tables:
        if "role" in table.attrs or "summary" in table.attrs or id(table) in data:
            continue
        if id(table) in nested:
            yield table
            continue
        cells = [_cells(row) for row in rows.get(id(table), [])]
        single_column = bool(cells) and all(len(row) <= 1 for row in cells)
        row_of_blocks = len(cells) == 1 and any(
            d.tag in _BLOCK_CONTENT for cell in cells[0] for d in cell.iter()
        )
        if single_column or row_of_blocks:
            yield table


@rule(
    "email/layout-table",
    severity="warning",
    summary='Layout tables without role="presentation"',
    doc=RuleDoc(
        what=(
            "Finds `<table>`s used for layout - nested tables, single-column tables, one row "
            "of blocks - that have no `role` attribute. Tables with header cells, captions or "
            "column groups are data tables and are left alone; MJML's own tables already "
            'carry role="presentation".'
        ),
        why=(
            "Screen readers announce every table with its rows and columns ('table, 3 rows, "
            "1 column') before the text; in a typical e-mail layout of nested tables the "
            'customer hears this again and again. role="presentation" removes the noise.'
        ),
        bad='<table width="600" cellpadding="0"><tr><td><table>…</table></td></tr></table>',
        good=(
            '<table role="presentation" width="600" cellpadding="0"><tr><td>'
            '<table role="presentation">…</table></td></tr></table>'
        ),
        fix='Add role="presentation" to every table that only positions content.',
    ),
    channels=("email",),
)
def check_layout_table(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    doc = _document(message)
    if doc is None:
        return
    for table in _layout_tables(doc):
        start, end = _element_range(message, table)
        yield ctx.at_offset(
            message,
            start,
            end,
            'layout table without role="presentation": screen readers announce its rows and '
            "columns before the text",
            "body",
        )


@rule(
    "email/size",
    severity="warning",
    summary="Rendered HTML larger than Gmail shows before clipping (102 KB)",
    doc=RuleDoc(
        what=(
            "Measures the rendered HTML (compiled HTML for MJML) in UTF-8 bytes and reports it "
            "above `max_bytes` (102 KB). Loops render with the sample data, so give samples "
            "with realistic list lengths."
        ),
        why=(
            "Gmail cuts every message above about 102 KB and shows '[Message clipped] View "
            "entire message'. What comes after is hidden: usually the footer with the "
            "unsubscribe link, the imprint and legal text - and the open-tracking pixel."
        ),
        bad="An order confirmation of 131 KB: 60 KB of inlined CSS repeated in every row.",
        good="The same e-mail at 48 KB: shared styles in <style>, images not base64-inlined.",
        fix=(
            "Remove unused CSS, avoid repeating inline styles, never inline images as base64, "
            "minify the HTML, and shorten long item lists with a link to the full list."
        ),
        options={"max_bytes": "Bytes before Gmail clips (default 104448 = 102 KB)."},
    ),
    options={"max_bytes": 102 * 1024},
    channels=("email",),
)
def check_size(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    html = message.channel_data.get("html")
    if not isinstance(html, str):
        return
    size = len(html) if html.isascii() else len(html.encode("utf-8"))
    limit = _int(ctx, "max_bytes")
    if size > limit:
        yield ctx.at_part(
            message,
            "body",
            f"the rendered HTML has {size / 1024:.0f} KB; Gmail clips e-mails above "
            f"{limit / 1024:.0f} KB and hides the rest (often the unsubscribe link and legal "
            "text)",
        )


# --- unsubscribe, link targets, text alternative, images --------------------------------------


def _has_unsubscribe(message: Message) -> bool:
    source = message.template.text.casefold()
    neutral = neutral_words()
    if any(tag in source for tag in neutral.unsubscribe_merge_tags):
        return True
    seen: list[str] = [source]
    seen.extend(part.text.casefold() for part in message.parts.values())
    seen.extend(link.href.casefold() for link in _links(message))
    words = {w for lw in [_words(message), *all_language_words()] for w in lw.unsubscribe_words}
    return any(word in text for text in seen for word in words)


@rule(
    "email/unsubscribe",
    severity="error",
    summary="Marketing e-mail without an unsubscribe or preferences link",
    doc=RuleDoc(
        what=(
            "For e-mails of category `marketing`: looks for an unsubscribe or preferences link "
            "(link text or URL with 'unsubscribe', 'abmelden', 'opt out', 'Einstellungen "
            "verwalten' ... or an ESP merge tag such as `*|UNSUB|*`, `{{{ pm:unsubscribe }}}`, "
            "`<%asm_group_unsubscribe_raw_url%>`). Lists: rules/*/channel-fit.yaml."
        ),
        why=(
            "Advertising by e-mail needs an easy way to object (§ 7 UWG, GDPR Art. 21, "
            "CAN-SPAM); Gmail and Yahoo require one-click unsubscribe for bulk senders. "
            "Customers who cannot unsubscribe press 'spam' instead, which hurts delivery of "
            "every e-mail, including invoices."
        ),
        bad="category: marketing\n<p>Jetzt 20 % sparen!</p>  (no way to unsubscribe)",
        good=(
            '<p><a href="{{ unsubscribe_url }}">Newsletter abbestellen</a> · '
            '<a href="{{ preferences_url }}">E-Mail-Einstellungen</a></p>'
        ),
        fix="Add a visible unsubscribe link to the footer (and the List-Unsubscribe header).",
    ),
    channels=("email",),
)
def check_unsubscribe(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if (message.category or "").lower() != "marketing" or _has_unsubscribe(message):
        return
    yield ctx.at_part(
        message,
        "body",
        "marketing e-mail without an unsubscribe or preferences link: customers must be able "
        "to object to advertising (UWG § 7, GDPR Art. 21, CAN-SPAM)",
    )


_scheme = lazy_pattern(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


_SAFE_PREFIXES = ("#", "/", "?", "{", "%", "*|", "[", "<", "$", "@")


_looks_like_host = lazy_pattern(r"^(?:www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}(?:[/:?#]|$))", re.I)


def _placeholder_host(host: str) -> bool:
    words = neutral_words()
    host = host.casefold().rstrip(".")
    if host in words.placeholder_domains or any(
        host.endswith("." + d) for d in words.placeholder_domains
    ):
        return True
    return host.rsplit(".", 1)[-1] in words.placeholder_tlds


def _target_problem(url: str, tag_source: str, rendered_only: bool, kind: str) -> str | None:
    """What is wrong with a link or image URL, or None.

    ``tag_source`` is the template source of the tag (lower-case): problems are reported only
    when the template itself writes them, not when sample data happens to contain them.
    ``rendered_only`` is True when the URL's value came from real sample data.
    """
    url = url.strip()
    low = url.casefold()
    empty_href = ('href="#"', 'href=""', "href='#'", "href=''")
    if kind == "link" and url in ("", "#") and any(h in tag_source for h in empty_href):
        return f'href="{url}" goes nowhere: a placeholder link that was never filled in'
    if low.startswith(("http://", "https://", "//")):
        host = urlsplit(url if not url.startswith("//") else "https:" + url).hostname or ""
        if host and _placeholder_host(host) and host in tag_source:
            if kind == "image":
                return (
                    f"image from {host}: an example or test address, the customer sees a "
                    "broken image; put in the real URL"
                )
            return (
                f"link to {host}: an example or test address that never reaches the "
                "customer; put in the real URL"
            )
        if low.startswith("http://") and "http://" in tag_source:
            what = "loads" if kind == "image" else "opens"
            return (
                f"{kind} {what} over http://: browsers and clients warn or block it; use https://"
            )
        return None
    if kind != "link" or _scheme().match(url) or url.startswith(_SAFE_PREFIXES):
        return None
    if _looks_like_host().match(url):
        if low.split("/", 1)[0] in tag_source:
            return (
                f"'{_quote(url, 40)}' has no scheme: clients open it as a relative link that "
                f"goes nowhere; write https://{_quote(url, 40)}"
            )
        if rendered_only:
            return (
                f"the placeholder renders to '{_quote(url, 40)}' without a scheme: the link "
                "will not open; make the value start with https://"
            )
    return None


@rule(
    "email/insecure-link",
    severity="warning",
    summary="http:// links, links to example/test domains, placeholder links, links without scheme",
    doc=RuleDoc(
        what=(
            "Checks every link and image URL the template writes: `http://` instead of "
            "`https://`, example or test domains (example.com, localhost, *.test, "
            'yourdomain.com - rules/channels/channel-fit.yaml), `href="#"` or empty '
            "placeholder links, and URLs without a scheme (`www.shop.de`, or a placeholder "
            "whose sample value has none). URLs that only come from sample data are not "
            "blamed on the template."
        ),
        why=(
            "An http:// link shows security warnings and can be tampered with on the way; a "
            "link to example.com or localhost is a template that was never finished, and a "
            "URL without scheme opens as a relative link that leads nowhere - each one is a "
            "customer who cannot get to the invoice, the order or the password reset."
        ),
        bad=(
            '<a href="http://shop.de/konto">Zum Kundenkonto</a>\n'
            '<a href="https://example.com/reset">Reset your password</a>\n'
            '<a href="www.shop.de">shop.de</a>'
        ),
        good=(
            '<a href="https://shop.de/konto">Zum Kundenkonto</a>\n'
            '<a href="{{ reset_url }}">Reset your password</a>'
        ),
        fix="Use https:// URLs on your real domain, or a placeholder filled by the system.",
    ),
    channels=("email",),
)
def check_insecure_link(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    data = message.channel_data
    real_values = bool(data.get("samples_given")) and not data.get("fallback")
    for link in _links(message):
        source = _tag_source(message, link.start, link.end)
        problem = _target_problem(link.href, source, real_values, "link")
        if problem is not None:
            yield ctx.at_offset(message, link.start, link.end, problem, "body")
    for image in _images(message):
        source = _tag_source(message, image.start, image.end)
        problem = _target_problem(image.src, source, real_values, "image")
        if problem is not None:
            yield ctx.at_offset(message, image.start, image.end, problem, "body")


_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


_placeholder = lazy_pattern(r"\{\{\{?-?\s*([A-Za-z_][\w.]*)|\(\(([\w.]+)\)\)|\$\{([\w.]+)\}")


def _href_key(message: Message, link: Link) -> tuple[str, str] | None:
    """What the text part must contain for this link: ``("var", name)`` or ``("url", url)``."""
    match = _HREF.search(message.template.text[link.start : link.end])
    raw = next((g for g in match.groups() if g is not None), "") if match else ""
    placeholder = _placeholder().search(raw)
    if placeholder:
        return "var", next(g for g in placeholder.groups() if g)
    url = link.href.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None  # mailto:, tel:, anchors, relative links
    return "url", url.rstrip("/")


@rule(
    "email/text-alternative",
    severity="warning",
    summary="HTML e-mail without plain-text part, or a text part that lacks links of the HTML",
    doc=RuleDoc(
        what=(
            "For HTML and MJML e-mails: reports a missing plain-text alternative (a sibling "
            "`name.txt` next to `name.html`/`name.mjml`) when the repository's convention is to "
            "have them (another template in the same folder has one; `require: true` always, "
            "`require: false` never). When there is "
            "one, reports each HTML link (by URL or by placeholder) that the text part does "
            "not contain. Image-only links and mailto:/tel: links are not required."
        ),
        why=(
            "The text part is what plain-text clients, smartwatches, some screen-reader setups "
            "and spam filters read; a multipart e-mail without one scores worse with spam "
            "filters. A text part without the reset or payment link leaves those readers "
            "without the one thing the e-mail is for."
        ),
        bad=(
            'welcome.html: <a href="{{ confirm_url }}">Confirm your address</a>\n'
            "welcome.txt:  Please confirm your address.   (no link)"
        ),
        good="welcome.txt:  Please confirm your address: {{ confirm_url }}",
        fix="Add the text part and write every link of the HTML into it as a full URL.",
        options={
            "require": (
                "'auto' (default): report a missing text part when other templates in the "
                "folder have one; true: always; false: never."
            )
        },
    ),
    options={"require": "auto"},
    channels=("email",),
)
def check_text_alternative(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    if message.channel_data.get("markup") not in _MARKUP:
        return
    text_part = message.parts.get("text")
    if text_part is None:
        require = ctx.option("require")
        convention = bool(message.channel_data.get("text_parts_convention"))
        if require is True or (require == "auto" and convention):
            yield ctx.at_line(
                message,
                1,
                "HTML e-mail without a plain-text alternative: add a .txt next to the template",
            )
        return
    text = text_part.text
    reported: set[tuple[str, str]] = set()
    for link in _links(message):
        if link.has_image and not link.text.text.strip():
            continue
        key = _href_key(message, link)
        if key is None or key in reported:
            continue
        kind, value = key
        if kind == "var":
            found = re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text) is not None
        else:
            found = value in text
        if not found:
            reported.add(key)
            shown = f"{{{{ {value} }}}}" if kind == "var" else _quote(value, 50)
            yield ctx.at_offset(
                message,
                link.start,
                link.end,
                f"the plain-text part lacks this link ({shown}): its readers cannot follow it",
                "body",
            )


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=64)
def _at_least_words(count: int) -> re.Pattern[str]:
    """Matches a text with at least ``count`` words (as many as _WORD finds).

    Possessive: a word is never split to make up the count. Most e-mails have enough words:
    one match over the first words instead of a list of all of them.
    """
    return re.compile(rf"\W*+(?:\w++\W*+){{{count}}}")


@rule(
    "email/image-only",
    severity="warning",
    summary="Too little text for the images (image blocking, spam filters)",
    doc=RuleDoc(
        what=(
            "Counts the visible words of an HTML/MJML e-mail against its images (tracking "
            "pixels aside) and reports fewer than `min_words_per_image` words per image, or "
            "fewer than `min_words` words in an e-mail that has images."
        ),
        why=(
            "Many clients block images until the customer allows them: an e-mail that says "
            "everything in pictures arrives as empty boxes. Spam filters treat mostly-image "
            "e-mails as suspicious, and screen-reader users get only the alt texts."
        ),
        bad="<img src='sale.png' alt='Sale'> <img src='shoes.png' alt=''>  Jetzt kaufen!",
        good=(
            "<h1>20 % auf alle Schuhe bis Sonntag</h1><p>Der Rabatt gilt im Shop und in "
            "der App ...</p><img src='shoes.png' alt='Laufschuh Modell Aero in Blau'>"
        ),
        fix="Put the message in text and use images to support it, not to carry it.",
        options={
            "min_words_per_image": "Words of text needed per image (default 20).",
            "min_words": "Words an e-mail with images needs at least (default 10).",
        },
    ),
    options={"min_words_per_image": 20, "min_words": 10},
    channels=("email",),
)
def check_image_only(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    doc = _document(message)
    body = _body(message)
    if doc is None or body is None:
        return
    elements = _elements_by_file_start(message, doc, IMAGE_TAGS)
    count = sum(1 for image in _images(message) if not _is_pixel(elements.get(image.start)))
    if count == 0:
        return
    needed = max(_int(ctx, "min_words"), _int(ctx, "min_words_per_image") * count)
    text = body.text
    # A text has at most one word per character: a count above its length needs no regex.
    if needed > 0 and (needed > len(text) or _at_least_words(needed).match(text) is None):
        words = len(_WORD.findall(text))
        images = f"{count} image{'s' if count != 1 else ''}"
        yield ctx.at_part(
            message,
            body,
            f"{images} but only {words} words of text: with images blocked the customer sees "
            f"almost nothing, and spam filters distrust image-only e-mails (aim for {needed}+ "
            "words)",
        )
