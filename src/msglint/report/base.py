"""What every reporter needs: ordering, counts, rule lookup, fingerprints, edit positions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from msglint.mapping import LineIndex
from msglint.model import Edit, FileResult, Finding, RunResult, Severity
from msglint.rules.registry import RuleInfo

RuleLookup = Callable[[str], "RuleInfo | None"]


def rule_lookup(rules: Mapping[str, RuleInfo] | None) -> RuleLookup:
    """A function from rule id to its info: the given mapping first, then the registry."""

    def lookup(rule_id: str) -> RuleInfo | None:
        if rules is not None and rule_id in rules:
            return rules[rule_id]
        from msglint.rules.registry import get_info

        return get_info(rule_id)

    return lookup


def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in reading order (line, column; then rule and message, for determinism)."""
    return sorted(findings, key=Finding.sort_key)


class Counts(NamedTuple):
    files: int
    files_with_findings: int
    errors: int
    warnings: int
    infos: int
    suppressed: int
    fixed: int

    @property
    def findings(self) -> int:
        return self.errors + self.warnings + self.infos


def count(result: RunResult) -> Counts:
    # One pass over the findings for all three severities (as RunResult.count's `==` counts).
    severities = Counter(finding.severity for f in result.files for finding in f.findings)
    return Counts(
        files=len(result.files),
        files_with_findings=sum(1 for f in result.files if f.findings),
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        infos=severities[Severity.INFO],
        suppressed=sum(len(f.suppressed) for f in result.files),
        fixed=sum(len(f.fixed) for f in result.files),
    )


class SourceLines:
    """Line texts and offset positions of a file's source, when the reporter has it."""

    def __init__(self, source: str | None) -> None:
        self.index = LineIndex(source) if source is not None else None

    def line_text(self, line: int) -> str | None:
        return self.index.line_text(line) if self.index is not None else None

    def edit_range(self, edit: Edit) -> tuple[int, int, int, int] | None:
        """1-based (start_line, start_column, end_line, end_column) of an edit; end exclusive."""
        if self.index is None:
            return None
        start_line, start_column = self.index.position(edit.start)
        end_line, end_column = self.index.position(max(edit.start, edit.end))
        return start_line, start_column, end_line, end_column


def all_findings(file: FileResult) -> list[Finding]:
    """Reported and suppressed findings together (fingerprints count both)."""
    return list(file.findings) + [finding for finding, _ in file.suppressed]


def fingerprints(file: FileResult, findings: Sequence[Finding]) -> list[str]:
    """A stable hash per finding (aligned with ``findings``).

    Built from rule, path, the finding's source line with whitespace normalised, and an
    occurrence index among findings with the same three: it survives lines moving up or down,
    and identical findings on one line still get different fingerprints. Pass reported and
    suppressed findings together so that suppressing one does not renumber the others.
    """
    lines = SourceLines(file.source)
    order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key())
    seen: dict[str, int] = {}
    result = [""] * len(findings)
    for i in order:
        finding = findings[i]
        text = lines.line_text(finding.line)
        # Without the source, the message is the best stand-in for the line's content.
        anchor = " ".join(text.split()) if text is not None else finding.message
        key = "\0".join((finding.rule, posix_path(file.path), anchor))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        result[i] = hashlib.sha256(f"{key}\0{occurrence}".encode()).hexdigest()
    return result


def end_position(finding: Finding) -> tuple[int, int]:
    """The finding's end, never before its start."""
    start = (max(1, finding.line), max(1, finding.column))
    end = (finding.end_line, max(1, finding.end_column))
    return max(start, end)


def posix_path(path: str) -> str:
    """A relative path as CI tools want it: forward slashes, no leading ``./``."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"
