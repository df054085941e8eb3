"""Issue 12: real published self-evaluation tables (tests/real/*/*.yaml, each with its source), typed as the units
laid them out, read into the right form of the catalogue; what they publish is read back; every inconsistency
found in them by arithmetic is a finding at its cell, with both numbers; no finding is empty or says 未填写 about
a cell that holds text; the unit's own scores are kept beside the rules' figures."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate
from selfeval_xl.core.model import figure
from selfeval_xl.errors import InputError
from selfeval_xl.rules.severity import Severity

REAL = Path(__file__).parent / "real"
sys.path.insert(0, str(REAL))
import build  # noqa: E402

TABLES = sorted(REAL.glob("*/*.yaml"))


def load(name: str) -> dict:
    return yaml.safe_load(next(REAL.glob(f"*/{name}.yaml")).read_text("utf-8"))


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Every real table built and validated once: {file stem: (its YAML, Checked)}."""
    d = tmp_path_factory.mktemp("real")
    out = {}
    for f in TABLES:
        doc = yaml.safe_load(f.read_text("utf-8"))
        try:
            out[f.stem] = (doc, validate(build.build(doc, d / f"{f.stem}.xlsx")))
        except InputError as e:  # not recognised: that table's own tests fail, not every table's
            out[f.stem] = (doc, e)
    return out


def _checked(checked, stem):
    doc, c = checked[stem]
    if isinstance(c, InputError):
        pytest.fail(f"{stem} is not recognised: {c.message}")
    return doc, c


def findings_at(c, cell: str, rule: str | None = None):
    return [f for f in c.findings if f.a1 == cell and (rule is None or f.rule == rule)]


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_each_table_is_read_as_its_form_with_every_inconsistency_found(path, checked):
    doc, c = _checked(checked, path.stem)
    assert doc["source"], "a real table names where it was published"
    assert doc["form"] in [m.form for m in c.wb.forms], [m.form for m in c.wb.forms]
    for e in doc.get("expected") or []:
        hits = [f for f in findings_at(c, e["cell"]) if f.severity in (Severity.ERROR, Severity.WARNING)]
        assert hits, f"{e['cell']}: {e['what']} — not found among {[(f.rule, f.a1) for f in c.findings]}"
    for f in c.findings:
        assert f.sheet and f.cell.row >= 1 and f.message.startswith(f"{f.cell} ")
        if "未填写" in f.message:
            grid_value = _cell_value(doc, f.a1)
            assert grid_value in (None, ""), f"{f.rule} says 未填写 about {f.a1} holding {grid_value!r}"


def _cell_value(doc: dict, a1: str):
    from selfeval_xl.core.address import CellAddress

    a = CellAddress.parse("x", a1)
    rows = doc["rows"]
    row = rows[a.row - 1] if a.row - 1 < len(rows) else []
    return (row or [])[a.col - 1] if a.col - 1 < len(row or []) else None


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_what_each_unit_published_is_read_back(path, checked):
    doc, c = _checked(checked, path.stem)
    pub = doc.get("published") or {}
    if c.wb.project is None and c.wb.scorecard is None:
        assert c.wb.goals is not None and c.wb.goals.rows  # a 绩效目标 table: nothing to score
        return
    result = score(c)
    if pub.get("total") is not None:
        assert result.self_total == D(str(pub["total"])), (result.self_total, pub["total"])
    fund = pub.get("fund") or {}
    if c.wb.project is not None and fund:
        total = c.wb.project.fund("total")
        for key, name in (("budget", "budget"), ("spent", "spent"), ("score", "score")):
            if fund.get(key) not in (None, ""):
                assert figure(total.cells.get(name)) == D(str(fund[key])), (key, total.cells.get(name))
    if pub.get("grade"):
        assert c.wb.project.grade == pub["grade"]


# ---------------------------------------------------------------- the mistakes the issue names, in real tables

def test_a_total_row_of_zero_while_the_sub_row_holds_the_figures(checked):
    """棠溪镇 2022 委托业务项目: 年度资金总额 0 / 0 / 0, 执行率 0, 得分 0 — the 本年财政拨款 row holds 90 / 89.974 / 89.974."""
    _, c = checked["anhui-chizhou-tangxi-2022-weituo"]
    assert "0 ≠ 其中各项之和 90.00" in findings_at(c, "D6", "P-FUND-SUM")[0].message
    assert "89.97" in findings_at(c, "E6", "P-FUND-SUM")[0].message and findings_at(c, "F6", "P-FUND-SUM")
    assert findings_at(c, "E6", "F-FUND-ZERO")
    assert "执行率 0.00% ≠ 全年执行数 89.97 ÷ 全年预算数 89.97 = 100.00%" in findings_at(c, "H6", "P-RATE")[0].message
    assert "执行率得分 0 ≠" in findings_at(c, "I6", "P-EXEC-SCORE")[0].message
    result = score(c)
    assert result.fund.score == 10 and result.fund.self_score == 0  # scored from the right row, the unit's 0 kept


def test_execution_at_100_percent_scored_9_of_10(checked):
    """银川市第六中学 2021 (市本级 variant): 预算执行率 100% scored 9 of 10; 自评得分 98 against Σ得分 84."""
    _, c = checked["ningxia-yinchuan-diliuzhongxue-2021-gongyong"]
    assert "得分 9 低于分值 10" in findings_at(c, "G13", "F-EXEC-ROW")[0].message
    assert "总分 98 ≠ 各项得分之和 84" in findings_at(c, "E3", "F-TOTAL")[0].message
    assert findings_at(c, "G21", "F-DOCKED")  # 2021年12月完成 met, 4 of 5, no reason
    assert [d.label for d in c.wb.project.declared][:3] == ["项目决策", "项目管理", "项目产出"]


def test_unmet_targets_with_full_marks(checked):
    _, c = checked["anhui-huaibei-suixi-2019-linshijiuzhu"]
    assert "4604人" in findings_at(c, "H14", "S-SELF-HIGH")[0].message
    assert "5830元/户" in findings_at(c, "H18", "S-SELF-HIGH")[0].message
    _, c = checked["chongqing-kexuecheng-2021-rongmeiti"]
    msg = findings_at(c, "J17", "S-SELF-HIGH")[0].message
    assert "政府采购执行率" in msg and "72.74%" in msg and "100%" in msg
    assert findings_at(c, "F5", "S-UNSPENT")  # 76%: more than 20% unspent


def test_total_against_the_sum_and_the_points_against_100(checked):
    """中江县 2022: 产出（70分）+ 效益（20分）+ 满意度（10分）+ 执行率 10 = 110 points, Σ得分 110, 总分 written 100."""
    _, c = checked["sichuan-deyang-zhongjiang-2022-shuibiaochi"]
    assert "为 110，应为 100" in findings_at(c, "E23", "P-POINTS-100")[0].message
    assert "总分 100 ≠ 各项得分之和 110" in findings_at(c, "H23", "F-TOTAL")[0].message


def test_rates_compared_at_the_decimals_shown(checked):
    _, c = checked["yunnan-lincang-linxiang-2023-shourongsuo"]
    assert "97.80% ≠ 全年执行数 31.69 ÷ 全年预算数 32.40 = 97.81%" in findings_at(c, "H6", "P-RATE")[0].message
    assert "= 9.78" in findings_at(c, "I6", "P-EXEC-SCORE")[0].message
    _, c = checked["hebei-langfang-shipingongchengxuexiao-2019-nuantong"]
    assert not findings_at(c, "H7", "P-RATE")  # 86% shown with no decimals: 86.20% rounds to it
    assert "执行率得分 9 ≠" in findings_at(c, "I7", "P-EXEC-SCORE")[0].message and "= 8.62" in findings_at(c, "I7")[0].message
    _, c = checked["shanghai-putuo-tiyu-2022-jiesuan"]
    assert "86.19% ≠" in findings_at(c, "H6", "P-RATE")[0].message and "86.18%" in findings_at(c, "H6")[0].message


def test_met_targets_docked_without_a_reason(checked):
    _, c = checked["yunnan-lijiang-gucheng-2020-weipian"]  # a two-row header: 指标性质 / 指标值 / 度量单位
    assert [f.a1 for f in c.findings if f.rule == "F-DOCKED"] == ["I13", "I14", "I15", "I16"]
    _, c = checked["yunnan-lincang-yongde-2022-yingyang"]
    assert findings_at(c, "I16", "F-DOCKED") and c.wb.project.grade == "优"


def test_blank_scores_and_a_rate_without_its_figures(checked):
    _, c = checked["sichuan-qingshen-2023-gongzixing"]
    assert "应为 10" in findings_at(c, "H9", "F-SCORE-BLANK")[0].message and findings_at(c, "J17", "F-SCORE-BLANK")
    _, c = checked["anhui-jinzhai-chagu-2023-dept"]
    assert "应为 10" in findings_at(c, "H5", "F-SCORE-BLANK")[0].message and findings_at(c, "E5", "F-OVERSPENT")
    _, c = checked["hubei-tongcheng-tanghu-2020-dept"]
    assert "执行率却填 100.00%" in findings_at(c, "C5", "F-NO-SPENT")[0].message


def test_qualitative_rows_keep_the_units_score_inside_their_band(checked):
    """A complete national-form table with qualitative rows scores what the unit scored (100), not 40."""
    _, c = checked["anhui-chuzhou-tianchang-2022-shuihan"]
    result = score(c)
    assert result.total == 100 and result.self_total == 100 and result.self_sum == 100
    _, c = checked["anhui-chizhou-tangxi-2022-weituo"]
    qual = [i for i in score(c).items if "定性" in i.explanation]
    assert qual and all(i.score == i.self_score for i in qual)


def test_a_units_own_scorecard_is_checked_not_replaced(checked):
    """Seed 002's 评分表 as the unit published it (a 分值 column beside each level): 98, 优."""
    _, c = checked["guangdong-shenzhen-pingshan-2021-zhaoshang"]
    assert not [f for f in c.findings if f.severity is Severity.ERROR]
    result = score(c)
    assert result.total == 98 and result.self_total == 98 and result.grade == "优"
    _, c = checked["sichuan-dazhou-undated-defenbiao"]  # points written into the names: 部门决策(25分)
    assert {f.rule for f in c.findings} == {"SC-UNSCORED"}
    assert sum(i.max for i in score(c).items) == 100


def test_rule_sets_can_be_overridden(checked):
    _, c = checked["anhui-jinzhai-chagu-2023-dept"]
    assert score(c).fund.score == 10
    assert score(c, rules={"exec": "uncapped"}).fund.score == D("10.26")  # 338.31 / 329.77 × 10


def test_score_json_keeps_the_units_figures_beside_the_rules(tmp_path):
    from selfeval_xl.app.jsonout import score_json

    doc = load("yunnan-lincang-yongde-2022-yingyang")
    c = validate(build.build(doc, tmp_path / "y.xlsx"))
    out = json.loads(json.dumps(score_json(score(c), c.wb.forms), ensure_ascii=False))
    assert out["forms"] == [{"form": "national-project", "name": "项目支出绩效自评表（财预〔2020〕10号）",
                             "sheet": "公开14表", "header_row": 13}]
    assert out["self_total"] == 96 and out["self_sum"] == 96 and out["total"] == 99.8 and out["grade"] == "优"
    assert out["fund"] == {"budget": 387664.62, "spent": 387664.62, "rate": 1.0, "points": 10.0, "score": 10.0,
                           "self_score": 10.0}
    item = next(i for i in out["items"] if i["path"][-1] == "资金到位及时率")
    assert (item["cell"], item["points"], item["self_score"], item["score"], item["rule"]) == ("I16", 10, 7, 10, "QUANT-GE")


def test_an_unrecognised_layout_names_the_closest_form_and_what_is_missing(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评"
    ws.append(["项目支出绩效自评表"])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "分值", "得分"])
    wb.save(tmp_path / "u.xlsx")
    r = subprocess.run([sys.executable, "-m", "selfeval_xl", "validate", str(tmp_path / "u.xlsx")], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "项目支出绩效自评表" in r.stderr and "“实际完成值”" in r.stderr and "第 2 行" in r.stderr


def test_hebei_funds_block_of_label_value_pairs(checked):
    """成安县民政局 2020: 预算数 | 6.84 | 到位数 | 6.84 | 执行数 | 6.84, 预算执行进度（%） 100.00 above — read as the funds
    block, not as a header over rows of text; the second header line (符号 / 单位 / 单项指标得分) is no indicator."""
    _, c = _checked(checked, "hebei-chengan-minzheng-2020-gaoling")
    total = c.wb.project.fund("total")
    assert (figure(total.cells["budget"]), figure(total.cells["spent"])) == (D("6.84"), D("6.84"))
    assert not [f for f in c.findings if f.a1 in ("B5", "F5", "B6", "F6", "B7", "B8", "B9", "J12")]


def test_goal_tables_with_their_own_words(checked):
    """衡山 2020: the 说明 | 无 line is no goal, 100% shows as 100%, 未完成原因和改进措施 is the note column;
    大英 2020: a table whose completion column is headed 实施进度 is a 绩效目标完成情况表."""
    _, hengshan = _checked(checked, "hunan-hengshan-shangwuliangshi-2020-chubeiliang")
    rows = hengshan.wb.goals.rows
    assert all(r.level3 != "无" for r in rows) and rows[-1].level3 == "市民满意度调查" and rows[-1].actual == "100%"
    _, daying = _checked(checked, "sichuan-daying-shuangxin-2020-mubiao")
    assert [r.actual for r in daying.wb.goals.rows] == ["已完成100%"] * 6


def test_fujian_funds_block_is_read_and_checked_as_its_header_computes(tmp_path):
    """宁德市地震局 2020 (福建 部门整体支出绩效自评表): the 资金结构 block — 年初部门预算安排金额① + 年中调整金额② = 小计③,
    年度拨付金额, 支出实现率（%）⑤=④/③ typed as 99.92, 本年度结余金额⑥=③-④, 资金结余率（%）⑦=⑥/③ typed as 0.08 — is
    read (0.08 is 0.08%, not 8%), unscored (it has no 分值), and a 小计 typed wrong is found where the header's
    formulas, the parts and the 合计 disagree with it."""
    doc = load("fujian-ningde-dizhenju-2020-dept")
    c = validate(build.build(doc, tmp_path / "fj.xlsx"))
    fiscal, project, basic, unit, total = c.wb.project.funds
    assert (fiscal.key, project.key, basic.key, unit.key, total.key) == ("fiscal", "part", "part", "unit", "total")
    assert project.group == basic.group == fiscal.row == 6
    assert figure(fiscal.cells["remaining_rate"]) == D("0.0008") and figure(basic.cells["rate"]) == D("0.999")
    assert not c.findings and score(c).fund is None
    rows = [list(r) if r else r for r in doc["rows"]]
    rows[5][3], rows[5][5] = "190.61", "95.00"  # 小计 2.00 too much, and a rate that fits neither
    bad = validate(build.build({**doc, "rows": rows}, tmp_path / "fj-bad.xlsx"))
    got = {(f.rule, f.a1) for f in bad.findings}
    assert {("P-FUND-CALC", "D6"), ("P-FUND-PARTS", "D6"), ("P-RATE", "F6"), ("P-FUND-CALC", "G6"),
            ("P-FUND-SUM", "D10")} <= got, got
    msg = {(f.rule, f.a1): f.message for f in bad.findings}
    assert "小计 190.61 ≠ 年初部门预算安排金额 130.54 + 年中调整金额 58.07 = 188.61" in msg[("P-FUND-CALC", "D6")]
    assert "≠ 其下各项之和 188.61（① 项目支出 30.00 + ② 基本支出 158.61）" in msg[("P-FUND-PARTS", "D6")]
    assert "本年度结余金额 0.16 ≠ 小计 190.61 − 年度拨付金额 188.45 = 2.16" in msg[("P-FUND-CALC", "G6")]
    assert "支出实现率 95% ≠ 年度拨付金额 188.45 ÷ 小计 190.61 = 98.87%" in msg[("P-RATE", "F6")]  # 95.00 shows as 95


def test_fujian_2018_funds_block_with_its_three_levels_of_funds(tmp_path):
    """宁德市委党史和地方志研究室 2018: ④ = ① + ② + ③ with 历年结余结转, rates typed 93% / 7%, parts ①②③ under
    财政资金小计 (only ②市级 filled) and 其他资金小计: read, every figure agrees, nothing is counted twice."""
    doc = load("fujian-ningde-dangshiban-2018-dept")
    c = validate(build.build(doc, tmp_path / "fj18.xlsx"))
    keys = [(f.label, f.key, f.group) for f in c.wb.project.funds]
    assert keys[:3] == [("财政资金小计", "fiscal", None), ("①中央及省级财政资金", "part", 6), ("②市级财政资金", "part", 6)]
    assert ("合 计", "total", None) in keys and ("其他资金小计", "other", None) in keys
    assert "carry_in" in c.wb.project.fund_columns and not c.findings


def test_points_written_after_the_names_and_a_funds_block_by_source(checked):
    """广水市 2021 (湖北 财政预算支出项目绩效目标自评表): 产出指标40分 / 数量指标15分 carry their points without brackets,
    the headers say 年终完成值 and 自评分 (复核分 beside it is the reviewer's), and the funds block is by source
    (中央 | 省、地 | 本级 | 其他 | 合计 | 执行数 | 执行率) with neither 分值 nor 得分: 合计 is the budget, and execution
    earns no points (the form's 2 + 13 + 85 = 100 leave none for it)."""
    _, c = _checked(checked, "hubei-suizhou-guangshui-jiaotong-2021-xiangcundaolu")
    p = c.wb.project
    assert [(d.label, d.points) for d in p.declared] == [("产出指标", 40), ("数量指标", 15), ("质量指标", 12)]
    first = p.indicators[0]
    assert (first.level3, first.target, first.actual, figure(first.score)) == ("乡村道路建设养护里程", "300公里", "300公里", 15)
    assert figure(p.fund("total").cells["budget"]) == 309 and p.fund("total").label == ""
    assert score(c).fund is None


def test_a_score_typed_as_text_in_a_units_scorecard_is_named(tmp_path):
    doc = load("weizhi-wenku365-2017-zhibiaobiao")
    rows = [list(r) if r else r for r in doc["rows"]]
    assert rows[5][4] == "预算控制率"
    rows[5][8] = "满分"
    c = validate(build.build({**doc, "rows": rows}, tmp_path / "sc.xlsx"))
    (f,) = findings_at(c, "I6", "SC-NUM")
    assert "“预算控制率”的自评得分填写为文字“满分”，此处应为分数" in f.message and f.severity is Severity.ERROR


def test_funds_split_by_nature_with_amounts_inside_the_labels(checked, tmp_path):
    """湖南's 部门整体支出绩效自评表 types 按收入性质分 / 按支出性质分 with each amount inside its label: 衡山县贯塘乡 2023's
    支出 split (900.47 + 1025.20 = 1925.67) falls 104.45 short of 年度资金总额; 零陵区林业局 2021's splits add up
    (1873.66 + 2880 and 1768.16 + 2985.5 = 4753.66) — and no label is taken for a figure typed as text."""
    _, c = _checked(checked, "hunan-hengshan-guantang-2023-dept")
    (f,) = findings_at(c, "E5", "P-FUND-NATURE")
    assert "按支出性质分 1,925.67 ≠ 年度资金总额的全年预算数 2,030.12（差 104.45）" in f.message
    assert not [f for f in c.findings if f.rule == "F-NUM"]
    doc, c = _checked(checked, "hunan-yongzhou-lingling-linye-2021-dept")
    splits = {b.name: [(label, v) for label, v, _ in b.parts] for b in c.wb.project.breakdowns}
    assert splits == {"按收入性质分": [("一般公共预算", D("1873.66")), ("其他资金", D("2880"))],
                      "按支出性质分": [("基本支出", D("1768.16")), ("项目支出", D("2985.5"))]}
    assert not [f for f in c.findings if f.rule in ("F-NUM", "P-FUND-NATURE")]
    rows = [list(r) if r else r for r in doc["rows"]]
    rows[7][4] = "项目支出:2895.5万元"
    bad = validate(build.build({**doc, "rows": rows}, tmp_path / "ll.xlsx"))
    (f,) = findings_at(bad, "E6", "P-FUND-NATURE")
    assert "按支出性质分 4,663.66（基本支出 1,768.16 + 项目支出 2,895.50） ≠ 年度资金总额的全年预算数 4,753.66（差 90.00）" in f.message


def test_an_unscored_item_of_a_units_scorecard_is_named_with_the_column_to_fill(checked):
    """寿县 2023 (cut off after 预算执行率): the unscored item is named, and the unit is sent to its 自评得分 column
    (its table has no 手工得分)."""
    _, c = _checked(checked, "anhui-huainan-shouxian-2023-zipingbiao")
    (f,) = [f for f in score(c).findings if f.rule == "S-MANUAL"]
    assert f.a1 == "H9" and "“预算执行率” 尚未评分，请在“自评得分”中填写 0–5 之间的分数" in f.message
