"""Benchmark `selfeval-xl validate` on 表5 workbooks of 30, 500 and 20,000 rows.

Whole-process wall time (best of N runs) of `selfeval-xl validate F` (text report) and of
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


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{cmd} failed: {p.stderr.read().decode()[-300:]}")
    return wall, usage.ru_maxrss / 1024


def best(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(repeat)]
    return min(w for w, _ in runs), max(m for _, m in runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, nargs="+", default=[30, 500, 20000])
    a = ap.parse_args()
    py = sys.executable
    print(f"{'rows':>6} {'openpyxl s':>10} {'text s':>7} {'ratio':>6} {'json s':>7} {'ratio':>6} "
          f"{'openpyxl MiB':>12} {'text MiB':>9} {'json MiB':>9}")
    with tempfile.TemporaryDirectory() as d:
        for n in a.rows:
            f = make(os.path.join(d, f"budget{n}.xlsx"), n)
            bare = best([py, "-c", f"import openpyxl; openpyxl.load_workbook({f!r})"], a.repeat)
            text = best([py, "-m", "selfeval_xl", "validate", f], a.repeat)
            js = best([py, "-m", "selfeval_xl", "validate", f, "--json"], a.repeat)
            print(f"{n:>6} {bare[0]:>10.3f} {text[0]:>7.3f} {text[0] / bare[0]:>6.2f} {js[0]:>7.3f} {js[0] / bare[0]:>6.2f} "
                  f"{bare[1]:>12.1f} {text[1]:>9.1f} {js[1]:>9.1f}")


if __name__ == "__main__":
    main()
