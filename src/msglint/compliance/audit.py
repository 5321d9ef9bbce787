"""The compliance audit: template × block matrix with status and approval data.

For compliance reviews and release records: which template carries which approved block, in
which version and state, which forbidden claims it makes, and which compliance findings were
suppressed (with their reasons). Renderers for text, CSV, JSON and Markdown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from msglint.compliance.check import STATUSES, analyse
from msglint.compliance.packs import Block, ComplianceSet, load_compliance
from msglint.model import Finding, Message, Severity, Suppression, TemplateFile, rule_matches
from msglint.suppress import is_suppressed, parse_directives

AUDIT_SCHEMA = 1
FORMATS = ("text", "csv", "json", "markdown")
# The rule whose finding corresponds to a cell status (to attach suppressions).
_STATUS_RULES = {
    "missing": "compliance/missing-block",
    "altered": "compliance/altered-block",
    "outdated": "compliance/outdated-block",
    "expired": "compliance/expired-block",
    "not-yet-valid": "compliance/not-yet-valid-block",
    "conditional": "compliance/conditional-block",
    "misplaced": "compliance/misplaced-block",
}


@dataclass(frozen=True)
class AuditCell:
    status: str  # one of check.STATUSES
    version: str | None = None  # the version the template carries
    detail: str = ""
    line: int | None = None  # where the block is (or should be) in the template file
    required: bool = False
    suppressed: str | None = None  # the reason, if the finding for this status was suppressed


@dataclass(frozen=True)
class AuditSuppression:
    rule: str  # the directive's selector
    line: int  # 0 for config or front matter
    reason: str | None
    scope: str  # "next-line" | "file"


@dataclass(frozen=True)
class AuditClaim:
    claim: str
    text: str
    line: int


@dataclass
class AuditRow:
    path: str
    channel: str
    language: str
    category: str | None
    cells: dict[str, AuditCell] = field(default_factory=dict)
    claims: list[AuditClaim] = field(default_factory=list)
    suppressions: list[AuditSuppression] = field(default_factory=list)


@dataclass
class AuditMatrix:
    today: dt.date
    blocks: list[Block]  # the columns: required blocks, then other blocks found
    rows: list[AuditRow]

    def summary(self) -> dict[str, int]:
        """How many cells have each status (statuses in severity order)."""
        counts = Counter(cell.status for row in self.rows for cell in row.cells.values())
        return {s: counts[s] for s in STATUSES if counts[s]}

    @property
    def passed(self) -> bool:
        """True if every required block is ok (or its finding was suppressed with a reason)."""
        return all(
            cell.status in ("ok", "not-required") or cell.suppressed
            for row in self.rows
            for cell in row.cells.values()
        )


def audit(
    messages: Iterable[Message],
    cset: ComplianceSet | None = None,
    *,
    suppressions: Mapping[str, Sequence[Suppression]] | None = None,
) -> AuditMatrix:
    """The audit matrix for ``messages`` (default packs: the shipped examples).

    ``suppressions`` maps display paths to a template's suppressions (comments, front matter,
    config); without it, the suppression comments in each template are read. Every suppression
    covering a ``compliance/`` rule is listed, and cells whose finding it hides are marked.
    """
    if cset is None:
        cset = load_compliance(None)
    rows: list[AuditRow] = []
    found_ids: dict[str, None] = {}
    for message in messages:
        state = analyse(message, cset)
        template = message.template
        row = AuditRow(template.display_path, message.channel, message.language, message.category)
        body_line = template.lines.position(template.body_start)[0]
        for block_id, result in state.blocks.items():
            found_ids[block_id] = None
            occ = result.occurrence
            line = body_line
            if result.source_offset is not None:
                line = template.lines.position(result.source_offset)[0]
            if occ is not None:
                src_start, _ = message.parts[occ.part].mapped.source_range(occ.start, occ.end)
                line = template.lines.position(src_start)[0]
            row.cells[block_id] = AuditCell(
                status=result.status,
                version=occ.version.version
                if occ
                else (result.block.version if result.present else None),
                detail=result.detail,
                line=line if result.status != "not-required" else None,
                required=result.requirement is not None,
            )
        for hit in state.claims:
            src_start, _ = message.parts[hit.part].mapped.source_range(hit.start, hit.end)
            line = template.lines.position(src_start)[0]
            row.claims.append(AuditClaim(hit.claim.label, hit.text, line))
        if suppressions is not None:
            found = list(suppressions.get(template.display_path, ()))
        else:
            found = parse_directives(template.text, template.lines)
        for sup in found:
            if _covers_compliance(sup.rule):
                row.suppressions.append(AuditSuppression(sup.rule, sup.line, sup.reason, sup.scope))
                _mark_suppressed(row, sup, template)
        rows.append(row)
    # Columns: blocks required by (or found in) at least one audited template.
    columns = list(dict.fromkeys([*cset.required_block_ids, *found_ids]))
    columns = [b for b in columns if b in found_ids] or columns
    blocks = [cset.blocks[b] for b in columns if b in cset.blocks]
    for row in rows:
        for block in blocks:
            row.cells.setdefault(block.id, AuditCell("not-required"))
    rows.sort(key=lambda r: r.path)
    return AuditMatrix(cset.today, blocks, rows)


def _covers_compliance(selector: str) -> bool:
    return any(rule_matches(r, selector) for r in _STATUS_RULES.values()) or rule_matches(
        "compliance/forbidden-claim", selector
    )


def _mark_suppressed(row: AuditRow, sup: Suppression, template: TemplateFile) -> None:
    """Mark cells whose finding the suppression hides (a reason is required for that)."""
    if not (sup.reason or "").strip():
        return  # the pipeline does not honour compliance suppressions without a reason
    for block_id, cell in row.cells.items():
        rule_id = _STATUS_RULES.get(cell.status)
        if rule_id is None or not sup.matches(rule_id):
            continue
        line = cell.line or 1
        probe = Finding(rule_id, Severity.ERROR, "", line, 1, line, 1)
        if is_suppressed(probe, [sup], template.lines) is not None:
            row.cells[block_id] = replace(cell, suppressed=sup.reason)


# ---------------------------------------------------------------------------------------------
# Renderers


def render(matrix: AuditMatrix, fmt: str) -> str:
    renderers = {
        "text": render_text,
        "csv": render_csv,
        "json": render_json,
        "markdown": render_markdown,
    }
    return renderers[fmt](matrix)


def _cell_label(cell: AuditCell) -> str:
    label = cell.status
    if cell.version and cell.status not in ("missing", "not-required"):
        label += f" (v{cell.version})"
    if cell.suppressed:
        label += " [suppressed]"
    return label


def render_text(matrix: AuditMatrix) -> str:
    out = [f"Compliance audit on {matrix.today.isoformat()}", ""]
    for row in matrix.rows:
        category = row.category or "-"
        out.append(f"{row.path} [{row.channel}, {row.language}, {category}]")
        width = max((len(b.id) for b in matrix.blocks), default=0)
        for block in matrix.blocks:
            cell = row.cells[block.id]
            where = f" line {cell.line}" if cell.line else ""
            detail = f": {cell.detail}" if cell.detail else ""
            reason = f" (suppressed: {cell.suppressed})" if cell.suppressed else ""
            out.append(f"  {block.id:<{width}}  {_cell_label(cell)}{where}{detail}{reason}")
        for claim in row.claims:
            out.append(f"  forbidden claim {claim.claim!r} line {claim.line}: {claim.text!r}")
        for s in row.suppressions:
            out.append(f"  suppressed {s.rule} line {s.line}: {s.reason or '(no reason)'}")
        out.append("")
    out.append("Blocks:")
    for block in matrix.blocks:
        out.append(f"  {block.id} v{block.version}: {_approval(block)}")
    summary = ", ".join(f"{n} {s}" for s, n in matrix.summary().items())
    out.append("")
    out.append(f"{len(matrix.rows)} templates, {len(matrix.blocks)} blocks: {summary or 'nothing'}")
    return "\n".join(out) + "\n"


def _approval(block: Block) -> str:
    fields = [
        ("title", block.title or None),
        ("approved by", block.approved_by),
        ("on", block.approved_on),
        ("owner", block.owner),
        ("valid from", block.valid_from),
        ("valid until", block.valid_until),
    ]
    text = ", ".join(f"{k} {v}" for k, v in fields if v)
    return text + (" [example pack]" if block.example else "")


_CSV_COLUMNS = (
    "template", "channel", "language", "category", "block", "required", "status",
    "found_version", "current_version", "line", "detail", "suppressed_reason", "approved_by",
    "approved_on", "owner", "valid_from", "valid_until",
)  # fmt: skip


def render_csv(matrix: AuditMatrix) -> str:
    """One row per template and block (long format: easy to filter in a spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for row in matrix.rows:
        for block in matrix.blocks:
            cell = row.cells[block.id]
            writer.writerow(
                [
                    row.path, row.channel, row.language, row.category or "", block.id,
                    "yes" if cell.required else "no", cell.status, cell.version or "",
                    block.version, cell.line or "", cell.detail, cell.suppressed or "",
                    block.approved_by or "", _date(block.approved_on), block.owner or "",
                    _date(block.valid_from), _date(block.valid_until),
                ]
            )  # fmt: skip
    return buffer.getvalue()


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def audit_json(matrix: AuditMatrix) -> dict[str, Any]:
    return {
        "schema": AUDIT_SCHEMA,
        "today": matrix.today.isoformat(),
        "blocks": [
            {
                "id": b.id,
                "title": b.title,
                "version": b.version,
                "approved_by": b.approved_by,
                "approved_on": _date(b.approved_on) or None,
                "owner": b.owner,
                "valid_from": _date(b.valid_from) or None,
                "valid_until": _date(b.valid_until) or None,
                "include": b.include,
                "pack": b.path,
                "example": b.example,
            }
            for b in matrix.blocks
        ],
        "templates": [
            {
                "path": row.path,
                "channel": row.channel,
                "language": row.language,
                "category": row.category,
                "blocks": {
                    block_id: {
                        "status": c.status,
                        "required": c.required,
                        "version": c.version,
                        "line": c.line,
                        "detail": c.detail or None,
                        "suppressed": c.suppressed,
                    }
                    for block_id, c in row.cells.items()
                },
                "forbidden_claims": [
                    {"claim": c.claim, "text": c.text, "line": c.line} for c in row.claims
                ],
                "suppressions": [
                    {"rule": s.rule, "line": s.line, "reason": s.reason, "scope": s.scope}
                    for s in row.suppressions
                ],
            }
            for row in matrix.rows
        ],
        "summary": matrix.summary(),
    }


def render_json(matrix: AuditMatrix) -> str:
    return json.dumps(audit_json(matrix), indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(matrix: AuditMatrix) -> str:
    out = [f"# Compliance audit ({matrix.today.isoformat()})", ""]
    header = ["Template", *(f"`{b.id}`" for b in matrix.blocks), "Forbidden claims"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    for row in matrix.rows:
        cells = [_md(_cell_label(row.cells[b.id])) for b in matrix.blocks]
        claims = ", ".join(sorted({c.claim for c in row.claims})) or "–"
        out.append("| " + " | ".join([f"`{_md(row.path)}`", *cells, _md(claims)]) + " |")
    out += ["", "## Blocks", "", "| Block | Title | Version | Approved by | Approved on | Owner "
            "| Valid until |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for b in matrix.blocks:
        values = [
            f"`{b.id}`", b.title, b.version, b.approved_by or "", _date(b.approved_on),
            b.owner or "", _date(b.valid_until),
        ]  # fmt: skip
        out.append("| " + " | ".join(_md(v) for v in values) + " |")
    details = [
        f"- `{row.path}` · `{block_id}` · {cell.status}: {_md(cell.detail)}"
        + (f" (line {cell.line})" if cell.line else "")
        for row in matrix.rows
        for block_id, cell in row.cells.items()
        if cell.detail and cell.status != "ok"
    ]
    if details:
        out += ["", "## Findings", "", *details]
    suppressions = [
        f"- `{row.path}` line {s.line}: `{s.rule}` — {_md(s.reason or '(no reason)')}"
        for row in matrix.rows
        for s in row.suppressions
    ]
    if suppressions:
        out += ["", "## Suppressions", "", *suppressions]
    summary = ", ".join(f"{n} {s}" for s, n in matrix.summary().items())
    out += ["", f"**Summary:** {len(matrix.rows)} templates; {summary or 'nothing to report'}"]
    return "\n".join(out) + "\n"
