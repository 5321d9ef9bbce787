"""Time the compliance checks: 1,000 generated templates against a pack of 50 blocks.

Run: .venv/bin/python benchmarks/compliance_bench.py [TEMPLATES] [BLOCKS] [VOCABULARY]

The default vocabulary is 30 words, a worst case: every block shares most of its words with
every template, so the candidate filter rejects little. VOCABULARY > 30 draws from that many
generated words, closer to real text.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from msglint.compliance.check import analyse
from msglint.compliance.packs import Block, CompliancePack, ComplianceSet, Requirement, When
from msglint.mapping import MappedText
from msglint.model import Message, Part, TemplateFile, TemplateMeta

WORDS = [
    "Angebot",
    "Kunde",
    "Vertrag",
    "Rechnung",
    "Zahlung",
    "Konto",
    "Bestellung",
    "Lieferung",
    "Widerruf",
    "Datenschutz",
    "Werbung",
    "jederzeit",
    "widersprechen",
    "Kosten",
    "Tarif",
    "Information",
    "Newsletter",
    "Rabatt",
    "Gutschein",
    "Frist",
    "Erstattung",
    "Versand",
    "Service",
    "Hinweis",
    "Zustimmung",
    "Einwilligung",
    "Nutzung",
    "Adresse",
    "Daten",
    "Vorteil",
]


def _vocabulary(size: int) -> list[str]:
    if size <= len(WORDS):
        return list(WORDS)
    syllables = ["ka", "ver", "trag", "lie", "fe", "rung", "zah", "lung", "kon", "to", "be", "stel"]
    rng = random.Random(1)
    words = set(WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = list(WORDS)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(n)).capitalize() + "."


def build(templates: int, blocks: int) -> tuple[ComplianceSet, list[Message]]:
    rng = random.Random(7)
    block_texts = [" ".join(_sentence(rng, 12) for _ in range(3)) for _ in range(blocks)]
    pack = CompliancePack(
        path="bench.yaml",
        blocks=tuple(
            Block(id=f"b{i}", version="1", text=t, path="bench.yaml", line=i, language="de")
            for i, t in enumerate(block_texts)
        ),
        requirements=tuple(
            Requirement(f"b{i}", "bench.yaml", i, When(category=("marketing",)))
            for i in range(0, blocks, 5)
        ),
    )
    cset = ComplianceSet([pack])
    messages = []
    for n in range(templates):
        body = [_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(10, 40))]
        for i in rng.sample(range(blocks), 4):
            text = block_texts[i]
            if rng.random() < 0.3:
                text = text.replace(text.split()[5], "geändert", 1)
            body.insert(rng.randrange(len(body) + 1), text)
        text = "\n\n".join(body)
        meta = TemplateMeta(channel="email", language="de", category="marketing")
        tf = TemplateFile(Path(f"t{n}.email.txt"), f"t{n}", text, 0, meta)
        part = Part("body", MappedText.identity(text, 0))
        messages.append(Message(tf, "email", "de", "marketing", {"body": part}, []))
    return cset, messages


def main() -> None:
    templates = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    blocks = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    VOCABULARY[:] = _vocabulary(int(sys.argv[3]) if len(sys.argv) > 3 else 30)
    cset, messages = build(templates, blocks)
    chars = sum(len(m.template.text) for m in messages)
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    for message in messages:
        for result in analyse(message, cset).blocks.values():
            statuses[result.status] = statuses.get(result.status, 0) + 1
    elapsed = time.perf_counter() - start
    print(
        f"{templates} templates ({chars / templates:.0f} chars avg) x {blocks} blocks, "
        f"{len(VOCABULARY)}-word vocabulary: {elapsed:.2f} s, {templates / elapsed:.0f} templates/s"
    )
    print("statuses:", dict(sorted(statuses.items())))


if __name__ == "__main__":
    main()
