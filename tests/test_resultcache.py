"""The result cache: unchanged files are not linted again, and anything that changes a result
makes msglint lint again (through the command line, like a user or pre-commit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from msglint import lint
from msglint.cli import main

SMS = "Ihr Code ist 482913. Er gilt 10 Minuten.\n"
GRAMMAR_NOTICE = "grammar checks skipped"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A template folder as the working directory, with its own cache folder."""
    monkeypatch.setenv("MSGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MSGLINT_RESULT_CACHE", raising=False)
    monkeypatch.delenv("MSGLINT_LANGUAGETOOL_URL", raising=False)
    monkeypatch.delenv("MSGLINT_TODAY", raising=False)
    folder = tmp_path / "templates"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files whose rules ran (one entry per lint)."""
    calls: list[str] = []
    real = lint.run_rules

    def counting(message: Any, selection: Any, resources: Any) -> Any:
        calls.append(message.template.display_path)
        return real(message, selection, resources)

    monkeypatch.setattr(lint, "run_rules", counting)
    return calls


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--format", "json", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings(output: str) -> set[str]:
    return {f["rule"] for file in json.loads(output)["files"] for f in file["findings"]}


def test_unchanged_files_give_identical_json_without_running_rules(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "code.sms", SMS)
    write(repo / "info.sms.txt", "„Hallo“ " + "Text " * 60 + "\n")  # findings and a fix
    write(
        repo / "mail.email.html",
        "---\nsubject: Ihre Bestellung\n---\n<p>Hallo, Ihre Bestellung ist unterwegs. "
        "<!-- msglint: disable=tone/ -->JETZT KAUFEN!!!</p>\n",
    )
    first = check(capsys, ".")
    assert first[0] == 1 and GRAMMAR_NOTICE in first[2]
    assert json.loads(first[1])["summary"]["files"] == 3

    def no_rules(*args: Any) -> Any:
        raise AssertionError("rules ran for an unchanged file")

    monkeypatch.setattr(lint, "run_rules", no_rules)
    assert check(capsys, ".") == first  # same exit code, JSON byte for byte, notices
    assert check(capsys, "--format", "sarif", ".")[0] == 1


def test_a_cached_run_does_not_import_the_rule_modules(tmp_path: Path) -> None:
    write(tmp_path / "code.sms", SMS)
    script = (
        "import sys; from msglint.cli import main; main(['check', 'code.sms']); "
        "print(sorted(m for m in sys.modules if m.startswith('msglint.rules.')))"
    )
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("MSGLINT_RESULT_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert "msglint.rules.tone" in runs[0].stdout
    assert runs[1].stdout.splitlines()[-1] == "['msglint.rules.registry']"


def test_changing_the_file_lints_it_again(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    path = write(repo / "code.sms", SMS)
    write(repo / "other.sms", SMS)
    check(capsys, ".")
    assert sorted(linted) == ["code.sms", "other.sms"]
    linted.clear()
    write(path, "ACHTUNG!!! " + SMS)
    _, out, _ = check(capsys, ".")
    assert linted == ["code.sms"]
    assert "tone/shouting" in findings(out)


def test_changing_an_included_template_lints_the_including_one_again(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    footer = write(repo / "partials" / "footer.html", "<p>Ihr Team</p>\n")
    write(
        repo / "mail.email.html",
        "---\nsubject: Ihre Bestellung\nsyntax: jinja\n---\n"
        '<p>Hallo.</p>\n{% include "partials/footer.html" %}\n',
    )
    _, out, _ = check(capsys, "mail.email.html")
    assert "Ihr Team" in out  # the preheader finding quotes the first body text
    check(capsys, "mail.email.html")
    assert linted == ["mail.email.html"]
    write(footer, "<p>Ihr Kundendienst</p>\n")
    _, out, _ = check(capsys, "mail.email.html")
    assert linted == ["mail.email.html", "mail.email.html"]
    assert "Ihr Kundendienst" in out


def test_includes_jinja_already_loaded_are_still_dependencies(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    # The first run loads the include into Jinja's in-process cache without storing a result;
    # the second stores one although Jinja no longer asks the loader for the include.
    footer = write(repo / "partials" / "footer.html", "<p>Ihr Team</p>\n")
    write(
        repo / "mail.email.html",
        "---\nsubject: Ihre Bestellung\nsyntax: jinja\n---\n"
        '<p>Hallo.</p>\n{% include "partials/footer.html" %}\n',
    )
    check(capsys, "--no-cache", "mail.email.html")
    check(capsys, "mail.email.html")
    write(footer, "<p>Ihr Kundendienst</p>\n")
    _, out, _ = check(capsys, "mail.email.html")
    assert linted == ["mail.email.html"] * 3
    assert "Ihr Kundendienst" in out


def test_an_include_that_appears_later_lints_the_template_again(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    (repo / "partials").mkdir()
    write(
        repo / "mail.email.html",
        "---\nsubject: Ihre Bestellung\nsyntax: jinja\n---\n"
        '<p>Ihre Bestellung ist unterwegs.</p>\n{% include "partials/footer.html" %}\n',
    )
    _, out, _ = check(capsys, "mail.email.html")
    assert "template/include" in findings(out)
    write(repo / "partials" / "footer.html", "<p>Ihr Team</p>\n")
    _, out, _ = check(capsys, "mail.email.html")
    assert linted == ["mail.email.html", "mail.email.html"]
    assert "template/include" not in findings(out)


def test_adding_or_removing_the_plain_text_sibling_lints_again(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    write(
        repo / "mail.email.html",
        '---\nsubject: Hallo\n---\n<p>Ihr Paket ist da: <a href="https://example.com/t/1">'
        "Sendung verfolgen</a></p>\n",
    )
    _, out, _ = check(capsys, "mail.email.html")
    assert "email/text-alternative" not in findings(out)
    sibling = write(repo / "mail.txt", "Ihr Paket ist da.\n")  # without the link
    _, out, _ = check(capsys, "mail.email.html")
    assert "email/text-alternative" in findings(out)
    sibling.unlink()
    _, out, _ = check(capsys, "mail.email.html")
    assert linted == ["mail.email.html"] * 3
    assert "email/text-alternative" not in findings(out)


def test_changing_the_config_lints_again(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    write(repo / "code.sms", "ACHTUNG!!! " + SMS)
    config = write(repo / ".msglint.yaml", "language: de\n")
    _, out, _ = check(capsys, "code.sms")
    assert "tone/shouting" in findings(out)
    write(config, "language: de\noverrides:\n  - glob: '*.sms'\n    ignore: [tone/]\n")
    _, out, _ = check(capsys, "code.sms")
    assert linted == ["code.sms", "code.sms"]
    assert "tone/shouting" not in findings(out)


def test_changing_a_rule_pack_lints_again(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    write(repo / ".msglint.yaml", "packs: [packs]\n")
    pack = write(
        repo / "packs" / "house.yaml",
        "kind: terms\nid: house\nlanguage: de\nrule: jargon/term\nentries:\n"
        "  - {term: Quaxel, replacement: Code, reason: Hauswort.}\n",
    )
    write(repo / "code.sms", "Ihr Quaxel ist 482913. Er gilt 10 Minuten.\n")
    _, out, _ = check(capsys, "code.sms")
    assert "jargon/term" in findings(out)
    write(pack, "kind: terms\nid: house\nlanguage: de\nrule: jargon/term\nentries: []\n")
    _, out, _ = check(capsys, "code.sms")
    assert linted == ["code.sms", "code.sms"]
    assert "jargon/term" not in findings(out)


def test_changing_a_pack_of_an_installed_package_lints_again(
    repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    linted: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import install_fake_distribution
    from msglint import resources

    folder = tmp_path / "acme"
    pack = write(
        folder / "terms.yaml",
        "kind: terms\nid: acme\nlanguage: de\nrule: jargon/term\nentries:\n"
        "  - {term: Quaxel, replacement: Code, reason: Hauswort.}\n",
    )
    install_fake_distribution(tmp_path / "site", "msglint.packs", "acme_cached_terms", folder)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "acme_cached_terms", raising=False)
    resources._declares_entry_points.cache_clear()
    try:
        write(repo / "code.sms", "Ihr Quaxel ist 482913. Er gilt 10 Minuten.\n")
        _, out, _ = check(capsys, "code.sms")
        assert "jargon/term" in findings(out)
        write(pack, "kind: terms\nid: acme\nlanguage: de\nrule: jargon/term\nentries: []\n")
        _, out, _ = check(capsys, "code.sms")
    finally:
        resources._declares_entry_points.cache_clear()
    assert linted == ["code.sms", "code.sms"]
    assert "jargon/term" not in findings(out)


def test_a_new_day_lints_again_for_compliance_expiry(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    linted: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(repo / ".msglint.yaml", "packs: [compliance]\n")
    write(
        repo / "compliance" / "pack.yaml",
        "blocks:\n  - id: widerspruch\n    version: 1\n    language: de\n"
        "    valid_until: 2030-01-01\n"
        '    text: "Sie können der Werbung jederzeit widersprechen."\n'
        "require:\n  - block: widerspruch\n    when: {channel: [sms]}\n",
    )
    write(
        repo / "offer.sms", "Ihr Angebot wartet. Sie können der Werbung jederzeit widersprechen.\n"
    )
    monkeypatch.setenv("MSGLINT_TODAY", "2029-12-31")
    _, out, _ = check(capsys, "offer.sms")
    assert "compliance/expired-block" not in findings(out)
    monkeypatch.setenv("MSGLINT_TODAY", "2030-01-02")
    _, out, _ = check(capsys, "offer.sms")
    assert linted == ["offer.sms", "offer.sms"]
    assert "compliance/expired-block" in findings(out)


def test_select_and_ignore_are_part_of_the_key(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    write(repo / "code.sms", "ACHTUNG!!! " + SMS)
    check(capsys, "code.sms")
    _, out, _ = check(capsys, "--select", "length/", "code.sms")
    assert "tone/shouting" not in findings(out)
    check(capsys, "--select", "length/", "code.sms")
    _, out, _ = check(capsys, "--ignore", "tone/shouting", "code.sms")
    assert "tone/shouting" not in findings(out)
    assert linted == ["code.sms"] * 3
    check(capsys, "--fail-on", "error", "--jobs", "2", "code.sms")  # no effect on results
    assert linted == ["code.sms"] * 3


def test_no_cache_lints_again_and_stores_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    write(repo / "code.sms", SMS)
    first = check(capsys, "--no-cache", "code.sms")
    assert check(capsys, "--no-cache", "code.sms") == first
    assert not (repo.parent / "cache" / "results").exists()
    check(capsys, "code.sms")
    assert check(capsys, "--no-cache", "code.sms") == first
    assert linted == ["code.sms"] * 4


def test_environment_switch_turns_only_the_result_cache_off(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    linted: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(repo / "code.sms", SMS)
    monkeypatch.setenv("MSGLINT_RESULT_CACHE", "0")
    check(capsys, "code.sms")
    check(capsys, "code.sms")
    assert linted == ["code.sms"] * 2
    assert not (repo.parent / "cache" / "results").exists()


def test_a_languagetool_server_turns_the_result_cache_off(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    linted: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(repo / "code.sms", SMS)
    monkeypatch.setenv("MSGLINT_LANGUAGETOOL_URL", "http://127.0.0.1:9")
    check(capsys, "--select", "tone/", "code.sms")
    check(capsys, "--select", "tone/", "code.sms")
    assert linted == ["code.sms"] * 2


def test_a_corrupt_cache_entry_is_a_miss(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    write(repo / "code.sms", "ACHTUNG!!! " + SMS)
    first = check(capsys, "code.sms")
    entries = [p for p in (repo.parent / "cache" / "results").rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:40])
    assert check(capsys, "code.sms") == first
    assert check(capsys, "code.sms") == first  # stored again
    assert linted == ["code.sms"] * 2


def test_results_with_internal_errors_are_not_stored(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "code.sms", SMS)
    calls: list[str] = []
    real = lint.run_rules

    def crashing_once(message: Any, selection: Any, resources: Any) -> Any:
        calls.append(message.template.display_path)
        if len(calls) == 1:
            return [], [f"{message.template.display_path}: internal error in rule x/y: boom"]
        return real(message, selection, resources)

    monkeypatch.setattr(lint, "run_rules", crashing_once)
    code, _, err = check(capsys, "code.sms")
    assert code == 2 and "boom" in err
    code, _, err = check(capsys, "code.sms")
    assert code == 0 and "boom" not in err
    assert calls == ["code.sms", "code.sms"]


def test_fix_is_never_served_from_the_cache(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    path = write(repo / "info.sms.txt", "„Hallo“ " + "Text " * 60 + "\n")
    code, _, _ = check(capsys, "info.sms.txt")
    assert code == 1
    main(["check", "--fix", "info.sms.txt"])
    capsys.readouterr()
    assert path.read_text(encoding="utf-8").startswith('"Hallo" ')
    assert linted[:2] == ["info.sms.txt", "info.sms.txt"]


def test_notices_are_repeated_for_cached_files_that_would_print_them(
    repo: Path, capsys: pytest.CaptureFixture[str], linted: list[str]
) -> None:
    # The first file prints the notices while linting; the second one only uses the same
    # per-run objects. Run alone from the cache, it must print them too.
    write(repo / ".msglint.yaml", "vocabulary:\n  de: {dictionary: /nowhere/de_XX.dic}\n")
    write(repo / "a.sms", SMS)
    write(repo / "b.sms", SMS)
    _, _, err = check(capsys, ".")
    assert "spelling/offline skipped for 'de'" in err and GRAMMAR_NOTICE in err
    _, _, err = check(capsys, "b.sms")
    assert linted == ["a.sms", "b.sms"]
    assert "spelling/offline skipped for 'de'" in err and GRAMMAR_NOTICE in err


def test_parallel_workers_store_results_and_a_cached_run_needs_no_workers(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    linted: list[str],
) -> None:
    monkeypatch.setattr(lint, "_FILES_PER_WORKER", 2)  # a pool even for a few files
    monkeypatch.setattr(lint, "_files_per_worker", lambda: 2)
    for i in range(10):
        write(repo / f"code{i}.sms", f"Ihr Code ist {i}82913. Er gilt 10 Minuten.\n")
    first = check(capsys, "--jobs", "2", ".")
    assert json.loads(first[1])["summary"]["files"] == 10
    assert linted == []  # the workers linted them, not this process
    assert check(capsys, "--jobs", "1", "--no-cache", ".") == first
    assert len(linted) == 10

    def no_rules(*args: Any) -> Any:
        raise AssertionError("rules ran for an unchanged file")

    monkeypatch.setattr(lint, "run_rules", no_rules)
    assert check(capsys, "--jobs", "2", ".") == first
    assert check(capsys, ".") == first


def test_stdin_is_never_cached(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    linted: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SMS.encode())))
        check(capsys, "--stdin-filename", "code.sms")
    assert linted == ["code.sms"] * 2
    assert not (repo.parent / "cache" / "results").exists()


@pytest.mark.parametrize("xdg", [None, "", "/tmp/xdg-cache", "relative/cache", "  "])
def test_cache_root_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    from platformdirs import user_cache_dir

    from msglint.cachedir import ENV_CACHE_DIR, cache_root

    monkeypatch.delenv(ENV_CACHE_DIR, raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_root() == Path(user_cache_dir("msglint"))
