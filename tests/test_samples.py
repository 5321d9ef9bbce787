"""sample_templates/: every bad example shows the findings it is meant to show; good ones pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from msglint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_templates"

# The rules each bad sample is written to demonstrate (it may show more).
EXPECTED = {
    "de/angebot-schlecht.push.yaml": {"length/push-title", "personalisation/creepy"},
    "de/gewinnspiel-schlecht.x.txt": {"length/social", "jargon/officialese", "tone/pressure"},
    "de/kontostand-schlecht.sms.j2": {
        "personalisation/missing-fallback",
        "personalisation/sensitive-data",
    },
    "de/lieferung-schlecht.email.html": {"tone/formality-mix", "tone/no-reply"},
    "de/mahnung-schlecht.letter.txt": {"jargon/officialese", "tone/blame", "channel/letter"},
    "de/newsletter-schlecht.email.html": {
        "email/img-alt",
        "email/link-text",
        "email/unsubscribe",
        "email/insecure-link",
    },
    "de/paket-schlecht.push.yaml": {"channel/markup", "channel/push-sensitive"},
    "de/termin-schlecht.sms.j2": {"length/sms-encoding", "length/sms-segments"},
    "de/termin-schlecht.whatsapp.yaml": {"length/whatsapp", "channel/whatsapp-template"},
    "de/versand-schlecht.sms": {"channel/link"},
    "de/willkommen-ohne-fallback.email.html.j2": {
        "personalisation/missing-fallback",
        "personalisation/generic-greeting",
    },
    "de/zahlungserinnerung-schlecht.email.html.j2": {
        "template/unsafe",
        "template/include",
        "jargon/officialese",
        "tone/blame",
    },
    "de/zugang-schlecht.letter.md": {"channel/emoji", "channel/letter"},
    "en/delay-bad.email.html": {"tone/no-reply"},
    "en/delivery-bad.push.yaml": {"channel/link", "channel/push-sensitive"},
    "en/delivery-bad.sms.txt": {"length/sms-segments", "channel/link"},
    "en/launch-bad.social.txt": {"length/social", "jargon/plain-english"},
    "en/newsletter-bad.mjml": {"email/mjml", "email/img-alt", "email/link-text"},
    "en/offer-bad.whatsapp.yaml": {"length/whatsapp", "channel/whatsapp-template"},
    "en/order-bad.email.html": {"email/img-alt", "email/layout-table", "email/subject"},
    "en/overdue-bad.letter.txt": {"jargon/plain-english", "tone/blame"},
    "en/results-bad.push.yaml": {
        "personalisation/missing-fallback",
        "personalisation/sensitive-data",
    },
    "en/sale-bad.push.yaml": {"length/push-title", "length/push-body", "tone/shouting"},
    "en/welcome-no-fallback.email.html.j2": {
        "personalisation/missing-fallback",
        "personalisation/unresolved-token",
    },
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", "--format", "json", str(SAMPLES)])
    assert code == 1
    data = json.loads(out.getvalue())
    return {
        Path(f["path"]).resolve().relative_to(SAMPLES).as_posix(): {
            x["rule"] for x in f["findings"] if x["severity"] != "info"
        }
        for f in data["files"]
    }


def test_every_channel_has_good_and_bad_samples_in_both_languages() -> None:
    from msglint.discover import channel_from_name

    seen: set[tuple[str | None, str, bool]] = set()
    for path in SAMPLES.rglob("*"):
        if path.is_file():
            bad = "schlecht" in path.name or "bad" in path.name or "ohne" in path.name
            seen.add((channel_from_name(path.name), path.parent.name, bad))
    for channel in ("email", "sms", "push", "letter", "social", "whatsapp"):
        for language in ("de", "en"):
            assert (channel, language, True) in seen, (channel, language, "bad")
            assert (channel, language, False) in seen, (channel, language, "good")


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_bad_sample_shows_its_findings(sample: str, report: dict[str, set[str]]) -> None:
    assert EXPECTED[sample] <= report[sample], report[sample]


def test_good_samples_have_no_warnings(report: dict[str, set[str]]) -> None:
    good = {p: rules for p, rules in report.items() if p not in EXPECTED}
    assert good, "no good samples found"
    assert {p: r for p, r in good.items() if r} == {}
