from __future__ import annotations

import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from msglint.atomic import write_atomically
from msglint.model import Edit, FileResult, Finding, Fix, RunResult, Severity, Suppression
from msglint.report import FORMATS, render_report
from msglint.report.github import escape_data, escape_property
from msglint.rules.registry import RuleDoc, RuleInfo

SARIF_SCHEMA = (
    Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)

SOURCE = (
    "---\nchannel: sms\n---\nHallo {{ name }}, JETZT KAUFEN!!!\nGrüße – 50% Rabatt: heute, morgen\n"
)
TRICKY_MESSAGE = "50% Rabatt: heute, morgen\nzweite Zeile – Grüße"


def offset(source: str, line: int, column: int) -> int:
    return sum(len(x) + 1 for x in source.split("\n")[: line - 1]) + column - 1


def make_result(prefix_lines: int = 0) -> RunResult:
    """Two templates: one with problems, one clean. ``prefix_lines`` moves everything down."""
    source = "\n" * prefix_lines + SOURCE
    line4, line5 = 4 + prefix_lines, 5 + prefix_lines
    shout_start = offset(source, line4, 19)
    assert source[shout_start : shout_start + 12] == "JETZT KAUFEN"
    shouting = Finding(
        rule="tone/shouting",
        severity=Severity.WARNING,
        message="„JETZT KAUFEN“ reads like shouting.",
        line=line4,
        column=19,
        end_line=line4,
        end_column=31,
        part="body",
        fix=Fix("Write it in normal case", (Edit(shout_start, shout_start + 12, "jetzt kaufen"),)),
        start=shout_start,
        end=shout_start + 12,
    )
    # Two identical findings on one line (e.g. two rendered samples hitting the same spot).
    pressure = Finding(
        rule="tone/pressure",
        severity=Severity.INFO,
        message="Several exclamation marks in a row",
        line=line4,
        column=31,
        end_line=line4,
        end_column=34,
        part="body",
    )
    tricky = Finding(
        rule="compliance/forbidden-claim",
        severity=Severity.ERROR,
        message=TRICKY_MESSAGE,
        line=line5,
        column=9,
        end_line=line5,
        end_column=19,
        part="body",
    )
    silenced = Finding(
        rule="jargon/anglicism",
        severity=Severity.WARNING,
        message="„Rabatt“ is fine, really",
        line=line5,
        column=12,
        end_line=line5,
        end_column=18,
    )
    first = FileResult(
        path="mails/de/angebot.sms",
        channel="sms",
        language="de",
        category="marketing",
        findings=[tricky, pressure, shouting, pressure],
        metrics={
            "words": 9,
            "sms": {"encoding": "UCS-2", "units": 70, "segments": 1},
            "scores": {"tone": 40, "readability": 71.6, "overall": 55, "jargon": 90},
        },
        suppressed=[
            (
                silenced,
                Suppression(
                    "jargon/",
                    line=3 + prefix_lines,
                    scope="next-line",
                    reason="Legal: keep „Rabatt“",
                    source="comment",
                ),
            ),
        ],
        fixed=["Replaced „Kunde“ with „Sie“"],
        source=source,
    )
    clean = FileResult(path="./push/ok.push.yaml", channel="push", language="en", category=None)
    no_source = FileResult(
        path="letters/brief.letter.md",
        channel="letter",
        language="de",
        category="service",
        findings=[
            Finding(
                rule="template/syntax",
                severity=Severity.ERROR,
                message="Unclosed tag",
                line=2,
                column=1,
                end_line=2,
                end_column=1,
                fix=Fix("Close the tag", (Edit(10, 10, "%}"),)),
            )
        ],
    )
    return RunResult(files=[first, clean, no_source])


def rule_info(rule_id: str, severity: Severity = Severity.WARNING) -> RuleInfo:
    doc = RuleDoc(
        what=f"Checks {rule_id}",
        why="Customers stop reading",
        bad="KAUFEN ```now```",
        good="Kaufen",
        fix="Rewrite it",
        options={"min_length": "shortest word"},
    )
    return RuleInfo(id=rule_id, severity=severity, summary=f"Summary of {rule_id}", doc=doc)


RULES = {
    "tone/shouting": rule_info("tone/shouting"),
    "tone/pressure": rule_info("tone/pressure", Severity.INFO),
    "compliance/forbidden-claim": rule_info("compliance/forbidden-claim", Severity.ERROR),
    "jargon/anglicism": rule_info("jargon/anglicism"),
    # template/syntax is missing on purpose: it is looked up in the registry instead.
}


def render(fmt: str, result: RunResult | None = None, **kw: Any) -> str:
    return render_report(fmt, result or make_result(), rules=RULES, **kw)


# --- dispatcher --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_and_ends_with_newline(fmt: str) -> None:
    out = render(fmt)
    assert out.endswith("\n")
    assert render(fmt) == out  # deterministic


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render("html")


# --- json --------------------------------------------------------------------------------------


FINDING_KEYS = [
    "rule",
    "severity",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "part",
    "fix",
]


def test_json_follows_schema_1_with_fixed_key_order() -> None:
    out = render("json")
    doc = json.loads(out)
    assert list(doc) == ["schema", "msglint_version", "files", "summary"]
    assert doc["schema"] == 1
    assert doc["summary"] == {"files": 3, "errors": 2, "warnings": 1, "infos": 2, "suppressed": 1}
    assert list(doc["summary"]) == ["files", "errors", "warnings", "infos", "suppressed"]
    first = doc["files"][0]
    assert list(first) == [
        "path",
        "channel",
        "language",
        "category",
        "metrics",
        "findings",
        "suppressions",
    ]
    assert first["metrics"]["sms"] == {"encoding": "UCS-2", "units": 70, "segments": 1}
    assert all(list(f) == FINDING_KEYS for f in first["findings"])
    # Sorted by line, then column.
    assert [(f["line"], f["column"]) for f in first["findings"]] == [
        (4, 19),
        (4, 31),
        (4, 31),
        (5, 9),
    ]
    assert first["findings"][0]["severity"] == "warning"
    assert first["findings"][3]["message"] == TRICKY_MESSAGE
    assert "Grüße" in out  # ensure_ascii=False


def test_json_fix_edits_have_line_and_column_from_the_source() -> None:
    doc = json.loads(render("json"))
    fix = doc["files"][0]["findings"][0]["fix"]
    assert fix["description"] == "Write it in normal case"
    (edit,) = fix["edits"]
    assert (edit["start_line"], edit["start_column"], edit["end_line"], edit["end_column"]) == (
        4,
        19,
        4,
        31,
    )
    assert edit["replacement"] == "jetzt kaufen"
    assert SOURCE[edit["start_offset"] : edit["end_offset"]] == "JETZT KAUFEN"
    # Without the source only the offsets are known.
    (edit,) = doc["files"][2]["findings"][0]["fix"]["edits"]
    assert edit["start_line"] is None and edit["start_offset"] == 10


def test_json_lists_suppressions_with_their_finding() -> None:
    doc = json.loads(render("json"))
    (sup,) = doc["files"][0]["suppressions"]
    assert list(sup) == ["rule", "line", "reason", "source", "finding"]
    assert sup["rule"] == "jargon/" and sup["line"] == 3 and sup["source"] == "comment"
    assert sup["finding"]["rule"] == "jargon/anglicism"
    assert list(sup["finding"]) == FINDING_KEYS
    assert doc["files"][1]["findings"] == [] and doc["files"][1]["suppressions"] == []


def test_json_metrics_never_produce_invalid_json() -> None:
    result = RunResult(
        [FileResult("a.sms", "sms", "de", None, metrics={"x": float("nan"), "s": {"b", "a"}})]
    )
    doc = json.loads(render("json", result))
    assert doc["files"][0]["metrics"] == {"x": None, "s": ["a", "b"]}


# --- sarif -------------------------------------------------------------------------------------


def sarif(result: RunResult | None = None) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(render("sarif", result))
    return out


def test_sarif_is_valid_against_the_2_1_0_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(sarif(), schema)


def test_sarif_without_rule_metadata_is_still_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    monkeypatch.setattr("msglint.rules.registry.get_info", lambda rule_id: None)
    doc = json.loads(render_report("sarif", make_result()))
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert {r["shortDescription"]["text"] for r in rules} == {r["id"] for r in rules}


def test_sarif_takes_rules_missing_from_the_mapping_from_the_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("msglint.rules.registry.get_info", lambda rule_id: rule_info(rule_id))
    rules = sarif()["runs"][0]["tool"]["driver"]["rules"]
    syntax = next(r for r in rules if r["id"] == "template/syntax")
    assert syntax["shortDescription"]["text"] == "Summary of template/syntax"


def test_sarif_rules_results_and_regions() -> None:
    run = sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "jargon/anglicism" in ids and "template/syntax" in ids
    shouting = rules[ids.index("tone/shouting")]
    assert shouting["name"] == "ToneShouting"
    assert shouting["defaultConfiguration"] == {"level": "warning"}
    assert "````text\nKAUFEN ```now```\n````" in shouting["help"]["markdown"]
    results = run["results"]
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["tone/pressure"] == "note" and levels["compliance/forbidden-claim"] == "error"
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "mails/de/angebot.sms", "uriBaseId": "%SRCROOT%"}
    assert first["region"] == {"startLine": 4, "startColumn": 19, "endLine": 4, "endColumn": 31}
    change = results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert change["insertedContent"] == {"text": "jetzt kaufen"}
    assert change["deletedRegion"]["startColumn"] == 19
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["jargon/anglicism"]
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource"
    assert suppressed[0]["suppressions"][0]["justification"] == "Legal: keep „Rabatt“"
    # No source: offsets instead of lines; an empty range still ends at or after its start.
    last = results[-1]
    assert last["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"] == {
        "charOffset": 10,
        "charLength": 0,
    }
    region = last["locations"][0]["physicalLocation"]["region"]
    assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])


def fingerprints_of(doc: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"]["msglintFingerprint/v1"] for r in doc["runs"][0]["results"]]


def test_sarif_fingerprints_are_unique_and_survive_lines_moving() -> None:
    before = fingerprints_of(sarif(make_result()))
    after_doc = sarif(make_result(prefix_lines=3))
    assert (
        after_doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"][
            "startLine"
        ]
        == 7
    )
    assert fingerprints_of(after_doc) == before
    assert len(set(before)) == len(before)  # the two identical findings differ


def test_sarif_uris_are_relative_and_encoded() -> None:
    result = RunResult(
        [
            FileResult(
                "./a dir\\ö.sms",
                "sms",
                "de",
                None,
                findings=[Finding("tone/shouting", Severity.WARNING, "x")],
            )
        ]
    )
    location = sarif(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "a%20dir/%C3%B6.sms", "uriBaseId": "%SRCROOT%"}


# --- github ------------------------------------------------------------------------------------


def test_github_escaping_follows_the_toolkit() -> None:
    assert escape_data("50%\r\n: ,") == "50%25%0D%0A: ,"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_github_annotations() -> None:
    lines = render("github").splitlines()
    tricky = next(x for x in lines if "forbidden-claim" in x)
    assert tricky == (
        "::error file=mails/de/angebot.sms,line=5,col=9,endLine=5,endColumn=19,"
        "title=msglint compliance/forbidden-claim::"
        "50%25 Rabatt: heute, morgen%0Azweite Zeile – Grüße"
    )
    assert sum(x.startswith("::notice ") for x in lines) == 2
    shouting = next(x for x in lines if "tone/shouting" in x)
    assert shouting.startswith("::warning ") and "%0A%0AFix available" in shouting
    assert not any("anglicism" in x for x in lines)  # suppressed findings are not annotated
    assert not lines[-1].startswith("::")
    # One line per annotation: no raw newline survives inside a command.
    assert len([x for x in lines if x.startswith("::")]) == 5


# --- junit -------------------------------------------------------------------------------------


def test_junit_parses_and_test_names_are_unique() -> None:
    out = render("junit")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("7", "5", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "mails/de/angebot.sms",
        "./push/ok.push.yaml",
        "letters/brief.letter.md",
    ]
    cases = root.iter("testcase")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(keys) == len(set(keys))
    assert ("mails.de.angebot.sms", "tone/pressure line 4 col 31 (2)") in keys
    failure = root.find(".//failure[@type='error']")
    assert failure is not None and failure.get("message") == TRICKY_MESSAGE
    assert "Grüße" in (failure.text or "")
    # The clean file shows up as a passing test case.
    clean = suites[1].findall("testcase")
    assert len(clean) == 1 and not list(clean[0])


def test_junit_survives_characters_xml_cannot_hold() -> None:
    result = RunResult(
        [
            FileResult(
                "a.sms",
                "sms",
                "de",
                None,
                findings=[Finding("tone/shouting", Severity.WARNING, "bad \x00\x1b char <&>")],
            )
        ]
    )
    failure = ET.fromstring(render("junit", result).encode()).find(".//failure")
    assert failure is not None and failure.get("message") == "bad \ufffd\ufffd char <&>"


# --- gitlab ------------------------------------------------------------------------------------


def test_gitlab_code_quality_issues_have_unique_fingerprints() -> None:
    issues = json.loads(render("gitlab"))
    assert len(issues) == 5
    assert len({i["fingerprint"] for i in issues}) == 5
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["compliance/forbidden-claim"]["severity"] == "major"
    assert by_rule["tone/shouting"]["severity"] == "minor"
    assert by_rule["tone/pressure"]["severity"] == "info"
    assert by_rule["tone/shouting"]["location"] == {
        "path": "mails/de/angebot.sms",
        "lines": {"begin": 4, "end": 4},
    }
    assert set(issues[0]) == {"description", "check_name", "fingerprint", "severity", "location"}


# --- text --------------------------------------------------------------------------------------


def test_text_puts_the_caret_under_the_range() -> None:
    lines = render("text").splitlines()
    i = lines.index(
        "mails/de/angebot.sms:4:19: warning tone/shouting „JETZT KAUFEN“ reads like shouting."
    )
    source_line, caret_line = lines[i + 1], lines[i + 2]
    assert source_line.endswith("Hallo {{ name }}, JETZT KAUFEN!!!")
    assert caret_line.index("^") == source_line.index("JETZT")
    assert caret_line.strip().endswith("^" * 12) and "^" * 13 not in caret_line
    assert "fix available: Write it in normal case" in lines[i + 3]


def test_text_caret_accounts_for_wide_characters_and_tabs() -> None:
    source = "\t日本 KAUFEN\n"
    result = RunResult(
        [
            FileResult(
                "a.sms",
                "sms",
                "ja",
                None,
                source=source,
                findings=[Finding("tone/shouting", Severity.WARNING, "x", 1, 5, 1, 11)],
            )
        ]
    )
    lines = render("text", result).splitlines()
    assert lines[3].index("^") == lines[2].index("KAUFEN") + 2  # 日本 are two columns each
    assert lines[3].count("^") == 6


def test_text_report_layout_and_summary() -> None:
    out = render("text")
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == "mails/de/angebot.sms (sms, de, marketing)"
    assert lines[1].strip() == "scores: readability 72 · jargon 90 · tone 40 · overall 55"
    assert "  fixed: Replaced „Kunde“ with „Sie“" in lines
    # Multi-line messages keep the greppable first line and indent the rest.
    i = lines.index(
        "mails/de/angebot.sms:5:9: error compliance/forbidden-claim 50% Rabatt: heute, morgen"
    )
    assert lines[i + 1] == "    zweite Zeile – Grüße"
    # Findings are in line/column order.
    locations = [x.split(": ")[0] for x in lines if x.startswith("mails/de/angebot.sms:")]
    assert locations == [
        "mails/de/angebot.sms:4:19",
        "mails/de/angebot.sms:4:31",
        "mails/de/angebot.sms:4:31",
        "mails/de/angebot.sms:5:9",
    ]
    assert "push/ok.push.yaml" not in out  # clean files only in verbose mode
    assert "anglicism" not in out
    assert lines[-1] == "2 errors, 1 warning, 2 info in 2 files (3 checked); 1 suppressed, 1 fixed."


def test_text_verbose_lists_suppressed_findings_and_clean_files() -> None:
    out = render("text", verbose=True)
    assert (
        "mails/de/angebot.sms:5:12: suppressed jargon/anglicism „Rabatt“ is fine, really "
        "(by a comment on line 3: Legal: keep „Rabatt“)"
    ) in out
    assert "./push/ok.push.yaml (push, en)\n  no problems found" in out


def test_text_color_only_when_asked() -> None:
    assert "\x1b[" in render("text", color=True)


def test_text_clean_run() -> None:
    result = RunResult(
        [FileResult("a.sms", "sms", "de", None), FileResult("b.sms", "sms", "de", None)]
    )
    assert render("text", result) == "No problems found in 2 files.\n"
    assert render("text", RunResult([])) == "No files checked.\n"


# --- write_atomically --------------------------------------------------------------------------


def test_write_atomically_replaces_content_keeps_mode_and_leaves_no_temp_files(
    tmp_path: Path,
) -> None:
    target = tmp_path / "welcome.email.html"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomically(target, "neu – Grüße\r\n")
    assert target.read_bytes() == "neu – Grüße\r\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["welcome.email.html"]


def test_write_atomically_creates_new_files_and_follows_symlinks(tmp_path: Path) -> None:
    new = tmp_path / "report.sarif"
    write_atomically(new, "{}\n")
    assert new.read_text(encoding="utf-8") == "{}\n"
    link = tmp_path / "link.sms"
    real = tmp_path / "real.sms"
    real.write_text("a", encoding="utf-8")
    link.symlink_to(real)
    write_atomically(link, "b")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "b"
    assert not [p for p in tmp_path.iterdir() if re.search(r"\.tmp$", p.name)]


def test_write_atomically_cleans_up_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "a.sms"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "ü", encoding="ascii")
    assert target.read_text(encoding="utf-8") == "keep"
    assert [p.name for p in tmp_path.iterdir()] == ["a.sms"]
