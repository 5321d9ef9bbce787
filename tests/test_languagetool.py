"""LanguageTool integration against a stub server that speaks the documented HTTP API."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from msglint.cli import main
from msglint.grammar.service import SKIPPED

# word in the text -> (rule id, category id, issue type, message, replacements)
_TYPO = ("GERMAN_SPELLER_RULE", "TYPOS", "misspelling", "Möglicher Tippfehler gefunden.")
KNOWN: dict[str, tuple[str, str, str, str, list[str]]] = {
    "Bestelung": (*_TYPO, ["Bestellung"]),
    "Max": (*_TYPO, ["Mac"]),
    "wird versendet werden": (
        "DE_VERB_AGREEMENT", "GRAMMAR", "grammar", "Passt das Verb?", ["wird versendet"]
    ),
    '"': (
        "TYPOGRAFISCHE_ANFUEHRUNGSZEICHEN", "TYPOGRAPHY", "typographical",
        "Typografische Anführungszeichen?", ["„", "“"],
    ),
}  # fmt: skip


@dataclass
class Stub:
    url: str
    checks: list[dict[str, str]] = field(default_factory=list)
    mode: str = "ok"  # ok | error | slow
    version: str = "6.6"


def _match(text: str, start: int, needle: str) -> dict[str, Any]:
    rule_id, category, issue, message, replacements = KNOWN[needle]
    return {
        "message": message,
        "shortMessage": "",
        "replacements": [{"value": r} for r in replacements],
        "offset": start,
        "length": len(needle),
        "context": {"text": text[:40], "offset": start, "length": len(needle)},
        "sentence": text,
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule_id,
            "description": message,
            "issueType": issue,
            "category": {"id": category, "name": category.title()},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.startswith("/v2/languages"):
                self._send(200, [
                    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
                    {"name": "English (US)", "code": "en", "longCode": "en-US"},
                ])  # fmt: skip
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if not self.path.startswith("/v2/check"):
                self._send(404, {"error": "not found"})
                return
            state.checks.append(form)
            if state.mode == "error":
                self._send(500, {"error": "internal"})
                return
            if state.mode == "slow":
                time.sleep(1.0)
            text = form["text"]
            disabled = set(form.get("disabledRules", "").split(","))
            matches = []
            for needle in KNOWN:
                start = text.find(needle)
                while start != -1:
                    if KNOWN[needle][0] not in disabled:
                        matches.append(_match(text, start, needle))
                    start = text.find(needle, start + len(needle))
            self._send(200, {
                "software": {"name": "LanguageTool", "version": state.version,
                             "buildDate": "2025-01-01", "apiVersion": 1, "status": ""},
                "warnings": {"incompleteResults": False},
                "language": {"name": "German (Germany)", "code": form["language"],
                             "detectedLanguage": {"name": "German", "code": "de-DE"}},
                "matches": sorted(matches, key=lambda m: m["offset"]),
            })  # fmt: skip

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-local-languagetool"))
    monkeypatch.delenv("MSGLINT_LANGUAGETOOL_URL", raising=False)
    return tmp_path


def write_config(root: Path, languagetool: dict[str, Any] | None = None, extra: str = "") -> None:
    lines = ["language: de"]
    if languagetool is not None:
        lines.append(f"languagetool: {json.dumps(languagetool)}")
    (root / ".msglint.yaml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")


LETTER = """---
language: de
---
Guten Tag,

Ihre Bestelung wird versendet werden.
"""


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(
        [
            "check",
            "--format",
            "json",
            "--select",
            "grammar/",
            "--select",
            "spelling/languagetool",
            *args,
        ]
    )
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for file in report["files"] for f in file["findings"]]


def test_matches_map_back_to_template_line_and_column(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url})
    (project / "order.letter.txt").write_text(LETTER, encoding="utf-8")
    code, report, err = check(capsys, ".")
    assert code == 1, err
    by_rule = {f["rule"]: f for f in findings(report)}
    spelling = by_rule["spelling/languagetool"]
    assert (spelling["line"], spelling["column"], spelling["end_column"]) == (6, 6, 15)
    assert "GERMAN_SPELLER_RULE" in spelling["message"] and '"Bestellung"' in spelling["message"]
    grammar = by_rule["grammar/languagetool"]
    assert (grammar["line"], grammar["column"]) == (6, 16)
    assert "DE_VERB_AGREEMENT" in grammar["message"]
    # The body is sent as the customer reads it, without front matter, in LanguageTool's code.
    assert stub.checks[0]["language"] == "de-DE"
    assert stub.checks[0]["text"].startswith("Guten Tag,")


def test_typography_goes_to_grammar_style(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url})
    (project / "a.letter.txt").write_text('Ihr "Paket" ist da.\n', encoding="utf-8")
    _, report, _ = check(capsys, ".")
    rules = sorted(f["rule"] for f in findings(report))
    assert rules == ["grammar/style", "grammar/style"]
    assert all(f["severity"] == "info" for f in findings(report))


def test_sms_drops_typographic_suggestions_outside_gsm(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url})
    (project / "a.sms").write_text('Ihr "Paket" ist da.\n', encoding="utf-8")
    _, report, _ = check(capsys, ".")
    assert findings(report) == []


def test_matches_on_placeholder_values_are_dropped(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url})
    (project / "hi.letter.txt").write_text(
        "---\nsamples:\n  - {name: Max}\n---\nHallo {{ name }}, Ihre Bestelung ist da.\n",
        encoding="utf-8",
    )
    _, report, _ = check(capsys, ".")
    assert stub.checks[0]["text"].startswith("Hallo Max,")  # the sample value is sent
    assert [f["message"].count("Bestellung") for f in findings(report)] == [1]  # not "Max"


def test_placeholders_without_samples_become_neutral_words(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url})
    (project / "hi.letter.txt").write_text(
        "Hallo {{ customer.first_name }}, Ihre Bestellung {{ order.number }} ist da.\n",
        encoding="utf-8",
    )
    check(capsys, ".")
    assert stub.checks[0]["text"] == "Hallo Alex, Ihre Bestellung 12345 ist da."


def test_disabled_rules_are_sent_and_not_reported(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url, "disabled_rules": ["GERMAN_SPELLER_RULE"]})
    (project / "order.letter.txt").write_text(LETTER, encoding="utf-8")
    _, report, _ = check(capsys, ".")
    assert stub.checks[0]["disabledRules"] == "GERMAN_SPELLER_RULE"
    assert [f["rule"] for f in findings(report)] == ["grammar/languagetool"]


def test_rule_option_ignores_one_languagetool_rule(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(
        project,
        {"url": stub.url},
        "rules:\n  grammar/languagetool: {disabled_rules: [DE_VERB_AGREEMENT]}\n",
    )
    (project / "order.letter.txt").write_text(LETTER, encoding="utf-8")
    _, report, _ = check(capsys, ".")
    assert [f["rule"] for f in findings(report)] == ["spelling/languagetool"]


def test_second_run_costs_no_server_calls(
    project: Path, stub: Stub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": stub.url})
    (project / "order.letter.txt").write_text(LETTER, encoding="utf-8")
    (project / "b.letter.txt").write_text("Ihr Paket ist da.\n", encoding="utf-8")
    _, first, _ = check(capsys, ".")
    calls = len(stub.checks)
    assert calls == 2
    _, second, _ = check(capsys, ".")
    assert len(stub.checks) == calls  # every answer came from the disk cache
    assert findings(first) == findings(second)
    check(capsys, "--no-cache", ".")
    assert len(stub.checks) == 2 * calls
    stub.version = "6.7"  # an upgraded server: the next cold answer switches the cache key
    (project / "c.letter.txt").write_text("Neu.\n", encoding="utf-8")
    check(capsys, ".")
    check(capsys, ".")
    assert len(stub.checks) == 2 * calls + 1 + 2


@pytest.mark.parametrize("mode", ["error", "slow"])
def test_server_errors_give_one_notice_and_other_checks_run(
    project: Path, stub: Stub, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stub.mode = mode
    (project / "vocab.txt").write_text("Email\n", encoding="utf-8")
    write_config(
        project, {"url": stub.url, "timeout": 0.3}, "vocabulary: {de: {reject: vocab.txt}}\n"
    )
    for name in ("a", "b", "c"):
        (project / f"{name}.letter.txt").write_text("Ihre Email ist da.\n", encoding="utf-8")
    code = main(["check", "--format", "json", "--select", "grammar/", "--select", "spelling/", "."])
    out = capsys.readouterr()
    notices = [line for line in out.err.splitlines() if "grammar checks skipped" in line]
    assert len(notices) == 1, out.err
    assert ("500" if mode == "error" else "did not answer within 0.3 s") in notices[0]
    assert len(stub.checks) == 1  # not asked again after the first failure
    report = json.loads(out.out)
    assert [f["rule"] for f in findings(report)] == ["spelling/rejected-word"] * 3
    assert code == 1


def test_no_server_prints_one_skip_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(project)
    for name in ("a", "b"):
        (project / f"{name}.letter.txt").write_text("Ihr Paket ist da.\n", encoding="utf-8")
    code, _, err = check(capsys, ".")
    assert code == 0
    assert err.splitlines() == [f"msglint: {SKIPPED}"]
    assert SKIPPED == (
        "grammar checks skipped: no LanguageTool server configured "
        "(set MSGLINT_LANGUAGETOOL_URL or languagetool.url)"
    )


def test_require_grammar_exits_2_without_server(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project)
    (project / "a.letter.txt").write_text("Ihr Paket ist da.\n", encoding="utf-8")
    code = main(["check", "--require-grammar", "."])
    assert code == 2
    assert "--require-grammar" in capsys.readouterr().err


def test_environment_url_is_used(
    project: Path, stub: Stub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project)
    monkeypatch.setenv("MSGLINT_LANGUAGETOOL_URL", stub.url + "/v2/")
    (project / "order.letter.txt").write_text(LETTER, encoding="utf-8")
    code, _, _ = check(capsys, "--require-grammar", ".")
    assert code == 1 and len(stub.checks) == 1


def test_public_api_needs_explicit_opt_in(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"url": "https://api.languagetool.org"})
    (project / "a.letter.txt").write_text("Ihr Paket ist da.\n", encoding="utf-8")
    assert main(["check", "."]) == 2
    assert "allow_public" in capsys.readouterr().err


def test_unknown_languagetool_key_is_a_config_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(project, {"urll": "http://localhost:8081"})
    (project / "a.letter.txt").write_text("Ihr Paket ist da.\n", encoding="utf-8")
    assert main(["check", "."]) == 2
    assert "languagetool.urll" in capsys.readouterr().err


@pytest.mark.skipif(
    not os.environ.get("MSGLINT_LANGUAGETOOL_URL"),
    reason="set MSGLINT_LANGUAGETOOL_URL to a LanguageTool server to run this integration test",
)
def test_real_languagetool_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / ".msglint.yaml").write_text("language: de\n", encoding="utf-8")
    (tmp_path / "order.letter.txt").write_text(LETTER, encoding="utf-8")
    code, report, err = check(capsys, "--require-grammar", ".")
    assert code == 1, err
    spelling = [f for f in findings(report) if f["rule"] == "spelling/languagetool"]
    assert spelling and (spelling[0]["line"], spelling[0]["column"]) == (6, 6)
