"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver.rules`` lists every rule that has a reported or suppressed finding
(sorted by id); suppressed findings appear as results with ``suppressions``. Columns count
Unicode code points (``run.columnKind``); URIs are relative to ``%SRCROOT%``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import msglint
from msglint.model import FileResult, Finding, RunResult, Severity, Suppression
from msglint.report.base import (
    RuleLookup,
    SourceLines,
    all_findings,
    end_position,
    fingerprints,
    posix_path,
    sorted_findings,
)
from msglint.rules.registry import RuleInfo

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/msglint/"
FINGERPRINT_KEY = "msglintFingerprint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: RunResult, lookup: RuleLookup) -> str:
    return json.dumps(to_sarif(result, lookup), ensure_ascii=False, indent=2) + "\n"


def to_sarif(result: RunResult, lookup: RuleLookup) -> dict[str, Any]:
    first_severity: dict[str, Severity] = {}
    for file in result.files:
        for finding in all_findings(file):
            first_severity.setdefault(finding.rule, finding.severity)
    rule_ids = sorted(first_severity)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    descriptors = [
        rule_descriptor(rule_id, lookup(rule_id), first_severity[rule_id]) for rule_id in rule_ids
    ]

    results: list[dict[str, Any]] = []
    for file in result.files:
        results.extend(file_results(file, rule_index))

    invocation: dict[str, Any] = {"executionSuccessful": True}
    if result.notices:
        invocation["toolExecutionNotifications"] = [
            {"level": "note", "message": {"text": notice}} for notice in result.notices
        ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "msglint",
                        "version": msglint.__version__,
                        "semanticVersion": msglint.__version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def rule_descriptor(rule_id: str, info: RuleInfo | None, seen: Severity) -> dict[str, Any]:
    family = rule_id.split("/", 1)[0]
    descriptor: dict[str, Any] = {"id": rule_id, "name": rule_name(rule_id)}
    if info is None:
        # A rule the registry does not know (a plug-in that is gone): say only what we know.
        descriptor["shortDescription"] = {"text": rule_id}
        descriptor["defaultConfiguration"] = {"level": LEVELS[seen]}
        descriptor["properties"] = {"tags": [family]}
        return descriptor
    doc = info.doc
    descriptor["shortDescription"] = {"text": info.summary or rule_id}
    descriptor["fullDescription"] = {"text": doc.what or info.summary or rule_id}
    descriptor["help"] = {"text": help_text(info), "markdown": help_markdown(info)}
    descriptor["defaultConfiguration"] = {"level": LEVELS[info.severity]}
    tags = [family] + (["fixable"] if info.fixable else [])
    descriptor["properties"] = {"tags": tags}
    return descriptor


def rule_name(rule_id: str) -> str:
    """A readable identifier for the rule: ``tone/shouting`` → ``ToneShouting``."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[/_\-.\s]+", rule_id))


def help_text(info: RuleInfo) -> str:
    doc = info.doc
    sections = [
        ("What it checks", doc.what),
        ("Why it matters", doc.why),
        ("Example", doc.bad),
        ("Better", doc.good),
        ("How to fix", doc.fix),
    ]
    text = "\n\n".join(f"{title}: {body}" for title, body in sections if body)
    if doc.options:
        options = "\n".join(f"  {name}: {desc}" for name, desc in doc.options.items())
        text += f"\n\nOptions:\n{options}"
    return text or info.summary


def help_markdown(info: RuleInfo) -> str:
    doc = info.doc
    out: list[str] = []
    if doc.what:
        out.append(f"**What it checks:** {doc.what}")
    if doc.why:
        out.append(f"**Why it matters:** {doc.why}")
    if doc.bad:
        out.append(f"**Example:**\n\n{fenced(doc.bad)}")
    if doc.good:
        out.append(f"**Better:**\n\n{fenced(doc.good)}")
    if doc.fix:
        out.append(f"**How to fix:** {doc.fix}")
    if doc.options:
        out.append(
            "**Options:**\n\n"
            + "\n".join(f"- `{name}`: {desc}" for name, desc in doc.options.items())
        )
    return "\n\n".join(out) or info.summary


def fenced(text: str) -> str:
    # A fence longer than any backtick run inside the example keeps it intact.
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def artifact_location(path: str) -> dict[str, Any]:
    """A relative URI under ``%SRCROOT%`` (forward slashes, percent-encoded)."""
    native = Path(path)
    if native.is_absolute():
        try:
            path = native.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return {"uri": native.as_uri()}
    return {"uri": quote(posix_path(path), safe="/"), "uriBaseId": "%SRCROOT%"}


def file_results(file: FileResult, rule_index: dict[str, int]) -> list[dict[str, Any]]:
    lines = SourceLines(file.source)
    location = artifact_location(file.path)
    reported = sorted_findings(file.findings)
    suppressed = sorted(file.suppressed, key=lambda pair: pair[0].sort_key())
    combined = reported + [finding for finding, _ in suppressed]
    prints = fingerprints(file, combined)
    out = []
    for i, finding in enumerate(combined):
        item = result_for(finding, location, lines, rule_index, prints[i])
        if i >= len(reported):
            item["suppressions"] = [suppression_for(suppressed[i - len(reported)][1], location)]
        out.append(item)
    return out


def result_for(
    finding: Finding,
    location: dict[str, Any],
    lines: SourceLines,
    rule_index: dict[str, int],
    fingerprint: str,
) -> dict[str, Any]:
    start_line, start_column = max(1, finding.line), max(1, finding.column)
    end_line, end_column = end_position(finding)
    item: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.rule},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {
                        "startLine": start_line,
                        "startColumn": start_column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if finding.part:
        item["properties"] = {"part": finding.part}
    if finding.fix is not None and finding.fix.edits:
        replacements = []
        for edit in finding.fix.edits:
            where = lines.edit_range(edit)
            if where is not None:
                deleted: dict[str, int] = {
                    "startLine": where[0],
                    "startColumn": where[1],
                    "endLine": where[2],
                    "endColumn": where[3],
                }
            else:
                deleted = {"charOffset": edit.start, "charLength": max(0, edit.end - edit.start)}
            replacements.append(
                {"deletedRegion": deleted, "insertedContent": {"text": edit.replacement}}
            )
        item["fixes"] = [
            {
                "description": {"text": finding.fix.description},
                "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
            }
        ]
    return item


def suppression_for(suppression: Suppression, location: dict[str, Any]) -> dict[str, Any]:
    # Comments and front matter live in the template; config is outside it.
    kind = "external" if suppression.source == "config" else "inSource"
    out: dict[str, Any] = {"kind": kind, "status": "accepted"}
    if suppression.reason:
        out["justification"] = suppression.reason
    if kind == "inSource" and suppression.line > 0:
        out["location"] = {
            "physicalLocation": {
                "artifactLocation": location,
                "region": {"startLine": suppression.line},
            }
        }
    return out
