"""Compliance packs: approved blocks, where they are required, and forbidden claims.

A compliance pack is a YAML file with (some of) the top-level keys ``blocks``, ``require`` and
``forbid``. Validation is strict — unknown keys, duplicate block ids, bad dates, a ``require``
naming an unknown block, a regex that re2 cannot compile — and every problem names the file and
line. Packs come from the shipped ``rules/compliance/`` examples, the config's ``packs:`` and
installed packages (entry point group ``msglint.compliance``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from msglint.compliance.matching import ApprovedText
from msglint.config import Config, ConfigError
from msglint.model import (
    CATEGORIES,
    CHANNELS,
    FACTORY_DEFAULT,
    Message,
    Severity,
    dataclass_eq,
    dataclass_hash,
    dataclass_repr,
    set_field,
)
from msglint.yamlsource import (
    YamlError,
    item_line,
    key_line,
    load_yaml_file,
    node_line,
    yaml_files,
)

ENTRY_POINT_GROUP = "msglint.compliance"
PACK_KEYS = frozenset({"blocks", "require", "forbid"})
_TOP_KEYS = PACK_KEYS | {"kind", "id", "title", "description", "disclaimer", "example"}
_BLOCK_KEYS = frozenset(
    {
        "id", "title", "version", "owner", "approved_by", "approved_on", "valid_from",
        "valid_until", "language", "text", "include", "previous_versions", "description",
    }
)  # fmt: skip
_VERSION_KEYS = frozenset({"version", "text", "approved_on", "valid_until"})
_REQUIRE_KEYS = frozenset({"block", "when", "placement", "severity", "note"})
_FORBID_KEYS = frozenset(
    {"id", "phrase", "regex", "message", "when", "severity", "case_sensitive", "language"}
)
_WHEN_KEYS = ("channel", "category", "language")
PLACEMENTS = ("any", "start", "end")
# Words that may follow an "end" block (greeting, sign-off) or precede a "start" block.
DEFAULT_PLACEMENT_WORDS = 40
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_CONFIG_KEYS = frozenset({"today", "examples", "min_similarity"})


class PackProblem(NamedTuple):
    """One problem in a pack file (1-based line, None if unknown)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


class CompliancePackError(YamlError):
    """Invalid compliance packs: every problem with file and line."""

    def __init__(self, problems: Sequence[PackProblem]) -> None:
        first = problems[0]
        super().__init__(first.path, first.line, first.message)
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class When:
    """Conditions on a message; an empty tuple means any value."""

    channel: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    language: tuple[str, ...] = ()

    def __init__(
        self,
        channel: tuple[str, ...] = (),
        category: tuple[str, ...] = (),
        language: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "channel", channel)
        set_field(self, "category", category)
        set_field(self, "language", language)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    def matches(self, message: Message) -> bool:
        return (
            _value_in(message.channel, self.channel)
            and _value_in(message.category, self.category)
            and _language_in(message.language, self.language)
        )

    def describe(self) -> str:
        parts = [f"{k}: {', '.join(v)}" for k in _WHEN_KEYS if (v := getattr(self, k))]
        return "; ".join(parts) or "always"


def _value_in(value: str | None, allowed: tuple[str, ...]) -> bool:
    return not allowed or (value is not None and value in allowed)


def _language_in(value: str | None, allowed: tuple[str, ...]) -> bool:
    """``de`` also covers ``de-AT`` / ``de_CH``."""
    if not allowed:
        return True
    if value is None:
        return False
    base = value.replace("_", "-").split("-", 1)[0].lower()
    return any(a.lower() in (value.lower(), base) for a in allowed)


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class BlockVersion:
    version: str
    text: str
    approved_on: dt.date | None = None
    valid_until: dt.date | None = None
    line: int | None = None

    def __init__(
        self,
        version: str,
        text: str,
        approved_on: dt.date | None = None,
        valid_until: dt.date | None = None,
        line: int | None = None,
    ) -> None:
        set_field(self, "version", version)
        set_field(self, "text", text)
        set_field(self, "approved_on", approved_on)
        set_field(self, "valid_until", valid_until)
        set_field(self, "line", line)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    @cached_property
    def approved(self) -> ApprovedText:
        return ApprovedText(self.text)


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class Block:
    """An approved text; ``text`` may contain placeholders (``{{ unsubscribe_url }}``)."""

    id: str
    version: str
    text: str
    path: str
    line: int | None
    title: str = ""
    owner: str | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    language: str | None = None
    include: str | None = None
    description: str | None = None
    previous_versions: tuple[BlockVersion, ...] = ()
    example: bool = False  # from a pack marked ``example: true`` (the shipped ones)

    def __init__(
        self,
        id: str,
        version: str,
        text: str,
        path: str,
        line: int | None,
        title: str = "",
        owner: str | None = None,
        approved_by: str | None = None,
        approved_on: dt.date | None = None,
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        language: str | None = None,
        include: str | None = None,
        description: str | None = None,
        previous_versions: tuple[BlockVersion, ...] = (),
        example: bool = False,
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "version", version)
        set_field(self, "text", text)
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "title", title)
        set_field(self, "owner", owner)
        set_field(self, "approved_by", approved_by)
        set_field(self, "approved_on", approved_on)
        set_field(self, "valid_from", valid_from)
        set_field(self, "valid_until", valid_until)
        set_field(self, "language", language)
        set_field(self, "include", include)
        set_field(self, "description", description)
        set_field(self, "previous_versions", previous_versions)
        set_field(self, "example", example)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    @cached_property
    def current(self) -> BlockVersion:
        return BlockVersion(self.version, self.text, self.approved_on, self.valid_until, self.line)

    @property
    def versions(self) -> tuple[BlockVersion, ...]:
        """The current version first, then the previous ones."""
        return (self.current, *self.previous_versions) if self.text else self.previous_versions

    @property
    def label(self) -> str:
        return f"{self.id} ({self.title})" if self.title else self.id

    def in_force(self, today: dt.date) -> bool:
        return self.valid_from is None or self.valid_from <= today

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < today


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class Requirement:
    block: str
    path: str
    line: int | None
    when: When = field(default_factory=When)
    placement: str = "any"
    severity: Severity | None = None
    note: str | None = None

    def __init__(
        self,
        block: str,
        path: str,
        line: int | None,
        when: When = FACTORY_DEFAULT,
        placement: str = "any",
        severity: Severity | None = None,
        note: str | None = None,
    ) -> None:
        set_field(self, "block", block)
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "when", When() if when is FACTORY_DEFAULT else when)
        set_field(self, "placement", placement)
        set_field(self, "severity", severity)
        set_field(self, "note", note)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class ForbiddenClaim:
    path: str
    line: int | None
    message: str
    phrase: str | None = None
    regex: str | None = None
    id: str | None = None
    when: When = field(default_factory=When)
    severity: Severity | None = None
    case_sensitive: bool = False

    def __init__(
        self,
        path: str,
        line: int | None,
        message: str,
        phrase: str | None = None,
        regex: str | None = None,
        id: str | None = None,
        when: When = FACTORY_DEFAULT,
        severity: Severity | None = None,
        case_sensitive: bool = False,
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "message", message)
        set_field(self, "phrase", phrase)
        set_field(self, "regex", regex)
        set_field(self, "id", id)
        set_field(self, "when", When() if when is FACTORY_DEFAULT else when)
        set_field(self, "severity", severity)
        set_field(self, "case_sensitive", case_sensitive)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    @property
    def label(self) -> str:
        return self.id or self.phrase or f"/{self.regex}/"

    @cached_property
    def pattern(self) -> Any:
        """The compiled re2 pattern (``regex`` claims only)."""
        return compile_regex(self.regex or "", case_sensitive=self.case_sensitive)


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class CompliancePack:
    path: str
    id: str | None = None
    title: str | None = None
    description: str | None = None
    disclaimer: str | None = None
    example: bool = False
    blocks: tuple[Block, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    forbidden: tuple[ForbiddenClaim, ...] = ()

    def __init__(
        self,
        path: str,
        id: str | None = None,
        title: str | None = None,
        description: str | None = None,
        disclaimer: str | None = None,
        example: bool = False,
        blocks: tuple[Block, ...] = (),
        requirements: tuple[Requirement, ...] = (),
        forbidden: tuple[ForbiddenClaim, ...] = (),
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "id", id)
        set_field(self, "title", title)
        set_field(self, "description", description)
        set_field(self, "disclaimer", disclaimer)
        set_field(self, "example", example)
        set_field(self, "blocks", blocks)
        set_field(self, "requirements", requirements)
        set_field(self, "forbidden", forbidden)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class ComplianceSet:
    """All packs of a run, with the check date and matching threshold."""

    packs: list[CompliancePack] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    min_similarity: float = 0.75

    def __init__(
        self,
        packs: list[CompliancePack] = FACTORY_DEFAULT,
        today: dt.date = FACTORY_DEFAULT,
        min_similarity: float = 0.75,
    ) -> None:
        self.packs = [] if packs is FACTORY_DEFAULT else packs
        self.today = dt.date.today() if today is FACTORY_DEFAULT else today
        self.min_similarity = min_similarity

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    @cached_property
    def blocks(self) -> dict[str, Block]:
        return {b.id: b for p in self.packs for b in p.blocks}

    @cached_property
    def bigram_anchors(self) -> frozenset[str]:
        """The word bigrams that anchor any version of any block (all a search looks up)."""
        return frozenset(
            anchor
            for block in self.blocks.values()
            for version in block.versions
            if version.approved.bigrams
            for anchor in version.approved.anchors
        )

    @cached_property
    def requirements(self) -> list[Requirement]:
        return [r for p in self.packs for r in p.requirements if r.block in self.blocks]

    @cached_property
    def forbidden(self) -> list[ForbiddenClaim]:
        return [f for p in self.packs for f in p.forbidden]

    @cached_property
    def required_block_ids(self) -> list[str]:
        """Every block some requirement names, in pack order."""
        return list(dict.fromkeys(r.block for r in self.requirements))

    def requirements_for(self, message: Message) -> list[Requirement]:
        """The requirements that apply to a message (the first per block wins)."""
        seen: dict[str, Requirement] = {}
        for req in self.requirements:
            if req.block not in seen and req.when.matches(message):
                seen[req.block] = req
        return list(seen.values())

    def blocks_for(self, message: Message) -> list[Block]:
        """Blocks worth searching in a message: required ones and those in its language."""
        required = {r.block for r in self.requirements_for(message)}
        return [
            b
            for b in self.blocks.values()
            if b.id in required
            or b.language is None
            or _language_in(message.language, (b.language,))
        ]


def compile_regex(pattern: str, *, case_sensitive: bool = False) -> Any:
    """Compile with re2 (linear time: no catastrophic backtracking). Raises ``ValueError``."""
    import re2

    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise ValueError(str(detail)) from None


# ---------------------------------------------------------------------------------------------
# Validation


class _Checker:
    """Collects problems for one file instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.problems: list[PackProblem] = []

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(PackProblem(self.path, line, message))

    def unknown_keys(self, node: dict[Any, Any], allowed: Iterable[str], what: str) -> None:
        allowed = set(allowed)
        for key in node:
            if key not in allowed:
                self.problem(
                    key_line(node, key),
                    f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})",
                )

    def string(
        self, node: dict[Any, Any], key: str, what: str, *, required: bool = False
    ) -> str | None:
        if key not in node or node[key] is None:
            if required:
                self.problem(node_line(node), f"{what}: {key!r} is required")
            return None
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(key_line(node, key), f"{what}: {key!r} must be a string")
            return None
        text = str(value)
        if required and not text.strip():
            self.problem(key_line(node, key), f"{what}: {key!r} must not be empty")
            return None
        return text

    def date(self, node: dict[Any, Any], key: str, what: str) -> dt.date | None:
        if key not in node or node[key] is None:
            return None
        value = node[key]
        parsed = parse_date(value)
        if parsed is None:
            self.problem(
                key_line(node, key), f"{what}: {key!r} must be a date (YYYY-MM-DD), got {value!r}"
            )
        return parsed

    def boolean(self, node: dict[Any, Any], key: str, what: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.problem(key_line(node, key), f"{what}: {key!r} must be true or false")
            return False
        return value

    def severity(self, node: dict[Any, Any], what: str) -> Severity | None:
        text = self.string(node, "severity", what)
        if text is None:
            return None
        try:
            return Severity.parse(text)
        except ValueError as exc:
            self.problem(key_line(node, "severity"), f"{what}: {exc}")
            return None

    def sequence(self, node: dict[Any, Any], key: str, what: str) -> list[Any]:
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key_line(node, key), f"{what}: {key!r} must be a list")
            return []
        return value

    def when(self, node: dict[Any, Any], what: str) -> When:
        value = node.get("when")
        if value is None:
            return When()
        if not isinstance(value, dict):
            self.problem(key_line(node, "when"), f"{what}: 'when' must be a mapping")
            return When()
        self.unknown_keys(value, _WHEN_KEYS, f"{what} 'when'")
        found: dict[str, tuple[str, ...]] = {}
        for key in _WHEN_KEYS:
            raw = value.get(key)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else raw
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                self.problem(key_line(value, key), f"{what}: 'when.{key}' must be a string or list")
                continue
            known = {"channel": CHANNELS, "category": CATEGORIES}.get(key)
            for item in items:
                if known and item not in known:
                    self.problem(
                        key_line(value, key),
                        f"{what}: unknown {key} {item!r} (one of {', '.join(known)})",
                    )
            found[key] = tuple(items)
        return When(**found)


def parse_date(value: Any) -> dt.date | None:
    """A date from YAML (``2026-03-01`` is parsed by YAML already) or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_compliance_document(doc: Any) -> bool:
    """True for a parsed YAML document that is a compliance pack (not a term pack)."""
    if not isinstance(doc, dict):
        return False
    if doc.get("kind") == "compliance":
        return True
    return "kind" not in doc and any(k in doc for k in PACK_KEYS)


def parse_pack(doc: Any, path: Path) -> tuple[CompliancePack, list[PackProblem]]:
    """Validate one parsed compliance pack; returns the pack (best effort) and its problems."""
    c = _Checker(path)
    if not isinstance(doc, dict):
        c.problem(1, "a compliance pack must be a mapping with 'blocks', 'require' or 'forbid'")
        return CompliancePack(str(path)), c.problems
    c.unknown_keys(doc, _TOP_KEYS, "compliance pack")
    if "kind" in doc and doc["kind"] != "compliance":
        c.problem(key_line(doc, "kind"), "'kind' of a compliance pack must be 'compliance'")
    example = c.boolean(doc, "example", "compliance pack")
    blocks = [
        b
        for i, node in enumerate(c.sequence(doc, "blocks", "compliance pack"))
        if (b := _parse_block(c, node, item_line(doc["blocks"], i), example)) is not None
    ]
    requirements = [
        r
        for i, node in enumerate(c.sequence(doc, "require", "compliance pack"))
        if (r := _parse_requirement(c, node, item_line(doc["require"], i))) is not None
    ]
    forbidden = [
        f
        for i, node in enumerate(c.sequence(doc, "forbid", "compliance pack"))
        if (f := _parse_forbid(c, node, item_line(doc["forbid"], i))) is not None
    ]
    pack = CompliancePack(
        path=str(path),
        id=c.string(doc, "id", "compliance pack"),
        title=c.string(doc, "title", "compliance pack"),
        description=c.string(doc, "description", "compliance pack"),
        disclaimer=c.string(doc, "disclaimer", "compliance pack"),
        example=example,
        blocks=tuple(blocks),
        requirements=tuple(requirements),
        forbidden=tuple(forbidden),
    )
    return pack, c.problems


def _parse_block(c: _Checker, node: Any, line: int | None, example: bool) -> Block | None:
    if not isinstance(node, dict):
        c.problem(line, "each entry of 'blocks' must be a mapping")
        return None
    block_id = c.string(node, "id", "block", required=True)
    what = f"block {block_id!r}" if block_id else "block"
    c.unknown_keys(node, _BLOCK_KEYS, what)
    if block_id is not None and not _ID_RE.match(block_id):
        c.problem(key_line(node, "id"), f"{what}: ids use letters, digits, '.', '_' and '-'")
    version = c.string(node, "version", what, required=True)
    text = c.string(node, "text", what) or ""
    include = c.string(node, "include", what)
    if not text.strip() and not include:
        c.problem(line, f"{what}: needs 'text' (the approved wording) or 'include'")
    valid_from = c.date(node, "valid_from", what)
    valid_until = c.date(node, "valid_until", what)
    if valid_from and valid_until and valid_until < valid_from:
        c.problem(key_line(node, "valid_until"), f"{what}: 'valid_until' is before 'valid_from'")
    previous: list[BlockVersion] = []
    seen_versions = {version}
    raw_previous = c.sequence(node, "previous_versions", what)
    for i, item in enumerate(raw_previous):
        item_ln = item_line(node["previous_versions"], i)
        if not isinstance(item, dict):
            c.problem(item_ln, f"{what}: each previous version must be a mapping")
            continue
        c.unknown_keys(item, _VERSION_KEYS, f"{what} previous version")
        v = c.string(item, "version", f"{what} previous version", required=True)
        t = c.string(item, "text", f"{what} previous version", required=True)
        if v is not None and v in seen_versions:
            c.problem(key_line(item, "version"), f"{what}: version {v!r} listed twice")
        seen_versions.add(v)
        approved_on = c.date(item, "approved_on", f"{what} previous version")
        until = c.date(item, "valid_until", f"{what} previous version")
        if v is not None and t is not None:
            previous.append(BlockVersion(v, t, approved_on, until, item_ln))
    if block_id is None or version is None:
        return None
    return Block(
        id=block_id,
        version=version,
        text=text,
        path=c.path,
        line=line,
        title=c.string(node, "title", what) or "",
        owner=c.string(node, "owner", what),
        approved_by=c.string(node, "approved_by", what),
        approved_on=c.date(node, "approved_on", what),
        valid_from=valid_from,
        valid_until=valid_until,
        language=c.string(node, "language", what),
        include=include,
        description=c.string(node, "description", what),
        previous_versions=tuple(previous),
        example=example,
    )


def _parse_requirement(c: _Checker, node: Any, line: int | None) -> Requirement | None:
    if not isinstance(node, dict):
        c.problem(line, "each entry of 'require' must be a mapping")
        return None
    block = c.string(node, "block", "require", required=True)
    what = f"require {block!r}" if block else "require"
    c.unknown_keys(node, _REQUIRE_KEYS, what)
    placement = c.string(node, "placement", what) or "any"
    if placement not in PLACEMENTS:
        c.problem(key_line(node, "placement"), f"{what}: 'placement' must be start, end or any")
        placement = "any"
    when = c.when(node, what)
    severity = c.severity(node, what)
    note = c.string(node, "note", what)
    if block is None:
        return None
    return Requirement(block, c.path, line, when, placement, severity, note)


def _parse_forbid(c: _Checker, node: Any, line: int | None) -> ForbiddenClaim | None:
    if not isinstance(node, dict):
        c.problem(line, "each entry of 'forbid' must be a mapping")
        return None
    c.unknown_keys(node, _FORBID_KEYS, "forbid")
    phrase = c.string(node, "phrase", "forbid")
    regex = c.string(node, "regex", "forbid")
    if (phrase is None) == (regex is None):
        c.problem(line, "forbid: give exactly one of 'phrase' or 'regex'")
        return None
    case_sensitive = c.boolean(node, "case_sensitive", "forbid")
    if regex is not None:
        try:
            compile_regex(regex, case_sensitive=case_sensitive)
        except ValueError as exc:
            c.problem(key_line(node, "regex"), f"forbid: regex does not compile with re2: {exc}")
            return None
        if compile_regex(regex).search(""):
            c.problem(key_line(node, "regex"), "forbid: regex matches the empty string")
            return None
    if phrase is not None and not phrase.strip():
        c.problem(key_line(node, "phrase"), "forbid: 'phrase' must not be empty")
        return None
    when = c.when(node, "forbid")
    language = c.string(node, "language", "forbid")
    if language is not None and not when.language:
        when = When(when.channel, when.category, (language,))
    return ForbiddenClaim(
        path=c.path,
        line=line,
        message=c.string(node, "message", "forbid") or f"Forbidden claim: {phrase or regex}",
        phrase=phrase,
        regex=regex,
        id=c.string(node, "id", "forbid"),
        when=when,
        severity=c.severity(node, "forbid"),
        case_sensitive=case_sensitive,
    )


def cross_check(packs: Sequence[CompliancePack]) -> list[PackProblem]:
    """Problems across packs: duplicate block ids, requirements naming unknown blocks."""
    problems: list[PackProblem] = []
    first: dict[str, Block] = {}
    for pack in packs:
        for block in pack.blocks:
            if block.id in first:
                other = first[block.id]
                problems.append(
                    PackProblem(
                        block.path,
                        block.line,
                        f"duplicate block id {block.id!r} "
                        f"(first defined at {other.path}:{other.line})",
                    )
                )
            else:
                first[block.id] = block
    for pack in packs:
        for req in pack.requirements:
            if req.block not in first:
                problems.append(
                    PackProblem(req.path, req.line, f"require names unknown block {req.block!r}")
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Loading


def read_packs(
    paths: Sequence[Path], *, all_files: bool = False
) -> tuple[list[CompliancePack], list[PackProblem]]:
    """Parse and validate the compliance packs under ``paths``; never raises for pack problems.

    Files that are not compliance packs (term packs) are skipped, except files named directly
    in ``paths`` when ``all_files`` (``msglint compliance validate FILE`` checks them).
    """
    packs, problems = _read_files(paths, all_files)
    return packs, problems + cross_check(packs)


def _read_files(
    paths: Sequence[Path], all_files: bool
) -> tuple[list[CompliancePack], list[PackProblem]]:
    packs: list[CompliancePack] = []
    problems: list[PackProblem] = []
    named = {p for p in paths if not p.is_dir()}
    for file in yaml_files(paths):
        if not file.exists():
            problems.append(
                PackProblem(str(file), None, "compliance pack file or folder not found")
            )
            continue
        try:
            doc = load_yaml_file(file)
        except YamlError as exc:
            problems.append(PackProblem(exc.path, exc.line or _bad_date_line(file), exc.message))
            continue
        if not is_compliance_document(doc) and not (all_files and file in named):
            continue
        pack, found = parse_pack(doc, file)
        packs.append(pack)
        problems.extend(found)
    return packs, problems


_DATE_LIKE = re.compile(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.:-])")


def _bad_date_line(path: Path) -> int | None:
    """YAML reads ``2026-13-40`` as a date and fails without a line: find the line ourselves."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, 1):
        for m in _DATE_LIKE.finditer(line):
            if parse_date(m.group()) is None:
                return number
    return None


def shipped_pack_dir() -> Path:
    from msglint.resources import shipped_rules_dir

    return shipped_rules_dir() / "compliance"


def entry_point_paths() -> list[Path]:
    """Paths from installed packages: each ``msglint.compliance`` entry point loads to a path,
    a list of paths, or a callable returning either."""
    from msglint import resources

    return resources.entry_point_paths(ENTRY_POINT_GROUP)


def config_pack_paths(config: Config | None) -> list[Path]:
    if config is None:
        return []
    return [p if p.is_absolute() else config.root / p for p in config.packs]


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class ComplianceSettings:
    """The config's ``compliance:`` section."""

    today: dt.date | None = None
    examples: bool | None = None  # the shipped examples are opt-in: they are not your texts
    min_similarity: float = 0.75

    def __init__(
        self,
        today: dt.date | None = None,
        examples: bool | None = None,
        min_similarity: float = 0.75,
    ) -> None:
        set_field(self, "today", today)
        set_field(self, "examples", examples)
        set_field(self, "min_similarity", min_similarity)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


def compliance_settings(config: Config | None) -> ComplianceSettings:
    """Validate ``compliance: {today, examples, min_similarity}``; raises ``ConfigError``."""
    section = dict(config.compliance) if config is not None else {}
    where = config.path if config is not None else None
    for key in section:
        if key not in _CONFIG_KEYS:
            raise ConfigError(
                f"unknown key 'compliance.{key}' (allowed: {', '.join(sorted(_CONFIG_KEYS))})",
                where,
            )
    today = None
    if section.get("today") is not None:
        today = parse_date(section["today"])
        if today is None:
            raise ConfigError("'compliance.today' must be a date (YYYY-MM-DD)", where)
    examples = section.get("examples")
    if examples is not None and not isinstance(examples, bool):
        raise ConfigError("'compliance.examples' must be true or false", where)
    similarity = section.get("min_similarity", 0.75)
    if isinstance(similarity, bool) or not isinstance(similarity, int | float):
        raise ConfigError("'compliance.min_similarity' must be a number", where)
    if not 0.3 <= float(similarity) <= 1.0:
        raise ConfigError("'compliance.min_similarity' must be between 0.3 and 1.0", where)
    return ComplianceSettings(today, examples, float(similarity))


def check_date(settings: ComplianceSettings | None = None) -> dt.date:
    """The date for validity checks: env ``MSGLINT_TODAY`` > config ``compliance.today`` > today.

    The environment wins so that CI can pin a date without editing the config.
    """
    env = os.environ.get("MSGLINT_TODAY", "").strip()
    if env:
        parsed = parse_date(env)
        if parsed is None:
            raise ConfigError(f"MSGLINT_TODAY must be a date (YYYY-MM-DD), got {env!r}")
        return parsed
    if settings is not None and settings.today is not None:
        return settings.today
    return dt.date.today()


def load_compliance(config: Config | None = None) -> ComplianceSet:
    """The run's compliance packs: shipped examples, entry points and config ``packs:``.

    The shipped examples are used only when ``compliance.examples`` is true: their texts are
    examples to adapt, so requiring them by default would push users to copy them verbatim.
    Raises :class:`CompliancePackError` listing every problem with file and line.
    """
    settings = compliance_settings(config)
    own, problems = _read_files(entry_point_paths() + config_pack_paths(config), False)
    use_examples = bool(settings.examples)
    packs = own
    if use_examples and shipped_pack_dir().is_dir():
        shipped, shipped_problems = _read_files([shipped_pack_dir()], False)
        packs, problems = shipped + own, shipped_problems + problems
    problems += cross_check(packs)
    if problems:
        raise CompliancePackError(problems)
    return ComplianceSet(packs, check_date(settings), settings.min_similarity)


# The pipeline's name for the loader (msglint.lint.Resources.compliance_packs).
load_compliance_packs = load_compliance
