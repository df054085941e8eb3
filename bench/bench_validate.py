"""Benchmark `selfeval-xl validate --json` against a bare openpyxl load of the same file (issue 16).

Whole process, side by side and interleaved (best of N runs each; peak RSS the largest seen), on:
- seed 001's 表5 as published (17 rows, the unit's own layout);
- 20,000 rows from make_budget.py (every cell filled);
- 20,000 rows from make_floaty.py (6–8 filled cells per row, full-precision float rates);
- the make_budget.py rows with one indented 预算项目 cell, and with indented 其中 rows in every block.
Reported: each time, the ratio to openpyxl (goal ≤ 0.3), the ratio of the indented and 其中 files to the plain file
(goal ≤ 1.2), and peak memory as a ratio to openpyxl's (goal ≤ 0.5).

    python3 bench/bench_validate.py [--repeat 7] [--rows 20000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from make_budget import make  # noqa: E402
from make_floaty import make_floaty  # noqa: E402


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd} failed: {p.stderr.read().decode()[-300:]}")
    return wall, usage.ru_maxrss / 1024


def best(cmds: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """Best wall time and largest peak RSS per command, the commands' runs interleaved."""
    runs: list[list[tuple[float, float]]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run(cmd))
    return [(min(w for w, _ in r), max(m for _, m in r)) for r in runs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--rows", type=int, default=20000)
    a = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as d:
        from seed001 import write_official

        n = a.rows
        files = {"seed 001 表5": str(write_official(Path(d) / "seed001.xlsx")),
                 f"make_budget {n}": make(os.path.join(d, "plain.xlsx"), n),
                 f"make_floaty {n}": make_floaty(os.path.join(d, "floaty.xlsx"), n),
                 f"{n}, one indented cell": make(os.path.join(d, "indent.xlsx"), n, indent_one=True),
                 f"{n}, 其中 in every block": make(os.path.join(d, "kids.xlsx"), n, children_every=5)}
        print(f"{'file':<24} {'openpyxl s':>10} {'validate s':>10} {'ratio':>6} {'vs plain':>8} "
              f"{'openpyxl MiB':>12} {'validate MiB':>12} {'mem ratio':>9}")
        plain = None
        for name, f in files.items():
            (bare, bare_mib), (ours, our_mib) = best(
                [[py, "-c", f"import openpyxl; openpyxl.load_workbook({f!r})"],
                 [py, "-m", "selfeval_xl", "validate", f, "--json"]], a.repeat)
            if name.startswith("make_budget"):
                plain = ours
            vs = f"{ours / plain:8.2f}" if plain and "," in name else " " * 8
            print(f"{name:<24} {bare:>10.3f} {ours:>10.3f} {ours / bare:>6.2f} {vs} "
                  f"{bare_mib:>12.1f} {our_mib:>12.1f} {our_mib / bare_mib:>9.2f}")


if __name__ == "__main__":
    main()
