"""Lint ../shared/corpus with benchmarks/corpus.msglint.yaml and count findings per rule.

Usage: ``python benchmarks/corpus_report.py [--select FAMILY/] [--markdown]``. The counts are the
figures the README records for the corpus of real public templates.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--select", action="append", default=[])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="msglint-corpus-"))
    try:
        target = tmp / "corpus"
        shutil.copytree(CORPUS, target)
        shutil.copy(ROOT / "benchmarks" / "corpus.msglint.yaml", target / ".msglint.yaml")
        exe = Path(sys.executable).with_name("msglint")
        cmd = [str(exe), "check", "--format", "json", "--fail-on", "error", "."]
        for s in args.select:
            cmd[2:2] = ["--select", s]
        proc = subprocess.run(cmd, cwd=target, capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.stderr.write(proc.stderr)
            return 2
        report = json.loads(proc.stdout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    counts: collections.Counter[str] = collections.Counter()
    per_dir: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for file in report["files"]:
        top = file["path"].split("/", 1)[0]
        for finding in file["findings"]:
            counts[finding["rule"]] += 1
            per_dir[finding["rule"]][top] += 1
    files = len(report["files"])
    if args.markdown:
        print(f"{files} files linted.\n")
        print("| rule | findings | where |")
        print("|---|---:|---|")
        for rule, n in sorted(counts.items()):
            where = ", ".join(f"{d} {c}" for d, c in per_dir[rule].most_common())
            print(f"| `{rule}` | {n} | {where} |")
    else:
        print(f"files: {files}")
        for rule, n in sorted(counts.items()):
            print(f"{n:6d}  {rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
