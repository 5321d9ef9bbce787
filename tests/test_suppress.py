"""Suppression directives in Jinja, HTML and YAML comments."""

from __future__ import annotations

import pytest

from msglint.mapping import LineIndex
from msglint.suppress import parse_directives


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!-- msglint: disable=email/img-alt -->", [("email/img-alt", None)]),
        ("<!-- msglint: disable-file=tone/ -- Produktname -->", [("tone/", "Produktname")]),
        ("{# msglint: disable=a/b,c/d -- weil #}", [("a/b", "weil"), ("c/d", "weil")]),
        ("# msglint: disable=x/y reason=ok", [("x/y", "ok")]),
        ("{# msglint: disable=length/ #}", [("length/", None)]),
    ],
)
def test_directives_and_reasons_are_parsed(
    text: str, expected: list[tuple[str, str | None]]
) -> None:
    found = parse_directives(text, LineIndex(text))
    assert [(s.rule, s.reason) for s in found] == expected


def test_disable_file_scope_and_line_numbers() -> None:
    text = "Hallo\n{# msglint: disable-file=tone/shouting -- Marke #}\n"
    (found,) = parse_directives(text, LineIndex(text))
    assert (found.scope, found.line) == ("file", 2)
