"""Throughput and pre-commit latency of ``msglint check``.

Builds a corpus of N templates from ``sample_templates/`` and ``../shared/corpus`` (copied with
file names that msglint recognises, plus a config that maps the corpus folders), then measures:

* templates per second for one ``msglint check`` process over the whole corpus: a first run
  with empty caches; a second run with warm caches but without the result cache
  (``MSGLINT_RESULT_CACHE=0``: every template is linted again, from cached Jinja2 code, rule
  packs and spelling verdicts); a third run of unchanged files, served by the result cache;
* wall time of a single-file run (the pre-commit case), as a fresh process, median of 5: of a
  *changed* file (pre-commit passes only changed files: a new sentence is appended before each
  run, so its cached result is stale), and of an unchanged one.

The sources are repeated to reach N (1,000 from about 332). The copies share what identical
files share in a real repository: content-keyed disk caches and memos of small inputs (a word,
a tag); whole-text memos live for one template (``msglint.memo``), so a copy is analysed like a
distinct template.

Usage: ``python benchmarks/bench.py [--n 1000] [--jobs 1|N|auto] [--repeat 1]``. Prints one
result per line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

# Corpus folders → the file-name suffix that gives them a channel (and the syntax to use).
CORPUS_SUFFIX = {
    "postmark": ".email.html",
    "saleor": ".email.html",
    "shopware": ".email.html",
    "flask-security": ".email.html",
    "django-allauth": ".email.html",
    "sylius": ".email.html",
    "ory-kratos": ".email.html",
}


def source_templates() -> list[tuple[str, bytes]]:
    """(new file name, content) for every usable template."""
    found: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "sample_templates").rglob("*")):
        if path.is_file():
            found.append((path.name, path.read_bytes()))
    if CORPUS.is_dir():
        for folder, suffix in CORPUS_SUFFIX.items():
            for path in sorted((CORPUS / folder).rglob("*")):
                if path.is_file() and path.suffix in (".html", ".twig", ".txt", ".gotmpl"):
                    stem = path.name.split(".")[0]
                    # Plain-text mails keep the e-mail suffix: the channel reads them as text.
                    suffix_here = ".sms.txt" if "sms" in path.name else suffix
                    name = f"{folder}-{len(found)}-{stem}{suffix_here}"
                    found.append((name, path.read_bytes()))
    return found


def build_corpus(target: Path, n: int) -> list[Path]:
    sources = source_templates()
    if not sources:
        raise SystemExit("no templates found")
    paths: list[Path] = []
    for i in range(n):
        name, data = sources[i % len(sources)]
        sub = target / f"set{i // len(sources):03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / name
        path.write_bytes(data)
        paths.append(path)
    (target / ".msglint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    return paths


def msglint_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("msglint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "msglint.cli"]


def bench_env(cache_dir: Path) -> dict[str, str]:
    """The environment of a user's shell: byte-code caching on, msglint's caches in a folder."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["MSGLINT_CACHE_DIR"] = str(cache_dir)
    return env


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    return run_with_output(args, cwd, env)[0]


def run_with_output(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"msglint exited {proc.returncode}")
    return elapsed, proc.stdout


def machine_reference() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): how fast this machine runs Python.

    Figures from different machines (or a busy one) only compare together with this line.
    """
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def append_sentence(path: Path, number: int) -> None:
    """Change a template the way an edit does: one new sentence at the end."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nNeu in Version {number}: Ihre Unterlagen liegen jetzt im Kundenportal.\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="number of templates")
    parser.add_argument("--jobs", default="1", help="msglint --jobs: a number or auto")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (median)")
    args = parser.parse_args()
    print(f"machine reference: 3M-step Python loop in {machine_reference():.3f} s")
    tmp = Path(tempfile.mkdtemp(prefix="msglint-bench-"))
    try:
        paths = build_corpus(tmp / "corpus", args.n)
        root = tmp / "corpus"
        cmd = [*msglint_cmd(), "check", "--format", "json", "--jobs", str(args.jobs), "."]
        first: list[float] = []
        warm: list[float] = []
        again: list[float] = []
        linted = 0
        for attempt in range(args.repeat):
            env = bench_env(tmp / f"cache-{attempt}")  # empty caches for every first run
            elapsed, output = run_with_output(cmd, root, env)
            linted = json.loads(output)["summary"]["files"]
            first.append(elapsed)
            warm.append(run(cmd, root, {**env, "MSGLINT_RESULT_CACHE": "0"}))
            again.append(run(cmd, root, env))  # unchanged files: the result cache
        med = statistics.median
        print(f"files: {len(paths)}, templates linted: {linted}")
        print(
            f"first run (empty caches): {med(first):.2f} s, {linted / med(first):.0f} templates/s"
        )
        print(
            f"second run (warm caches, result cache off): {med(warm):.2f} s, "
            f"{linted / med(warm):.0f} templates/s"
        )
        print(
            f"third run (unchanged files, result cache): {med(again):.2f} s, "
            f"{linted / med(again):.0f} templates/s"
        )
        print(f"(jobs={args.jobs}, wall time including start-up, median of {args.repeat})")

        single_file = paths[0].relative_to(root)
        single = [*msglint_cmd(), "check", str(single_file)]
        cold = run(single, root, bench_env(tmp / "cold-cache"))  # a machine's very first run
        changed = []
        for number in range(9):
            append_sentence(root / single_file, number)
            changed.append(run(single, root, env))
        unchanged = [run(single, root, env) for _ in range(9)]
        print(f"single-file run, first (empty caches): {cold:.3f} s")
        print(f"single-file run, changed file (median of 9): {statistics.median(changed):.3f} s")
        still = statistics.median(unchanged)
        print(f"single-file run, unchanged file (median of 9): {still:.3f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
