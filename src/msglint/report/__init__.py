"""Reporters: one module per output format, chosen by :func:`render_report`."""

from __future__ import annotations

from collections.abc import Mapping

from msglint.model import RunResult
from msglint.report import github, gitlab, junit, sarif, text
from msglint.report import json as json_report
from msglint.report.base import rule_lookup
from msglint.rules.registry import RuleInfo

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


def render_report(
    fmt: str,
    result: RunResult,
    *,
    color: bool = False,
    rules: Mapping[str, RuleInfo] | None = None,
    verbose: bool = False,
) -> str:
    """The report for ``result`` in format ``fmt`` (one of :data:`FORMATS`), ending in a newline.

    ``rules`` maps rule ids to their info (SARIF rule metadata); without it the registry is
    asked. ``color`` and ``verbose`` only change the text format.
    """
    if fmt == "text":
        return text.render(result, color=color, verbose=verbose)
    if fmt == "json":
        return json_report.render(result)
    if fmt == "sarif":
        return sarif.render(result, rule_lookup(rules))
    if fmt == "github":
        return github.render(result)
    if fmt == "junit":
        return junit.render(result)
    if fmt == "gitlab":
        return gitlab.render(result)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


__all__ = ["FORMATS", "render_report"]
