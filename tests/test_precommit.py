"""The real `pre-commit try-repo` runs this checkout's hooks on a throw-away repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_pre_commit_try_repo_fails_bad_template_and_passes_good(tmp_path: Path) -> None:
    repo = tmp_path / "templates"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.com")
    _git(repo, "config", "user.name", "Test")
    (repo / "good.sms").write_text("Ihr Code ist 482913. Er gilt 10 Minuten.\n", "utf-8")
    (repo / "bad.sms").write_text("„Hallo“ " + "Text " * 40 + "\n", "utf-8")
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PRE_COMMIT_COLOR", None)
    pre_commit = [sys.executable, "-m", "pre_commit"]

    bad = subprocess.run(
        [*pre_commit, "try-repo", str(ROOT), "msglint", "--files", "bad.sms", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "length/sms-encoding" in bad.stdout
    assert "bad.sms:1:1" in bad.stdout

    good = subprocess.run(
        [*pre_commit, "try-repo", str(ROOT), "msglint", "--files", "good.sms", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
