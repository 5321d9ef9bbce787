"""Rank correlation of readability measures with graded German sentences.

Data: ``benchmarks/data/de_sentences.tsv`` (group, rating 1-7 = hard, text); see
``docs/readability.md`` for how it was built. Groups with an even number are the dev set (used to
choose msglint's weights), odd groups are held out. Prints Spearman's rho of each measure with
the ratings on the held-out set (and dev for reference), signed so that higher = agrees with the
ratings. Run: ``.venv/bin/python benchmarks/readability_eval.py [--tune]``.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from msglint.text import readability as r
from msglint.text.segment import split_sentences

DATA = Path(__file__).parent / "data" / "de_sentences.tsv"


def load(path: Path = DATA) -> list[tuple[int, float, str]]:
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [(int(row["group"]), float(row["rating"]), row["text"]) for row in rows]


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1  # ties share the mean rank
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    vy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (vx * vy)


def _textstat_flesch_de() -> Callable[[str], float] | None:
    try:
        import textstat
    except ImportError:
        return None
    textstat.set_lang("de")
    return lambda text: float(textstat.flesch_reading_ease(text))


def measures() -> dict[str, Callable[[str], float]]:
    """Each measure as 'difficulty' (higher = harder), so every rho should be positive."""
    out: dict[str, Callable[[str], float]] = {
        "msglint score": lambda t: -r.readability(t, "de")["score"],
        "sentence length (chars)": lambda t: float(len(t)),
        "Amstad (msglint counts)": lambda t: -r.readability(t, "de")["flesch_amstad"],
        "Wiener Sachtextformel 1": lambda t: r.readability(t, "de")["wiener_sachtextformel_1"],
        "LIX": lambda t: r.readability(t, "de")["lix"],
    }
    flesch = _textstat_flesch_de()
    if flesch is not None:
        out["textstat Flesch (de)"] = lambda t: -flesch(t)
    return out


def report(rows: list[tuple[int, float, str]]) -> None:
    dev = [row for row in rows if row[0] % 2 == 0]
    held = [row for row in rows if row[0] % 2 == 1]
    print(f"sentences: dev {len(dev)}, held-out {len(held)}")
    print(f"{'measure':28} {'held-out rho':>12} {'dev rho':>8}")
    for name, fn in measures().items():
        rho_h = spearman([fn(t) for _, _, t in held], [g for _, g, _ in held])
        rho_d = spearman([fn(t) for _, _, t in dev], [g for _, g, _ in dev])
        print(f"{name:28} {rho_h:12.3f} {rho_d:8.3f}")


def short_text_check() -> None:
    one = "Ihr Paket kommt morgen zwischen 10 und 12 Uhr, bitte seien Sie zu Hause."
    two = "Ihr Paket kommt morgen zwischen 10 und 12 Uhr. Bitte seien Sie zu Hause."
    word = "Ihr Paket kommt morgen zwischen 10 und 12 Uhr, bitte seien Sie dann zu Hause."
    s1, s2 = r.readability(one, "de")["score"], r.readability(two, "de")["score"]
    s3 = r.readability(word, "de")["score"]
    print(f"SMS one sentence {s1}, two sentences {s2} (diff {s2 - s1:+.1f}), one word more {s3}")
    for text in ("Vielen Dank.", "Danke!", "Ihr Code: 123456", "Ihr Paket ist da."):
        print(f"  {text!r}: {r.readability(text, 'de')['score']}")


def timing() -> None:
    text = " ".join(row[2] for row in load()[:30])
    words = text.split()[:300]
    sample = " ".join(words)
    r.readability(sample, "de")  # warm caches (word lists, syllables)
    split_sentences(sample, "de")
    n = 200
    t0 = time.perf_counter()
    for _ in range(n):
        r.readability(sample, "de")
    ms = (time.perf_counter() - t0) / n * 1000
    print(f"readability (tokenise + split + count + score), 300 words: {ms:.2f} ms")


def tune(rows: list[tuple[int, float, str]]) -> None:
    """Grid search over the score weights on the dev set (prints the best few)."""
    dev = [row for row in rows if row[0] % 2 == 0]
    counts = [r.count_text(split_sentences(t, "de"), "de") for _, _, t in dev]
    gold = [g for _, g, _ in dev]
    results = []
    for damping in (0.0, 10.0, 20.0):
        for w_letters in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4):
            for w_compound in (0.0, 0.6, 1.2, 2.0, 3.0):
                r._LENGTH_DAMPING, r._W_LETTERS, r._W_COMPOUND = damping, w_letters, w_compound
                rho = spearman([r.difficulty(c, "de") for c in counts], gold)
                results.append((rho, damping, w_letters, w_compound))
    for rho, damping, w_letters, w_compound in sorted(results, reverse=True)[:10]:
        print(f"rho {rho:.3f}  damping {damping}  letters {w_letters}  compounds {w_compound}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tune", action="store_true", help="grid-search weights on dev")
    args = parser.parse_args()
    rows = load()
    if args.tune:
        tune(rows)
        return 0
    report(rows)
    short_text_check()
    timing()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
