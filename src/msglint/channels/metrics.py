"""Channel metrics for the JSON output, always for the worst variant (longest sample).

The pipeline calls :func:`channel_metrics`; the ``length/`` rules use the same worst-variant
helpers so that the numbers in the report and in the findings agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from msglint.channels.emoji import visible_length
from msglint.channels.push import payload_bytes
from msglint.channels.sms import SmsAnalysis, analyse_sms
from msglint.channels.social import weighted_length
from msglint.model import Message, Part, Variant


class _Comparable(Protocol):
    def __gt__(self, other: Any, /) -> bool: ...


T = TypeVar("T", bound=_Comparable)


def variants_of(message: Message) -> list[Variant]:
    """The message's variants; the primary parts when the pipeline gave none."""
    return message.variants or [Variant("sample 1", message.parts)]


def worst_variant(message: Message, measure: Callable[[Variant], T]) -> tuple[Variant, T]:
    """The variant with the largest ``measure`` (the first one on ties) and its measure."""
    variants = variants_of(message)
    measured = [(v, measure(v)) for v in variants]
    best = measured[0]
    for candidate in measured[1:]:
        if candidate[1] > best[1]:
            best = candidate
    return best


def part_text(variant: Variant, name: str) -> str:
    part = variant.parts.get(name)
    return part.text if part is not None else ""


def main_part(variant: Variant) -> Part | None:
    """The part a single-text channel (SMS, social) sends: ``body``, else the first part."""
    return variant.parts.get("body") or next(iter(variant.parts.values()), None)


def variant_label(message: Message, variant: Variant) -> str:
    """`` with sample 2`` style suffix naming the variant; empty when there is only one."""
    if len(variants_of(message)) <= 1:
        return ""
    if "max_length" in variant.label:
        return " with placeholder values at their max_length"
    return f" with {variant.label}"


def sms_analysis(variant: Variant) -> SmsAnalysis:
    part = main_part(variant)
    return analyse_sms(part.text if part is not None else "")


def worst_sms(message: Message) -> tuple[Variant, SmsAnalysis]:
    """The variant needing the most segments (then the most units)."""
    analyses: dict[int, SmsAnalysis] = {}  # by id(variant): the winner's is not analysed twice

    def key(variant: Variant) -> tuple[int, int]:
        analyses[id(variant)] = analysis = sms_analysis(variant)
        return _sms_key(analysis)

    variant, _ = worst_variant(message, key)
    return variant, analyses[id(variant)]


def _sms_key(analysis: SmsAnalysis) -> tuple[int, int]:
    return analysis.segments, analysis.units


def social_length(variant: Variant) -> int:
    part = main_part(variant)
    return weighted_length(part.text) if part is not None else 0


def push_payload(variant: Variant) -> int:
    return payload_bytes(part_text(variant, "title"), part_text(variant, "body"))


def sms_metrics(message: Message) -> dict[str, Any]:
    """``{"encoding", "units", "segments"}`` of the worst variant."""
    _, analysis = worst_sms(message)
    return {"encoding": analysis.encoding, "units": analysis.units, "segments": analysis.segments}


def social_metrics(message: Message) -> dict[str, Any]:
    """``{"weighted_length"}`` of the worst variant (X/Twitter counting)."""
    _, length = worst_variant(message, social_length)
    return {"weighted_length": length}


def push_metrics(message: Message) -> dict[str, Any]:
    """Visible title and body characters and the payload bytes, each of its worst variant."""
    _, title = worst_variant(message, lambda v: visible_length(part_text(v, "title")))
    _, body = worst_variant(message, lambda v: visible_length(part_text(v, "body")))
    _, payload = worst_variant(message, push_payload)
    return {"title_chars": title, "body_chars": body, "payload_bytes": payload}


def button_count(message: Message, variant: Variant) -> int:
    """WhatsApp buttons: ``buttons[i]`` parts or ``channel_data["buttons"]``, whichever is more."""
    from_parts = sum(1 for name in variant.parts if name.startswith("buttons["))
    return max(from_parts, len(channel_buttons(message)))


def channel_buttons(message: Message) -> list[dict[str, Any]]:
    buttons = message.channel_data.get("buttons")
    if not isinstance(buttons, list):
        return []
    return [b for b in buttons if isinstance(b, dict)]


def url_button_count(message: Message) -> int:
    """Buttons that open a URL (``type: url``, or a ``url`` without another type)."""
    count = 0
    for button in channel_buttons(message):
        kind = str(button.get("type") or "").strip().lower()
        if kind == "url" or (not kind and button.get("url")):
            count += 1
    return count


def whatsapp_metrics(message: Message) -> dict[str, Any]:
    """Characters of header, body and footer (worst variant) and the button counts."""
    result: dict[str, Any] = {}
    for name in ("header", "body", "footer"):
        result[f"{name}_chars"] = max(len(part_text(v, name)) for v in variants_of(message))
    _, buttons = worst_variant(message, lambda v: button_count(message, v))
    result["buttons"] = buttons
    result["url_buttons"] = url_button_count(message)
    return result


_METRICS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "sms": sms_metrics,
    "social": social_metrics,
    "push": push_metrics,
    "whatsapp": whatsapp_metrics,
}


def channel_metrics(message: Message) -> dict[str, dict[str, Any]]:
    """Metrics for the message's channel, keyed by channel (empty for e-mail and letters)."""
    compute = _METRICS.get(message.channel)
    return {message.channel: compute(message)} if compute is not None else {}
