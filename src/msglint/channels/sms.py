"""SMS encoding and segment counting (GSM 03.38 / 3GPP TS 23.038 and TS 23.040).

An SMS is GSM-7 encoded when every character is in the GSM 7-bit default alphabet (the
extension table's characters take an escape septet plus one, i.e. 2 units); one character
outside it switches the whole message to UCS-2 (UTF-16 code units). A single message holds 160
septets or 70 UCS-2 units; a concatenated message loses room to its header: 153 septets or 67
units per segment, and phones never split an escape pair or a surrogate pair across segments.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Literal, NamedTuple

from msglint.channels.shipped import channel_pack_path, load_channel_pack
from msglint.yamlsource import YamlError

# GSM 03.38 default alphabet (basic table), in code order 0x00-0x7F. 0x1B is the escape to the
# extension table and is not a character of its own.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs 2 septets (escape + code).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION

GSM7_SINGLE = 160
GSM7_MULTI = 153
UCS2_SINGLE = 70
UCS2_MULTI = 67

Encoding = Literal["GSM-7", "UCS-2"]


class SmsAnalysis(NamedTuple):
    """How a text travels as SMS."""

    encoding: Encoding
    units: int  # septets (GSM-7, escapes included) or UTF-16 code units (UCS-2)
    segments: int  # 0 for an empty text
    # (offset into the text, character) for every character outside the GSM alphabet.
    chars_forcing_ucs2: tuple[tuple[int, str], ...] = ()

    @property
    def per_segment(self) -> int:
        """Units per segment for this encoding and length."""
        if self.encoding == "GSM-7":
            return GSM7_SINGLE if self.segments <= 1 else GSM7_MULTI
        return UCS2_SINGLE if self.segments <= 1 else UCS2_MULTI


def gsm7_units(char: str) -> int | None:
    """Septets a character takes in GSM-7 (1 or 2), or None if it is not in the alphabet."""
    if char in GSM7_BASIC:
        return 1
    if char in GSM7_EXTENSION:
        return 2
    return None


def is_gsm7(text: str) -> bool:
    """True if every character of ``text`` can be sent in GSM-7."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def _pack(costs: Iterator[int], total: int, single: int, multi: int) -> int:
    """Segments needed for characters of the given unit costs; a character is never split."""
    if total == 0:
        return 0
    if total <= single:
        return 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            segments += 1
            used = 0
        used += cost
    return segments


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def analyse_sms(text: str) -> SmsAnalysis:
    """Encoding, units and segments of ``text`` sent as one SMS (concatenated if needed)."""
    # Set operations first: the per-character work only where a character needs it.
    if _GSM7_ALL.issuperset(text):
        costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
        total = sum(costs)
        segments = _pack(iter(costs), total, GSM7_SINGLE, GSM7_MULTI)
        return SmsAnalysis("GSM-7", total, segments)
    forcing = tuple((i, c) for i, c in enumerate(text) if c not in _GSM7_ALL)
    costs = [_utf16_units(c) for c in text]
    total = sum(costs)
    segments = _pack(iter(costs), total, UCS2_SINGLE, UCS2_MULTI)
    return SmsAnalysis("UCS-2", total, segments, forcing)


def count_sms_segments(text: str) -> int:
    """Segments ``text`` needs as SMS."""
    return analyse_sms(text).segments


def capacity(encoding: Encoding, segments: int) -> int:
    """Units that fit into ``segments`` segments (a single SMS has no concatenation header)."""
    if segments <= 0:
        return 0
    if encoding == "GSM-7":
        return GSM7_SINGLE if segments == 1 else GSM7_MULTI * segments
    return UCS2_SINGLE if segments == 1 else UCS2_MULTI * segments


@lru_cache(maxsize=1)
def gsm_replacements() -> Mapping[str, str]:
    """Non-GSM characters with a GSM-7 equivalent (``rules/channels/gsm-replacements.yaml``)."""
    data = load_channel_pack("gsm-replacements", "gsm-replacements")
    path = channel_pack_path("gsm-replacements")
    table = data.get("replacements")
    if not isinstance(table, dict):
        raise YamlError(path, None, "'replacements' must be a mapping")
    result: dict[str, str] = {}
    for key, value in table.items():
        if len(key) != 1 or not isinstance(value, str) or not is_gsm7(value):
            raise YamlError(
                path,
                None,
                f"bad replacement {key!r}: {value!r} (one character to GSM-7 text)",
            )
        result[key] = value
    return result


class _LazyReplacements(Mapping[str, str]):
    """``GSM_REPLACEMENTS``: reads the pack on first use, so importing this module stays cheap."""

    def __getitem__(self, key: str) -> str:
        return gsm_replacements()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(gsm_replacements())

    def __len__(self) -> int:
        return len(gsm_replacements())

    def __repr__(self) -> str:
        return "GSM_REPLACEMENTS"


GSM_REPLACEMENTS: Mapping[str, str] = _LazyReplacements()


def replace_for_gsm(text: str) -> str:
    """``text`` with every replaceable non-GSM character replaced by its GSM equivalent."""
    table = gsm_replacements()
    return "".join(table.get(c, c) for c in text)


def overflow_offset(text: str, max_segments: int) -> int | None:
    """Offset of the first character that does not fit into ``max_segments`` segments.

    None if the whole text fits. Uses the same packing as :func:`analyse_sms`.
    """
    analysis = analyse_sms(text)
    if analysis.segments <= max_segments:
        return None
    gsm = analysis.encoding == "GSM-7"
    costs = [(gsm7_units(c) or 1) if gsm else _utf16_units(c) for c in text]
    if max_segments <= 0:
        return 0
    if max_segments == 1:
        limit = GSM7_SINGLE if gsm else UCS2_SINGLE
        used = 0
        for offset, cost in enumerate(costs):
            used += cost
            if used > limit:
                return offset
        return None
    multi = GSM7_MULTI if gsm else UCS2_MULTI
    segments, used = 1, 0
    for offset, cost in enumerate(costs):
        if used + cost > multi:
            segments += 1
            used = 0
            if segments > max_segments:
                return offset
        used += cost
    return None
