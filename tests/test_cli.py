"""Behaviour through the command line: exit codes, formats, suppression, fixes, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from msglint.cli import main

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


GOOD_SMS = "Ihr Code ist 482913. Er gilt 10 Minuten.\n"
LONG_UCS2_SMS = "„Hallo“ " + "Text " * 60 + "\n"


def test_clean_sms_exits_0_and_reports_gsm7_metrics(in_tmp: Path, capsys) -> None:
    write(in_tmp / "code.sms", GOOD_SMS)
    code, report = run_json(capsys, "code.sms")
    assert code == 0
    (file,) = report["files"]
    assert file["channel"] == "sms"
    assert file["metrics"]["sms"] == {"encoding": "GSM-7", "units": 40, "segments": 1}
    assert report["summary"]["errors"] == 0


def test_german_quotes_force_ucs2_and_fix_restores_gsm7(in_tmp: Path, capsys) -> None:
    path = write(in_tmp / "info.sms.txt", LONG_UCS2_SMS)
    code, report = run_json(capsys, "info.sms.txt")
    rules = {f["rule"] for f in report["files"][0]["findings"]}
    assert code == 1
    assert "length/sms-encoding" in rules
    assert report["files"][0]["metrics"]["sms"]["encoding"] == "UCS-2"
    code = main(["check", "--fix", "info.sms.txt"])
    capsys.readouterr()
    fixed = path.read_text(encoding="utf-8")
    assert fixed.startswith('"Hallo" ')
    code, report = run_json(capsys, "info.sms.txt")
    assert report["files"][0]["metrics"]["sms"]["encoding"] == "GSM-7"


def test_findings_point_at_template_source_line_and_column(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "t.sms.j2",
        "---\nsamples:\n  - {name: Anna}\n---\nHallo {{ name }},\nbitte „zahlen“ Sie.\n",
    )
    _, report = run_json(capsys, "--select", "length/sms-encoding", "t.sms.j2")
    finding = report["files"][0]["findings"][0]
    assert (finding["line"], finding["column"]) == (6, 7)


def test_unknown_config_key_exits_2_naming_file_and_key(in_tmp: Path, capsys) -> None:
    write(in_tmp / ".msglint.yaml", "language: de\nfail_onn: error\n")
    write(in_tmp / "code.sms", GOOD_SMS)
    code = main(["check", "code.sms"])
    err = capsys.readouterr().err
    assert code == 2
    assert ".msglint.yaml" in err and "fail_onn" in err


def test_unknown_rule_selector_is_a_usage_error(in_tmp: Path, capsys) -> None:
    write(in_tmp / "code.sms", GOOD_SMS)
    assert main(["check", "--select", "nosuch/rule", "code.sms"]) == 2


def test_missing_path_is_a_usage_error(in_tmp: Path, capsys) -> None:
    assert main(["check", "does-not-exist.sms"]) == 2
    assert "does-not-exist.sms" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_jobs_must_be_a_positive_number_or_auto(in_tmp: Path, capsys, value: str) -> None:
    write(in_tmp / "code.sms", GOOD_SMS)
    assert main(["check", "--jobs", value, "code.sms"]) == 2
    assert "'auto'" in capsys.readouterr().err


def test_jobs_auto_and_a_number_give_the_same_report(
    in_tmp: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from msglint import lint

    monkeypatch.setattr(lint, "_FILES_PER_WORKER", 2)  # a pool even for these few files
    monkeypatch.setattr(lint, "_files_per_worker", lambda: 2)
    monkeypatch.setattr(lint, "_usable_cpus", lambda: 2)
    for i in range(6):
        write(in_tmp / f"code{i}.sms", GOOD_SMS if i % 2 else LONG_UCS2_SMS)
    in_this_process: list[object] = []
    real = lint.run_rules

    def counting(*args: object) -> object:
        in_this_process.append(args)  # a forked worker appends to its own copy
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(lint, "run_rules", counting)
    reports = [run_json(capsys, "--no-cache", *jobs, ".") for jobs in ([], ["-j", "3"])]
    assert in_this_process == []  # auto: two workers linted them
    reports.append(run_json(capsys, "--no-cache", "-j", "1", "."))
    assert len(in_this_process) == 6
    assert reports[0] == reports[1] == reports[2]
    assert reports[0][1]["summary"]["files"] == 6


def test_fail_on_error_ignores_warnings(in_tmp: Path, capsys) -> None:
    write(in_tmp / "info.sms.txt", LONG_UCS2_SMS)
    assert main(["check", "--fail-on", "error", "--select", "length/", "info.sms.txt"]) == 0


def test_suppression_comment_moves_finding_to_suppressions(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "s.sms.j2",
        "{# msglint: disable=length/sms-encoding -- Markenname mit Anführungszeichen #}\n"
        "Willkommen bei „Beispiel“.\n",
    )
    _code, report = run_json(capsys, "s.sms.j2")
    file = report["files"][0]
    assert all(f["rule"] != "length/sms-encoding" for f in file["findings"])
    suppressions = [s for s in file["suppressions"] if s["rule"] == "length/sms-encoding"]
    assert suppressions
    assert {s["reason"] for s in suppressions} == {"Markenname mit Anführungszeichen"}


def test_config_suppression_for_files_without_comments(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / ".msglint.yaml",
        "suppress:\n  - glob: '*.push.yaml'\n    rules: [length/]\n    reason: legacy\n",
    )
    write(in_tmp / "a.push.yaml", "title: " + "Sehr langer Titel " * 8 + "\nbody: Hallo\n")
    _, report = run_json(capsys, "a.push.yaml")
    file = report["files"][0]
    assert not [f for f in file["findings"] if f["rule"].startswith("length/")]
    assert file["suppressions"]


def test_stdin_filename_lints_standard_input(in_tmp: Path, capsys, monkeypatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD_SMS.encode())))
    code, report = run_json(capsys, "--stdin-filename", "x.sms")
    assert code == 0
    assert report["files"][0]["path"] == "x.sms"


def test_directories_are_walked_and_unknown_files_skipped(in_tmp: Path, capsys) -> None:
    write(in_tmp / "t" / "a.sms", GOOD_SMS)
    write(in_tmp / "t" / "notes.md", "# not a template\n")
    _, report = run_json(capsys, "t")
    assert [f["path"] for f in report["files"]] == [os.path.join("t", "a.sms")]


def test_binary_and_bad_encoding_give_findings_and_run_goes_on(in_tmp: Path, capsys) -> None:
    (in_tmp / "bin.sms").write_bytes(b"\x00\x01\x02PNG")
    (in_tmp / "latin.sms").write_bytes("Grüße".encode("latin-1"))
    write(in_tmp / "ok.sms", GOOD_SMS)
    code, report = run_json(capsys, ".")
    by_path = {f["path"]: f for f in report["files"]}
    assert code == 1
    assert {f["rule"] for f in by_path["bin.sms"]["findings"]} == {"template/binary"}
    (enc,) = by_path["latin.sms"]["findings"]
    assert enc["rule"] == "template/encoding" and enc["line"] == 1
    assert by_path["ok.sms"]["findings"] == []


def test_sandbox_escape_and_path_traversal_are_findings_not_crashes(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "evil.sms.j2",
        "Hallo {{ ''.__class__.__mro__[1].__subclasses__() }}\n"
        "{% include '../../../etc/passwd' %}\n{% include '/etc/hostname' %}\n",
    )
    code, report = run_json(capsys, "evil.sms.j2")
    findings = report["files"][0]["findings"]
    rules = [f["rule"] for f in findings]
    assert code == 1
    assert "template/unsafe" in rules
    assert rules.count("template/include") == 2
    assert "root:" not in json.dumps(report)


def test_runaway_loop_is_bounded(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "loop.sms.j2",
        "{% for i in range(10**6) %}{% for j in range(10**6) %}x{% endfor %}{% endfor %}\n",
    )
    _code, report = run_json(capsys, "loop.sms.j2")
    assert "template/render" in {f["rule"] for f in report["files"][0]["findings"]}


def test_includes_inside_template_root_render(in_tmp: Path, capsys) -> None:
    write(in_tmp / ".msglint.yaml", "template_root: .\n")
    write(in_tmp / "partials" / "gruss.j2", "Viele Grüße, Ihr Team")
    write(in_tmp / "a.sms.j2", "Ihr Paket ist da. {% include 'partials/gruss.j2' %}\n")
    _, report = run_json(capsys, "a.sms.j2")
    assert report["files"][0]["metrics"]["sms"]["encoding"] == "GSM-7"
    assert not [f for f in report["files"][0]["findings"] if f["rule"].startswith("template/")]


def test_undefined_variable_with_samples_points_at_its_line(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "u.sms.j2",
        "---\nsamples:\n  - {first_name: Anna}\n---\nHallo {{ first_name }},\n"
        "Ihr Code: {{ cod }}\n",
    )
    _, report = run_json(capsys, "u.sms.j2")
    (f,) = [f for f in report["files"][0]["findings"] if f["rule"] == "template/undefined-variable"]
    assert f["line"] == 6 and "cod" in f["message"]


def test_worst_case_sample_decides_sms_segments(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "w.sms.j2",
        "---\nsamples:\n  - {name: Al}\n  - {name: " + "B" * 150 + "}\n---\n"
        "Hallo {{ name }}, Ihr Termin ist morgen.\n",
    )
    _, report = run_json(capsys, "--select", "length/", "w.sms.j2")
    assert report["files"][0]["metrics"]["sms"]["segments"] == 2


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_every_format_renders_sample_templates(fmt: str, capsys) -> None:
    code = main(["check", "--format", fmt, str(ROOT / "sample_templates")])
    out = capsys.readouterr().out
    assert code == 1
    assert out.strip()


def test_output_file_is_written(in_tmp: Path, capsys) -> None:
    write(in_tmp / "code.sms", GOOD_SMS)
    assert main(["check", "--format", "sarif", "--output", "out.sarif", "code.sms"]) == 0
    assert json.loads((in_tmp / "out.sarif").read_text())["version"] == "2.1.0"


def test_rules_and_explain(capsys) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "length/sms-segments" in listing and "template/unsafe" in listing
    assert main(["explain", "length/sms-encoding"]) == 0
    doc = capsys.readouterr().out
    for heading in (
        "What it checks",
        "Why it matters",
        "Example (bad)",
        "How to fix",
        "Configure or suppress",
    ):
        assert heading in doc
    assert main(["explain", "nosuch/rule"]) == 2


def test_every_rule_is_documented(capsys) -> None:
    from msglint.rules.registry import all_rules

    for info in all_rules():
        doc = info.doc
        assert info.summary and doc.what and doc.why and doc.bad and doc.good and doc.fix, info.id
        assert "/" in info.id


def test_compliance_findings_need_a_reason_to_be_suppressed(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "pack.yaml",
        "blocks:\n  - id: optout\n    version: 1\n"
        '    text: "Sie können der Werbung jederzeit widersprechen."\n'
        "require:\n  - block: optout\n    when: {channel: [email]}\n",
    )
    write(in_tmp / ".msglint.yaml", "packs: [pack.yaml]\n")
    body = '<html lang="de"><body><p>Neue Angebote für Sie.</p></body></html>\n'
    write(in_tmp / "a.email.html", "<!-- msglint: disable=compliance/missing-block -->\n" + body)
    write(
        in_tmp / "b.email.html",
        "<!-- msglint: disable-file=compliance/missing-block -- Altvorlage, LEG-1 -->\n" + body,
    )
    _, report = run_json(capsys, "--select", "compliance/", "a.email.html", "b.email.html")
    by_path = {f["path"]: f for f in report["files"]}
    (kept,) = by_path["a.email.html"]["findings"]
    assert "needs a reason" in kept["message"]
    assert by_path["b.email.html"]["findings"] == []
    assert by_path["b.email.html"]["suppressions"][0]["reason"] == "Altvorlage, LEG-1"


def test_sarif_of_the_sample_templates_is_valid_sarif_2_1_0(capsys) -> None:
    schema_path = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.skip("../shared/schemas not present")
    import jsonschema

    main(["check", "--format", "sarif", str(ROOT / "sample_templates")])
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, json.loads(schema_path.read_text("utf-8")))
    results = document["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["region"] for r in results)


def test_the_same_place_is_not_reported_twice_by_deferring_rules(in_tmp: Path, capsys) -> None:
    write(
        in_tmp / "a.email.html",
        '---\nsubject: "Ihr Angebot wartet!!!"\n---\n<html lang="de"><body><p>Hallo.</p>'
        "</body></html>\n",
    )
    _, report = run_json(
        capsys, "--select", "email/subject", "--select", "tone/shouting", "a.email.html"
    )
    rules = [f["rule"] for f in report["files"][0]["findings"] if f["line"] == 2]
    assert rules == ["tone/shouting"]
    _, report = run_json(capsys, "--select", "email/subject", "a.email.html")
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["email/subject"]


def _program(
    args: list[str], cache: Path, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(cache), "MSGLINT_RESULT_CACHE": "0"}
    return subprocess.run(
        [sys.executable, "-m", "msglint.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_program_exit_keeps_output_exit_code_and_saved_caches(tmp_path: Path) -> None:
    # The program ends without interpreter teardown: the whole report must still come out,
    # with the exit code, and the exit handlers must still save the caches.
    proc = _program(["check", "--jobs", "1", "--format", "json", "sample_templates"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["files"] >= 20
    assert list((tmp_path / "re").glob("*.pickle")), "pattern cache not saved at exit"
    assert list((tmp_path / "spelling").rglob("*.pickle")), "spelling verdicts not saved at exit"
    clean = _program(["check", "sample_templates/de/termin.sms.j2"], tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_program_output_into_a_closed_pipe_is_no_traceback(tmp_path: Path) -> None:
    head = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert head.stdin is not None
    proc = _program(
        ["check", "--jobs", "1", "--format", "json", "sample_templates"],
        tmp_path,
        stdout=head.stdin,
    )
    head.stdin.close()
    head.wait(timeout=30)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
