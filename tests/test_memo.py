"""Memos keyed on whole texts serve one template (msglint.memo), not the whole run."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint import memo
from msglint.config import Config
from msglint.lint import LintOptions, lint_paths
from msglint.templating import jinja
from msglint.text import segment

MAIL = """---
subject: Ihre Bestellung
samples:
  - {name: Ada}
  - {name: Bob}
---
<html lang="de"><body><p>Hallo {{ name }}, Ihre Bestellung ist unterwegs. Sie kommt morgen.</p>
</body></html>
"""


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    calls: list[str] = []
    original = getattr(module, name)

    def counted(text: str, *args: object) -> object:
        calls.append(text)
        return original(text, *args)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_identical_templates_are_each_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Copies of one template in one run: the second must not be served from the first's memos
    # (a benchmark of repeated templates would overstate the speed on distinct ones).
    for name in ("a", "b"):
        (tmp_path / f"{name}.email.html").write_text(MAIL, "utf-8")
    monkeypatch.chdir(tmp_path)
    prepared = _count_calls(monkeypatch, jinja, "_prepare_uncached")
    splits = _count_calls(monkeypatch, segment, "_split_sentences")
    run, errors = lint_paths([tmp_path], Config(root=tmp_path), LintOptions(use_cache=False))
    assert errors == []
    assert len(run.files) == 2
    # Each template's body and subject are prepared once for both samples (the memo works
    # inside a template), and again for the copy ...
    half = len(prepared) // 2
    assert half == 2 and prepared[:half] == prepared[half:]
    # ... and its texts are split once each, the same number for both templates.
    assert len(splits) % 2 == 0 and splits[: len(splits) // 2] == splits[len(splits) // 2 :]


def test_start_template_empties_the_memos() -> None:
    segment.split_sentences("Eins. Zwei.", "de")
    assert segment._split_cached.cache_info().currsize > 0
    jinja._PREPARED[("x", jinja.RenderOptions())] = "reason"
    memo.start_template()
    assert segment._split_cached.cache_info().currsize == 0
    assert segment._tokenize_cached.cache_info().currsize == 0
    assert jinja._PREPARED == {}
