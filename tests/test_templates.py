"""Issue 2: templates are byte-reproducible, `new` refuses to overwrite, and LibreOffice
recalculates the dept and project templates to the published / hand-worked figures."""

import subprocess
import sys

import openpyxl

from conftest import ROOT, needs_lo
from lo import recalc
from seed001 import ROWS, to_num
from selfeval_xl.writers.templates import CATEGORIES, DEPT_FILE, PROJECT_FILE, build_all


def test_committed_templates_are_current(tmp_path):
    fresh = build_all(tmp_path)
    for f in fresh:
        committed = ROOT / "workbook_templates" / f.name
        assert committed.read_bytes() == f.read_bytes(), f"{f.name} is stale: run `selfeval-xl templates build`"


def test_new_refuses_to_overwrite(tmp_path):
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"user data")
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "new", str(out), "--kind", "dept"], capture_output=True, text=True)
    assert r.returncode == 3 and "--force" in r.stderr and out.read_bytes() == b"user data"
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "new", str(out), "--kind", "project", "--force"], capture_output=True)
    assert r.returncode == 0 and openpyxl.load_workbook(out)["项目支出绩效自评表"]


def _blocks():
    """Seed 001's detail rows per template category, with the published derived figures."""
    out = {c: [] for c, _ in CATEGORIES}
    cats = {"政府投资项目支出": CATEGORIES[0][0], "基本支出": CATEGORIES[1][0], "项目支出(除政府投资项目)": CATEGORIES[2][0]}
    for r in ROWS:
        if r[0] in cats:
            out[cats[r[0]]].append(r)
    return out


@needs_lo
def test_dept_template_recalculates_to_seed001(tmp_path):
    src = ROOT / "workbook_templates" / DEPT_FILE
    wb = openpyxl.load_workbook(src)
    ws = wb["表5"]
    rows_by_cat, expect = _blocks(), {}
    r = 4
    for cat, n in CATEGORIES:
        for k, seed in enumerate(rows_by_cat[cat]):
            assert k < n
            ws.cell(r + k, 2).value = seed[1]
            for col, s in zip((3, 4, 5, 6, 8), (seed[2], seed[3], seed[4], seed[5], seed[7])):
                ws.cell(r + k, col).value = to_num(s)
            if seed[1] == "公务用车运行维护费" or seed[1].startswith("其中"):
                ws.cell(r + k, 12).value = "其中"
            expect[r + k] = seed
        r += n
        expect[r] = next(x for x in ROWS if x[0].startswith(cat[:4]) and x[0].endswith("小计"))
        r += 1
    expect[r] = ROWS[-1]
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    out = recalc(filled, tmp_path / "lo")
    got = openpyxl.load_workbook(out, data_only=True)["表5"]
    for row, seed in expect.items():
        total, remaining, rate = (got.cell(row, c).value for c in (7, 9, 10))
        assert round(total, 2) == to_num(seed[6]), (row, seed[1])
        assert round(remaining, 2) == to_num(seed[8]), (row, seed[1])
        assert round(rate * 100, 2) == round(to_num(seed[9]) * 100, 2), (row, seed[1])
    grand = got.cell(r, 7).value, got.cell(r, 9).value, got.cell(r, 10).value
    assert (round(grand[0], 2), round(grand[1], 2), round(grand[2] * 100, 2)) == (38304.02, 892.98, 97.67)


@needs_lo
def test_project_template_recalculates(tmp_path):
    """Funds: 本年财政拨款 A=90 B=80, 上年结转 A=10 B=5 → 年度资金总额 A=100 B=85, 执行率 85%, 得分 8.5.
    Indicators: ≥ 20 个 done 38 → 30; ≤ 2 天 took 4 → 2/4 × 20 = 10; = 1 次 done 1 → 20;
    定性 达成 score 9 of 10 → 9.  Total = 8.5 + 30 + 10 + 20 + 9 = 77.5 → 中."""
    src = ROOT / "workbook_templates" / PROJECT_FILE
    wb = openpyxl.load_workbook(src)
    ws = wb["项目支出绩效自评表"]
    ws["D8"], ws["E8"] = 90, 80
    ws["D9"], ws["E9"] = 10, 5
    rows = [("产出指标", "数量指标", "签约项目", "≥", 20, "个", 38, 30, None),
            ("产出指标", "时效指标", "办结时间", "≤", 2, "天", 4, 20, None),
            ("产出指标", "质量指标", "验收次数", "=", 1, "次", 1, 20, None),
            ("满意度指标", "服务对象满意度指标", "企业认可", "定性", "达成", "", "达成", 10, 9)]
    for k, row in enumerate(rows):
        for c, v in enumerate(row[:8]):
            ws.cell(16 + k, c + 1).value = v
        ws.cell(16 + k, 11).value = row[8]
    filled = tmp_path / "p.xlsx"
    wb.save(filled)
    got = openpyxl.load_workbook(recalc(filled, tmp_path / "lo"), data_only=True)["项目支出绩效自评表"]
    assert got["D7"].value == 100 and got["E7"].value == 85
    assert round(got["G7"].value, 4) == 0.85 and got["H7"].value == 8.5
    assert [got.cell(16 + k, 9).value for k in range(4)] == [30, 10, 20, 9]
    total_row = next(r for r in range(16, 40) if got.cell(r, 1).value == "总分")
    assert got.cell(total_row, 9).value == 77.5 and got.cell(total_row + 1, 9).value == "中"
