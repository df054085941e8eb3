"""Every test workbook's findings and 表5 reading, recorded, so that a change meant to be faster (issue 16) is shown
to change nothing: `tests/test_findings_snapshot.py` compares the current output with `tests/golden/findings.json`.

    python3 tests/findings_snapshot.py --write     # record again after a deliberate change of a rule or message

The workbooks: every real published table in tests/real, seed 001's 表5 (as published, typed as text, with planted
mistakes), the bundled example and its mistakes, both blank templates, and the bench generators at 600 rows
(plain, float-rich, one indented cell, 其中 rows scattered through every block, a 小计 no reading can fix)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = HERE / "golden" / "findings.json"
sys.path[:0] = [str(HERE), str(HERE / "real"), str(ROOT / "bench")]


def _plant(rows):
    rows[10][6] = "391.00"
    rows[3][8] = "16.00"
    rows[9][9] = "64.44%"
    rows[7][7] = "500.35"
    rows[2][7] = "3.00"


def _mistakes(src: Path, out: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    b5 = wb["表5"]
    b5["C6"], b5["H6"], b5["J8"], b5["J7"], b5["C11"] = "1,250.00", "2.51万元", 54.95, "=H7/G7*100", 543.98
    wb["评分表"]["K5"] = 9
    wb["基础数据"]["B5"] = "171.5万元"
    wb.save(out)
    return out


def _off_by_1000(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        if isinstance(row[0].value, str) and row[0].value.endswith("小计"):
            row[6].value = row[6].value + 1000
    wb.save(path)
    return path


def workbooks(d: Path) -> dict[str, Path]:
    """{name: path} of every workbook the snapshot covers, built in folder d."""
    import shutil

    import build as real
    import yaml
    from make_budget import make
    from make_floaty import make_floaty
    from seed001 import write_official

    from selfeval_xl.app.demo import build_example

    out: dict[str, Path] = {}
    for f in sorted((HERE / "real").glob("*/*.yaml")):
        out[f"real/{f.stem}"] = real.build(yaml.safe_load(f.read_text("utf-8")), d / f"{f.stem}.xlsx")
    out["seed001/official"] = write_official(d / "official.xlsx")
    out["seed001/messy"] = write_official(d / "messy.xlsx", messy=True)
    out["seed001/planted"] = write_official(d / "planted.xlsx", mutate=_plant)
    out["example"] = build_example(d / "example.xlsx")
    out["example/mistakes"] = _mistakes(out["example"], d / "mistakes.xlsx")
    for name in ("部门整体支出绩效自评.xlsx", "项目支出绩效自评.xlsx"):
        out[f"template/{name}"] = Path(shutil.copy(ROOT / "workbook_templates" / name, d / name))
    out["bench/plain"] = Path(make(str(d / "plain.xlsx"), 600))
    out["bench/floaty"] = Path(make_floaty(str(d / "floaty.xlsx"), 600))
    out["bench/indent-one"] = Path(make(str(d / "indent.xlsx"), 600, indent_one=True))
    out["bench/children"] = Path(make(str(d / "children.xlsx"), 600, children_every=5))
    out["bench/off"] = _off_by_1000(Path(make(str(d / "off.xlsx"), 600, children_every=5)))
    return out


def snapshot(paths: dict[str, Path]) -> dict:
    """{name: {"findings": [[severity, rule, cell, message]], "budget": [[row, kind, parent]]}}."""
    from selfeval_xl.app.validate import validate
    from selfeval_xl.errors import SelfevalError

    out = {}
    for name, path in paths.items():
        try:
            c = validate(path)
        except SelfevalError as e:
            out[name] = {"error": e.message.replace(str(path.parent), "")}
            continue
        rows = [[r.row, r.kind, r.parent] for r in c.wb.budget.rows] if c.wb.budget else []
        out[name] = {"findings": [[f.severity.value, f.rule, str(f.cell), f.message] for f in c.findings],
                     "budget": rows}
    return out


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        snap = snapshot(workbooks(Path(d)))
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(snap, ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {GOLDEN} ({len(snap)} workbooks)")
    else:
        print(json.dumps(snap, ensure_ascii=False)[:2000])


if __name__ == "__main__":
    main()
