"""Per-template scores, 0-100 (higher is better): readability, jargon, tone, personalisation,
and an overall score. The formulas are documented in ``docs/scores.md``.

- ``readability`` is ``metrics.readability.score`` (msglint's readability score).
- ``jargon``, ``tone``, ``personalisation``: ``100 * exp(-density / 28)``, where ``density``
  is the family's finding points (error 3, warning 2, info 1) per 100 words, with messages
  shorter than 25 words counted as 25 words. One warning costs an SMS about 25 points and a
  400-word letter 2: the same problem weighs more where there is less else to read.
- ``overall``: the weighted mean, readability 0.4 and the three families 0.2 each.

Per-channel thresholds live in the config's ``scores:`` section, validated here::

    scores:
      default: {readability: 50}
      sms: {readability: 60}
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from msglint.config import Config, ConfigError
from msglint.model import CHANNELS, Finding, Message, Severity

FAMILIES = ("jargon", "tone", "personalisation")
SCORE_NAMES = ("readability", *FAMILIES, "overall")
WEIGHTS = {"readability": 0.4, "jargon": 0.2, "tone": 0.2, "personalisation": 0.2}
SEVERITY_POINTS = {Severity.ERROR: 3.0, Severity.WARNING: 2.0, Severity.INFO: 1.0}
MIN_WORDS = 25  # shorter messages weigh like 25 words: one finding must not zero an SMS
DECAY = 28.0  # points per 100 words that take a score from 100 to 37
# Thresholds that the rules enforce (readability/score); the others are not checked yet.
THRESHOLD_KEYS = ("readability",)
_CHANNEL_KEYS = (*CHANNELS, "default")


def family_score(findings: Sequence[Finding], family: str, words: int) -> int:
    """0-100 for one rule family: its finding points per 100 words, decayed exponentially."""
    points = sum(
        SEVERITY_POINTS.get(f.severity, 1.0) for f in findings if f.rule.startswith(family + "/")
    )
    return _decayed(points, words)


def _decayed(points: float, words: int) -> int:
    density = 100.0 * points / max(words, MIN_WORDS)
    return round(100.0 * math.exp(-density / DECAY))


def compute_scores(message: Message, findings: Sequence[Finding], config: Config) -> dict[str, int]:
    """The message's scores (see the module docstring). ``config`` is validated here."""
    score_thresholds(config)  # a broken `scores:` section fails the run, with the key
    metrics = message.metrics
    readability = metrics.get("readability")
    raw = readability.get("score", 100.0) if isinstance(readability, Mapping) else 100.0
    words = int(metrics.get("words") or 0)
    scores = {"readability": round(float(raw))}
    # family_score for each family, in one pass over the findings (same sums, same order).
    points: dict[str, float] = dict.fromkeys(FAMILIES, 0)
    for f in findings:
        family, slash, _ = f.rule.partition("/")
        if slash and family in points:
            points[family] += SEVERITY_POINTS.get(f.severity, 1.0)
    for family in FAMILIES:
        scores[family] = _decayed(points[family], words)
    overall = sum(WEIGHTS[name] * scores[name] for name in WEIGHTS) / sum(WEIGHTS.values())
    scores["overall"] = round(overall)
    return scores


# By id() of the config's section, which each entry keeps alive (and is checked against): a
# freed section's id may be given to a new one.
_VALIDATED: dict[int, tuple[object, dict[str, dict[str, float]]]] = {}
_VALIDATED_MAX = 64


def score_thresholds(config: Config) -> dict[str, dict[str, float]]:
    """The validated ``scores:`` section: channel (or ``default``) -> score name -> minimum.

    Raises :class:`ConfigError` naming the key for unknown channels, unknown score names and
    values that are not numbers from 0 to 100.
    """
    key = id(config.scores)
    cached = _VALIDATED.get(key)
    if cached is not None and cached[0] is config.scores:
        return cached[1]
    result: dict[str, dict[str, float]] = {}
    for channel, values in (config.scores or {}).items():
        where = f"scores.{channel}"
        if channel not in _CHANNEL_KEYS:
            _fail(config, str(channel), f"unknown channel '{where}' (allowed: {_allowed()})")
        if not isinstance(values, Mapping):
            _fail(config, str(channel), f"'{where}' must be a mapping of score -> minimum")
        limits: dict[str, float] = {}
        for name, value in values.items():
            if name not in THRESHOLD_KEYS:
                _fail(
                    config,
                    str(name),
                    f"'{where}.{name}': thresholds can be set for {', '.join(THRESHOLD_KEYS)}",
                )
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value <= 100
            ):
                _fail(config, str(name), f"'{where}.{name}' must be a number from 0 to 100")
            limits[str(name)] = float(value)
        result[str(channel)] = limits
    if len(_VALIDATED) >= _VALIDATED_MAX:
        _VALIDATED.clear()
    _VALIDATED[key] = (config.scores, result)
    return result


def threshold(config: Config | None, channel: str, name: str) -> float | None:
    """The configured minimum for a score on a channel (``default`` applies to all)."""
    if config is None or not config.scores:
        return None
    limits = score_thresholds(config)
    for key in (channel, "default"):
        if name in limits.get(key, {}):
            return limits[key][name]
    return None


def _allowed() -> str:
    return ", ".join(_CHANNEL_KEYS)


def _fail(config: Config, key: str, message: str) -> Any:
    raise ConfigError(message, config.path, _line_of(config, key))


def _line_of(config: Config, key: str) -> int | None:
    """The line of ``key`` at or after the config's ``scores`` section (best effort)."""
    if config.path is None:
        return None
    try:
        lines = config.path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"(^|[\s{{,\"'.]){re.escape(key)}[\"']?\s*[:=]")
    inside = False
    for number, line in enumerate(lines, 1):
        inside = inside or bool(re.match(r"\s*(\[tool\.msglint\.)?scores\b", line))
        if inside and pattern.search(line):
            return number
    return None
