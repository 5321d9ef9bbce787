"""``msglint rules`` and ``msglint explain``: rule listings and documentation."""

from __future__ import annotations

import json
import textwrap

from msglint.rules.registry import RuleInfo, all_rules, get_info


def list_rules(fmt: str = "text") -> str:
    infos = all_rules()
    if fmt == "json":
        return json.dumps(
            [
                {
                    "id": i.id,
                    "severity": str(i.severity),
                    "summary": i.summary,
                    "channels": list(i.channels),
                    "fixable": i.fixable,
                    "options": i.options,
                }
                for i in infos
            ],
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    if fmt == "markdown":
        lines = ["| rule | severity | fix | summary |", "|---|---|---|---|"]
        for i in infos:
            lines.append(
                f"| `{i.id}` | {i.severity} | {'yes' if i.fixable else ''} | {i.summary} |"
            )
        return "\n".join(lines)
    width = max(len(i.id) for i in infos) if infos else 10
    lines = []
    for i in infos:
        fix = " (fix)" if i.fixable else ""
        lines.append(f"{i.id:<{width}}  {i.severity!s:<7}  {i.summary}{fix}")
    lines.append("")
    lines.append(f"{len(infos)} rules. `msglint explain RULE` shows one rule's documentation.")
    return "\n".join(lines)


def explain_rule(rule_id: str) -> str | None:
    info = get_info(rule_id)
    if info is None:
        return None
    return format_doc(info)


def _block(text: str) -> str:
    return textwrap.indent(text.rstrip("\n"), "    ")


def format_doc(info: RuleInfo) -> str:
    doc = info.doc
    out = [
        f"{info.id}  ({info.severity}{', fixable' if info.fixable else ''})",
        "",
        info.summary,
        "",
    ]
    if info.channels:
        out += [f"Channels: {', '.join(info.channels)}", ""]
    out += ["What it checks", textwrap.fill(doc.what, 92), ""]
    out += ["Why it matters", textwrap.fill(doc.why, 92), ""]
    out += ["Example (bad)", _block(doc.bad), ""]
    out += ["Example (good)", _block(doc.good), ""]
    out += ["How to fix", textwrap.fill(doc.fix, 92), ""]
    if doc.options or info.options:
        out.append(f"Options (config: rules: {{{info.id}: {{...}}}})")
        for name in sorted(set(doc.options) | set(info.options)):
            default = info.options.get(name)
            desc = doc.options.get(name, "")
            suffix = f" (default: {default!r})" if name in info.options else ""
            out.append(f"  {name}: {desc}{suffix}")
        out.append("")
    out += [
        "Configure or suppress",
        f"  - skip it everywhere: `msglint check --ignore {info.id}` or `ignore: [{info.id}]` "
        "in .msglint.yaml",
        f"  - change its severity: `severity: {{{info.id}: info}}` in .msglint.yaml",
        f"  - on one line: `{{# msglint: disable={info.id} -- reason #}}` on the line before "
        f"(`<!-- msglint: disable={info.id} -- reason -->` in HTML/MJML)",
        f"  - in one file: `{{# msglint: disable-file={info.id} -- reason #}}`, or front matter "
        f"`msglint: {{disable: [{info.id}], reason: ...}}`",
    ]
    if info.family == "compliance":
        out.append(
            "  - compliance findings can only be suppressed with a reason; every "
            "suppression appears in `msglint compliance audit`."
        )
    return "\n".join(out)
