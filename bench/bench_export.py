"""Benchmark `export` on 表5 workbooks of 30 and 20,000 rows, in-process.

Reports validate+score (reading) and the xlsxwriter write separately, the number of formula and
number cells written, and a per-cell estimate of the split. Goal (issue 5): a 30-row export under 50 ms.

    python3 bench/bench_export.py [--rows 30 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_budget import make  # noqa: E402

from selfeval_xl.app.score import score  # noqa: E402
from selfeval_xl.app.validate import validate  # noqa: E402
from selfeval_xl.writers.export import write_export  # noqa: E402


def count_cells(path: str) -> tuple[int, int]:
    """(formula cells, number cells) over every sheet of an xlsx."""
    f = n = 0
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name)
                f += xml.count(b"<f>")
                n += xml.count(b"<c ") - xml.count(b't="s"') - xml.count(b't="str"') - xml.count(b"<f>")
    return f, n


def per_cell_us(n: int = 20000) -> tuple[float, float]:
    """xlsxwriter's own cost on this machine: µs per write_formula (with value) and per write_number."""
    import xlsxwriter

    with tempfile.TemporaryDirectory() as d:
        wb = xlsxwriter.Workbook(os.path.join(d, "c.xlsx"), {"in_memory": True})
        ws = wb.add_worksheet()
        t0 = time.perf_counter()
        for r in range(n):
            ws.write_formula(r, 0, f'=IF(G{r + 1}=0,"",H{r + 1}/G{r + 1})', None, 0.5)
        t1 = time.perf_counter()
        for r in range(n):
            ws.write_number(r, 1, 1.5)
        t2 = time.perf_counter()
        wb.close()
    return (t1 - t0) / n * 1e6, (t2 - t1) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[30, 20000])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    print(f"{'rows':>6} {'read+score ms':>13} {'write ms':>9} {'total ms':>9} {'formulas':>9} {'numbers':>8}")
    with tempfile.TemporaryDirectory() as d:
        for n in a.rows:
            src = make(os.path.join(d, f"b{n}.xlsx"), n)
            out = os.path.join(d, f"out{n}.xlsx")
            best = None
            for _ in range(a.repeat if n <= 1000 else max(1, a.repeat // 2)):
                t0 = time.perf_counter()
                checked = validate(src)
                score(checked, "futian-dept-2020")
                t1 = time.perf_counter()
                write_export(checked, Path(out))
                t2 = time.perf_counter()
                if best is None or t2 - t0 < best[0] + best[1]:
                    best = (t1 - t0, t2 - t1)
            f, num = count_cells(out)
            print(f"{n:>6} {best[0] * 1000:>13.1f} {best[1] * 1000:>9.1f} {sum(best) * 1000:>9.1f} {f:>9} {num:>8}")
            fu, nu = per_cell_us()
            print(f"       split of write: formulas {f} x {fu:.1f} us = {f * fu / 1000:.1f} ms, numbers {num} x {nu:.1f} us = "
                  f"{num * nu / 1000:.1f} ms, rest (text, styles, zip) {best[1] * 1000 - (f * fu + num * nu) / 1000:.1f} ms")


if __name__ == "__main__":
    main()
