"""``--format gitlab``: GitLab Code Quality report (a JSON list of issues)."""

from __future__ import annotations

import json
from typing import Any

from msglint.model import RunResult, Severity
from msglint.report.base import end_position, fingerprints, posix_path, sorted_findings

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(result: RunResult) -> str:
    issues: list[dict[str, Any]] = []
    for file in result.files:
        reported = sorted_findings(file.findings)
        # Suppressed findings take part in numbering so that suppressing one keeps the others'.
        prints = fingerprints(file, reported + [f for f, _ in file.suppressed])
        for finding, fingerprint in zip(reported, prints, strict=False):
            end_line, _ = end_position(finding)
            issues.append(
                {
                    "description": finding.message or finding.rule,
                    "check_name": finding.rule,
                    "fingerprint": fingerprint,
                    "severity": SEVERITIES[finding.severity],
                    "location": {
                        "path": posix_path(file.path),
                        "lines": {"begin": max(1, finding.line), "end": end_line},
                    },
                }
            )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
