"""Guess a template's syntax from its text.

Used when neither front matter, config nor the file name says which engine a template is for.
A few compiled patterns decide; the order below resolves texts that match more than one.
"""

from __future__ import annotations

import re

# `{% tag ... %}` or `{# ... #}`, closed on the spot: LaTeX's `{%` comments never close like this.
_JINJA_TAG = re.compile(
    r"\{%[-+~]?\s*[A-Za-z_]\w*(?:[^%]|%(?!\})){0,2000}?%\}|\{#.{0,2000}?#\}", re.S
)
# Go actions start with a dot path, a $variable, a keyword followed by a pipeline, or a comment.
_GO_ACTION = re.compile(
    r"\{\{-?\s*(?:"
    r"\.[A-Za-z_]"
    r"|\$[.\w]"
    r"|(?:if|range|with|else\s+if|else\s+with)\s+[.$(]"
    r"|end\s*-?\}\}"
    r"|(?:template|define|block)\s+\""
    r"|/\*"
    r"|(?:index|printf|len|not|and|or|eq|ne)\s+[.$]"
    r")"
)
_HANDLEBARS = re.compile(r"\{\{~?\s*(?:[#^/>!&]|@\w|else\s*~?\}\}|this\b|\.\.?/)|\{\{\{")
_NOTIFY = re.compile(r"\(\([A-Za-z_][\w .\-]{0,80}(?:\?\?[^()\n]*)?\)\)")
_ANY_PLACEHOLDER = re.compile(r"\{\{")


def detect_syntax(text: str) -> str:
    """The syntax of a template body: ``jinja``, ``handlebars``, ``go``, ``notify`` or ``raw``.

    ``raw`` means no template tags at all. Plain ``{{ name }}`` placeholders count as Jinja,
    which renders them like the other engines do.
    """
    # Only Jinja-family engines (Jinja, Twig, Django) use `{% %}`: the strongest signal.
    if _JINJA_TAG.search(text):
        return "jinja"
    if _GO_ACTION.search(text):
        return "go"
    if _HANDLEBARS.search(text):
        return "handlebars"
    has_braces = _ANY_PLACEHOLDER.search(text) is not None
    if not has_braces and _NOTIFY.search(text):
        return "notify"
    return "jinja" if has_braces else "raw"
