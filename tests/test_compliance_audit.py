from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from compliance_helpers import OPTOUT_V2, OPTOUT_V3, make_message, make_set
from msglint.compliance.audit import audit, render
from msglint.compliance.cli import run_validate
from msglint.model import Message

UNSUB = "Newsletter abbestellen: https://example.com/u"


def _named(message: Message, name: str) -> Message:
    message.template.display_path = name
    return message


def _messages() -> list[Message]:
    return [
        _named(make_message(f"Hallo\n{UNSUB}\n{OPTOUT_V3}\n"), "ok.txt"),
        _named(make_message(f"Hallo\n{UNSUB}\n{OPTOUT_V2}\n"), "old.txt"),
        _named(make_message(f"Hallo\n{OPTOUT_V3.replace('jederzeit', 'nie')}"), "changed.txt"),
        _named(make_message("Ihre Rechnung", category="transactional"), "invoice.txt"),
        _named(
            make_message(
                f"{{# msglint: disable-file=compliance/missing-block -- LEGAL-7 #}}\n{UNSUB}\n"
            ),
            "waived.txt",
        ),
    ]


def test_audit_matrix_statuses_and_approval_data() -> None:
    matrix = audit(_messages(), make_set())
    cells = {row.path: {b: c.status for b, c in row.cells.items()} for row in matrix.rows}
    assert cells["ok.txt"] == {"optout-werbung-de": "ok", "abmelden-de": "ok"}
    assert cells["old.txt"]["optout-werbung-de"] == "outdated"
    assert cells["changed.txt"] == {"optout-werbung-de": "altered", "abmelden-de": "missing"}
    assert cells["invoice.txt"]["optout-werbung-de"] == "not-required"
    waived = next(r for r in matrix.rows if r.path == "waived.txt")
    assert waived.cells["optout-werbung-de"].suppressed == "LEGAL-7"
    assert waived.suppressions[0].reason == "LEGAL-7"
    assert matrix.blocks[0].approved_by == "Dr. Muster"
    assert not matrix.passed


def test_audit_renders_csv_json_markdown_and_text() -> None:
    matrix = audit(_messages(), make_set())
    rows = list(csv.DictReader(io.StringIO(render(matrix, "csv"))))
    old = next(r for r in rows if r["template"] == "old.txt" and r["block"] == "optout-werbung-de")
    assert (old["status"], old["found_version"], old["current_version"]) == ("outdated", "2", "3")
    assert old["approved_on"] == "2026-03-01"
    data = json.loads(render(matrix, "json"))
    assert data["schema"] == 1 and data["today"] == "2026-11-24"
    changed = next(t for t in data["templates"] if t["path"] == "changed.txt")
    assert "'jederzeit' changed to 'nie'" in changed["blocks"]["optout-werbung-de"]["detail"]
    markdown = render(matrix, "markdown")
    assert "| `old.txt` | outdated (v2) |" in markdown
    assert "## Suppressions" in markdown
    assert "ok.txt [email, de, marketing]" in render(matrix, "text")


def test_validate_command_reports_problems_with_lines(tmp_path: Path, capsys: object) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("blocks:\n  - id: a\n    version: 1\n    text: x\n    colour: red\n")
    assert run_validate([bad]) == 1
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert f"{bad}:5: unknown key 'colour'" in out
    assert run_validate([]) == 0


def test_cli_audit_lists_front_matter_suppressions(tmp_path, monkeypatch, capsys) -> None:
    import json

    from msglint.cli import main

    (tmp_path / "pack.yaml").write_text(
        "blocks:\n  - id: optout\n    version: 1\n"
        '    text: "Sie können der Werbung jederzeit widersprechen."\n'
        "require:\n  - block: optout\n    when: {channel: [email], category: [marketing]}\n",
        "utf-8",
    )
    (tmp_path / ".msglint.yaml").write_text("packs: [pack.yaml]\n", "utf-8")
    (tmp_path / "a.email.html").write_text(
        "---\nlanguage: de\ncategory: marketing\nsubject: Angebot\nmsglint:\n"
        "  disable: [compliance/missing-block]\n  reason: Altvorlage, Ticket LEG-1\n---\n"
        '<html lang="de"><body><p>Neue Angebote.</p></body></html>\n',
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    main(["compliance", "audit", "--format", "json", "."])
    report = json.loads(capsys.readouterr().out)
    (row,) = report["templates"]
    assert row["blocks"]["optout"]["status"] == "missing"
    assert row["blocks"]["optout"]["suppressed"] == "Altvorlage, Ticket LEG-1"
    assert row["suppressions"][0]["rule"] == "compliance/missing-block"
