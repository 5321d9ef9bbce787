"""Per-template scores (msglint.scores) and their config section."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint.config import Config, ConfigError
from msglint.lint import lint_text
from msglint.model import Finding, Severity
from msglint.scores import family_score, score_thresholds, threshold

DE = "---\nlanguage: de\n---\n"


def finding(rule: str, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(rule, severity, "x")


def test_scores_are_in_the_metrics_with_every_family_and_overall() -> None:
    result = lint_text(DE + "Ihr Paket kommt morgen. Viel Freude damit!\n", "x.sms")
    scores = result.metrics["scores"]
    assert set(scores) == {"readability", "jargon", "tone", "personalisation", "overall"}
    assert all(isinstance(v, int) and 0 <= v <= 100 for v in scores.values())
    assert scores["readability"] == round(result.metrics["readability"]["score"])


def test_a_finding_weighs_more_in_a_short_message_than_in_a_long_one() -> None:
    one = [finding("jargon/officialese")]
    sms, letter = family_score(one, "jargon", 20), family_score(one, "jargon", 400)
    assert sms < letter < 100
    assert sms == 75  # 2 points per 25 words = 8 per 100 words: 100 * exp(-8 / 28)
    assert family_score([], "jargon", 20) == 100


def test_severity_weights_and_other_families_do_not_count() -> None:
    assert family_score([finding("tone/x", Severity.ERROR)], "tone", 100) < family_score(
        [finding("tone/x", Severity.INFO)], "tone", 100
    )
    assert family_score([finding("jargon/term")], "tone", 100) == 100


def test_overall_is_the_weighted_mean() -> None:
    text = DE + "Zwecks Prüfung bitten wir um Zusendung der Unterlagen seitens des Kunden.\n"
    scores = lint_text(text, "x.sms").metrics["scores"]
    expected = 0.4 * scores["readability"] + 0.2 * (
        scores["jargon"] + scores["tone"] + scores["personalisation"]
    )
    assert abs(scores["overall"] - expected) <= 1
    assert scores["jargon"] < 100


def test_thresholds_per_channel_with_default() -> None:
    config = Config(scores={"default": {"readability": 40}, "sms": {"readability": 65}})
    assert threshold(config, "sms", "readability") == 65
    assert threshold(config, "email", "readability") == 40
    assert threshold(Config(), "sms", "readability") is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"fax": {"readability": 50}}, "unknown channel 'scores.fax'"),
        ({"sms": 50}, "'scores.sms' must be a mapping"),
        ({"sms": {"clarity": 50}}, "'scores.sms.clarity'"),
        ({"sms": {"readability": 150}}, "must be a number from 0 to 100"),
        ({"sms": {"readability": "high"}}, "must be a number from 0 to 100"),
    ],
)
def test_invalid_scores_section_names_the_key(
    section: dict[str, object], message: str, tmp_path: Path
) -> None:
    path = tmp_path / ".msglint.yaml"
    path.write_text("scores:\n  sms: {readability: 150}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        score_thresholds(Config(path=path, scores=section))
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_invalid_scores_section_fails_the_run() -> None:
    with pytest.raises(ConfigError):
        lint_text("Hallo.\n", "x.sms", Config(scores={"sms": {"readability": -1}}))


def test_validated_sections_are_not_mixed_up_when_an_id_is_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from msglint import scores

    config = Config(scores={"email": {"readability": 99}})
    # What a freed section with the same id() left behind must not answer for this one.
    monkeypatch.setitem(scores._VALIDATED, id(config.scores), ({}, {"email": {"readability": 1}}))
    assert threshold(config, "email", "readability") == 99
