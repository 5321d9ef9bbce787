"""Compare the speed of two msglint source trees on a noisy machine.

On a shared or virtual machine identical runs vary by ±20-30 %, so a before/after pair of
``bench.py`` runs can point the wrong way. This script alternates the two trees run by run and
prints medians: a warm run over the benchmark corpus (result cache off, every template linted)
and a single-file run; with ``--callgrind`` also the instruction counts of one warm run of each
tree and of single-file runs, which do not depend on machine load.

Usage: ``python benchmarks/compare.py OLD_SRC NEW_SRC [--n 1000] [--runs 15] [--callgrind]
[--file CORPUS_FILE ...] [--jobs 1]``
where each ``*_SRC`` is a tree's ``src`` folder (e.g. from ``git worktree add /tmp/old REV``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # the corpus, and msglint run the way a user runs it


def tree_env(src: Path, cache_dir: Path) -> dict[str, str]:
    env = bench.bench_env(cache_dir)
    env["PYTHONPATH"] = str(src)  # before the installed (editable) msglint
    env["MSGLINT_RESULT_CACHE"] = "0"
    return env


def instructions(cmd: list[str], cwd: Path, env: dict[str, str], out: Path) -> int:
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if found is None:
        raise SystemExit(f"callgrind gave no count:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old", type=Path, help="src folder of the old tree")
    parser.add_argument("new", type=Path, help="src folder of the new tree")
    parser.add_argument("--n", type=int, default=1000, help="number of templates")
    parser.add_argument("--runs", type=int, default=15, help="runs per tree and figure")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions")
    parser.add_argument("--jobs", default="1", help="msglint --jobs for the whole-corpus run")
    parser.add_argument(
        "--file",
        action="append",
        default=[],
        help="with --callgrind: also count a single-file run of this corpus file (repeatable)",
    )
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    for src in trees.values():
        if not (src / "msglint" / "__init__.py").is_file():
            raise SystemExit(f"{src}: not a src folder with msglint in it")
    if args.callgrind and shutil.which("valgrind") is None:
        raise SystemExit("--callgrind needs valgrind")
    print(f"machine reference: 3M-step Python loop in {bench.machine_reference():.3f} s")
    with tempfile.TemporaryDirectory(prefix="msglint-compare-") as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "corpus"
        paths = bench.build_corpus(root, args.n)
        single = str(paths[0].relative_to(root))
        envs = {name: tree_env(src, tmp / f"cache-{name}") for name, src in trees.items()}
        whole = [*bench.msglint_cmd(), "check", "--format", "json", "--jobs", args.jobs, "."]
        one = [*bench.msglint_cmd(), "check", single]
        for env in envs.values():
            bench.run(whole, root, env)  # fill the caches and write byte code
        warm: dict[str, list[float]] = {name: [] for name in trees}
        files: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, env in envs.items():  # alternating: both trees see the same moments
                warm[name].append(bench.run(whole, root, env))
                files[name].append(bench.run(one, root, env))
        print(f"files: {args.n}, runs per tree: {args.runs} (alternating), result cache off")
        for name in trees:
            seconds = statistics.median(warm[name])
            print(
                f"{name}: warm run {seconds:.2f} s = {args.n / seconds:.0f} templates/s; "
                f"single file {statistics.median(files[name]) * 1000:.0f} ms (medians)"
            )
        if args.callgrind:
            for name, env in envs.items():
                count = instructions(whole, root, env, tmp / f"callgrind-{name}.out")
                print(f"{name}: warm run {count / 1e9:.3f} billion instructions")
            for path in [single, *args.file]:
                for name, env in envs.items():
                    command = [*bench.msglint_cmd(), "check", "--format", "json", path]
                    bench.run(command, root, env)  # its caches warm, like a pre-commit re-run
                    count = instructions(command, root, env, tmp / f"callgrind-{name}-1.out")
                    print(f"{name}: single file {path}: {count / 1e6:.0f} million instructions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
