"""``--format text``: for people, and for copywriters first.

Per file: a header, an optional scorecard, then each finding as a greppable, clickable
``path:line:col: severity rule message`` line with the source line and a caret line below it.
A summary line ends the report.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import click

from msglint.model import FileResult, Finding, RunResult, Severity, Suppression
from msglint.report.base import Counts, SourceLines, count, plural, sorted_findings

SEVERITY_STYLES: dict[Severity, dict[str, Any]] = {
    Severity.ERROR: {"fg": "red", "bold": True},
    Severity.WARNING: {"fg": "yellow", "bold": True},
    Severity.INFO: {"fg": "cyan"},
}
SCORE_ORDER = ("readability", "jargon", "tone", "personalisation")
MAX_SNIPPET_WIDTH = 100  # long (minified HTML) lines are shown as a window around the finding
TAB_WIDTH = 4


class Styler:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, **style: Any) -> str:
        return click.style(text, **style) if self.color and text else text


def render(result: RunResult, *, color: bool = False, verbose: bool = False) -> str:
    style = Styler(color)
    blocks = [
        file_block(file, style, verbose)
        for file in result.files
        # Clean files stay quiet (their scorecard shows with --verbose): 1000 templates
        # must not print 1000 blocks.
        if verbose or file.findings or file.fixed
    ]
    out = "\n".join(block for block in blocks if block)
    counts = count(result)
    summary_style: dict[str, Any] = {"bold": True}
    if counts.errors:
        summary_style["fg"] = "red"
    elif counts.warnings:
        summary_style["fg"] = "yellow"
    elif not counts.findings:
        summary_style["fg"] = "green"
    summary = style(summary_line(counts), **summary_style)
    return f"{out}\n{summary}\n" if out else f"{summary}\n"


def summary_line(counts: Counts) -> str:
    """``3 errors, 2 warnings, 1 info in 4 files (12 checked); 2 suppressed.``"""
    extras = []
    if counts.suppressed:
        extras.append(f"{counts.suppressed} suppressed")
    if counts.fixed:
        extras.append(f"{counts.fixed} fixed")
    if counts.files == 0:
        return "No files checked."
    if not counts.findings:
        tail = f" ({', '.join(extras)})" if extras else ""
        return f"No problems found in {plural(counts.files, 'file')}{tail}."
    parts = [
        plural(n, word, plural_word)
        for n, word, plural_word in (
            (counts.errors, "error", None),
            (counts.warnings, "warning", None),
            (counts.infos, "info", "info"),
        )
        if n
    ]
    line = (
        f"{', '.join(parts)} in {plural(counts.files_with_findings, 'file')}"
        f" ({counts.files} checked)"
    )
    return f"{line}; {', '.join(extras)}." if extras else f"{line}."


def file_block(file: FileResult, style: Styler, verbose: bool) -> str:
    lines = [header(file, style)]
    scores = file.metrics.get("scores")
    if isinstance(scores, Mapping) and scores:
        lines.append("  " + style(scorecard(scores), dim=True))
    source = SourceLines(file.source)
    for finding in sorted_findings(file.findings):
        lines.extend(finding_lines(file.path, finding, source, style))
    for description in file.fixed:
        lines.append("  " + style("fixed:", fg="green", bold=True) + f" {description}")
    if verbose:
        for finding, suppression in sorted(file.suppressed, key=lambda p: p[0].sort_key()):
            lines.append(suppressed_line(file.path, finding, suppression, style))
        if not file.findings and not file.suppressed:
            lines.append("  " + style("no problems found", fg="green"))
    return "\n".join(lines) + "\n"


def header(file: FileResult, style: Styler) -> str:
    facts = [value for value in (file.channel, file.language, file.category) if value]
    title = style(file.path, bold=True, underline=True)
    return f"{title} ({', '.join(facts)})" if facts else title


def scorecard(scores: Mapping[str, Any]) -> str:
    """``scores: readability 72 · jargon 90 · … · overall 84`` (higher is better)."""
    families = [k for k in SCORE_ORDER if k in scores]
    families += sorted(k for k in scores if k not in SCORE_ORDER and k != "overall")
    if "overall" in scores:
        families.append("overall")
    items = []
    for name in families:
        value = scores[name]
        if isinstance(value, int | float) and not isinstance(value, bool):
            items.append(f"{name} {round(value)}")
    return "scores: " + " · ".join(items)


def location(path: str, finding: Finding) -> str:
    return f"{path}:{finding.line}:{finding.column}"


def finding_lines(path: str, finding: Finding, source: SourceLines, style: Styler) -> list[str]:
    severity = style(str(finding.severity), **SEVERITY_STYLES[finding.severity])
    first, *rest = finding.message.splitlines() or [""]
    lines = [
        f"{style(location(path, finding), bold=True)}: {severity} "
        f"{style(finding.rule, dim=True)} {first}"
    ]
    lines.extend(f"    {more}" for more in rest)
    text = source.line_text(finding.line) if finding.line >= 1 else None
    if text is not None:
        lines.extend(snippet(finding, text, style))
    if finding.fix is not None:
        hint = f"fix available: {finding.fix.description} (msglint check --fix)"
        lines.append("    " + style(hint, fg="green"))
    return lines


def char_width(char: str) -> int:
    if char == "\t":
        return TAB_WIDTH
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def shown(text: str) -> str:
    """Text as printed: tabs expanded, other control characters made visible."""
    out = []
    for char in text:
        if char == "\t":
            out.append(" " * TAB_WIDTH)
        elif unicodedata.category(char) == "Cc":
            out.append("?")
        else:
            out.append(char)
    return "".join(out)


def snippet(finding: Finding, text: str, style: Styler) -> list[str]:
    """The source line and a caret line marking the finding's range on it."""
    start = min(max(0, finding.column - 1), len(text))
    if finding.end_line == finding.line:
        end = min(max(start, finding.end_column - 1), len(text))
    else:
        end = len(text)  # a range over several lines: underline to the end of the first
    end = max(end, start + 1)  # always show at least one caret

    # Window long lines so that the range stays visible.
    lo, hi = 0, len(text)
    if sum(char_width(c) for c in text) > MAX_SNIPPET_WIDTH:
        lo = max(0, start - MAX_SNIPPET_WIDTH // 3)
        hi = lo
        width = 0
        while hi < len(text) and width < MAX_SNIPPET_WIDTH:
            width += char_width(text[hi])
            hi += 1
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    visible = text[lo:hi]
    pad = len(prefix) + sum(char_width(c) for c in text[lo:start])
    mark = max(1, sum(char_width(c) for c in text[start : min(end, hi)]))

    gutter = str(finding.line)
    bar = style("|", dim=True)
    carets = style("^" * mark, **SEVERITY_STYLES[finding.severity])
    return [
        f"  {style(gutter, dim=True)} {bar} {prefix}{shown(visible)}{suffix}",
        f"  {' ' * len(gutter)} {bar} {' ' * pad}{carets}",
    ]


def suppressed_line(path: str, finding: Finding, suppression: Suppression, style: Styler) -> str:
    by = {
        "comment": f"a comment on line {suppression.line}",
        "front-matter": "the front matter",
        "config": "the configuration",
    }.get(suppression.source, suppression.source)
    reason = f": {suppression.reason}" if suppression.reason else ""
    first = finding.message.splitlines()[0] if finding.message else ""
    text = f"{location(path, finding)}: suppressed {finding.rule} {first} (by {by}{reason})"
    return style(text, dim=True)
