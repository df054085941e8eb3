"""Benchmark `selfeval-xl validate` on 表5 workbooks of 30, 500 and 20,000 rows.

Whole-process wall time and CPU time (best of N interleaved runs) of `selfeval-xl validate F` (text report) and of
`selfeval-xl validate F --json` (which also serialises every row), each as a ratio to a bare
`python -c "import openpyxl; openpyxl.load_workbook(F)"` of the same file, and each process's peak RSS.
Goals (issue 3): ratio <= 1.0 at 30 rows, <= 0.5 at 20,000 rows.

    python3 bench/bench_validate.py [--repeat 5] [--rows 30 500 20000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_budget import make  # noqa: E402


def run(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of one child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd} failed: {p.stderr.read().decode()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def best(cmds: list[list[str]], repeat: int) -> list[tuple[float, float, float]]:
    """Best wall and CPU time and peak RSS per command; the commands' runs are interleaved so that a
    noisy neighbour slows all of them alike."""
    runs: list[list[tuple[float, float, float]]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run(cmd))
    return [(min(w for w, _, _ in r), min(c for _, c, _ in r), max(m for _, _, m in r)) for r in runs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, nargs="+", default=[30, 500, 20000])
    a = ap.parse_args()
    py = sys.executable
    print(f"{'rows':>6} {'openpyxl s':>10} {'text s':>7} {'ratio':>6} {'json s':>7} {'ratio':>6} "
          f"{'cpu ratio t/j':>13} {'openpyxl MiB':>12} {'text MiB':>9} {'json MiB':>9}")
    with tempfile.TemporaryDirectory() as d:
        for n in a.rows:
            f = make(os.path.join(d, f"budget{n}.xlsx"), n)
            bare, text, js = best([[py, "-c", f"import openpyxl; openpyxl.load_workbook({f!r})"],
                                   [py, "-m", "selfeval_xl", "validate", f],
                                   [py, "-m", "selfeval_xl", "validate", f, "--json"]], a.repeat)
            print(f"{n:>6} {bare[0]:>10.3f} {text[0]:>7.3f} {text[0] / bare[0]:>6.2f} {js[0]:>7.3f} {js[0] / bare[0]:>6.2f} "
                  f"{text[1] / bare[1]:>6.2f}/{js[1] / bare[1]:<6.2f} {bare[2]:>12.1f} {text[2]:>9.1f} {js[2]:>9.1f}")


if __name__ == "__main__":
    main()
