"""Hand-built messages and packs for the compliance tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from msglint.compliance.packs import ComplianceSet, parse_pack
from msglint.mapping import MappedText
from msglint.model import Message, Part, TemplateFile, TemplateMeta, Variant
from msglint.yamlsource import parse_yaml

OPTOUT_V3 = (
    "Sie können der Verwendung Ihrer E-Mail-Adresse für Werbung jederzeit widersprechen, "
    "ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen."
)
OPTOUT_V2 = (
    "Sie können der Nutzung Ihrer E-Mail-Adresse für Werbung jederzeit widersprechen, "
    "ohne dass Ihnen hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen."
)

PACK_YAML = f"""\
blocks:
  - id: optout-werbung-de
    title: Widerspruchshinweis Werbung
    version: 3
    owner: legal@example.com
    approved_by: Dr. Muster
    approved_on: 2026-03-01
    valid_from: 2026-03-01
    valid_until: 2027-03-01
    language: de
    text: |
      {OPTOUT_V3}
    include: legal/optout.de.j2
    previous_versions:
      - version: 2
        text: "{OPTOUT_V2}"
  - id: abmelden-de
    version: 1
    language: de
    text: "Newsletter abbestellen: {{{{ unsubscribe_url }}}}"
require:
  - block: optout-werbung-de
    when: {{channel: [email, sms], category: [marketing], language: [de]}}
    placement: end
  - block: abmelden-de
    when: {{channel: [email], category: [marketing]}}
forbid:
  - phrase: risikofrei
    message: Keine Aussagen über Risikofreiheit.
    when: {{category: [marketing]}}
  - regex: 'garantierte?[nrs]?\\s+rendite'
    message: Keine garantierten Renditen.
"""


def make_set(yaml_text: str = PACK_YAML, today: dt.date = dt.date(2026, 11, 24)) -> ComplianceSet:
    pack, problems = parse_pack(parse_yaml(yaml_text, "pack.yaml"), Path("pack.yaml"))
    assert problems == []
    return ComplianceSet([pack], today)


def make_message(
    text: str,
    *,
    channel: str = "email",
    language: str = "de",
    category: str | None = "marketing",
    channel_data: dict[str, Any] | None = None,
    variants: list[str] | None = None,
) -> Message:
    meta = TemplateMeta(channel=channel, language=language, category=category)
    tf = TemplateFile(
        path=Path("x.email.txt"), display_path="x", text=text, body_start=0, meta=meta
    )
    part = Part("body", MappedText.identity(text, 0))
    return Message(
        template=tf,
        channel=channel,
        language=language,
        category=category,
        parts={"body": part},
        variants=[
            Variant(f"sample {i + 1}", {"body": Part("body", MappedText.identity(v, 0))})
            for i, v in enumerate(variants or [])
        ],
        channel_data=channel_data or {},
    )


class Res:
    """Stands in for the pipeline's resources."""

    def __init__(self, cset: ComplianceSet) -> None:
        self.compliance_packs = cset
