"""Benchmark `selfeval-xl batch` against a bare openpyxl load of the same files in one Python process.

The workbooks are seed-sized variants, a third each: seed 001's official 表5 (clean and messy), the bundled example
(our dept template with its 评分表, figures changed) and our project form (execution rates from 50% to 100%), all
distinct (tests/batch_tree.py builds them). For 100 and for 1,000 files, side by side and interleaved (best of N):

- bare: one process that runs openpyxl.load_workbook on every file;
- batch: one process that runs the whole command (start-up, listing, the worker pool, dedup, tables, the
  consolidation workbook), as `selfeval-xl batch DIR -o OUT --jobs N`.

Wall time (best of N) is what a person waits for; on a shared machine it depends on what else runs, so CPU time
(summed over the process and all its descendants: the pool's forkserver and workers) is shown beside it. Peak
memory is the largest sum of the resident sets of the same processes, sampled every 20 ms. The per-file cost is (T1000 − T100) / 900, extrapolated to 50,000.
Goals (issue 17): batch ≤ 0.25 × bare at 1,000 files; peak memory at 1,000 ≤ 1.5 × at 100.

    python3 bench/bench_batch.py [--files 100 1000] [--repeat 3] [--jobs N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = "import json, sys, openpyxl\nfor f in json.load(open(sys.argv[1])):\n    openpyxl.load_workbook(f)\n"
# the command as `selfeval-xl batch DIR -o OUT --jobs N --force` runs it (cli.py wires run_batch)
BATCH = ("import sys\nfrom selfeval_xl.app.batch import run_batch\n"
         "sys.exit(run_batch([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]), force=True, progress=False))\n")


def build(folder: Path, n: int) -> list[Path]:
    """n distinct seed-sized workbooks in folder (kept when already there)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from batch_tree import (
        build_dept_variant,
        build_official_variant,
        build_project_variant,
    )

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(n):
        kind = ("表5", "部门", "项目")[k % 3]
        path = folder / f"{kind}_{k:05d}.xlsx"
        if not path.exists():
            make = {"表5": build_official_variant, "部门": build_dept_variant, "项目": build_project_variant}[kind]
            make(path, k)
        files.append(path)
    return files


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one command and all its descendants. CPU is summed over every
    process of the tree as last seen (sampled every 20 ms, so a process's last 20 ms may be missed); it does not
    depend on how busy the machine is, as wall time on a shared machine does."""
    import psutil

    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc, peak, cpu = psutil.Process(p.pid), 0, {}
    while p.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(c.memory_info().rss for c in tree if c.is_running()))
            for c in tree:
                times = c.cpu_times()
                cpu[c.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed ({p.returncode}): {p.stderr.read().decode()[-400:]}")
    return wall, sum(cpu.values()), peak / 1048576


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: the cores)")
    ap.add_argument("--dir", default=None, help="keep the generated workbooks here (reused on the next run)")
    a = ap.parse_args()
    py = sys.executable
    base = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="bench-batch-"))
    from selfeval_xl.app.batch.execute import cores

    jobs = a.jobs or cores()
    print(f"cores {cores()}, jobs {jobs}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'files':>6} {'bare s':>7} {'batch s':>8} {'ratio':>6} {'bare cpu':>9} {'batch cpu':>9} {'cpu ratio':>9} "
          f"{'bare ms/file':>12} {'batch ms/file':>13} {'bare MiB':>9} {'batch MiB':>9}")
    results = {}
    for n in a.files:
        folder = base / f"n{n}"
        files = build(folder, n)
        listing = base / f"n{n}.json"
        listing.write_text(json.dumps([str(f) for f in files]))
        out = base / f"汇总_{n}.xlsx"
        batch = [py, "-c", BATCH, str(folder), str(out), str(jobs)]
        bare_cmd = [py, "-c", BARE, str(listing)]
        runs = {"bare": [], "batch": []}
        for _ in range(a.repeat):
            runs["bare"].append(measure(bare_cmd))
            runs["batch"].append(measure(batch))
        bare, got = ([min(r[i] for r in runs[k]) if i < 2 else max(r[i] for r in runs[k]) for i in range(3)]
                     for k in ("bare", "batch"))
        results[n] = (got[0], got[2])
        print(f"{n:>6} {bare[0]:>7.2f} {got[0]:>8.2f} {got[0] / bare[0]:>6.2f} {bare[1]:>9.2f} {got[1]:>9.2f} "
              f"{got[1] / bare[1]:>9.2f} {bare[0] / n * 1000:>12.2f} {got[0] / n * 1000:>13.2f} {bare[2]:>9.0f} {got[2]:>9.0f}")
    if len(results) >= 2:
        (n0, (t0, m0)), (n1, (t1, m1)) = sorted(results.items())[0], sorted(results.items())[-1]
        per = (t1 - t0) / (n1 - n0)
        print(f"peak memory {n1} / {n0} files: {m1 / m0:.2f}")
        print(f"per file {per * 1000:.2f} ms ({jobs} workers); 50,000 files ≈ {(t0 + (50_000 - n0) * per) / 60:.1f} min")


if __name__ == "__main__":
    main()
