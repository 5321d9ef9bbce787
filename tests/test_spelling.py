"""Offline spelling (Hunspell dictionaries) and the house vocabulary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from msglint.cli import main
from msglint.grammar.hunspell import find_dictionary, iter_words

needs_german = pytest.mark.skipif(
    find_dictionary("de") is None,
    reason="no German Hunspell dictionary (apt-get install hunspell-de-de)",
)
needs_english = pytest.mark.skipif(
    find_dictionary("en") is None,
    reason="no English Hunspell dictionary (apt-get install hunspell-en-us)",
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MSGLINT_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-local-languagetool"))
    return tmp_path


def write(root: Path, files: dict[str, str], config: str = "language: de\n") -> None:
    (root / ".msglint.yaml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lint(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["check", "--format", "json", "--select", "spelling/", "."])
    out = capsys.readouterr()
    report = json.loads(out.out) if out.out.strip() else {"files": []}
    return code, [f for file in report["files"] for f in file["findings"]], out.err


def words(text: str) -> list[str]:
    return [w.text for w in iter_words(text)]


def test_urls_emails_codes_numbers_and_acronyms_are_not_words() -> None:
    text = (
        "Bitte https://example.com/a?b=c oder www.shop.de, kunde@example.com, Code AB12CD, "
        "IBAN DE89 3704, SEPA-Lastschrift, PayPal, 12,50 €, z.B. heute, E-Mail-Adresse."
    )
    assert words(text) == [
        "Bitte", "oder", "Code", "SEPA-Lastschrift", "heute", "E-Mail-Adresse"
    ]  # fmt: skip


@needs_german
def test_typo_is_reported_at_its_line_and_column(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {"a.letter.txt": "---\nlanguage: de\n---\nGuten Tag,\nIhre Bestelung ist da.\n"})
    code, found, _ = lint(capsys)
    assert code == 1
    assert [(f["rule"], f["line"], f["column"], f["end_column"]) for f in found] == [
        ("spelling/offline", 5, 6, 15)
    ]
    assert '"Bestelung"' in found[0]["message"]


@needs_german
def test_german_compounds_and_abbreviations_are_known(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        {
            "a.letter.txt": (
                "Ihr Drittanbieterkonto, der Verifizierungscode und die Authentisierungs-App "
                "sind bereit. Ggf. finden Sie die Kundennr. im Kundenkonto. Wir liefern "
                "umsatzsteuerbefreit per Newsletter-Link.\n"
            )
        },
    )
    _, found, err = lint(capsys)
    assert found == [], err


@needs_german
def test_placeholder_values_and_tags_are_not_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        {
            "a.letter.txt": (
                "---\nsamples:\n  - {name: Xyzzyqwert}\n---\n"
                "Hallo {{ name }}, {% if vip %}Ihr Rabatt{% endif %} ist da.\n"
            )
        },
    )
    _, found, _ = lint(capsys)
    assert found == []


@needs_german
def test_runs_known_from_earlier_templates_still_report_their_typos(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Runs whose words are all known to be correct are skipped in later templates of the run;
    # a run with an unknown word, or one first seen only in a sample value, never is.
    write(
        project,
        {
            "a.letter.txt": (
                "---\nsamples:\n  - {name: Xyzzyqwert}\n---\n"
                "Guten Tag {{ name }}, Ihre Bestelung ist da.\n"
            ),
            "b.letter.txt": "Guten Tag Xyzzyqwert, Ihre Bestelung ist da.\n",
            "c.letter.txt": "Guten Tag, Ihre Bestelung ist da.\n",
        },
    )
    _, found, _ = lint(capsys)
    assert sorted((f["message"].split('"')[1], f["column"]) for f in found) == [
        ("Bestelung", 17),
        ("Bestelung", 28),
        ("Bestelung", 28),
        ("Xyzzyqwert", 11),
    ]


@needs_german
def test_accepted_words_are_never_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        {
            "vocab/de/accept.txt": "# brands\nmsglint\nQvikko(Pro|Plus)?\n(?i)kundoo\n",
            "a.letter.txt": "Msglint und QvikkoPro, qvikkopro, KUNDOO und Kundoo-App.\n",
        },
        "language: de\nvocabulary:\n  de: {accept: vocab/de/accept.txt}\n",
    )
    _, found, _ = lint(capsys)
    # "qvikkopro" is not accepted: the entry is case-sensitive and has capitals.
    assert [f["message"].split('"')[1] for f in found] == ["qvikkopro"]


def test_rejected_words_are_always_reported(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Works without dictionaries too.
    monkeypatch.setenv("DICPATH", str(project / "none"))
    write(
        project,
        {
            "vocab/de/reject.txt": "Email\n(?i)e-?mail-adresse\n",
            "a.letter.txt": "Ihre Email an die Email-Adresse {{ email }}.\n",
        },
        "language: de\nvocabulary:\n  de: {reject: [vocab/de/reject.txt], dictionary: xx_XX}\n",
    )
    code, found, err = lint(capsys)
    rejected = [f for f in found if f["rule"] == "spelling/rejected-word"]
    assert [(f["column"], f["end_column"]) for f in rejected] == [(6, 11), (19, 32)]
    assert code == 1
    assert err.count("spelling/offline skipped") == 1 and "xx_XX" not in err


def test_missing_dictionary_is_one_notice_not_a_crash(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {f"{n}.letter.txt": "Ihre Bestelung ist da.\n" for n in "abc"}
    write(project, files, "language: de\nvocabulary:\n  de: {dictionary: xx_XX}\n")
    code, found, err = lint(capsys)
    assert (code, found) == (0, [])
    skipped = [line for line in err.splitlines() if "spelling/offline skipped" in line]
    assert len(skipped) == 1


def test_vocabulary_errors_name_the_key_or_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        project,
        {"bad.txt": "ok\nbroken(\n", "a.letter.txt": "Hallo.\n"},
        "language: de\nvocabulary:\n  de: {reject: bad.txt}\n",
    )
    assert main(["check", "--select", "spelling/", "."]) == 2
    assert "bad.txt:2" in capsys.readouterr().err
    write(project, {}, "language: de\nvocabulary:\n  de: {accept: missing.txt}\n")
    assert main(["check", "--select", "spelling/", "."]) == 2
    assert "vocabulary.de.accept" in capsys.readouterr().err
    write(project, {}, "language: de\nvocabulary:\n  de: {allow: x.txt}\n")
    assert main(["check", "--select", "spelling/", "."]) == 2
    assert "vocabulary.de.allow" in capsys.readouterr().err


@needs_english
def test_english_text_and_possessives(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        project,
        {"a.letter.txt": "We're sorry: your order's delivery is late. Our appolgies.\n"},
        "language: en\n",
    )
    _, found, _ = lint(capsys)
    assert [f["message"].split('"')[1] for f in found] == ["appolgies"]
