"""Suppression directives: comments in templates, front matter and config.

``{# msglint: disable=tone/shouting -- product name #}`` on the line before a finding (or at the
end of its line), ``{# msglint: disable-file=length/ #}`` anywhere; the same in HTML comments
(``<!-- msglint: ... -->``) or YAML comments (``# msglint: ...``). A reason follows ``--`` or
``reason=``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msglint.lazy import lazy_pattern
from msglint.mapping import LineIndex
from msglint.model import Finding, Suppression

_directive = lazy_pattern(
    r"msglint:\s*(?P<kind>disable-file|disable-next-line|disable)\s*=\s*"
    r"(?P<rules>[A-Za-z0-9_*/,\- ]+?)"
    # "--" starts a reason, but "-->" ends an HTML comment.
    r"(?:\s+(?:--(?!>)|reason[=:])\s*(?P<reason>.*?))?"
    r"\s*(?:#\}|-->|\*/|%\}|$)",
    re.MULTILINE,
)


def parse_directives(text: str, lines: LineIndex) -> list[Suppression]:
    """Every suppression comment in a template file."""
    found: list[Suppression] = []
    if "msglint:" not in text:
        return found
    for m in _directive().finditer(text):
        line, _ = lines.position(m.start())
        scope = "file" if m.group("kind") == "disable-file" else "next-line"
        reason = (m.group("reason") or "").strip().strip("\"'") or None
        for rule in re.split(r"[,\s]+", m.group("rules").strip()):
            if rule:
                found.append(Suppression(rule, line, scope, reason, "comment"))
    return found


def is_suppressed(
    finding: Finding, suppressions: Sequence[Suppression], lines: LineIndex
) -> Suppression | None:
    """The suppression that covers a finding, if any."""
    for s in suppressions:
        if not s.matches(finding.rule):
            continue
        if s.scope == "file":
            return s
        # The directive's own line (trailing comment) or the next non-empty line.
        if finding.line == s.line or finding.line == _next_content_line(lines, s.line):
            return s
    return None


def _next_content_line(lines: LineIndex, line: int) -> int:
    nxt = line + 1
    while lines.line_text(nxt).strip() == "" and nxt < line + 20:
        if lines.offset(nxt) >= len(lines.text):
            break
        nxt += 1
    return nxt
