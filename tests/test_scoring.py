"""Issue 4: every seed rule computed, presets, structure, and the same figures from the Excel formulas."""

from decimal import Decimal as D

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROJECT_BY_HAND, needs_lo
from lo import recalc
from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate
from selfeval_xl.core.record import fields
from selfeval_xl.rules.severity import Severity
from selfeval_xl.writers.templates import manual_inputs
from selfeval_xl.scoring.engine import score_system
from selfeval_xl.scoring.methods import Args, Ctx, method_for
from selfeval_xl.scoring.spec import parse_spec
from selfeval_xl.scoring.system import check_structure, load_system


def one(spec: str, values: dict, manual=None):
    part = parse_spec(spec).parts[0]
    m = method_for(part)
    return m.compute(Args(m, part, Ctx(values=values, manual=manual)))


def test_seed001_derivable_items():
    r = one("比率(实际=A, 计划=P, 分=1)", {"A": D("50.52"), "P": D("53.87")})
    assert "93.78%" in r.explain and round(r.score + 1, 2) == D("1.94")
    three = one("分档(分子=A, 分母=B, 档=<90%:3|<=100%:2|其他:0, 分=3)", {"A": D("3.65"), "B": D("8.52")})
    opex = one("分档(分子=A, 分母=B, 档=<90%:3|<=100%:2|其他:0, 分=3)", {"A": D("32.77"), "B": D("62.45")})
    assert "42.84%" in three.explain and "52.47%" in opex.explain and three.score + opex.score == 6
    q = one("序时进度(总指标=T, 季度=Q1|Q2|Q3|Q4)", {"T": D("38304.02"), "Q1": D("8139.60"), "Q2": D("17236.81"),
                                                   "Q3": D("26429.77"), "Q4": D("37411.04")})
    assert round(q.score, 2) == D("5.47")
    a = one("分档(分子=I, 分母=T, 取补=是, 档=>=90%:1|>=75%:0.7|>=60%:0.4|其他:0, 分=1)", {"I": D("1.08"), "T": D("123.51")})
    assert "99.13%" in a.explain and a.score == 1
    s = one("分档(分子=N, 分母=Q, 档=<=100%:1|其他:0, 分=1)", {"N": D(12), "Q": D(10)})
    assert "120.00%" in s.explain and s.score == 0


def test_seed001_financial_compliance_reading():
    """调整/调剂 counted as |追加| + |调整| of 表5 总计: 11,544.44 / 29,586.86 = 39.02% → 0 of 1,
    so the published 2 (of 3) means the two manual points were given. Counting only 调整 would give
    7.78% → 1 point, and then the published 2 would imply a lost manual point."""
    both = one("超限扣分(分子=X, 分母=S, 限=10%, 每点=0.1, 分=1)", {"X": D("11544.44"), "S": D("29586.86")})
    assert "39.02%" in both.explain and both.score == 0
    only = one("超限扣分(分子=X, 分母=S, 限=10%, 每点=0.1, 分=1)", {"X": D("2300.96"), "S": D("29586.86")})
    assert "7.78%" in only.explain and only.score == 1


def test_demo_total_is_published(example_xlsx):
    checked = validate(example_xlsx)
    result = score(checked)
    assert result.total == D("95.41") and result.grade == "优"
    gp = next(i for i in result.items if i.path[-1] == "政府采购执行情况")
    assert gp.score == D("1.94") and "50.52 ÷ 53.87 = 93.78%" in gp.explanation


def test_seed002_total_98():
    system = load_system("pingshan-project-2021")
    assert check_structure(system) == []
    entries = {"项目决策/绩效目标/绩效目标明确性": 4, "项目效益/群众满意度/社会公众或服务对象对项目实施效果的满意程度": 4}
    manual = {"/".join(p): entries.get("/".join(p), leaf.points) for p, leaf in system.leaves()}
    result = score_system(system, {"KeyPlanned": D(6), "KeyDone": D(6), "KeyOnTime": D(6)}, manual_inputs(system, manual))
    assert result.total == 98 and result.grade == "优"


def test_presets_are_well_formed():
    for name in ("futian-dept-2020", "pingshan-project-2021"):
        assert check_structure(load_system(name)) == []


def test_unscored_manual_items_are_findings():
    system = load_system("futian-dept-2020")
    result = score_system(system, {}, {})
    assert result.unscored > 0 and any(f.rule == "S-MANUAL" for f in result.findings)


def test_national_project_by_hand(tmp_path):
    """A=100, B=85 → 8.5; ≥ 20 done 38 → 40 (分值 40); ≤ 2 took 4 → 2/4 × 20 = 10; = 1 done 1 → 20;
    定性 达成 9 of 10 → 9. 分值 10+40+20+20+10 = 100. Total 8.5+40+10+20+9 = 87.5 → 良."""
    from selfeval_xl.writers.templates import build_project

    data = PROJECT_BY_HAND
    p = tmp_path / "proj.xlsx"
    build_project(p, data)
    checked = validate(p)
    assert not [f for f in checked.findings if f.severity is Severity.ERROR], checked.findings
    result = score(checked)
    assert [i.score for i in result.items] == [D("8.5"), 40, 10, 20, 9]
    assert result.total == D("87.5") and result.grade == "良"


def test_target_parser_examples():
    from selfeval_xl.core.targets import comparable, parse_target

    def _t(x):
        t = parse_target(x)
        return (t.op, t.value, t.unit)
    assert _t("服务对象满意人数20人以上") == ("≥", D(20), "人")
    assert _t("2天以内") == ("≤", D(2), "天")
    assert _t("≧90%") == ("≥", D("0.9"), "%")
    assert comparable(parse_target("200亿元"), parse_target("332.85万元")) == (D(200), D("0.033285"))
    assert parse_target("有效改善").qualitative


@needs_lo
def test_generated_formulas_equal_python_scores(example_xlsx, tmp_path):
    """LibreOffice recalculates the example's 评分表 from its inputs; every 自评得分 equals the Python score."""
    wb = openpyxl.load_workbook(example_xlsx)
    formulas = [row[10] for row in wb["评分表"].iter_rows(min_row=3) if row[10].data_type == "f"]
    assert len(formulas) == 23  # 21 items, 合计 and 评价等级; openpyxl drops cached values on save, so LibreOffice computes
    saved = tmp_path / "nocache.xlsx"
    wb.save(saved)
    got = openpyxl.load_workbook(recalc(saved, tmp_path / "lo"), data_only=True)["评分表"]
    result = score(validate(example_xlsx))
    by_row = {i.row: i.score for i in result.items}
    checked = 0
    for r, s in by_row.items():
        assert D(str(got.cell(r, 11).value)) == s, (r, got.cell(r, 5).value)
        checked += 1
    assert checked == len(result.items) == 21


PCTS = st.decimals(min_value=0, max_value=3, places=4)
SPECS = ["比率(实际=A, 计划=P, 分=2)", "分档(分子=A, 分母=P, 档=>=90%:1|>=75%:0.7|>=60%:0.4|其他:0, 分=1)",
         "完成比例(计划=P, 完成=A, 分=6)", "执行率(执行数=A, 预算数=P, 分=10)"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SPECS), PCTS, PCTS)
def test_methods_bounded_and_monotone(spec, x, y):
    lo, hi = sorted((x, y))
    s1 = one(spec, {"A": lo * 100, "P": D(100)}).score
    s2 = one(spec, {"A": hi * 100, "P": D(100)}).score
    pts = parse_spec(spec).parts[0].args["分"]
    assert 0 <= s1 <= D(pts) and 0 <= s2 <= D(pts)
    if not spec.startswith("比率") or hi <= 1:  # 比率 drops to 0 above 100% by rule
        assert s2 >= s1


@settings(max_examples=100, deadline=None)
@given(PCTS, PCTS)
def test_control_rate_never_rewards_spending_more(x, y):
    lo, hi = sorted((x, y))
    f = "分档(分子=A, 分母=P, 档=<90%:3|<=100%:2|其他:0, 分=3)"
    assert one(f, {"A": lo * 100, "P": D(100)}).score >= one(f, {"A": hi * 100, "P": D(100)}).score


@pytest.mark.parametrize("rate,three,asset", [("0.9", 2, 1), ("1", 2, 1), ("0.8999", 3, D("0.7")), ("1.0001", 0, 1)])
def test_boundaries(rate, three, asset):
    r = D(rate)
    assert one("分档(分子=A, 分母=P, 档=<90%:3|<=100%:2|其他:0, 分=3)", {"A": r * 100, "P": D(100)}).score == three
    assert one("分档(值=V, 档=>=90%:1|>=75%:0.7|>=60%:0.4|其他:0, 分=1)", {"V": r}).score == asset


def test_no_eval_unknown_method_is_config_error():
    from selfeval_xl.errors import ConfigError
    with pytest.raises(ConfigError):
        one("__import__(os=1)", {})


@pytest.mark.parametrize("name", ["national-project", "futian-dept-2020", "pingshan-project-2021"])
def test_indicator_systems_round_trip_through_yaml(name, tmp_path):
    import yaml

    from selfeval_xl.scoring.system import from_dict, to_dict

    system = load_system(name)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(to_dict(system), allow_unicode=True, sort_keys=False), "utf-8")
    again = load_system(str(path))
    assert again == system
    assert from_dict(to_dict(again)) == system
    assert [leaf.spec().text() for _, leaf in again.leaves()] == [leaf.spec().text() for _, leaf in system.leaves()]


def test_every_form_rule_and_rules_key_is_documented():
    from pathlib import Path

    from selfeval_xl.scoring.form_rules import _CHOICES, RULES, RuleSet

    doc = (Path(__file__).resolve().parent.parent / "docs" / "scoring.md").read_text("utf-8")
    missing = [r for r in RULES if f"| {r} |" not in doc]
    keys = [k for k in fields(RuleSet) if f"| {k} |" not in doc]
    choices = [v for vs in _CHOICES.values() for v in vs if v not in doc]
    assert not missing and not keys and not choices, (missing, keys, choices)


def test_the_derived_inputs_are_declared_alike_in_the_catalogue_and_the_engine():
    """core/catalog marks an input derived (a formula in 基础数据); scoring/derived computes it: the same names."""
    from selfeval_xl.core.catalog import BASIC
    from selfeval_xl.scoring.derived import DERIVED

    assert {i.name for i in BASIC if i.derived} == set(DERIVED)
