"""Issue 2: templates are byte-reproducible, `new` refuses to overwrite, and LibreOffice
recalculates the dept and project templates to the published / hand-worked figures."""

import re
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


# ---------------------------------------------------------------- issue 13: generic templates, the 年度 input

EXAMPLE_STRINGS = ("福田", "投资推广署", "示例", "95.41", "11,544.44", "11544.44", "9,243.48", "2,300.96", "29,586.86",
                   "39.02", "1774.64", "1,774.64", "假设")
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def texts_of(path) -> list[tuple[str, str]]:
    """(where, text) for every cell value (formulas as written), comment and data-validation message."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((f"{ws.title}!{c.coordinate}", str(c.value)))
                if c.comment is not None:
                    out.append((f"{ws.title}!{c.coordinate} 批注", c.comment.text))
        for dv in ws.data_validations.dataValidation:
            out += [(f"{ws.title} 数据验证", t) for t in (dv.error, dv.prompt, dv.errorTitle) if t]
    return out


def example_strings(path) -> list[tuple[str, str]]:
    return [(w, t) for w, t in texts_of(path) if any(s in t for s in EXAMPLE_STRINGS) or YEAR.search(t)]


def test_blank_templates_carry_nothing_of_the_example(example_xlsx):
    for name in (DEPT_FILE, PROJECT_FILE):
        found = example_strings(ROOT / "workbook_templates" / name)
        assert not found, f"{name}: {found[:5]}"
    # the same check finds the example's own notes, figures and year in the example workbook
    found = {t for _, t in example_strings(example_xlsx)}
    assert any("95.41" in t and "【假设】" in t for t in found) and any("11,544.44" in t for t in found)


def test_the_example_notes_live_with_the_example():
    from selfeval_xl.app.demo import example_data
    from selfeval_xl.scoring.system import load_system

    preset = [leaf.assumption + leaf.criteria for _, leaf in load_system("futian-dept-2020").leaves()]
    assert not [t for t in preset if any(s in t for s in EXAMPLE_STRINGS)]
    notes = example_data()["notes"]
    assert "95.41" in notes["部门决策/预算编制/预算编制准确性"] and "11,544.44" in notes["部门管理/资金管理/财务合规性"]


@needs_lo
def test_the_year_feeds_the_titles_and_the_file_name(tmp_path):
    from selfeval_xl.app.export import default_name
    from selfeval_xl.app.validate import validate

    wb = openpyxl.load_workbook(ROOT / "workbook_templates" / DEPT_FILE)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    sheet, cell = names["Year"].replace("$", "").split("!")
    wb[sheet.strip("'")][cell] = 2023
    sheet, cell = names["UnitName"].replace("$", "").split("!")
    wb[sheet.strip("'")][cell] = "某某局"
    wb.save(tmp_path / "dept.xlsx")
    dept = recalc(tmp_path / "dept.xlsx", tmp_path / "lo")
    assert openpyxl.load_workbook(dept, data_only=True)["评分表"]["A1"].value == "2023 年度部门整体支出绩效评价指标体系评分表"
    assert default_name(validate(dept).wb.info) == "某某局_2023_绩效自评评分表.xlsx"

    wb = openpyxl.load_workbook(ROOT / "workbook_templates" / PROJECT_FILE)
    sheet, cell = {n: d.attr_text for n, d in wb.defined_names.items()}["Year"].replace("$", "").split("!")
    wb[sheet.strip("'")][cell] = 2024
    wb.save(tmp_path / "project.xlsx")
    project = recalc(tmp_path / "project.xlsx", tmp_path / "lo")
    assert openpyxl.load_workbook(project, data_only=True)["项目支出绩效自评表"]["A1"].value == "2024 年度项目支出绩效自评表"
    blank = openpyxl.load_workbook(recalc(ROOT / "workbook_templates" / PROJECT_FILE, tmp_path / "blank"), data_only=True)
    assert blank["项目支出绩效自评表"]["A1"].value == "项目支出绩效自评表"


def test_every_input_of_the_project_template_is_named_and_documented():
    wb = openpyxl.load_workbook(ROOT / "workbook_templates" / PROJECT_FILE)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    funds = {f"{p}{s}" for p in ("Fund", "FundApprop", "FundCarry", "FundOther") for s in ("Plan", "Budget", "Spent")}
    assert funds | {"Year", "ProjectName", "Department", "Implementer", "GoalPlanned", "GoalActual"} <= names.keys()
    ws = wb["项目支出绩效自评表"]
    for name in funds - {"FundPlan", "FundBudget", "FundSpent"} | {"Year", "GoalPlanned", "GoalActual"}:
        cell = ws[names[name].split("!")[1].replace("$", "")]
        assert cell.protection.locked is False, f"{name} ({cell.coordinate}) is not a fill-in cell"
    assert ws[names["FundApprop" + "Budget"].split("!")[1].replace("$", "")].coordinate == "D8"
    docs = (ROOT / "docs" / "defined-names.md").read_text("utf-8")
    dept = openpyxl.load_workbook(ROOT / "workbook_templates" / DEPT_FILE).defined_names.keys()
    missing = [n for n in sorted(set(names) | set(dept)) if f"`{n}`" not in docs]
    assert not missing, f"not in docs/defined-names.md: {missing}"
