"""``--format json``: schema 1, the machine-readable public contract.

Shape (key order is fixed; ``ensure_ascii=False``; one line per file, so that large reports are
fast to write and still easy to grep or diff)::

    {"schema": 1, "msglint_version": "0.1.0",
     "files": [{"path", "channel", "language", "category", "metrics",
                "findings": [FINDING, ...],
                "suppressions": [{"rule", "line", "reason", "source", "finding": FINDING}]}],
     "summary": {"files", "errors", "warnings", "infos", "suppressed"}}

    FINDING = {"rule", "severity", "message", "line", "column", "end_line", "end_column",
               "part", "fix"}

Lines and columns are 1-based and count characters (Unicode code points); ``end_column`` is
exclusive. ``severity`` is "error", "warning" or "info". In a suppression, ``rule`` is the
directive's selector (a rule id, a ``family/`` prefix or ``*``), ``line`` the directive's line
(0 for config and front matter) and ``source`` is "comment", "front-matter" or "config".

``fix`` is ``null`` or::

    {"description": "…",
     "edits": [{"start_line", "start_column", "end_line", "end_column",
                "start_offset", "end_offset", "replacement"}]}

An edit replaces the file's characters from (``start_line``, ``start_column``) up to, not
including, (``end_line``, ``end_column``); ``start_offset``/``end_offset`` are the same range as
character offsets into the whole file. Line and column are ``null`` when the reporter was not
given the file's text; the offsets are always there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

import msglint
from msglint.model import FileResult, Finding, RunResult, Suppression
from msglint.report.base import SourceLines, count, sorted_findings

SCHEMA_VERSION = 1


def render(result: RunResult) -> str:
    counts = count(result)
    summary = {
        "files": counts.files,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "infos": counts.infos,
        "suppressed": counts.suppressed,
    }

    # No indent: with indent, json falls back to its pure-Python encoder (slow for big runs).
    # One encoder for the run: json.dumps with these options would make one per file.
    dump = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

    files = ",\n".join(dump(file_to_json(file)) for file in result.files)
    return (
        f'{{"schema": {SCHEMA_VERSION}, "msglint_version": {dump(msglint.__version__)},\n'
        f'"files": [\n{files}\n],\n"summary": {dump(summary)}}}\n'
    )


def file_to_json(file: FileResult) -> dict[str, Any]:
    lines = SourceLines(file.source)
    suppressed = sorted(file.suppressed, key=lambda pair: pair[0].sort_key())
    return {
        "path": file.path,
        "channel": file.channel,
        "language": file.language,
        "category": file.category,
        "metrics": plain(file.metrics),
        "findings": [finding_to_json(f, lines) for f in sorted_findings(file.findings)],
        "suppressions": [suppression_to_json(f, s, lines) for f, s in suppressed],
    }


def finding_to_json(finding: Finding, lines: SourceLines) -> dict[str, Any]:
    fix = None
    if finding.fix is not None:
        edits = []
        for edit in finding.fix.edits:
            where = lines.edit_range(edit)
            start_line, start_column, end_line, end_column = where or (None, None, None, None)
            edits.append(
                {
                    "start_line": start_line,
                    "start_column": start_column,
                    "end_line": end_line,
                    "end_column": end_column,
                    "start_offset": edit.start,
                    "end_offset": edit.end,
                    "replacement": edit.replacement,
                }
            )
        fix = {"description": finding.fix.description, "edits": edits}
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "part": finding.part,
        "fix": fix,
    }


def suppression_to_json(
    finding: Finding, suppression: Suppression, lines: SourceLines
) -> dict[str, Any]:
    return {
        "rule": suppression.rule,
        "line": suppression.line,
        "reason": suppression.reason,
        "source": suppression.source,
        "finding": finding_to_json(finding, lines),
    }


def plain(value: Any) -> Any:
    """Metrics as plain JSON values (no NaN, sets or stray objects that would break output)."""
    # The built-in types metrics are made of first (by exact type: an IntEnum is not an int
    # here), without the isinstance chain and its abstract Mapping check.
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, PurePath):
        return value.as_posix()
    return str(value)
