"""Choose the templater for a syntax and render one template source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msglint.mapping import MappedText
from msglint.templating.base import RenderOptions, RenderResult


def render_source(
    source: str,
    sample: Mapping[str, Any],
    options: RenderOptions,
    *,
    strict_jinja: bool = False,
) -> RenderResult:
    """Render ``source`` with the templater for ``options.syntax``.

    Jinja sources that Jinja2 cannot parse fall back to tag-aware extraction, unless
    ``strict_jinja`` (the file is declared Jinja): then the parse error is a
    ``template/syntax`` problem and the text is still extracted for the other checks.
    """
    from msglint.templating import fallback

    syntax = options.syntax
    if syntax == "raw":
        return RenderResult(output=MappedText.identity(source))
    if syntax != "jinja":
        return fallback.extract(source, syntax, sample)

    from msglint.templating import jinja

    result = jinja.render(source, sample, options)
    if result.fallback:
        extracted = fallback.extract(source, "jinja", sample, reason=result.fallback_reason)
        if strict_jinja:
            from msglint.templating.base import Problem

            line, message = _syntax_error(source, result.fallback_reason)
            start = _line_offset(source, line)
            end = source.find("\n", start)
            extracted.problems.append(
                Problem("template/syntax", message, start, end if end != -1 else len(source))
            )
            extracted.fallback = False
        else:
            extracted.fallback_reason = result.fallback_reason
        return extracted
    failed = [p for p in result.problems if p.rule == "template/render"]
    if failed and not strict_jinja and not failed[0].message.startswith("rendering stopped"):
        # Probably another engine's template (Twig, Django) that Jinja2 parses but cannot run.
        reason = f"Jinja2 could not render it: {failed[0].message}"
        extracted = fallback.extract(source, "jinja", sample, reason=reason)
        extracted.fallback_reason = reason
        extracted.problems[:0] = [p for p in result.problems if p.rule != "template/render"]
        return extracted
    if any(p.rule == "template/unsafe" for p in result.problems):
        # Never render a template that tries to escape; its text is still checked.
        extracted = fallback.extract(source, "jinja", sample)
        extracted.fallback = False
        extracted.problems[:0] = result.problems
        extracted.includes = result.includes
        return extracted
    return result


def _syntax_error(source: str, reason: str | None) -> tuple[int, str]:
    import re

    from msglint.templating.jinja import JinjaSyntaxError, parse

    found = re.match(r"Jinja2 cannot parse it \(line (\d+): (.*)\)$", reason or "", re.DOTALL)
    if found:  # the templater already parsed it: no second parse
        return int(found.group(1)), f"Jinja syntax error: {found.group(2)}"

    try:
        parse(source.replace("\r\n", "\n"))
    except JinjaSyntaxError as exc:
        return exc.line, f"Jinja syntax error: {exc}"
    except Exception as exc:  # parse of hostile input may fail in other ways
        return 1, f"Jinja syntax error: {exc}"
    return 1, "Jinja syntax error"


def _line_offset(source: str, line: int) -> int:
    pos = 0
    for _ in range(max(0, line - 1)):
        nxt = source.find("\n", pos)
        if nxt == -1:
            break
        pos = nxt + 1
    return pos
