"""Hypothesis: no file content makes msglint raise or exit 2."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msglint.config import Config
from msglint.lint import LintOptions, Resources, lint_file

NAMES = [
    "a.sms",
    "a.sms.j2",
    "a.mjml",
    "a.email.html",
    "a.push.yaml",
    "a.whatsapp.yaml",
    "a.letter.md",
    "a.x.txt",
]
CONFIG = Config()
RESOURCES = Resources(CONFIG)

TOKENS = [
    *"{}%#()<>-/.|:\"' \n\tabcXYZäöü„“€😀=!",
    "{{",
    "}}",
    "{%",
    "%}",
    "((",
    "))",
    "<mj-text>",
    "</mj-text>",
    "<mjml>",
    "---\n",
    "{{#if x}}",
    "{{/if}}",
    "{{ .X }}",
    "title: ",
    "body: ",
    "{% if x %}",
    "{% endif %}",
    "{{ x }}",
    "<p>",
    "</p>",
]
template_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def _lint(name: str, data: bytes) -> None:
    result, errors, _ = lint_file(
        Path(name), CONFIG, LintOptions(), RESOURCES, data=data, display_path=name
    )
    assert errors == []
    assert result is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(name: str, data: bytes) -> None:
    _lint(name, data)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), text=template_text)
def test_arbitrary_template_text_never_crashes(name: str, text: str) -> None:
    _lint(name, text.encode("utf-8"))
