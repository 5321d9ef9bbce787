"""Included templates: rendered like before, compiled once and then loaded from the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from msglint.templating import jinja
from msglint.templating.base import RenderOptions


def _render(root: Path, source: str) -> str:
    jinja._PREPARED.clear()  # a new run: only the disk caches remain
    options = RenderOptions(template_path=root / "mail.html", include_root=root)
    result = jinja.render(source, {"name": "Ada"}, options)
    assert not result.fallback
    return result.output.text


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from jinja2 import Environment

    names: list[str] = []
    compile_ = Environment.compile

    def counting(self: Any, source: Any, name: str | None = None, *args: Any, **kw: Any) -> Any:
        names.append(name or "")
        return compile_(self, source, name, *args, **kw)

    monkeypatch.setattr(Environment, "compile", counting)
    return names


def test_an_unchanged_include_is_compiled_once(tmp_path: Path, compiled: list[str]) -> None:
    (tmp_path / "footer.html").write_text("Bye {{ name }}!\n", encoding="utf-8")
    (tmp_path / "base.html").write_text("Top {% block body %}{% endblock %}\n", encoding="utf-8")
    source = (
        '{% extends "base.html" %}{% block body %}Hi {{ name }}. '
        '{% include "footer.html" %}{% endblock %}'
    )
    first = _render(tmp_path, source)
    assert sorted(n for n in compiled if n) == ["base.html", "footer.html"]
    compiled.clear()
    assert _render(tmp_path, source) == first == "Top Hi Ada. Bye Ada!\n\n"
    assert [n for n in compiled if n] == []


def test_a_changed_include_is_compiled_again(tmp_path: Path, compiled: list[str]) -> None:
    footer = tmp_path / "footer.html"
    footer.write_text("Bye {{ name }}!", encoding="utf-8")
    source = 'Hi. {% include "footer.html" %}'
    assert _render(tmp_path, source) == "Hi. Bye Ada!"
    footer.write_text("Ciao {{ name }}!", encoding="utf-8")
    compiled.clear()
    assert _render(tmp_path, source) == "Hi. Ciao Ada!"
    assert [n for n in compiled if n] == ["footer.html"]


def test_includes_stay_in_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "evil.html").write_text("{{ name.__class__.__mro__ }}", encoding="utf-8")
    options = RenderOptions(template_path=tmp_path / "mail.html", include_root=tmp_path)
    outputs = []
    for _ in range(2):  # compiled, then from the cache
        jinja._PREPARED.clear()
        result = jinja.render('{% include "evil.html" %}', {"name": "Ada"}, options)
        outputs.append(result.output.text)
    assert outputs == ["mro", "mro"]  # the sandbox's undefined, as a neutral word


def test_edited_msglint_code_compiles_again(
    tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Compiled code carries the sandbox's compile-time settings: a changed jinja.py (an edited
    # checkout) must not run code compiled by the old one, even without a format bump.
    (tmp_path / "footer.html").write_text("Bye {{ name }}!", encoding="utf-8")
    source = 'Hi. {% include "footer.html" %}'
    _render(tmp_path, source)
    monkeypatch.setattr(jinja, "_this_module", lambda: "edited")
    compiled.clear()
    assert _render(tmp_path, source) == "Hi. Bye Ada!"
    assert sorted(compiled) == ["", "footer.html"]  # the template and its include


def test_templates_copied_from_one_environment_keep_their_own_state(tmp_path: Path) -> None:
    # Every template's environment is a copy of one configured per run: the loop budget,
    # the globals, the loader and the template cache must still be the template's own.
    jinja._PREPARED.clear()
    options = RenderOptions(max_loop_iterations=50)
    runaway = jinja.render("{% for i in range(1000) %}x{% endfor %}", {}, options)
    assert any("loop iterations" in p.message for p in runaway.problems)
    # Another template right after it: its loop is within its own budget.
    small = jinja.render("{% for i in range(40) %}y{% endfor %}", {}, options)
    assert small.output.text == "y" * 40
    assert not small.problems
    # A template that sets a global-looking name does not leak it into the next one.
    jinja.render("{% set greeting = 'Hallo' %}{{ greeting }}", {}, options)
    later = jinja.render("{{ greeting }}", {}, options)
    assert "Hallo" not in later.output.text
    # Includes resolve against each template's own root.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "part.html").write_text("from a", encoding="utf-8")
    (tmp_path / "b" / "part.html").write_text("from b", encoding="utf-8")
    for folder in ("a", "b"):
        root = tmp_path / folder
        opts = RenderOptions(template_path=root / "mail.html", include_root=root)
        result = jinja.render('{% include "part.html" %}', {}, opts)
        assert result.output.text == f"from {folder}"
