"""The e-mail channel: subject, preheader, body (MJML, HTML or text) and text alternative.

Text parts come from the *source* markup (the MJML or HTML the template rendered to), never from
compiled output, so every part maps exactly back to the template file. MJML is compiled as well,
for the real HTML (size, ``lang``) that later rules look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from msglint.channels.base import ChannelBuild
from msglint.mapping import MappedText
from msglint.markup.html import (
    HtmlDocument,
    document_content,
    parse_html,
    preheader_text,
    visible_text,
)
from msglint.markup.mjml import compile_mjml, validate_mjml
from msglint.model import Part, Severity, TemplateFile
from msglint.rules.email_stage import MJML
from msglint.templating.base import Problem

_MJML_ROOT = re.compile(r"<mjml[\s>/]", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|span|table|td|tr|br|a|img|h[1-6]|strong|b|i|em|"
    r"u|ul|ol|li|font|center|style|meta|title|hr|blockquote)(?=[\s/>])",
    re.IGNORECASE,
)
_HTML_LANG = re.compile(r"<html\b[^>]*?\slang\s*=\s*[\"']?([^\"'\s>]*)", re.IGNORECASE)


def detect_markup(text: str) -> str:
    """``"mjml"`` if the text has an ``<mjml>`` root, ``"html"`` if it has HTML tags, else text."""
    if _MJML_ROOT.search(text):
        return "mjml"
    if _HTML_TAG.search(text):
        return "html"
    return "text"


def _clean_lang(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value.lower() in ("", "und") else value  # MJML writes "und" when unset


def build_email(
    template: TemplateFile,
    rendered: dict[str, MappedText],
    *,
    text_alternative: MappedText | None = None,
    render_mjml: bool = True,
    parts_only: bool = False,
) -> ChannelBuild:
    """Build an e-mail's parts from its rendered body (and front-matter subject/preheader).

    ``rendered["body"]`` (and the optional ``"subject"``/``"preheader"``) map to offsets in
    ``template.text``; so do the parts, links, images and problems returned. ``parts_only``:
    just the parts (no links, images, MJML checks or compiling), for re-renders that only
    compare texts.
    """
    if parts_only:
        render_mjml = False
    body = rendered.get("body") or MappedText.identity("", template.body_start)
    markup = detect_markup(body.text)
    subject = rendered.get("subject")
    preheader = rendered.get("preheader")
    channel_data: dict[str, Any] = {"markup": markup}
    problems: list[Problem] = []
    visible: MappedText | None = None
    html_text: str | None = None

    if markup != "text":
        doc = parse_html(body.text)
        channel_data["document"] = doc
        if parts_only:
            visible = visible_text(doc, body)
        else:
            visible, channel_data["links"], channel_data["images"] = document_content(doc, body)
        if markup == "mjml":
            subject = subject or _element_text(doc, body, "mj-title")
            preheader = preheader or _element_text(doc, body, "mj-preview")
            structure = (
                []
                if parts_only
                else _mjml_problems(doc, body, require_title=rendered.get("subject") is None)
            )
            problems.extend(structure)
            lang = _clean_lang(doc.lang)
            if render_mjml:
                html_text, compiled_lang, compile_problems = _compile(template, doc, body)
                # A broken structure usually breaks the compiler too: report the cause only.
                if not any(p.severity is None for p in structure):
                    problems.extend(compile_problems)
                if html_text is not None:
                    lang = compiled_lang
        else:
            html_text = body.text
            subject = subject or _element_text(doc, body, "title")
            if preheader is None:
                preheader = preheader_text(doc, body)
            lang = _clean_lang(doc.lang)
        channel_data["html"] = html_text
        channel_data["lang"] = lang

    parts: dict[str, Part] = {}
    if subject is not None and subject.text.strip():
        parts["subject"] = Part("subject", subject)
    if preheader is not None and preheader.text.strip():
        parts["preheader"] = Part("preheader", preheader)
    parts["body"] = Part("body", body, markup=markup, visible=visible)
    if text_alternative is not None:
        parts["text"] = Part("text", text_alternative)

    email_metrics: dict[str, int] = {}
    if "subject" in parts:
        email_metrics["subject_chars"] = len(parts["subject"].text)
    if "preheader" in parts:
        email_metrics["preheader_chars"] = len(parts["preheader"].text)
    if html_text is not None:
        # isascii is a flag of the string: no encoding for most e-mails.
        size = len(html_text) if html_text.isascii() else len(html_text.encode("utf-8"))
        email_metrics["html_bytes"] = size
    metrics: dict[str, Any] = {"email": email_metrics} if email_metrics else {}
    return ChannelBuild(parts, channel_data, metrics, problems)


def _element_text(doc: HtmlDocument, source: MappedText, tag: str) -> MappedText | None:
    element = doc.find(tag)
    if element is None:
        return None
    text = visible_text(doc, source, element)
    return text if text.text else None


def _problem(source: MappedText, message: str, start: int, end: int, **kw: Any) -> Problem:
    file_start, file_end = source.source_range(start, end)
    return Problem(MJML.id, message, file_start, file_end, **kw)


def _mjml_problems(doc: HtmlDocument, body: MappedText, *, require_title: bool) -> list[Problem]:
    return [
        _problem(body, issue.message, issue.start, issue.end, severity=issue.severity)
        for issue in validate_mjml(doc, require_title=require_title)
    ]


def _compile(
    template: TemplateFile, doc: HtmlDocument, body: MappedText
) -> tuple[str | None, str | None, list[Problem]]:
    """Compile the MJML: ``(html, lang, problems)``; html is None if it could not be compiled."""
    root = doc.find("mjml")
    at = (root.start, root.end) if root is not None else (0, 0)
    template_dir = template.path.parent
    for include in doc.find_all("mj-include"):
        path = include.get("path") or ""
        if not _include_found(template_dir, path):
            message = f"<mj-include> '{path}' not found next to the template; MJML not compiled"
            return (
                None,
                None,
                [_problem(body, message, include.start, include.end, severity=Severity.WARNING)],
            )
    try:
        html_text, errors = compile_mjml(body.text, template_dir=template_dir)
    except Exception as exc:  # the MJML port fails in many ways on bad input
        reason = str(exc) or type(exc).__name__
        return None, None, [_problem(body, f"MJML could not be compiled: {reason}", *at)]
    problems = [_problem(body, f"MJML: {error}", *at) for error in errors]
    match = _HTML_LANG.search(html_text)
    return html_text, _clean_lang(match.group(1) if match else None), problems


def _include_found(template_dir: Path, path: str) -> bool:
    """True if an ``mj-include`` path is a file inside the template's folder."""
    if not path:
        return False
    base = template_dir.resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base):
        return False  # includes never read files outside the template folder
    return target.is_file() or target.with_suffix(".mjml").is_file()
