"""Issue 5: the export's formulas carry values that LibreOffice agrees with; text stays text."""

import subprocess
import sys

import openpyxl

from conftest import needs_lo
from lo import recalc
from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate
from selfeval_xl.writers.export import write_export


@needs_lo
def test_every_formula_cell_recalculates_to_its_cached_value(example_xlsx, tmp_path):
    checked = validate(example_xlsx)
    score(checked)
    out = tmp_path / "export.xlsx"
    write_export(checked, out)
    formulas = openpyxl.load_workbook(out)
    cached = openpyxl.load_workbook(out, data_only=True)
    lo = openpyxl.load_workbook(recalc(out, tmp_path / "lo"), data_only=True)
    n = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    mine, theirs = cached[ws.title][c.coordinate].value, lo[ws.title][c.coordinate].value
                    if isinstance(mine, float) or isinstance(theirs, float):
                        assert round(float(mine or 0), 6) == round(float(theirs or 0), 6), (ws.title, c.coordinate)
                    else:
                        assert (mine or "") == (theirs or ""), (ws.title, c.coordinate, mine, theirs)
                    n += 1
    assert n > 100


def test_formula_like_text_is_written_as_text(tmp_path):
    from selfeval_xl.app.demo import example_data
    from selfeval_xl.writers.templates import build_dept

    data = example_data()
    data["budget"][2]["rows"][1]["reason"] = "=HYPERLINK(\"http://x\",\"点我\")"
    data["budget"][2]["rows"][2]["reason"] = "@SUM(A1)"
    src = tmp_path / "in.xlsx"
    build_dept(src, data)
    out = tmp_path / "out.xlsx"
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "export", str(src), "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out)["表5"]
    texts = [c.value for c in ws["K"] if c.value]
    cells = [c for c in ws["K"] if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert {c.data_type for c in cells} == {"s"} and len(cells) == 2, texts


def test_demo_command(tmp_path):
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "demo", "-o", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "95.41" in r.stdout and "优" in r.stdout and "0 个错误" in r.stdout
    out = tmp_path / "深圳市福田区投资推广署_2020_绩效自评评分表.xlsx"
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames[:5] == ["汇总", "评分表", "表5", "绩效目标", "基础数据"]
    assert wb["汇总"]["B5"].value == 95.41 and wb["汇总"]["B6"].value == "优"
