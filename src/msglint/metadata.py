"""Template metadata keys: one validator for front matter, YAML message files and config globs.

Front matter problems become warnings (the file is still linted); the same problems in the
config are errors. Both come from :func:`check_meta`, so the two can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from msglint.model import (
    CATEGORIES,
    CHANNELS,
    FACTORY_DEFAULT,
    SYNTAXES,
    VariableSpec,
    dataclass_eq,
    dataclass_repr,
)
from msglint.yamlsource import item_line, key_line, plain

LANGUAGES = ("de", "en")
META_KEYS = (
    "channel",
    "language",
    "syntax",
    "category",
    "journey",
    "trigger",
    "requires_action",
    "subject",
    "preheader",
    "title",
    "samples",
    "variables",
    "msglint",
)
BUTTON_TYPES = ("url", "quick_reply", "phone")

# Where a key sits: a key path ("variables", "name", "max_length") -> 1-based line, if known.
Locator = Callable[[tuple[str | int, ...]], int | None]

_LANGUAGE = re.compile(r"^(de|en)(?:[-_][a-z]{2})?$", re.IGNORECASE)


class MetaProblem(NamedTuple):
    key: str  # dotted key path, e.g. "variables.name.max_length"
    message: str
    line: int | None
    unknown_key: bool = False


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class MetaValues:
    """Validated metadata; keys that were missing or invalid are simply absent."""

    values: dict[str, Any] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignore: list[tuple[str, str | None]] = field(default_factory=list)  # (rule, reason)

    def __init__(
        self,
        values: dict[str, Any] = FACTORY_DEFAULT,
        rule_options: dict[str, dict[str, Any]] = FACTORY_DEFAULT,
        ignore: list[tuple[str, str | None]] = FACTORY_DEFAULT,
    ) -> None:
        self.values = {} if values is FACTORY_DEFAULT else values
        self.rule_options = {} if rule_options is FACTORY_DEFAULT else rule_options
        self.ignore = [] if ignore is FACTORY_DEFAULT else ignore

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


def yaml_locator(node: Any, line_offset: int = 0) -> Locator:
    """A locator for line-aware YAML containers; ``line_offset`` shifts lines (front matter)."""

    def locate(keys: tuple[str | int, ...]) -> int | None:
        current = node
        line: int | None = None
        for key in keys:
            if isinstance(current, Mapping) and key in current:
                line = key_line(current, key)
                current = current[key]
            elif isinstance(current, list) and isinstance(key, int) and key < len(current):
                line = item_line(current, key)
                current = current[key]
            else:
                break
        return line + line_offset if line is not None else None

    return locate


def normalise_language(value: str) -> str | None:
    """``de``, ``de-DE``, ``en_GB`` -> ``de``/``en``; anything else -> None."""
    match = _LANGUAGE.match(value.strip())
    return match.group(1).lower() if match else None


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Checker:
    def __init__(self, locate: Locator, prefix: tuple[str | int, ...]) -> None:
        self.locate = locate
        self.prefix = prefix
        self.problems: list[MetaProblem] = []

    def problem(self, keys: tuple[str | int, ...], message: str, unknown: bool = False) -> None:
        path = self.prefix + keys
        dotted = ".".join(f"[{k}]" if isinstance(k, int) else k for k in path).replace(".[", "[")
        self.problems.append(MetaProblem(dotted, message, self.locate(path), unknown))

    def expect(
        self, keys: tuple[str | int, ...], value: Any, kind: type | tuple[type, ...], label: str
    ) -> bool:
        ok = isinstance(value, kind) and not (isinstance(value, bool) and bool not in _kinds(kind))
        if not ok:
            self.problem(keys, f"'{_key(keys)}' must be {label}, not {_type_name(value)}")
        return ok

    def choice(self, keys: tuple[str | int, ...], value: Any, choices: tuple[str, ...]) -> bool:
        if not self.expect(keys, value, str, "text"):
            return False
        if value not in choices:
            self.problem(keys, f"'{_key(keys)}' must be one of {', '.join(choices)}, not {value!r}")
            return False
        return True


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _key(keys: tuple[str | int, ...]) -> str:
    return str(next((k for k in reversed(keys) if isinstance(k, str)), ""))


def check_meta(
    data: Mapping[str, Any],
    locate: Locator,
    *,
    prefix: tuple[str | int, ...] = (),
    ignore_unknown: bool = False,
    typos_only: bool = False,
    skip: tuple[str, ...] = (),
) -> tuple[MetaValues, list[MetaProblem]]:
    """Validate metadata keys; returns the valid values and every problem found.

    ``skip`` are keys handled elsewhere (``glob`` in config entries, parts of YAML message
    files); with ``ignore_unknown`` other keys are ignored silently (GC Notify's ``id``, ...);
    with ``typos_only`` only unknown keys that look like misspelt known keys are reported.
    """
    out = MetaValues()
    check = _Checker(locate, prefix)
    for raw_key, raw_value in data.items():
        key = str(raw_key)
        value = plain(raw_value)
        keys: tuple[str | int, ...] = (key,)
        if key in skip:
            continue
        if key not in META_KEYS:
            if typos_only:
                # Front matter is shared with other tools (Pandoc, Jekyll): only near-misses of
                # msglint's own keys are reported, as likely typos.
                import difflib

                close = difflib.get_close_matches(key, META_KEYS, n=1, cutoff=0.8)
                if close:
                    check.problem(
                        keys, f"unknown key '{key}' (did you mean '{close[0]}'?)", unknown=True
                    )
            elif not ignore_unknown:
                allowed = ", ".join(META_KEYS)
                check.problem(keys, f"unknown key '{key}' (allowed: {allowed})", unknown=True)
            continue
        if key == "channel":
            if check.choice(keys, value, CHANNELS):
                out.values[key] = value
        elif key == "syntax":
            if check.choice(keys, value, SYNTAXES):
                out.values[key] = value
        elif key == "category":
            if check.choice(keys, value, CATEGORIES):
                out.values[key] = value
        elif key == "language":
            if check.expect(keys, value, str, "text"):
                language = normalise_language(value)
                if language is None:
                    check.problem(
                        keys, f"'language' must be one of {', '.join(LANGUAGES)}, not {value!r}"
                    )
                else:
                    out.values[key] = language
        elif key in ("journey", "trigger", "subject", "preheader", "title"):
            if check.expect(keys, value, str, "text"):
                out.values[key] = value
        elif key == "requires_action":
            if check.expect(keys, value, bool, "true or false"):
                out.values[key] = value
        elif key == "samples":
            samples = _check_samples(check, keys, value)
            if samples is not None:
                out.values[key] = samples
        elif key == "variables":
            variables = _check_variables(check, value)
            if variables is not None:
                out.values[key] = variables
        elif key == "msglint":
            _check_msglint(check, value, out)
    return out, check.problems


def check_samples(
    value: Any, locate: Locator, keys: tuple[str | int, ...]
) -> tuple[list[dict[str, Any]] | None, list[MetaProblem]]:
    """Validate a list of sample mappings (also used for the config's ``samples``)."""
    check = _Checker(locate, ())
    return _check_samples(check, keys, plain(value)), check.problems


def _check_samples(
    check: _Checker, keys: tuple[str | int, ...], value: Any
) -> list[dict[str, Any]] | None:
    if not check.expect(keys, value, list, "a list of mappings"):
        return None
    samples: list[dict[str, Any]] = []
    for i, item in enumerate(value):
        if check.expect((*keys, i), item, dict, "a mapping of variable values"):
            samples.append(item)
    return samples


def _check_variables(check: _Checker, value: Any) -> dict[str, VariableSpec] | None:
    keys: tuple[str | int, ...] = ("variables",)
    if isinstance(value, list):  # a bare list of names
        names = [v for i, v in enumerate(value) if check.expect((*keys, i), v, str, "a name")]
        return {name: VariableSpec(name) for name in names}
    if not check.expect(keys, value, dict, "a mapping of variable names"):
        return None
    specs: dict[str, VariableSpec] = {}
    for name, spec in value.items():
        vkeys = (*keys, name)
        if spec is None:
            specs[name] = VariableSpec(name)
            continue
        if not check.expect(vkeys, spec, dict, "a mapping (required, max_length, example)"):
            continue
        required = True
        max_length: int | None = None
        for field_name, field_value in spec.items():
            fkeys = (*vkeys, field_name)
            if field_name == "required":
                if check.expect(fkeys, field_value, bool, "true or false"):
                    required = field_value
            elif field_name == "max_length":
                if check.expect(fkeys, field_value, int, "a whole number"):
                    max_length = field_value
            elif field_name != "example":
                check.problem(
                    fkeys,
                    f"unknown key '{field_name}' in variable '{name}' "
                    "(allowed: required, max_length, example)",
                    unknown=True,
                )
        specs[name] = VariableSpec(name, required, max_length, spec.get("example"))
    return specs


def _check_msglint(check: _Checker, value: Any, out: MetaValues) -> None:
    keys: tuple[str | int, ...] = ("msglint",)
    if not check.expect(keys, value, dict, "a mapping (ignore, reason, rules)"):
        return
    reason = value.get("reason")
    if reason is not None and not check.expect((*keys, "reason"), reason, str, "text"):
        reason = None
    for key, item in value.items():
        ikeys = (*keys, key)
        if key in ("ignore", "disable"):
            if isinstance(item, str):
                item = [item]
            if not check.expect(ikeys, item, list, "a list of rule ids"):
                continue
            for i, entry in enumerate(item):
                if isinstance(entry, dict) and isinstance(entry.get("rule"), str):
                    entry_reason = entry.get("reason")
                    out.ignore.append(
                        (entry["rule"], entry_reason if isinstance(entry_reason, str) else reason)
                    )
                elif check.expect((*ikeys, i), entry, str, "a rule id or {rule, reason}"):
                    out.ignore.append((entry, reason))
        elif key == "reason":
            continue
        elif key == "rules":
            if check.expect(ikeys, item, dict, "a mapping of rule id to options"):
                for rule_id, options in item.items():
                    if check.expect((*ikeys, rule_id), options, dict, "a mapping of options"):
                        out.rule_options.setdefault(rule_id, {}).update(options)
        elif "/" in key:  # rule options given directly: {length/sms-segments: {max: 3}}
            if check.expect(ikeys, item, dict, "a mapping of options"):
                out.rule_options.setdefault(key, {}).update(item)
        else:
            check.problem(
                ikeys,
                f"unknown key '{key}' in 'msglint' "
                "(allowed: ignore, disable, reason, rules, or a rule id)",
                unknown=True,
            )
