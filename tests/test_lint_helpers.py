"""Small helpers of msglint.lint."""

from __future__ import annotations

from msglint.lint import _first_reads


def test_first_reads_skips_longer_words_and_names() -> None:
    body = "{{ username }} {{ order.id }} {{ x.name }} {{ order }} {{ name }}"
    first = _first_reads(body, {"name", "order", "order.id", "username"})
    assert first == {
        "username": body.index("username"),
        "order.id": body.index("order.id"),
        "order": body.index("order }}"),
        "name": body.index("name }}", body.index("x.name") + 6),
    }


def test_first_reads_missing_and_pattern_names() -> None:
    assert _first_reads("{{ a }}", {"b"}) == {}
    body = "{{ a-b }} {{ x.a-b }}"
    assert _first_reads(body, {"a-b"}) == {"a-b": 3}
