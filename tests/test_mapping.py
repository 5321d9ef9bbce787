"""MappedText: offsets through composed maps, and queries from source ranges to text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from msglint.mapping import Chunk, MappedText, MappedTextBuilder


def test_literal_text_maps_character_by_character_through_two_stages() -> None:
    source = "Hallo {{ name }}, willkommen!"
    rendered = MappedTextBuilder()
    rendered.literal("Hallo ", 0)
    rendered.generated("Anna", 6, 16)
    rendered.literal(", willkommen!", 16)
    first = rendered.build()
    # A second stage keeps only "Anna, willkommen!".
    second = MappedText(first.text[6:], [Chunk(0, len(first.text) - 6, 6, len(first.text), True)])
    composed = second.compose(first)
    i = composed.text.index("willkommen")
    assert composed.source_offset(i) == source.index("willkommen")
    assert composed.source_range(0, 4) == (6, 16)  # the value maps to its whole tag
    assert not composed.is_literal(0, 4) and composed.is_literal(i, i + 10)


def _naive_overlapping(m: MappedText, start: int, end: int) -> list[Chunk]:
    return [c for c in m.chunks if c.src_start < end and start < c.src_end]


def _naive_insertion(m: MappedText, start: int, end: int) -> int | None:
    previous_end = -1
    for chunk in m.chunks:
        if chunk.src_start >= end:
            return chunk.start if previous_end <= start else None
        previous_end = max(previous_end, chunk.src_end)
    return len(m.text) if m.chunks and previous_end <= start else None


chunk_specs = st.lists(
    st.tuples(
        st.integers(1, 5), st.integers(0, 8), st.booleans(), st.integers(0, 3), st.booleans()
    ),
    max_size=15,
)


@settings(max_examples=300, deadline=None)
@given(specs=chunk_specs, queries=st.lists(st.tuples(st.integers(0, 80), st.integers(0, 10))))
def test_source_queries_match_a_linear_scan(
    specs: list[tuple[int, int, bool, int, bool]], queries: list[tuple[int, int]]
) -> None:
    chunks, pos, src = [], 0, 0
    for length, span, literal, gap, jump_back in specs:
        if jump_back:  # loops repeat earlier source
            src = max(0, src - 20)
        chunks.append(Chunk(pos, pos + length, src, src + span, literal))
        pos += length
        src += span + gap
    mapped = MappedText("x" * pos, chunks)
    for start, width in queries:
        end = start + width
        assert mapped.chunks_from(start, end) == _naive_overlapping(mapped, start, end)
        assert mapped.insertion_point(start, end) == _naive_insertion(mapped, start, end)
