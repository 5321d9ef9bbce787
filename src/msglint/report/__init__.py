"""Reporters: one module per output format, chosen by :func:`render_report`."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from msglint.model import RunResult
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
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    # Only the chosen format's module is imported (XML, hashing: start-up time).
    reporter = import_module(f"msglint.report.{fmt}")
    if fmt == "text":
        return str(reporter.render(result, color=color, verbose=verbose))
    if fmt == "sarif":
        from msglint.report.base import rule_lookup

        return str(reporter.render(result, rule_lookup(rules)))
    return str(reporter.render(result))


__all__ = ["FORMATS", "render_report"]
