"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from msglint.model import Finding, RunResult, Severity
from msglint.report.base import count, end_position, posix_path, sorted_findings
from msglint.report.text import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (GitHub's ``escapeData``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value (GitHub's ``escapeProperty``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding) -> str:
    end_line, end_column = end_position(finding)
    properties = {
        "file": posix_path(path),
        "line": str(max(1, finding.line)),
        "col": str(max(1, finding.column)),
        "endLine": str(end_line),
        "endColumn": str(end_column),
        "title": f"msglint {finding.rule}",
    }
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = finding.message
    if finding.fix is not None:
        message += f"\n\nFix available (msglint check --fix): {finding.fix.description}"
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def render(result: RunResult) -> str:
    lines = [
        annotation(file.path, finding)
        for file in result.files
        for finding in sorted_findings(file.findings)
    ]
    # A plain line (not a command) shows up in the job log.
    lines.append(summary_line(count(result)))
    return "\n".join(lines) + "\n"
