"""What is sent to a checker for a message part, and how its offsets map back.

A part's text (``Part.text``) is already what the customer reads: rendered with the first sample,
markup removed. Two things change before sending: placeholders rendered without sample data
(the variable's name, e.g. ``name`` for ``{{ customer.name }}``) become a neutral word of the
right kind so that the sentence around them still parses, and long texts are split into blocks
at blank lines (smaller requests run in parallel and are cached one by one).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from msglint.model import Part

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WORD_CHAR = re.compile(r"\w")
_BLOCK_CHARS = 2000
# (keywords in the variable name, German word, English word); the first match wins.
_NEUTRAL_WORDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("mail",), "kunde@example.com", "customer@example.com"),
    (("url", "link", "href"), "https://example.com", "https://example.com"),
    (("date", "datum", "day", "tag"), "01.02.2030", "1 February 2030"),
    (("time", "zeit", "uhr"), "10:30", "10:30"),
    (("amount", "price", "total", "sum", "betrag", "preis", "summe", "cost"), "10,00 €", "$10.00"),
    (("name",), "Alex", "Alex"),
    (("id", "number", "nummer", "code", "nr", "no", "token", "pin"), "12345", "12345"),
)


def neutral_word(variable: str, language: str) -> str:
    """A stand-in for a placeholder without sample data, chosen by the variable's name."""
    lowered = variable.lower()
    tokens = set(re.split(r"[_\W]+", lowered))
    for keywords, german, english in _NEUTRAL_WORDS:
        if any(k in tokens or (len(k) > 3 and k in lowered) for k in keywords):
            return german if language == "de" else english
    return "Beispiel" if language == "de" else "example"


class Segment(NamedTuple):
    start: int  # in the sent text
    end: int
    part_start: int  # in part.text
    part_end: int
    placeholder: bool  # generated text with letters or digits: a placeholder's value


@dataclass(frozen=True)
class PreparedText:
    """The text to send for one part and the way back to ``part.text`` offsets."""

    text: str
    segments: tuple[Segment, ...]
    blocks: tuple[tuple[int, int], ...]  # ranges of ``text`` sent one request each

    def to_part(self, start: int, end: int) -> tuple[int, int, bool]:
        """Part-text range for a sent range, and whether it touches a placeholder's value."""
        if not self.segments:
            return start, end, False
        starts = [s.start for s in self.segments]
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last = max(first, bisect.bisect_left(starts, max(start, end)) - 1)
        touched = self.segments[first : last + 1]
        placeholder = any(s.placeholder for s in touched)
        return _map(touched[0], start, False), _map(touched[-1], max(start, end), True), placeholder


def _map(seg: Segment, offset: int, end: bool) -> int:
    if seg.end - seg.start == seg.part_end - seg.part_start:
        return seg.part_start + min(max(offset, seg.start), seg.end) - seg.start
    return seg.part_end if end else seg.part_start


def prepare_part(part: Part, language: str, *, neutral_placeholders: bool) -> PreparedText:
    """The text of ``part`` as sent to a checker (see the module docstring)."""
    text = part.text
    pieces: list[str] = []
    segments: list[Segment] = []
    pos = 0  # in part.text
    out = 0  # in the sent text
    for chunk in part.mapped.chunks:
        if chunk.start > pos:  # a gap in the map: keep the text, treat it as generated
            out = _add(pieces, segments, text[pos : chunk.start], out, pos, chunk.start, True)
        piece = text[chunk.start : chunk.end]
        generated = not chunk.literal and _WORD_CHAR.search(piece) is not None
        if generated and neutral_placeholders and _IDENTIFIER.match(piece):
            piece = neutral_word(piece, language)
        out = _add(pieces, segments, piece, out, chunk.start, chunk.end, generated)
        pos = chunk.end
    if pos < len(text):
        out = _add(pieces, segments, text[pos:], out, pos, len(text), not part.mapped.chunks)
    sent = "".join(pieces)
    return PreparedText(sent, tuple(segments), split_blocks(sent))


def _add(
    pieces: list[str],
    segments: list[Segment],
    piece: str,
    out: int,
    part_start: int,
    part_end: int,
    placeholder: bool,
) -> int:
    pieces.append(piece)
    segments.append(Segment(out, out + len(piece), part_start, part_end, placeholder))
    return out + len(piece)


def split_blocks(text: str, limit: int = _BLOCK_CHARS) -> tuple[tuple[int, int], ...]:
    """Ranges of ``text`` of at most ``limit`` characters (where possible), cut at blank lines."""
    blocks: list[tuple[int, int]] = []
    start = 0
    cut = start
    for m in re.finditer(r"\n[ \t]*\n", text):
        if m.end() - start > limit and cut > start:
            blocks.append((start, cut))
            start = cut
        cut = m.end()
    if len(text) - start > limit and start < cut < len(text):
        blocks.append((start, cut))
        start = cut
    if text[start:].strip():
        blocks.append((start, len(text)))
    return tuple((s, e) for s, e in blocks if text[s:e].strip())
