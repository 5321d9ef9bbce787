"""Every file of the shared corpus of real templates is linted without crashing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from msglint.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CONFIG = ROOT / "benchmarks" / "corpus.msglint.yaml"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict, str]:
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, target)
    shutil.copy(CONFIG, target / ".msglint.yaml")
    import os

    cwd = os.getcwd()
    os.chdir(target)
    try:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--format", "json", "."])
    finally:
        os.chdir(cwd)
    return code, json.loads(out.getvalue()), err.getvalue()


def test_corpus_lints_without_errors(corpus_report: tuple[int, dict, str]) -> None:
    code, _report, err = corpus_report
    assert code in (0, 1), err
    assert "internal error" not in err


def test_every_corpus_file_is_linted(corpus_report: tuple[int, dict, str]) -> None:
    _, report, _ = corpus_report
    linted = {f["path"].replace("\\", "/") for f in report["files"]}
    expected = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert expected <= linted


def test_non_jinja_files_get_the_fallback_note_not_errors(
    corpus_report: tuple[int, dict, str],
) -> None:
    _, report, _ = corpus_report
    by_path = {f["path"].replace("\\", "/"): f for f in report["files"]}
    for path, file in by_path.items():
        rules = [f["rule"] for f in file["findings"]]
        assert "template/syntax" not in rules, (path, file["findings"])
        assert "template/render" not in rules, (path, file["findings"])
        assert rules.count("template/fallback") <= 1, path
        templated = any(tag in (CORPUS / path).read_text("utf-8") for tag in ("{{", "(("))
        if path.startswith(("postmark/", "saleor/", "ory-kratos/", "gcnotify/")) and templated:
            assert "template/fallback" in rules, path
        if path.startswith("flask-security/email/"):
            assert "template/fallback" not in rules, (path, file["findings"])


def test_corpus_metrics_are_sane(corpus_report: tuple[int, dict, str]) -> None:
    _, report, _ = corpus_report
    for file in report["files"]:
        metrics = file["metrics"]
        if "sms" in metrics:
            assert metrics["sms"]["segments"] >= 0
            assert metrics["sms"]["encoding"] in ("GSM-7", "UCS-2")
        if "email" in metrics and "html_bytes" in metrics["email"]:
            assert 0 < metrics["email"]["html_bytes"] < 2_000_000
        readability = metrics.get("readability", {})
        if readability.get("score") is not None:
            assert 0 <= readability["score"] <= 100
