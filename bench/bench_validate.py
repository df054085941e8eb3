"""Benchmark `selfeval-xl validate --json` against a bare openpyxl load of the same file (issue 16).

Whole process, side by side and interleaved (best of N runs each; peak RSS the largest seen, measured from a small
spawner process so that neither side inherits this process's memory), on:
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


# A child forked from a process starts with that process's memory as its high-water mark (and exec keeps it). So
# every command is started by a small spawner, itself started before this process builds anything: the floor of
# the memory figures is then a bare Python's, the same for both sides.
SPAWNER = """
import os, sys, time
for line in sys.stdin:
    cmd = line.rstrip("\\n").split("\\0")
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execv(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    print(time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), flush=True)
"""
_spawner = None


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one child process, started by the spawner."""
    global _spawner
    if _spawner is None:
        _spawner = subprocess.Popen([sys.executable, "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    text=True)
    _spawner.stdin.write("\0".join(cmd) + "\n")
    _spawner.stdin.flush()
    wall, mib, code = _spawner.stdout.readline().split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{cmd} failed with exit {code}")
    return float(wall), float(mib)


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
    run([py, "-c", "pass"])  # the spawner starts now, while this process is small
    # As an installed package is: compiled. (PYTHONDONTWRITEBYTECODE in the environment would otherwise make every
    # run compile the modules edited since the last write, an import cost no user pays.)
    import compileall

    import selfeval_xl

    compileall.compile_dir(os.path.dirname(selfeval_xl.__file__), quiet=1)
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
