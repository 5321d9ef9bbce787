"""YAML with line numbers, for config files, rule packs and YAML message files.

Errors in user-written YAML must name the file and line, so every loader goes through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class YamlError(Exception):
    """A problem in a YAML file, with the file and 1-based line."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Located:
    """A scalar value with its position: 1-based line/column and 0-based offset."""

    value: Any
    line: int
    column: int
    offset: int


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse YAML text into ruamel's round-trip nodes (which know their lines).

    Raises :class:`YamlError` with the line of the syntax error.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(path, line, f"invalid YAML: {problem}") from None
    except YAMLError as exc:
        raise YamlError(path, None, f"invalid YAML: {exc}") from None
    except Exception as exc:  # ruamel raises assorted errors on odd input (e.g. duplicate keys)
        raise YamlError(path, None, f"invalid YAML: {exc}") from None


def load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(path, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise YamlError(path, None, f"cannot read: {exc.strerror}") from None
    return parse_yaml(text, path)


def key_line(node: Any, key: Any) -> int | None:
    """1-based line of ``key`` in a ruamel mapping node, if known."""
    try:
        return int(node.lc.key(key)[0]) + 1
    except Exception:
        return node_line(node)


def value_position(node: Any, key: Any) -> tuple[int, int] | None:
    """0-based (line, column) of the value of ``key`` in a ruamel mapping node, if known."""
    try:
        line, col = node.lc.value(key)
        return int(line), int(col)
    except Exception:
        return None


def item_line(node: Any, index: int) -> int | None:
    """1-based line of item ``index`` in a ruamel sequence node, if known."""
    try:
        return int(node.lc.item(index)[0]) + 1
    except Exception:
        return node_line(node)


def node_line(node: Any) -> int | None:
    try:
        return int(node.lc.line) + 1
    except Exception:
        return None


def plain(value: Any) -> Any:
    """Convert ruamel round-trip containers to plain dicts, lists and scalars."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
