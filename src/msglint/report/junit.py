"""``--format junit``: JUnit XML, so that CI test views list findings as failed tests.

One ``<testsuite>`` per file. Each finding is a ``<testcase>`` with a ``<failure>``; suppressed
findings are ``<skipped>`` test cases; a clean file gets one passing test case so CI shows it.
Test case names are unique within their class (a counter is added to duplicates).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from msglint.model import FileResult, Finding, RunResult
from msglint.report.base import SourceLines, sorted_findings

# Characters XML 1.0 does not allow at all; ElementTree would write them and break the file.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


def class_name(path: str) -> str:
    """The file's path with dots, as JUnit viewers group by dotted class names."""
    return ".".join(part for part in re.split(r"[/\\]+", path) if part not in ("", "."))


def render(result: RunResult) -> str:
    root = ET.Element("testsuites", {"name": "msglint"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for file in result.files:
        suite = file_suite(file)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def file_suite(file: FileResult) -> ET.Element:
    classname = xml_text(class_name(file.path) or file.path)
    suite = ET.Element("testsuite", {"name": xml_text(file.path)})
    source = SourceLines(file.source)
    used: dict[str, int] = {}

    def testcase(name: str, finding: Finding | None) -> ET.Element:
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name} ({used[name]})"
        attrs = {"classname": classname, "name": xml_text(name), "file": xml_text(file.path)}
        if finding is not None:
            attrs["line"] = str(finding.line)
        return ET.SubElement(suite, "testcase", attrs)

    findings = sorted_findings(file.findings)
    for finding in findings:
        case = testcase(f"{finding.rule} line {finding.line} col {finding.column}", finding)
        failure = ET.SubElement(
            case,
            "failure",
            {"message": xml_text(finding.message), "type": str(finding.severity)},
        )
        failure.text = xml_text(details(file.path, finding, source))
    suppressed = sorted(file.suppressed, key=lambda pair: pair[0].sort_key())
    for finding, suppression in suppressed:
        case = testcase(f"{finding.rule} line {finding.line} col {finding.column}", finding)
        reason = f": {suppression.reason}" if suppression.reason else ""
        ET.SubElement(case, "skipped", {"message": xml_text(f"suppressed{reason}")})
    if not findings:
        testcase("no problems", None)
    suite.set("tests", str(len(findings) + len(suppressed) + (0 if findings else 1)))
    suite.set("failures", str(len(findings)))
    suite.set("errors", "0")
    suite.set("skipped", str(len(suppressed)))
    return suite


def details(path: str, finding: Finding, source: SourceLines) -> str:
    lines = [f"{path}:{finding.line}:{finding.column}: {finding.severity} {finding.rule}"]
    lines.append(finding.message)
    text = source.line_text(finding.line) if finding.line >= 1 else None
    if text:
        lines.append(f"{finding.line} | {text}")
    if finding.fix is not None:
        lines.append(f"fix available: {finding.fix.description} (msglint check --fix)")
    return "\n".join(lines)
