"""Markup parsed once, with source offsets: HTML (and the MJML source tree) and MJML checks."""

from msglint.markup.html import (
    Element,
    HtmlDocument,
    Image,
    Link,
    TextNode,
    find_preheader,
    images,
    link_texts,
    parse_html,
    visible_text,
)

__all__ = [
    "Element",
    "HtmlDocument",
    "Image",
    "Link",
    "TextNode",
    "find_preheader",
    "images",
    "link_texts",
    "parse_html",
    "visible_text",
]
