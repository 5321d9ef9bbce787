"""YAML with line numbers, for config files, rule packs and YAML message files.

Errors in user-written YAML must name the file and line, so every loader goes through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple


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


class Located(NamedTuple):
    """A scalar value with its position: 1-based line/column and 0-based offset."""

    value: Any
    line: int
    column: int
    offset: int


_CACHE_FORMAT = 1  # bump when LineMap/LineList change shape


class _Lines:
    """Positions in a loaded mapping or sequence (an ``.lc`` attribute like ruamel.yaml's)."""

    __slots__ = ("col", "keys", "line", "values")

    def __init__(self, line: int, col: int) -> None:
        self.line = line  # 0-based
        self.col = col
        self.keys: dict[Any, tuple[int, int]] = {}
        self.values: dict[Any, tuple[int, int]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        return self.keys[key]

    def value(self, key: Any) -> tuple[int, int]:
        return self.values[key]

    def item(self, index: int) -> tuple[int, int]:
        return self.values[index]


class LineMap(dict[Any, Any]):
    """A dict that knows the lines of its keys and values (``.lc``)."""

    lc: _Lines


class LineList(list[Any]):
    """A list that knows the lines of its items (``.lc``)."""

    lc: _Lines


@lru_cache(maxsize=1)
def _loader_class() -> type:
    """PyYAML's C parser with YAML 1.2 booleans, line-aware containers, duplicate-key errors.

    ruamel.yaml is pure Python and far slower; rule packs are loaded on every run, and
    pre-commit latency matters.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    # YAML 1.2 booleans only: "no", "on", "yes" stay words (term lists contain such words).
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def construct_map(loader: Any, node: Any) -> Any:
        data = LineMap()
        data.lc = _Lines(node.start_mark.line, node.start_mark.column)
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlError(
                    "", key_node.start_mark.line + 1, "a mapping key must be a plain value"
                ) from None
            if key in data:
                raise YamlError("", key_node.start_mark.line + 1, f"duplicate key {key!r}")
            data[key] = loader.construct_object(value_node, deep=True)
            data.lc.keys[key] = (key_node.start_mark.line, key_node.start_mark.column)
            data.lc.values[key] = (value_node.start_mark.line, value_node.start_mark.column)

    def construct_seq(loader: Any, node: Any) -> Any:
        data = LineList()
        data.lc = _Lines(node.start_mark.line, node.start_mark.column)
        yield data
        for index, child in enumerate(node.value):
            data.append(loader.construct_object(child, deep=True))
            data.lc.values[index] = (child.start_mark.line, child.start_mark.column)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return Loader


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse YAML text into dicts and lists that know their lines (``.lc``).

    Raises :class:`YamlError` with the line of the problem.
    """
    return _load(text, path, None)


def parse_yaml_top_level(text: str, path: str | Path) -> tuple[Any, dict[str, Any]]:
    """:func:`parse_yaml`, and the top-level value nodes (with marks) of a mapping by key.

    One parse for both: the nodes are the ones the data is constructed from.
    """
    top: dict[str, Any] = {}
    return _load(text, path, top), top


def _load(text: str, path: str | Path, top: dict[str, Any] | None) -> Any:
    import yaml

    try:
        # yaml.load, keeping the composed document's top-level nodes.
        loader = _loader_class()(text)
        try:
            root = loader.get_single_node()
            if top is not None and isinstance(root, yaml.MappingNode):
                # Before construction: merge keys (``<<``) are flattened into the nodes then.
                top.update((str(k.value), v) for k, v in root.value if isinstance(k.value, str))
            return None if root is None else loader.construct_document(root)
        finally:
            loader.dispose()
    except YamlError as exc:
        raise YamlError(path, exc.line, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(path, line, f"invalid YAML: {problem}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise YamlError(path, None, f"invalid YAML: {exc}") from None


def parse_yaml_cached(text: str, path: str | Path) -> Any:
    """:func:`parse_yaml`, with the result cached on disk by the text: a config file that did
    not change is read without importing the YAML parser (start-up time)."""
    from msglint.cachedir import cache_file, load_pickle, store_pickle

    cached_at = cache_file("yaml-text", _CACHE_FORMAT, text)
    cached = load_pickle(cached_at)
    if isinstance(cached, tuple) and len(cached) == 1:
        return cached[0]
    data = parse_yaml(text, path)  # errors are raised, never cached
    store_pickle(cached_at, (data,))
    return data


def load_yaml_file(path: Path) -> Any:
    """Load a YAML file; parsed results are cached on disk by path, size and mtime.

    Rule packs are read on every run, and parsing them is most of a pre-commit run's start-up.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise YamlError(path, None, f"cannot read: {exc.strerror}") from None
    from msglint.cachedir import cache_file, load_pickle, store_pickle

    cached_at = cache_file("yaml", path.resolve(), stat.st_size, stat.st_mtime_ns, _CACHE_FORMAT)
    cached = load_pickle(cached_at)
    if cached is not None:
        return cached
    data = _parse_file(path)
    if data is not None:
        store_pickle(cached_at, data)
    return data


def _parse_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(path, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise YamlError(path, None, f"cannot read: {exc.strerror}") from None
    return parse_yaml(text, path)


def key_line(node: Any, key: Any) -> int | None:
    """1-based line of ``key`` in a loaded mapping, if known."""
    try:
        return int(node.lc.key(key)[0]) + 1
    except Exception:
        return node_line(node)


def item_line(node: Any, index: int) -> int | None:
    """1-based line of item ``index`` in a loaded sequence, if known."""
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
    """Convert line-aware containers to plain dicts, lists and scalars."""
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


def yaml_files(paths: Sequence[Path]) -> Iterator[Path]:
    """YAML files under ``paths`` (files, or folders searched recursively), sorted per folder.

    A path that does not exist is yielded as it is: the loader reports it with its name.
    """
    for path in paths:
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
            yield from sorted(found)
        else:
            yield path
