"""Text that remembers where it came from.

Every stage that transforms text (template rendering, HTML text extraction, YAML scalar
decoding) produces a :class:`MappedText`: the new text plus chunks that map its ranges back to
ranges of the text it was made from. Composing the maps of all stages takes a finding in a
message part straight back to the template file, so rules never think about templates.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

_NEWLINE = re.compile("\n")
_MATCH_END = re.Match.end
_SRC_START = operator.itemgetter(2)
_SRC_END = operator.itemgetter(3)


class Chunk(NamedTuple):
    """``text[start:end]`` came from ``source[src_start:src_end]``.

    ``literal`` chunks are character-for-character copies (safe to fix in place); other chunks
    were generated (a placeholder's value, decoded entities, collapsed whitespace) and map as a
    whole to the source range that produced them. A named tuple: tens of thousands are made
    per run, three times faster than a frozen dataclass.
    """

    start: int
    end: int
    src_start: int
    src_end: int
    literal: bool


# Chunk(start, end, ...) calls the named tuple's __new__, a Python function; this is a C call
# that takes the fields as one tuple (~2x faster: compose and the builders make most chunks).
new_chunk = partial(tuple.__new__, Chunk)


class MappedText:
    """A string with a map from its offsets to offsets in a source string."""

    __slots__ = ("_source_index", "_starts", "chunks", "text")

    def __init__(self, text: str, chunks: Iterable[Chunk]) -> None:
        self.text = text
        self.chunks: tuple[Chunk, ...] = tuple([c for c in chunks if c.end > c.start])
        self._starts = [c.start for c in self.chunks]
        self._source_index: _SourceIndex | None = None

    @classmethod
    def _of_chunks(cls, text: str, chunks: list[Chunk]) -> MappedText:
        """Like the constructor, for chunks known to be non-empty (built or composed here)."""
        mapped = cls.__new__(cls)
        mapped.text = text
        mapped.chunks = tuple(chunks)
        mapped._starts = [c.start for c in chunks]
        mapped._source_index = None
        return mapped

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> MappedText:
        """Text that is a literal copy of ``source[offset:offset + len(text)]``."""
        return cls(text, [Chunk(0, len(text), offset, offset + len(text), True)])

    def __repr__(self) -> str:
        return f"MappedText({self.text!r}, {len(self.chunks)} chunks)"

    def _chunk_at(self, offset: int) -> Chunk | None:
        if not self.chunks:
            return None
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return self.chunks[0]
        chunk = self.chunks[i]
        if offset >= chunk.end and i + 1 < len(self.chunks):
            nxt = self.chunks[i + 1]
            # Offsets in a gap belong to the chunk that follows.
            if offset < nxt.start:
                return nxt
        return chunk

    def source_offset(self, offset: int, *, end: bool = False) -> int:
        """The source offset for a text offset (``end=True`` for exclusive range ends)."""
        # _chunk_at, inlined: this runs for every position of every finding and mapped chunk.
        chunks = self.chunks
        if not chunks:
            return offset
        at = offset - 1 if end and offset > 0 else offset
        i = bisect_right(self._starts, at) - 1
        if i < 0:
            chunk = chunks[0]
        else:
            chunk = chunks[i]
            if at >= chunk.end and i + 1 < len(chunks) and at < chunks[i + 1].start:
                chunk = chunks[i + 1]  # offsets in a gap belong to the chunk that follows
        start, _, src_start, src_end, literal = chunk
        if literal:
            return max(src_start, min(src_end, src_start + offset - start))
        return src_end if end else src_start

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """The source range that produced ``text[start:end]``."""
        # Both source_offset lookups, inlined: rules map thousands of ranges per run, and
        # most ranges start and end in the same chunk (one bisect then).
        chunks = self.chunks
        if not chunks:
            return start, max(start, end)
        starts = self._starts
        i = bisect_right(starts, start) - 1
        if i < 0:
            chunk = chunks[0]
        else:
            chunk = chunks[i]
            if start >= chunk.end and i + 1 < len(chunks) and start < chunks[i + 1].start:
                chunk = chunks[i + 1]  # offsets in a gap belong to the chunk that follows
        c_start, c_end, s0, s1, literal = chunk
        src_start = max(s0, min(s1, s0 + start - c_start)) if literal else s0
        if end <= start:
            return src_start, src_start
        at = end - 1 if end > 0 else end
        if at >= c_end:  # ends in a later chunk (an end before c_end finds the same one)
            i = bisect_right(starts, at) - 1
            chunk = chunks[i]
            if at >= chunk.end and i + 1 < len(chunks) and at < chunks[i + 1].start:
                chunk = chunks[i + 1]
            c_start, c_end, s0, s1, literal = chunk
        src_end = max(s0, min(s1, s0 + end - c_start)) if literal else s1
        return src_start, max(src_start, src_end)

    def is_literal(self, start: int, end: int) -> bool:
        """True if ``text[start:end]`` is copied unchanged from one contiguous source range."""
        if end <= start:
            return False
        chunk = self._chunk_at(start)
        return chunk is not None and chunk.literal and chunk.start <= start and end <= chunk.end

    def has_literal(self, start: int, end: int) -> bool:
        """True if any part of ``text[start:end]`` is literal template text (not a value)."""
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        for chunk in self.chunks[i:]:
            if chunk.start >= end:
                break
            if chunk.literal and chunk.end > start:
                return True
        return False

    def chunks_from(self, src_start: int, src_end: int) -> list[Chunk]:
        """The chunks (in text order) whose source range overlaps ``source[src_start:src_end]``."""
        return self._index().overlapping(self.chunks, src_start, src_end)

    def insertion_point(self, src_start: int, src_end: int) -> int | None:
        """Where text from ``source[src_start:src_end]`` would be if it had produced any.

        The start of the first chunk that comes from source after it, if everything before
        that chunk comes from source before it; None when loops or reordering make it unclear.
        """
        return self._index().insertion_point(self, src_start, src_end)

    def _index(self) -> _SourceIndex:
        if self._source_index is None:
            self._source_index = _SourceIndex(self.chunks)
        return self._source_index

    def compose(self, outer: MappedText) -> MappedText:
        """Map through ``outer`` as well: ``self``'s source is ``outer.text``.

        The result maps ``self.text`` directly to ``outer``'s source.
        """
        outer_chunks = outer.chunks
        if len(outer_chunks) == 1 and outer_chunks[0].literal:
            return self._compose_shifted(outer_chunks[0])
        result: list[Chunk] = []
        append = result.append
        source_range = outer.source_range
        outer_starts = outer._starts
        for chunk in self.chunks:
            start, end, src_start, src_end, literal = chunk
            if not literal:
                src_start, src_end = source_range(src_start, src_end)
                append(new_chunk((start, end, src_start, src_end, False)))
                continue
            # Split a literal chunk wherever the outer map changes chunk.
            pos = start
            while pos < end:
                outer_pos = src_start + (pos - start)
                # The outer chunk that contains outer_pos, if any (none: a gap, or the end).
                i = bisect_right(outer_starts, outer_pos) - 1
                if i < 0 or outer_pos >= outer_chunks[i].end:
                    append(new_chunk((pos, end, outer_pos, outer_pos, False)))
                    break
                o_start, o_end, o_src_start, o_src_end, o_literal = outer_chunks[i]
                take = min(end - pos, o_end - outer_pos)
                if o_literal:
                    s = o_src_start + (outer_pos - o_start)
                    append(new_chunk((pos, pos + take, s, s + take, True)))
                else:
                    append(new_chunk((pos, pos + take, o_src_start, o_src_end, False)))
                pos += take
        return MappedText._of_chunks(self.text, _merge(result))

    def _compose_shifted(self, outer: Chunk) -> MappedText:
        """``compose`` through a map of one literal chunk (a template part's body, usually)."""
        o_start, o_end, o_src_start, o_src_end, _ = outer
        shift = o_src_start - o_start
        result: list[Chunk] = []
        append = result.append
        for start, end, src_start, src_end, literal in self.chunks:
            if not literal:
                # outer.source_range(src_start, src_end), for one literal chunk.
                s = max(o_src_start, min(o_src_end, src_start + shift))
                if src_end > src_start:
                    e = max(o_src_start, min(o_src_end, src_end + shift))
                    append(new_chunk((start, end, s, e if e > s else s, False)))
                else:
                    append(new_chunk((start, end, s, s, False)))
            elif src_start < o_start or src_start >= o_end:
                append(new_chunk((start, end, src_start, src_start, False)))
            else:
                take = min(end - start, o_end - src_start)
                s = src_start + shift
                append(new_chunk((start, start + take, s, s + take, True)))
                if start + take < end:  # runs past the end of the outer text
                    append(new_chunk((start + take, end, o_end, o_end, False)))
        return MappedText._of_chunks(self.text, _merge(result))


class _SourceIndex:
    """Chunks by source position, for queries from a template tag to the text it produced."""

    __slots__ = ("by_source", "max_span", "monotonic", "prefix_end", "source_starts")

    def __init__(self, chunks: tuple[Chunk, ...]) -> None:
        starts = list(map(_SRC_START, chunks))
        ends = list(map(_SRC_END, chunks))
        # Usually the text follows the source: then the chunks are in source order already
        # (sorting sorted numbers is one linear pass in C).
        self.monotonic = starts == sorted(starts)
        if self.monotonic:
            self.by_source = list(zip(starts, range(len(chunks)), strict=True))
            self.source_starts = starts
        else:
            order = sorted(range(len(chunks)), key=starts.__getitem__)
            self.by_source = [(starts[i], i) for i in order]
            self.source_starts = [starts[i] for i in order]
        self.max_span = max(map(operator.sub, ends, starts), default=0)
        self.prefix_end: list[int] = list(itertools.accumulate(ends, max, initial=-1))[1:]

    def overlapping(self, chunks: tuple[Chunk, ...], start: int, end: int) -> list[Chunk]:
        hi = bisect.bisect_left(self.source_starts, end)
        found: list[int] = []
        k = hi - 1
        while k >= 0 and self.source_starts[k] + self.max_span > start:
            i = self.by_source[k][1]
            if chunks[i].src_end > start:
                found.append(i)
            k -= 1
        return [chunks[i] for i in sorted(found)]

    def insertion_point(self, mapped: MappedText, start: int, end: int) -> int | None:
        chunks = mapped.chunks
        if not self.monotonic:
            previous_end = -1
            for chunk in chunks:
                if chunk.src_start >= end:
                    return chunk.start if previous_end <= start else None
                previous_end = max(previous_end, chunk.src_end)
            return len(mapped.text) if chunks and previous_end <= start else None
        idx = bisect.bisect_left(self.source_starts, end)  # the same order as the text here
        previous_end = self.prefix_end[idx - 1] if idx > 0 else -1
        if idx < len(chunks):
            return chunks[idx].start if previous_end <= start else None
        return len(mapped.text) if chunks and previous_end <= start else None


def _merge(chunks: list[Chunk]) -> list[Chunk]:
    """Joins neighbours: literal ones copied from adjacent source, generated ones from the same."""
    merged: list[Chunk] = []
    p: Chunk | None = None
    for c in chunks:
        if p is not None:
            if (
                p.end == c.start
                and p.literal == c.literal
                and (
                    p.src_end == c.src_start
                    if p.literal
                    else p.src_start == c.src_start and p.src_end == c.src_end
                )
            ):
                p = new_chunk((p.start, c.end, p.src_start, c.src_end, p.literal))
                continue
            merged.append(p)
        p = c
    if p is not None:
        merged.append(p)
    return merged


class MappedTextBuilder:
    """Builds a :class:`MappedText` piece by piece."""

    __slots__ = ("_chunks", "_parts", "_pos")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._chunks: list[Chunk] = []
        self._pos = 0

    def __len__(self) -> int:
        return self._pos

    def literal(self, text: str, src_start: int) -> None:
        """Append text copied unchanged from ``source[src_start:]``."""
        if text:
            pos = self._pos
            self._pos = end = pos + len(text)
            self._parts.append(text)
            self._chunks.append(new_chunk((pos, end, src_start, src_start + end - pos, True)))

    def generated(self, text: str, src_start: int, src_end: int) -> None:
        """Append text produced by ``source[src_start:src_end]`` (a tag, an entity, ...)."""
        self._add(text, src_start, src_end, False)

    def append_mapped(self, mapped: MappedText, start: int = 0, end: int | None = None) -> None:
        """Append ``mapped.text[start:end]`` with its own source map (same source)."""
        text = mapped.text
        end = len(text) if end is None else end
        add = self._add
        for c_start, c_end, src_start, src_end, literal in mapped.chunks:
            s = c_start if c_start > start else start
            e = c_end if c_end < end else end
            if s >= e:
                continue
            if literal:
                offset = src_start - c_start
                add(text[s:e], s + offset, e + offset, True)
            else:
                add(text[s:e], src_start, src_end, False)

    def _add(self, text: str, src_start: int, src_end: int, literal: bool) -> None:
        if not text:
            return
        self._parts.append(text)
        self._chunks.append(
            new_chunk((self._pos, self._pos + len(text), src_start, src_end, literal))
        )
        self._pos += len(text)

    def build(self) -> MappedText:
        return MappedText._of_chunks("".join(self._parts), _merge(self._chunks))

    def pieces(self) -> int:
        """How many pieces were appended so far (a mark for :meth:`build_pieces`)."""
        return len(self._chunks)

    def piece(self, index: int) -> str:
        return self._parts[index]

    def build_pieces(self, start: int, end: int) -> MappedText:
        """Pieces ``[start:end]`` as a text of their own, as if built by a fresh builder."""
        chunks = self._chunks[start:end]
        if chunks and chunks[0].start:
            shift = chunks[0].start
            chunks = [new_chunk((a - shift, b - shift, s, e, lit)) for a, b, s, e, lit in chunks]
        return MappedText._of_chunks("".join(self._parts[start:end]), _merge(chunks))


class LineIndex:
    """Converts offsets in a text to 1-based line and column numbers.

    The line starts are found on first use: a file's index is made on loading, but many files
    never need a position (no finding, no suppression comment).
    """

    __slots__ = ("_line_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    @property
    def _starts(self) -> list[int]:
        starts = self._line_starts
        if starts is None:
            starts = [0]
            starts.extend(map(_MATCH_END, _NEWLINE.finditer(self.text)))
            self._line_starts = starts
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count characters."""
        starts = self._line_starts
        if starts is None:
            starts = self._starts
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """The offset of a 1-based (line, column)."""
        starts = self._starts
        line = max(1, min(line, len(starts)))
        return min(len(self.text), starts[line - 1] + max(0, column - 1))

    def line_text(self, line: int) -> str:
        starts = self._starts
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)].rstrip("\r")
