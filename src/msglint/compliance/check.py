"""Which approved blocks a message carries, in which version and state; which claims it makes.

One analysis per message serves every ``compliance/`` rule and the audit, so the text is
searched once. Everything here is computed from the ``Message`` and the loaded packs.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from msglint.compliance.matching import (
    TextIndex,
    TextMatch,
    find_approved,
    find_pattern,
    find_phrase,
)
from msglint.compliance.packs import (
    DEFAULT_PLACEMENT_WORDS,
    Block,
    BlockVersion,
    ComplianceSet,
    ForbiddenClaim,
    Requirement,
)
from msglint.model import (
    FACTORY_DEFAULT,
    Message,
    Part,
    dataclass_eq,
    dataclass_hash,
    dataclass_repr,
    set_field,
)

# Audit statuses, worst first (a block's status is the first that applies).
STATUSES = (
    "missing",
    "altered",
    "outdated",
    "expired",
    "not-yet-valid",
    "conditional",
    "misplaced",
    "ok",
    "not-required",
)
# A match counts as conditional when at least this share of its source lies in {% if %} text.
_CONDITIONAL_SHARE = 0.5


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class Occurrence:
    """An approved block (one of its versions) found in a part of the message."""

    block: Block
    version: BlockVersion
    part: str
    start: int  # offsets in ``part.text``
    end: int
    match: TextMatch
    conditional: bool = False

    def __init__(
        self,
        block: Block,
        version: BlockVersion,
        part: str,
        start: int,
        end: int,
        match: TextMatch,
        conditional: bool = False,
    ) -> None:
        set_field(self, "block", block)
        set_field(self, "version", version)
        set_field(self, "part", part)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "match", match)
        set_field(self, "conditional", conditional)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash

    @property
    def is_current(self) -> bool:
        return self.version.version == self.block.version


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class BlockResult:
    """The state of one block in one message."""

    block: Block
    requirement: Requirement | None
    occurrence: Occurrence | None = None
    via_include: str | None = None  # the include that provides the block
    conditional: str | None = None  # why some customers may not get it
    words_before: int = 0  # words outside approved blocks before / after the occurrence
    words_after: int = 0
    # File offset of the block in template source that did not render (inside {% if %}).
    source_offset: int | None = None
    status: str = "ok"
    detail: str = ""

    def __init__(
        self,
        block: Block,
        requirement: Requirement | None,
        occurrence: Occurrence | None = None,
        via_include: str | None = None,
        conditional: str | None = None,
        words_before: int = 0,
        words_after: int = 0,
        source_offset: int | None = None,
        status: str = "ok",
        detail: str = "",
    ) -> None:
        self.block = block
        self.requirement = requirement
        self.occurrence = occurrence
        self.via_include = via_include
        self.conditional = conditional
        self.words_before = words_before
        self.words_after = words_after
        self.source_offset = source_offset
        self.status = status
        self.detail = detail

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq

    @property
    def present(self) -> bool:
        return self.occurrence is not None or self.via_include is not None


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class ClaimHit:
    claim: ForbiddenClaim
    part: str
    start: int
    end: int
    text: str

    def __init__(self, claim: ForbiddenClaim, part: str, start: int, end: int, text: str) -> None:
        set_field(self, "claim", claim)
        set_field(self, "part", part)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "text", text)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class MessageCompliance:
    blocks: dict[str, BlockResult] = field(default_factory=dict)  # required or found blocks
    claims: list[ClaimHit] = field(default_factory=list)

    def __init__(
        self,
        blocks: dict[str, BlockResult] = FACTORY_DEFAULT,
        claims: list[ClaimHit] = FACTORY_DEFAULT,
    ) -> None:
        self.blocks = {} if blocks is FACTORY_DEFAULT else blocks
        self.claims = [] if claims is FACTORY_DEFAULT else claims

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


def placement_problem(result: BlockResult, max_words: int = DEFAULT_PLACEMENT_WORDS) -> str | None:
    """Why a found block violates its requirement's placement, or None."""
    req, occ = result.requirement, result.occurrence
    if req is None or occ is None or req.placement == "any":
        return None
    if req.placement == "end" and result.words_after > max_words:
        return f"{result.words_after} words follow it; it must come at the end"
    if req.placement == "start" and result.words_before > max_words:
        return f"{result.words_before} words precede it; it must come at the start"
    return None


class _Texts:
    """Text indexes by text, so that identical parts of several variants are indexed once."""

    def __init__(self, min_similarity: float, anchors: frozenset[str]) -> None:
        self.min_similarity = min_similarity
        self.anchors = anchors  # the bigrams worth indexing: those of the pack set's blocks
        self._by_text: dict[str, TextIndex] = {}
        self._found: dict[tuple[str, int], list[TextMatch]] = {}

    def get(self, text: str) -> TextIndex:
        index = self._by_text.get(text)
        if index is None:
            index = self._by_text[text] = TextIndex(text, self.anchors)
        return index

    def find(self, text: str, version: BlockVersion) -> list[TextMatch]:
        key = (text, id(version))
        found = self._found.get(key)
        if found is None:
            found = find_approved(
                self.get(text), version.approved, min_similarity=self.min_similarity
            )
            self._found[key] = found
        return found


def analyse(message: Message, cset: ComplianceSet) -> MessageCompliance:
    """The compliance state of a message (cached per message and pack set)."""
    key = (id(message), id(cset))
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is message and cached[1]() is cset:
        return cached[2]
    result = _analyse(message, cset)
    _CACHE[key] = (weakref.ref(message), weakref.ref(cset), result)
    while len(_CACHE) > 256:
        _CACHE.popitem(last=False)
    return result


_CACHE: OrderedDict[tuple[int, int], tuple[Any, Any, MessageCompliance]] = OrderedDict()


def _analyse(message: Message, cset: ComplianceSet) -> MessageCompliance:
    texts = _Texts(cset.min_similarity, cset.bigram_anchors)
    out = MessageCompliance()
    requirements = {r.block: r for r in cset.requirements_for(message)}
    includes = _includes(message)
    ranges = _merge_ranges(message.channel_data.get("conditional_ranges") or ())
    found_spans: dict[str, list[tuple[int, int]]] = {}
    for block in cset.blocks_for(message):
        req = requirements.get(block.id)
        occurrences = _find_block(message.parts, block, texts, ranges)
        result = BlockResult(block, req)
        if occurrences:
            best = result.occurrence = max(occurrences, key=_rank)
            for occ in occurrences:
                found_spans.setdefault(occ.part, []).append((occ.start, occ.end))
            if best.conditional:
                result.conditional = "it is inside a conditional ({% if %}) branch"
        if block.include and _has_include(includes, block.include):
            result.via_include = block.include
        if req is not None:
            _check_variants(message, result, texts)
            if not result.present and not result.conditional:
                _check_unrendered(message, result, texts, ranges)
        if req is None and not result.present:
            continue
        out.blocks[block.id] = result
    for result in out.blocks.values():
        found = result.occurrence
        placed = result.requirement is not None and result.requirement.placement != "any"
        if found is not None and placed:
            index = texts.get(message.parts[found.part].text)
            others = [s for s in found_spans.get(found.part, []) if s != (found.start, found.end)]
            result.words_before, result.words_after = _words_around(index, found, others)
        result.status, result.detail = _status(result, cset)
    for claim in cset.forbidden:
        if claim.when.matches(message):
            out.claims.extend(_find_claim(message, claim, texts, found_spans))
    return out


def _rank(occ: Occurrence) -> tuple[bool, float, bool, bool, int]:
    # Exact beats altered, then closeness, the current version, unconditional, earlier.
    return (
        occ.match.exact,
        round(occ.match.similarity, 3),
        occ.is_current,
        not occ.conditional,
        -occ.start,
    )


def _find_block(
    parts: dict[str, Part],
    block: Block,
    texts: _Texts,
    ranges: Sequence[tuple[int, int]],
) -> list[Occurrence]:
    found: list[Occurrence] = []
    for name, part in parts.items():
        if not part.text.strip():
            continue
        for version in block.versions:
            for m in texts.find(part.text, version):
                conditional = bool(ranges) and _is_conditional(part, m.start, m.end, ranges)
                found.append(Occurrence(block, version, name, m.start, m.end, m, conditional))
    return found


def _check_variants(message: Message, result: BlockResult, texts: _Texts) -> None:
    """A required block missing from some rendered samples reaches only some customers."""
    if result.via_include is not None and result.occurrence is None:
        return
    for variant in message.variants:
        if variant.parts is message.parts:
            continue
        present = any(
            texts.find(part.text, version)
            for part in variant.parts.values()
            if part.text.strip()
            for version in result.block.versions
        )
        if result.occurrence is not None and not present:
            result.conditional = f"it is missing when rendered with {variant.label}"
            return
        if result.occurrence is None and present:
            result.conditional = f"it only appears when rendered with {variant.label}"
            return


def _check_unrendered(
    message: Message, result: BlockResult, texts: _Texts, ranges: Sequence[tuple[int, int]]
) -> None:
    """A block in a {% if %} branch that this render skipped is in the template source."""
    source = message.template.text
    for start, end in ranges:
        chunk = source[start:end]
        if not chunk.strip():
            continue
        for version in result.block.versions:
            found = texts.find(chunk, version)
            if found:
                result.source_offset = start + found[0].start
                line = message.template.lines.position(result.source_offset)[0]
                result.conditional = f"it is only inside a conditional branch (line {line})"
                return


def _status(result: BlockResult, cset: ComplianceSet) -> tuple[str, str]:
    block, occ, today = result.block, result.occurrence, cset.today
    if result.requirement is None and not result.present:
        return "not-required", ""
    if not result.present:
        if result.conditional:
            return "conditional", result.conditional
        return "missing", ""
    if occ is not None and not occ.match.exact:
        return "altered", "; ".join(occ.match.changes)
    if occ is not None and not occ.is_current:
        if block.in_force(today):
            return "outdated", f"version {occ.version.version} (current: {block.version})"
        return (
            "ok",
            f"version {occ.version.version}; version {block.version} from {block.valid_from}",
        )
    if block.expired(today):
        return "expired", f"approval expired on {block.valid_until}"
    if not block.in_force(today):
        return "not-yet-valid", f"valid from {block.valid_from}"
    if result.conditional:
        return "conditional", result.conditional
    problem = placement_problem(result)
    if problem:
        return "misplaced", problem
    if occ is None:
        return "ok", f"via include {result.via_include}"
    return "ok", ""


def _includes(message: Message) -> list[str]:
    raw = message.channel_data.get("includes") or ()
    return [_norm_path(str(x)) for x in raw]


def _norm_path(path: str) -> str:
    path = path.replace("\\", "/").strip()
    while path.startswith("./"):
        path = path[2:]
    return path.lstrip("/")


def _has_include(includes: Sequence[str], wanted: str) -> bool:
    wanted = _norm_path(wanted)
    return any(inc == wanted or inc.endswith("/" + wanted) for inc in includes)


def _merge_ranges(raw: Any) -> list[tuple[int, int]]:
    spans = sorted((int(s), int(e)) for s, e in raw if int(e) > int(s))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _is_conditional(part: Part, start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """True if most of the match's file source lies in conditional ranges (file offsets)."""
    src_start, src_end = part.mapped.source_range(start, end)
    if src_end <= src_start:
        return any(s <= src_start < e for s, e in ranges)
    covered = sum(max(0, min(e, src_end) - max(s, src_start)) for s, e in ranges)
    return covered >= _CONDITIONAL_SHARE * (src_end - src_start)


def _words_around(
    index: TextIndex, occ: Occurrence, others: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """Words before and after the occurrence, not counting other approved blocks."""
    before = after = 0
    for tok in index.tokens:
        if not tok.text[0].isalnum():
            continue
        start, end = index.norm.source_range(tok.start, tok.end)
        if any(s <= start and end <= e for s, e in others):
            continue
        if end <= occ.start:
            before += 1
        elif start >= occ.end:
            after += 1
    return before, after


def _find_claim(
    message: Message,
    claim: ForbiddenClaim,
    texts: _Texts,
    blocks: dict[str, list[tuple[int, int]]],
) -> list[ClaimHit]:
    hits: list[ClaimHit] = []
    for name, part in message.parts.items():
        if not part.text.strip():
            continue
        index = texts.get(part.text)
        if claim.phrase is not None:
            spans = find_phrase(index, claim.phrase, case_sensitive=claim.case_sensitive)
        else:
            spans = find_pattern(index, claim.pattern)
        for start, end in spans:
            # Approved texts may legitimately say "not risk-free": they are not claims.
            if any(s <= start and end <= e for s, e in blocks.get(name, ())):
                continue
            hits.append(ClaimHit(claim, name, start, end, part.text[start:end]))
    return hits
