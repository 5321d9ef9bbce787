"""Configuration: ``.msglint.yaml`` or ``[tool.msglint]`` in ``pyproject.toml``.

``load_config`` finds and validates the configuration and returns a :class:`Config`; every
problem raises :class:`ConfigError` naming the file, line (where known) and key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, NamedTuple, NoReturn

from msglint.metadata import LANGUAGES, Locator, check_meta, check_samples, yaml_locator
from msglint.model import (
    CHANNELS,
    FACTORY_DEFAULT,
    Severity,
    Suppression,
    dataclass_eq,
    dataclass_repr,
)
from msglint.yamlsource import YamlError, parse_yaml_cached, plain

CONFIG_NAMES = (".msglint.yaml", ".msglint.yml")


class ConfigError(Exception):
    """Invalid configuration or usage: exit code 2, message names file, line and key."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class TemplateGlob:
    """Metadata for templates matching a glob (relative to the config file's folder)."""

    glob: str
    # Validated like front matter: channel, language, syntax, category, journey, trigger,
    # requires_action, subject, samples, variables (name -> VariableSpec), ...
    meta: dict[str, Any]
    line: int | None = None
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # from `msglint:`
    ignore: list[tuple[str, str | None]] = field(default_factory=list)  # (rule, reason)

    def __init__(
        self,
        glob: str,
        meta: dict[str, Any],
        line: int | None = None,
        rule_options: dict[str, dict[str, Any]] = FACTORY_DEFAULT,
        ignore: list[tuple[str, str | None]] = FACTORY_DEFAULT,
    ) -> None:
        self.glob = glob
        self.meta = meta
        self.line = line
        self.rule_options = {} if rule_options is FACTORY_DEFAULT else rule_options
        self.ignore = [] if ignore is FACTORY_DEFAULT else ignore

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class Override:
    glob: str
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)

    def __init__(
        self,
        glob: str,
        select: list[str] = FACTORY_DEFAULT,
        ignore: list[str] = FACTORY_DEFAULT,
        rules: dict[str, dict[str, Any]] = FACTORY_DEFAULT,
        severity: dict[str, Severity] = FACTORY_DEFAULT,
    ) -> None:
        self.glob = glob
        self.select = [] if select is FACTORY_DEFAULT else select
        self.ignore = [] if ignore is FACTORY_DEFAULT else ignore
        self.rules = {} if rules is FACTORY_DEFAULT else rules
        self.severity = {} if severity is FACTORY_DEFAULT else severity

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class ConfigSuppression:
    """Suppressions for files that cannot hold comments."""

    glob: str
    rules: list[str]
    reason: str | None = None
    line: int | None = None

    def __init__(
        self, glob: str, rules: list[str], reason: str | None = None, line: int | None = None
    ) -> None:
        self.glob = glob
        self.rules = rules
        self.reason = reason
        self.line = line

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class Config:
    path: Path | None = None  # the config file, if any
    root: Path = field(default_factory=Path.cwd)  # globs are relative to this folder
    language: str | None = None
    channel: str | None = None  # default channel (applies to files named explicitly)
    fail_on: Severity = Severity.WARNING
    select: list[str] = field(default_factory=list)  # empty: all rules
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule/family -> severity
    template_root: Path | None = None  # includes resolve only inside; default: root
    exclude: list[str] = field(default_factory=list)
    templates: list[TemplateGlob] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> options
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)  # channel -> limits
    overrides: list[Override] = field(default_factory=list)
    suppress: list[ConfigSuppression] = field(default_factory=list)
    packs: list[Path] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)  # default samples for all
    max_file_bytes: int = 1_000_000
    # Sections owned by later work packages, validated by them.
    languagetool: dict[str, Any] = field(default_factory=dict)
    vocabulary: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, Any] = field(default_factory=dict)
    compliance: dict[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        path: Path | None = None,
        root: Path = FACTORY_DEFAULT,
        language: str | None = None,
        channel: str | None = None,
        fail_on: Severity = Severity.WARNING,
        select: list[str] = FACTORY_DEFAULT,
        ignore: list[str] = FACTORY_DEFAULT,
        severity: dict[str, Severity] = FACTORY_DEFAULT,
        template_root: Path | None = None,
        exclude: list[str] = FACTORY_DEFAULT,
        templates: list[TemplateGlob] = FACTORY_DEFAULT,
        rules: dict[str, dict[str, Any]] = FACTORY_DEFAULT,
        channels: dict[str, dict[str, Any]] = FACTORY_DEFAULT,
        overrides: list[Override] = FACTORY_DEFAULT,
        suppress: list[ConfigSuppression] = FACTORY_DEFAULT,
        packs: list[Path] = FACTORY_DEFAULT,
        samples: list[dict[str, Any]] = FACTORY_DEFAULT,
        max_file_bytes: int = 1_000_000,
        languagetool: dict[str, Any] = FACTORY_DEFAULT,
        vocabulary: dict[str, Any] = FACTORY_DEFAULT,
        scores: dict[str, Any] = FACTORY_DEFAULT,
        compliance: dict[str, Any] = FACTORY_DEFAULT,
    ) -> None:
        self.path = path
        self.root = Path.cwd() if root is FACTORY_DEFAULT else root
        self.language = language
        self.channel = channel
        self.fail_on = fail_on
        self.select = [] if select is FACTORY_DEFAULT else select
        self.ignore = [] if ignore is FACTORY_DEFAULT else ignore
        self.severity = {} if severity is FACTORY_DEFAULT else severity
        self.template_root = template_root
        self.exclude = [] if exclude is FACTORY_DEFAULT else exclude
        self.templates = [] if templates is FACTORY_DEFAULT else templates
        self.rules = {} if rules is FACTORY_DEFAULT else rules
        self.channels = {} if channels is FACTORY_DEFAULT else channels
        self.overrides = [] if overrides is FACTORY_DEFAULT else overrides
        self.suppress = [] if suppress is FACTORY_DEFAULT else suppress
        self.packs = [] if packs is FACTORY_DEFAULT else packs
        self.samples = [] if samples is FACTORY_DEFAULT else samples
        self.max_file_bytes = max_file_bytes
        self.languagetool = {} if languagetool is FACTORY_DEFAULT else languagetool
        self.vocabulary = {} if vocabulary is FACTORY_DEFAULT else vocabulary
        self.scores = {} if scores is FACTORY_DEFAULT else scores
        self.compliance = {} if compliance is FACTORY_DEFAULT else compliance

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    @property
    def include_root(self) -> Path:
        return _resolved(self.template_root or self.root)

    def relpath(self, path: str | PurePath) -> str:
        """``path`` relative to the config root, with ``/`` separators (for glob matching)."""
        return relative_to_root(self.root, path)

    def template_glob(self, relpath: str) -> TemplateGlob | None:
        """The first ``templates`` entry whose glob matches (first match wins)."""
        return next((t for t in self.templates if glob_matches(t.glob, relpath)), None)

    def excluded_by(self, relpath: str) -> str | None:
        """The ``exclude`` glob that matches, if any."""
        return next((g for g in self.exclude if glob_matches(g, relpath)), None)


# --- globs -----------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().replace("\\", "/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        pattern += "**"
    if pattern.startswith("/"):
        pattern = pattern[1:]
    elif "/" not in pattern:
        # Like .gitignore: a pattern without a slash matches a name at any depth.
        pattern = "**/" + pattern
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")  # "partials/**" also matches the folder itself
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[" and (close := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_matches(pattern: str, relpath: str) -> bool:
    """fnmatch-style match of a path relative to the config root.

    ``*`` and ``?`` stay inside one folder, ``**`` spans folders (``a/**/b`` matches ``a/b``),
    a trailing ``/**`` also matches the folder itself, and a pattern without ``/`` matches a
    file or folder name at any depth.
    """
    relpath = relpath.replace("\\", "/").removeprefix("./")
    return _glob_regex(pattern).match(relpath) is not None


def relative_to_root(root: Path, path: str | PurePath) -> str:
    """``path`` relative to ``root`` in posix form; paths outside ``root`` stay as given."""
    return _relative_to_root(str(root), str(path), os.getcwd())


@lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()


@lru_cache(maxsize=4096)
def _relative_to_root(root: str, path: str, cwd: str) -> str:
    # Cached: every file asks several times (templates, overrides, suppressions). Plain path
    # arithmetic first; resolving symlinks (system calls) only when that leaves the root.
    if os.sep == "/" and root == cwd and not path.startswith("/"):
        # The usual case (run from the config's folder): the arithmetic below comes to this.
        rel = os.path.normpath(path)
        if not rel.startswith(".."):
            return rel
    absolute = os.path.abspath(os.path.join(cwd, path))
    rel = os.path.relpath(absolute, os.path.abspath(root))
    if not rel.startswith(".."):
        return PurePath(rel).as_posix()
    try:
        return Path(absolute).resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return PurePath(path).as_posix()


# --- per-file rule settings ------------------------------------------------------------------


class RuleSettings(NamedTuple):
    select: list[str]  # empty: all rules
    ignore: list[str]
    rule_options: dict[str, dict[str, Any]]
    severity: dict[str, Severity]


def resolve_rule_settings(config: Config, display_path: str | PurePath) -> RuleSettings:
    """The rule selection for one file: the config's, with matching ``overrides`` applied.

    Overrides apply in order: ``select`` replaces the selection, ``ignore`` adds to it, and
    ``rules``/``severity`` are merged over the config's (later overrides win).
    """
    relpath = config.relpath(display_path)
    select = list(config.select)
    ignore = list(config.ignore)
    options = {rule_id: dict(opts) for rule_id, opts in config.rules.items()}
    severity = dict(config.severity)
    for override in config.overrides:
        if not glob_matches(override.glob, relpath):
            continue
        if override.select:
            select = list(override.select)
        ignore.extend(r for r in override.ignore if r not in ignore)
        for rule_id, opts in override.rules.items():
            options.setdefault(rule_id, {}).update(opts)
        severity.update(override.severity)
    return RuleSettings(select, ignore, options, severity)


def config_suppressions(config: Config, display_path: str | PurePath) -> list[Suppression]:
    """File-wide suppressions from the config's ``suppress`` entries matching the file."""
    relpath = config.relpath(display_path)
    return [
        Suppression(rule, 0, "file", entry.reason, "config")
        for entry in config.suppress
        if glob_matches(entry.glob, relpath)
        for rule in entry.rules
    ]


# --- finding and loading ---------------------------------------------------------------------

_TOOL_TABLE = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*msglint\s*[\].]", re.MULTILINE)


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return _TOOL_TABLE.search(pyproject.read_text(encoding="utf-8-sig")) is not None
    except (OSError, UnicodeDecodeError):
        return False


def find_config(start: Path) -> Path | None:
    """The nearest ``.msglint.yaml``/``.yml`` or ``pyproject.toml`` with ``[tool.msglint]``.

    Looks in ``start`` and its parents; the first folder with one wins, and ``.msglint.yaml``
    wins over ``pyproject.toml`` in the same folder.
    """
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """Load ``explicit`` (``--config``), else the nearest config above ``start`` (default: cwd).

    Without any config file, returns the defaults with the current folder as root.
    """
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return Config(root=Path.cwd().resolve())
    if not path.is_file():
        raise ConfigError("config file not found", path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason})", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from None
    if path.suffix == ".toml":
        data, locate = _load_toml(text, path)
        section = "[tool.msglint]"
    else:
        try:
            node = parse_yaml_cached(text, path)
        except YamlError as exc:
            raise ConfigError(exc.message, path, exc.line) from None
        if node is None:
            node = {}
        if not isinstance(node, Mapping):
            raise ConfigError("the configuration must be a mapping of keys", path, 1)
        data, locate = node, yaml_locator(node)
        section = "the configuration"
    return _ConfigReader(path, locate, section).read(data)


def _load_toml(text: str, path: Path) -> tuple[Mapping[str, Any], Locator]:
    import tomllib  # only for pyproject.toml configs

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError(f"invalid TOML: {exc}", path, line) from None
    table = document.get("tool", {}).get("msglint")
    if table is None:
        raise ConfigError("no [tool.msglint] table", path)
    if not isinstance(table, dict):
        raise ConfigError("'tool.msglint' must be a table", path)
    return table, _toml_locator(text)


def _toml_locator(text: str) -> Locator:
    """Best-effort lines for keys of ``[tool.msglint]``: search the text below the parent key."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*msglint\s*(?:\.\s*(.*?))?\s*\]\]?")
    start = next((i for i, line in enumerate(lines) if header.match(line)), 0)

    def find(key: str, begin: int) -> int | None:
        quoted = re.escape(key)
        assign = re.compile(rf"""(?:^|[\s{{,.])(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
        for i in range(begin, len(lines)):
            match = header.match(lines[i])
            if match and match.group(1) is not None:
                sub = [s.strip().strip("\"'") for s in match.group(1).split(".")]
                if key in sub:
                    return i
            elif assign.search(lines[i]):
                return i
        return None

    def locate(keys: tuple[str | int, ...]) -> int | None:
        line = start
        for key in keys:
            if isinstance(key, int):
                continue
            found = find(key, line)
            if found is None:
                break
            line = found
        return line + 1

    return locate


_FREE_FORM_KEYS = ("languagetool", "vocabulary", "scores", "compliance")
_TOP_KEYS = (
    "language", "channel", "fail_on", "select", "ignore", "severity", "template_root",
    "exclude", "templates", "rules", "channels", "overrides", "suppress", "packs", "samples",
    "max_file_bytes", "languagetool", "vocabulary", "scores", "compliance",
)  # fmt: skip


class _ConfigReader:
    """Validates one config mapping; every problem raises :class:`ConfigError`."""

    def __init__(self, path: Path, locate: Locator, section: str) -> None:
        self.path = path
        self.locate = locate
        self.section = section

    def fail(self, keys: tuple[str | int, ...], message: str) -> NoReturn:
        raise ConfigError(message, self.path, self.locate(keys))

    def name(self, keys: tuple[str | int, ...]) -> str:
        return ".".join(f"[{k}]" if isinstance(k, int) else str(k) for k in keys).replace(".[", "[")

    def expect(self, keys: tuple[str | int, ...], value: Any, kind: type, label: str) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            got = type(value).__name__ if value is not None else "nothing"
            self.fail(keys, f"'{self.name(keys)}' must be {label}, not {got}")
        return value

    def text(self, keys: tuple[str | int, ...], value: Any) -> str:
        return str(self.expect(keys, value, str, "text"))

    def choice(self, keys: tuple[str | int, ...], value: Any, choices: tuple[str, ...]) -> str:
        text = self.text(keys, value)
        if text not in choices:
            self.fail(
                keys, f"'{self.name(keys)}' must be one of {', '.join(choices)}, not {text!r}"
            )
        return text

    def severity(self, keys: tuple[str | int, ...], value: Any) -> Severity:
        return Severity.parse(self.choice(keys, value, ("error", "warning", "info")))

    def texts(self, keys: tuple[str | int, ...], value: Any) -> list[str]:
        items = self.expect(keys, value, list, "a list of text")
        return [self.text((*keys, i), item) for i, item in enumerate(items)]

    def mapping(self, keys: tuple[str | int, ...], value: Any) -> dict[str, Any]:
        return dict(self.expect(keys, value, dict, "a mapping"))

    def options(self, keys: tuple[str | int, ...], value: Any) -> dict[str, dict[str, Any]]:
        """``{rule id: {option: value}}``."""
        return {
            str(rule_id): self.mapping((*keys, rule_id), opts)
            for rule_id, opts in self.mapping(keys, value).items()
        }

    def severities(self, keys: tuple[str | int, ...], value: Any) -> dict[str, Severity]:
        return {
            str(rule_id): self.severity((*keys, rule_id), level)
            for rule_id, level in self.mapping(keys, value).items()
        }

    def entries(
        self, keys: tuple[str | int, ...], value: Any, allowed: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        """A list of mappings, each with a text ``glob`` and only ``allowed`` keys."""
        result = []
        for i, item in enumerate(self.expect(keys, value, list, "a list of mappings")):
            entry = self.mapping((*keys, i), item)
            for key in entry:
                if key not in allowed:
                    self.fail(
                        (*keys, i, key),
                        f"unknown key '{key}' in '{self.name(keys)}' "
                        f"(allowed: {', '.join(allowed)})",
                    )
            if "glob" not in entry:
                self.fail((*keys, i), f"'{self.name((*keys, i))}' needs a 'glob'")
            self.text((*keys, i, "glob"), entry["glob"])
            result.append(entry)
        return result

    def folder_path(self, value: str) -> Path:
        return (self.path.parent / value).resolve()

    def read(self, raw: Mapping[str, Any]) -> Config:
        config = Config(path=self.path, root=self.path.parent.resolve())
        setters: dict[str, Callable[[tuple[str | int, ...], Any], None]] = {
            "language": lambda k, v: setattr(config, "language", self.choice(k, v, LANGUAGES)),
            "channel": lambda k, v: setattr(config, "channel", self.choice(k, v, CHANNELS)),
            "fail_on": lambda k, v: setattr(config, "fail_on", self.severity(k, v)),
            "select": lambda k, v: setattr(config, "select", self.texts(k, v)),
            "ignore": lambda k, v: setattr(config, "ignore", self.texts(k, v)),
            "severity": lambda k, v: setattr(config, "severity", self.severities(k, v)),
            "template_root": lambda k, v: setattr(
                config, "template_root", self.folder_path(self.text(k, v))
            ),
            "exclude": lambda k, v: setattr(config, "exclude", self.texts(k, v)),
            "rules": lambda k, v: setattr(config, "rules", self.options(k, v)),
            "channels": lambda k, v: setattr(config, "channels", self.channels(k, v)),
            "packs": lambda k, v: setattr(
                config, "packs", [self.folder_path(p) for p in self.texts(k, v)]
            ),
            "samples": lambda k, v: setattr(config, "samples", self.samples(k, v)),
            "max_file_bytes": lambda k, v: setattr(config, "max_file_bytes", self.size(k, v)),
            "templates": lambda k, v: setattr(config, "templates", self.templates(k, v, raw)),
            "overrides": lambda k, v: setattr(config, "overrides", self.overrides(k, v)),
            "suppress": lambda k, v: setattr(config, "suppress", self.suppress(k, v)),
        }
        for key, value in raw.items():
            keys: tuple[str | int, ...] = (str(key),)
            if key in _FREE_FORM_KEYS:
                setattr(config, str(key), self.mapping(keys, plain(value)))
                continue
            setter = setters.get(str(key))
            if setter is None:
                self.fail(
                    keys, f"unknown key '{key}' in {self.section} (allowed: {', '.join(_TOP_KEYS)})"
                )
            setter(keys, plain(value))
        return config

    def size(self, keys: tuple[str | int, ...], value: Any) -> int:
        number = int(self.expect(keys, value, int, "a whole number"))
        if number <= 0:
            self.fail(keys, f"'{self.name(keys)}' must be greater than 0")
        return number

    def channels(self, keys: tuple[str | int, ...], value: Any) -> dict[str, dict[str, Any]]:
        result = self.options(keys, value)
        for channel in result:
            self.choice((*keys, channel), channel, CHANNELS)
        return result

    def samples(self, keys: tuple[str | int, ...], value: Any) -> list[dict[str, Any]]:
        samples, problems = check_samples(value, self.locate, keys)
        if problems:
            raise ConfigError(problems[0].message, self.path, problems[0].line)
        return samples or []

    def templates(
        self, keys: tuple[str | int, ...], value: Any, raw: Mapping[str, Any]
    ) -> list[TemplateGlob]:
        result = []
        raw_list = raw.get("templates")
        for i, entry in enumerate(self.expect(keys, value, list, "a list of mappings")):
            self.mapping((*keys, i), entry)
            self.text((*keys, i, "glob"), entry.get("glob"))
            # Lines come from the original nodes (plain() dropped them).
            node = raw_list[i] if isinstance(raw_list, list) else entry
            prefix = (*keys, i)
            meta, problems = check_meta(node, self.locate, prefix=prefix, skip=("glob",))
            if problems:
                first = problems[0]
                raise ConfigError(f"templates[{i}]: {first.message}", self.path, first.line)
            result.append(
                TemplateGlob(
                    glob=entry["glob"],
                    meta=meta.values,
                    line=self.locate(prefix),
                    rule_options=meta.rule_options,
                    ignore=meta.ignore,
                )
            )
        return result

    def overrides(self, keys: tuple[str | int, ...], value: Any) -> list[Override]:
        result = []
        allowed = ("glob", "select", "ignore", "rules", "severity")
        for i, entry in enumerate(self.entries(keys, value, allowed)):
            k = (*keys, i)
            result.append(
                Override(
                    glob=entry["glob"],
                    select=self.texts((*k, "select"), entry.get("select", [])),
                    ignore=self.texts((*k, "ignore"), entry.get("ignore", [])),
                    rules=self.options((*k, "rules"), entry.get("rules", {})),
                    severity=self.severities((*k, "severity"), entry.get("severity", {})),
                )
            )
        return result

    def suppress(self, keys: tuple[str | int, ...], value: Any) -> list[ConfigSuppression]:
        result = []
        for i, entry in enumerate(self.entries(keys, value, ("glob", "rules", "reason"))):
            k = (*keys, i)
            if "rules" not in entry:
                self.fail(k, f"'{self.name(k)}' needs 'rules' (rule ids or families)")
            rules = entry["rules"]
            reason = entry.get("reason")
            result.append(
                ConfigSuppression(
                    glob=entry["glob"],
                    rules=[rules] if isinstance(rules, str) else self.texts((*k, "rules"), rules),
                    reason=None if reason is None else self.text((*k, "reason"), reason),
                    line=self.locate(k),
                )
            )
        return result
