"""Patterns compiled on first use (msglint.lazy)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from msglint.lazy import lazy_pattern


def test_a_lazy_pattern_compiles_on_its_first_call_only(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = re.compile

    def counting(pattern: Any, flags: int = 0) -> Any:
        compiled.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", counting)
    word = lazy_pattern(r"\bab+c\b", re.IGNORECASE)
    assert compiled == []  # defining it compiles nothing
    assert word().findall("ABBC abc xabc") == ["ABBC", "abc"]
    assert word() is word()
    assert compiled == [r"\bab+c\b"]


def test_longest_first_orders_equal_lengths_by_text() -> None:
    from msglint.lazy import longest_first

    words = {"ab", "abc", "zz", "a", "yz"}
    assert longest_first(words) == ["abc", "zz", "yz", "ab", "a"]
    assert longest_first(reversed(longest_first(words))) == longest_first(words)
