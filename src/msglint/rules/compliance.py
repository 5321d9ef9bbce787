"""compliance/: required approved blocks, approved-text drift, validity dates, forbidden claims.

The blocks, requirements and claims come from compliance packs (``msglint.compliance.packs``);
the search is done once per message by ``msglint.compliance.check.analyse``.

Not-yet-valid blocks have their own id, ``compliance/not-yet-valid-block``, so that teams who
stage a new approved version ahead of its start date can select or relax it separately from
``compliance/expired-block``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from msglint.compliance.packs import (
    DEFAULT_PLACEMENT_WORDS,
    CompliancePack,
    ComplianceSet,
    check_date,
    load_compliance,
)
from msglint.model import Finding, Message, Severity, rule_matches
from msglint.rules.registry import RuleContext, RuleDoc, rule

if TYPE_CHECKING:
    from msglint.compliance.check import BlockResult, MessageCompliance

_PACK_OPTION = (
    "Blocks and requirements come from compliance packs (rules/compliance/, config packs:)."
)


def compliance_set(resources: Any) -> ComplianceSet:
    """The run's packs: ``resources.compliance_packs`` if the pipeline loaded them."""
    packs = getattr(resources, "compliance_packs", None)
    if isinstance(packs, ComplianceSet):
        return packs
    if isinstance(packs, list | tuple) and all(isinstance(p, CompliancePack) for p in packs):
        return _wrapped(tuple(packs), os.environ.get("MSGLINT_TODAY", ""))
    return _default_set(os.environ.get("MSGLINT_TODAY", ""))


@lru_cache(maxsize=4)
def _default_set(_today_env: str) -> ComplianceSet:
    # Keyed by MSGLINT_TODAY so that tests pinning a date get a fresh set.
    return load_compliance(None)


@lru_cache(maxsize=4)
def _wrapped(packs: tuple[CompliancePack, ...], _today_env: str) -> ComplianceSet:
    return ComplianceSet(list(packs), check_date())


def validate_suppression(rule_id: str, reason: str | None) -> str | None:
    """Error text if a suppression covering ``compliance/`` rules has no reason, else None.

    ``rule_id`` is the directive's selector (an id, ``compliance/``, ``*``).
    """
    if reason is not None and reason.strip():
        return None
    if rule_id.strip().startswith("compliance") or rule_matches(
        "compliance/missing-block", rule_id
    ):
        return (
            f"suppressing {rule_id} needs a reason (compliance findings are audited), "
            f"e.g. {{# msglint: disable={rule_id} -- approved by legal, ticket LEGAL-123 #}}"
        )
    return None


def _state(message: Message, ctx: RuleContext) -> MessageCompliance | None:
    """The message's compliance analysis; None when no pack is in use (the usual case for a
    project without compliance packs: the matcher is not even imported)."""
    cset = compliance_set(ctx.resources)
    if not cset.packs:
        return None
    from msglint.compliance.check import analyse

    return analyse(message, cset)


def _severity(ctx: RuleContext, pack_severity: Severity | None) -> Severity:
    """The pack's severity, unless the user configured one for the rule."""
    if pack_severity is None or ctx.severity != ctx.info.severity:
        return ctx.severity
    return pack_severity


def _example_note(result: BlockResult) -> str:
    if not result.block.example:
        return ""
    return (
        " [example pack shipped with msglint: replace it with your approved texts via config "
        "'packs:' or set 'compliance: {examples: false}']"
    )


def _whole_message(message: Message, ctx: RuleContext, text: str, severity: Severity) -> Finding:
    line, _ = message.template.lines.position(message.template.body_start)
    return ctx.at_line(message, line, text, severity=severity)


def _at_block(
    message: Message, ctx: RuleContext, result: BlockResult, text: str, severity: Severity
) -> Finding:
    occ = result.occurrence
    if occ is None and result.source_offset is not None:
        line = message.template.lines.position(result.source_offset)[0]
        return ctx.at_line(message, line, text, severity=severity)
    if occ is None:
        return _whole_message(message, ctx, text, severity)
    return ctx.at(message, occ.part, occ.start, occ.end, text, severity=severity)


def _block_findings(
    message: Message, ctx: RuleContext, status: str
) -> Iterator[tuple[BlockResult, Severity]]:
    state = _state(message, ctx)
    for result in state.blocks.values() if state else ():
        if result.status == status:
            req = result.requirement
            yield result, _severity(ctx, req.severity if req else None)


@rule(
    "compliance/missing-block",
    severity="error",
    summary="A required approved block (opt-out notice, imprint, risk warning, ...) is missing",
    doc=RuleDoc(
        what="A compliance pack requires an approved block for messages of this channel, "
        "category and language, and the message carries neither its text nor its include.",
        why="Legal texts such as the right to object to advertising (§ 7 Abs. 3 UWG) or a risk "
        "warning must reach every customer; without them the message may be unlawful.",
        bad="A German marketing e-mail without the approved opt-out notice.",
        good="The same e-mail ending with the approved opt-out notice, or "
        "{% include 'legal/optout.de.j2' %}.",
        fix="Copy the block's current approved text (msglint compliance audit shows it) or "
        "include the block's approved partial.",
        options={"packs": _PACK_OPTION},
    ),
)
def check_missing_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for result, severity in _block_findings(message, ctx, "missing"):
        block = result.block
        how = f" or include {block.include}" if block.include else ""
        when = result.requirement.when.describe() if result.requirement else ""
        text = (
            f"Required block {block.label} (version {block.version}) is missing: add the "
            f"approved text{how} (required for {when})" + _example_note(result)
        )
        yield _whole_message(message, ctx, text, severity)


@rule(
    "compliance/altered-block",
    severity="error",
    summary="An approved block's text was changed",
    doc=RuleDoc(
        what="Text close to an approved block but not equal to it after normalising "
        "whitespace, line breaks, HTML markup, soft hyphens and typographic quotes. "
        "Placeholders in the approved text match any value.",
        why="Approved legal texts must be used word for word; a changed word can change the "
        "legal meaning ('jederzeit' → 'nicht').",
        bad="Sie können der Verwendung Ihrer E-Mail-Adresse für Werbung nicht widersprechen.",
        good="Sie können der Verwendung Ihrer E-Mail-Adresse für Werbung jederzeit widersprechen.",
        fix="Restore the words the message names, or ask the block's owner to approve a new "
        "version.",
        options={"packs": _PACK_OPTION},
    ),
)
def check_altered_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for result, severity in _block_findings(message, ctx, "altered"):
        occ = result.occurrence
        if occ is None:
            continue
        from msglint.compliance.matching import summarise_changes

        version = "" if occ.is_current else f" (closest to version {occ.version.version})"
        text = (
            f"Approved block {result.block.label} was altered{version}: "
            f"{summarise_changes(occ.match.changes)}"
        )
        yield _at_block(message, ctx, result, text, severity)


@rule(
    "compliance/outdated-block",
    severity="error",
    summary="A message carries an older approved version of a block",
    doc=RuleDoc(
        what="The message contains a previous approved version of a block (listed under "
        "'previous_versions') while a newer version is in force.",
        why="Only the current approved wording is covered by the compliance approval.",
        bad="Version 2 of the opt-out notice after version 3 was approved.",
        good="Version 3 of the opt-out notice.",
        fix="Replace the text with the block's current version (msglint compliance audit).",
        options={"packs": _PACK_OPTION},
    ),
)
def check_outdated_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for result, severity in _block_findings(message, ctx, "outdated"):
        occ = result.occurrence
        found = occ.version.version if occ else "?"
        block = result.block
        text = (
            f"Block {block.label} is version {found}; the current approved version is "
            f"{block.version}"
            + (f" (approved on {block.approved_on})" if block.approved_on else "")
        )
        yield _at_block(message, ctx, result, text, severity)


@rule(
    "compliance/expired-block",
    severity="error",
    summary="An approved block's validity has ended (valid_until is past)",
    doc=RuleDoc(
        what="The message carries a block whose approval ended ('valid_until' before the check "
        "date: config compliance.today, env MSGLINT_TODAY, or today).",
        why="An expired approval means nobody vouches for the text any more.",
        bad="An opt-out notice approved until 2026-03-01, checked on 2026-11-24.",
        good="The block's re-approved current version.",
        fix="Ask the block's owner for a current approved version and update the pack.",
        options={"packs": _PACK_OPTION},
    ),
)
def check_expired_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for result, severity in _block_findings(message, ctx, "expired"):
        block = result.block
        owner = f"; ask {block.owner}" if block.owner else ""
        text = f"Approval of block {block.label} expired on {block.valid_until}{owner}"
        yield _at_block(message, ctx, result, text, severity)


@rule(
    "compliance/not-yet-valid-block",
    severity="warning",
    summary="A block's approved version is used before its valid_from date",
    doc=RuleDoc(
        what="The message carries the current version of a block whose 'valid_from' lies after "
        "the check date.",
        why="Texts staged for a future date (new prices, new legal wording) must not go out early.",
        bad="Version 4 of a risk warning, valid from 2027-01-01, in a mailing sent in 2026.",
        good="Version 3 until 2027-01-01, then version 4.",
        fix="Keep the previous version until the start date, or schedule the release.",
        options={"packs": _PACK_OPTION},
    ),
)
def check_not_yet_valid_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for result, severity in _block_findings(message, ctx, "not-yet-valid"):
        block = result.block
        text = f"Block {block.label} version {block.version} is only valid from {block.valid_from}"
        yield _at_block(message, ctx, result, text, severity)


@rule(
    "compliance/conditional-block",
    severity="error",
    summary="A required block appears only in a conditional branch",
    doc=RuleDoc(
        what="The required block is inside {% if %} (or is missing when the template is "
        "rendered with some samples), so some customers will not get it.",
        why="A required legal text must reach every recipient, whatever their data.",
        bad="{% if newsletter %}Sie können ... jederzeit widersprechen ...{% endif %}",
        good="The block outside any condition, at the end of the message.",
        fix="Move the block out of the conditional branch.",
        options={"packs": _PACK_OPTION},
    ),
)
def check_conditional_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    for result, severity in _block_findings(message, ctx, "conditional"):
        text = f"Required block {result.block.label} may not reach every customer: {result.detail}"
        yield _at_block(message, ctx, result, text, severity)


@rule(
    "compliance/misplaced-block",
    severity="warning",
    summary="A required block is not where its requirement's placement says (start or end)",
    doc=RuleDoc(
        what="A requirement with 'placement: end' (or 'start') and more than 'max_words' words "
        "(not counting other approved blocks) after (before) the block.",
        why="Notices such as the opt-out hint are expected in the footer; hidden in the middle "
        "they may not count as clearly given.",
        bad="The opt-out notice followed by three product paragraphs.",
        good="The product paragraphs, then the opt-out notice in the footer.",
        fix="Move the block to the start or end of the message.",
        options={
            "max_words": "words allowed after (end) or before (start) the block, other approved "
            f"blocks not counted (default {DEFAULT_PLACEMENT_WORDS})"
        },
    ),
    options={"max_words": DEFAULT_PLACEMENT_WORDS},
)
def check_misplaced_block(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    max_words = int(ctx.option("max_words", DEFAULT_PLACEMENT_WORDS))
    state = _state(message, ctx)
    if state is None:
        return
    from msglint.compliance.check import placement_problem

    for result in state.blocks.values():
        # Placement is judged only when the block is otherwise in order (or only misplaced).
        if result.status not in ("ok", "misplaced"):
            continue
        problem = placement_problem(result, max_words)
        if problem is None:
            continue
        req = result.requirement
        severity = _severity(ctx, req.severity if req else None)
        text = f"Block {result.block.label} is misplaced: {problem}"
        yield _at_block(message, ctx, result, text, severity)


@rule(
    "compliance/forbidden-claim",
    severity="error",
    summary="A forbidden phrase or pattern from a compliance pack (e.g. 'risikofrei')",
    doc=RuleDoc(
        what="A phrase (whole words, case-insensitive, across line breaks and markup) or re2 "
        "regular expression listed under 'forbid' in a compliance pack. Text inside approved "
        "blocks is not checked.",
        why="Some claims are misleading or unlawful for a product (risk-free investments, "
        "guaranteed returns).",
        bad="Die risikofreie Geldanlage mit garantierter Rendite.",
        good="Eine Geldanlage mit Chancen und Risiken.",
        fix="Rephrase as the pack's message says.",
        options={"packs": _PACK_OPTION},
    ),
)
def check_forbidden_claim(message: Message, ctx: RuleContext) -> Iterator[Finding]:
    state = _state(message, ctx)
    for hit in state.claims if state else ():
        severity = _severity(ctx, hit.claim.severity)
        text = f"Forbidden claim '{hit.text}': {hit.claim.message}"
        yield ctx.at(message, hit.part, hit.start, hit.end, text, severity=severity)
