"""Scoring rules of the performance forms, declared as data with their sources, and the assessment of a form
under a rule set: for the 预算执行 block and every 绩效指标 row, what the unit filled, what the rule gives (or the
band it allows, for 定性), whether the target was met. Pure: no findings here (rules/forms.py reports them)."""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.core.model import Cell, FundRow, IndicatorRow, ProjectTable, figure
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.core.record import field, record, replace
from selfeval_xl.core.targets import RANGE, attainment, comparable, direction, met, parse_target
from selfeval_xl.errors import UsageError
from selfeval_xl.scoring.system import NATIONAL_GRADES

_0, _1, _100 = Decimal(0), Decimal(1), Decimal(100)
_10N = "财预〔2020〕10号《项目支出绩效评价管理办法》附件 项目支出绩效自评表及其说明"


@record(frozen=True)
class ScoringRule:
    id: str
    text: str  # the rule in words, as it is shown beside a score
    source: str


RULES: dict[str, ScoringRule] = {r.id: r for r in (
    ScoringRule("EXEC-CAPPED", "预算执行率得分 = min(全年执行数 ÷ 全年预算数, 100%) × 分值", _10N),
    ScoringRule("EXEC-UNCAPPED", "预算执行率得分 = 全年执行数 ÷ 全年预算数 × 分值（不封顶）", "部分省级预算管理一体化系统的口径"),
    ScoringRule("EXEC-SICHUAN", "预算执行率 = 预算执行数 ÷ 调整后预算数，得分 = 执行率 × 权重 10（最高 10）；执行率低于 90% 须说明原因",
                "四川省 部门预算项目支出绩效自评表 填表说明"),
    ScoringRule("EXEC-DEPT20", "得分 = 分值（未写明时 20 分）× 执行率（执行数 ÷ 预算数，最高为分值）",
                "部门整体支出绩效自评表“得分（20分*执行率）”列"),
    ScoringRule("QUANT-GE", "正向指标：完成值 ≥ 指标值得满分，否则 完成值 ÷ 指标值 × 分值", _10N),
    ScoringRule("QUANT-LE", "反向指标：完成值 ≤ 指标值得满分，否则 指标值 ÷ 完成值 × 分值", _10N),
    ScoringRule("QUANT-LE-LINEAR", "反向指标：完成值 ≤ 指标值得满分，否则 (1 − (完成值 − 指标值) ÷ 指标值) × 分值，达到 2 倍指标值得 0 分",
                "部分省级指标库的反向指标计分口径"),
    ScoringRule("QUANT-EQ", "等于：完成值等于指标值得满分，否则 较小值 ÷ 较大值 × 分值", _10N),
    ScoringRule("QUANT-RANGE", "区间：完成值在区间内得满分，否则 最近端点与完成值之比 × 分值", _10N),
    ScoringRule("QUANT-DATE", "时效：按期完成得满分；逾期由单位按程度评分", _10N),
    ScoringRule("QUAL-NATIONAL", "定性：达成预期指标 80%–100%、部分达成并具有一定效果 60%–80%、未达成且效果较差 0–60% 的分值", _10N),
    ScoringRule("QUAL-ANHUI", "定性：达成 80%–100%、部分达成 50%–80%、未达成 0–50% 的分值", "安徽省 部门整体支出绩效自评表 填表说明"),
    ScoringRule("COEF", "指标得分 = 得分系数 × 指标权重；得分系数按完成情况（完成为 100%）", "重庆市 部门整体绩效自评表"),
    ScoringRule("GRADE", "评价等级：优 ≥ 90 分，良 80–90 分，中 60–80 分，差 < 60 分", _10N),
)}

QUAL_BANDS = {
    "national": {"达成": (Decimal("0.8"), _1), "部分达成": (Decimal("0.6"), Decimal("0.8")), "未达成": (_0, Decimal("0.6"))},
    "anhui": {"达成": (Decimal("0.8"), _1), "部分达成": (Decimal("0.5"), Decimal("0.8")), "未达成": (_0, Decimal("0.5"))},
}


@record(frozen=True)
class RuleSet:
    """The rules a form is scored and checked by; every field can be overridden with --rules key=value."""

    exec: str = "capped"  # capped | uncapped | sichuan | dept20
    le: str = "ratio"  # ratio | linear
    qual: str = "national"  # national | anhui
    reason_below: Decimal | None = None  # a 执行率 below this needs a written reason (Sichuan: 0.9)
    overscore: Decimal = Decimal(5)  # red 预警: indicator score share above execution share by more points than this
    unspent: Decimal = Decimal("0.2")  # yellow 预警: more than this share of the budget unspent
    target_low: Decimal = Decimal("0.5")  # info: a result above its target by more than this share

    @property
    def exec_rule(self) -> str:
        return {"capped": "EXEC-CAPPED", "uncapped": "EXEC-UNCAPPED", "sichuan": "EXEC-SICHUAN", "dept20": "EXEC-DEPT20"}[self.exec]


RULESETS = {
    "national": RuleSet(),
    "dept20": RuleSet(exec="dept20", qual="anhui"),
    "sichuan": RuleSet(exec="sichuan", reason_below=Decimal("0.9")),
    "chongqing": RuleSet(),
}
_CHOICES = {"exec": ("capped", "uncapped", "sichuan", "dept20"), "le": ("ratio", "linear"), "qual": ("national", "anhui")}


def parse_overrides(text: str | None) -> dict[str, object]:
    """`exec=uncapped,qual=anhui,overscore=5,unspent=20%` → the RuleSet fields to replace; a bad one is a usage error."""
    out: dict[str, object] = {}
    for part in [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]:
        key, _, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if key in _CHOICES:
            if value not in _CHOICES[key]:
                raise UsageError(f"--rules 中 {key} 只能是 {' / '.join(_CHOICES[key])}，而不是“{value}”")
            out[key] = value
        elif key in ("overscore", "unspent", "target_low", "reason_below"):
            p = parse_number(value)
            if p.kind != "number":
                raise UsageError(f"--rules 中 {key} 应为数字，而不是“{value}”")
            out[key] = p.value * 100 if key == "overscore" and p.percent else p.value
        else:
            raise UsageError(f"--rules 不认识“{key}”：可用 exec、le、qual、overscore、unspent、target_low、reason_below")
    return out


def ruleset_for(form_rules: str, overrides: dict | None = None) -> RuleSet:
    return replace(RULESETS.get(form_rules, RuleSet()), **(overrides or {}))


def grade_of(total: Decimal) -> str:
    return next(name for t, name in NATIONAL_GRADES if total >= t)


# ---------------------------------------------------------------- assessment

@record
class FundAssessment:
    row: FundRow  # the row the rate is taken from (the total row, or the sub-row that holds the figures)
    shown_row: FundRow  # the row the unit put its rate and score on
    budget: Decimal | None
    spent: Decimal | None
    rate: Decimal | None  # B / A
    points: Decimal
    score: Decimal | None  # the rule's figure
    self_score: Cell | None
    rule: str


@record
class RowAssessment:
    row: IndicatorRow
    points: Decimal | None
    self_score: Decimal | None
    kind: str  # quant | date | qual | coef | empty | uncomparable
    met: bool | None
    attainment: str | None
    score: Decimal | None  # the rule's figure (None for 定性, and where it cannot be computed)
    band: tuple[Decimal, Decimal] | None  # the 定性 band, in points
    rule: str
    explanation: str
    excess: Decimal | None = None  # (完成值 − 指标值) ÷ 指标值 for a met ≥ target


@record
class FormAssessment:
    rules: RuleSet
    fund: FundAssessment | None
    rows: list[RowAssessment] = field(default_factory=list)

    @property
    def scored_rows(self) -> list[RowAssessment]:
        return [a for a in self.rows if a.points is not None]


def _fund_points(t: ProjectTable, row: FundRow, rules: RuleSet, default: int) -> Decimal:
    p = figure(row.cells.get("points"))
    if p is not None and p > 0:
        return p
    if t.funds_points is not None:
        return t.funds_points
    return Decimal(20) if rules.exec == "dept20" else Decimal(default)


def exec_score(rate: Decimal | None, points: Decimal, rules: RuleSet) -> Decimal | None:
    if rate is None:
        return None
    if rules.exec == "uncapped":
        return rate * points
    return min(rate, _1) * points


def assess_fund(t: ProjectTable, rules: RuleSet, default_points: int = 10) -> FundAssessment | None:
    """The 预算执行 block: A, B and the rate from the total row — or, when the total row is 0 or blank while a
    sub-row holds the figures, from that sub-row (the unit then scored its 执行率 from the wrong row)."""
    total = t.fund("total")
    if total is None or not t.funds_scored:
        return None
    basis = total
    a, b = figure(total.cells.get("budget")), figure(total.cells.get("spent"))
    if not a:
        subs = [f for f in t.funds if f.key not in ("total", "part") and figure(f.cells.get("budget"))]
        if len(subs) == 1:
            basis = subs[0]
            a, b = figure(basis.cells.get("budget")), figure(basis.cells.get("spent"))
    rate = None if not a or b is None else b / a
    shown = total.cells.get("rate")
    if rate is None and shown is not None and figure(shown) is not None and basis is total:
        from selfeval_xl.core.numbers import as_rate

        rate = as_rate(shown.parsed).value  # the figures themselves are not filled: the rate as the unit shows it
    points = _fund_points(t, total, rules, default_points)
    return FundAssessment(basis, total, a, b, rate, points, exec_score(rate, points, rules),
                          total.cells.get("score"), rules.exec_rule)


def _quant_score(d: str, tv: Decimal, av: Decimal, w: Decimal, rules: RuleSet, hi: Decimal | None) -> tuple[Decimal, str]:
    if d == "≥":
        return (w if av >= tv or tv == 0 else max(_0, av / tv * w)), "QUANT-GE"
    if d == "≤":
        if av <= tv:
            return w, "QUANT-LE"
        if rules.le == "linear":
            return (max(_0, (1 - (av - tv) / tv) * w) if tv else _0), "QUANT-LE-LINEAR"
        return (tv / av * w if av else w), "QUANT-LE"
    if d == RANGE:
        top = hi if hi is not None else tv
        if tv <= av <= top:
            return w, "QUANT-RANGE"
        edge = tv if av < tv else top
        return (min(av, edge) / max(av, edge) * w if max(av, edge) > 0 else _0), "QUANT-RANGE"
    if av == tv:
        return w, "QUANT-EQ"
    return (min(av, tv) / max(av, tv) * w if max(av, tv) > 0 else _0), "QUANT-EQ"


def _is_exec_row(row: IndicatorRow) -> bool:
    return "执行率" in row.level3 and "采购" not in row.level3


def assess_row(row: IndicatorRow, rules: RuleSet) -> RowAssessment:
    """One 绩效指标 row under the rules."""
    w = figure(row.points)
    own = figure(row.score)
    name = row.level3
    goal, actual = row.goal, row.actual
    tt = parse_target(goal) if goal not in (None, "") else None
    at = parse_target(actual) if actual not in (None, "") else None
    if tt is not None and tt.unit == "" and tt.value is not None and (row.unit or "").strip() in ("%", "百分比"):
        tt = replace(tt, value=tt.value / 100, unit="%")  # 指标值 100 with 度量单位 %
    nature = (row.nature or "").replace("指标", "")
    if tt is not None and nature in ("≥", "≤", "=", "≧", "≦") and not tt.explicit and not tt.qualitative:
        tt = replace(tt, op={"≧": "≥", "≦": "≤"}.get(nature, nature), explicit=True)
    if _is_exec_row(row) and at is not None and at.value is not None and (tt is None or tt.qualitative):
        tt = parse_target("100%")  # 预算执行率 with no target of its own: 100% is full
    if tt is None or at is None:
        return RowAssessment(row, w, own, "empty", None, None, None, None, "", "指标值或完成值为空，无法按规则计分")
    quantitative = not tt.qualitative and (nature not in ("定性",) or at.value is not None)
    if quantitative and at.value is not None:
        ok = met(tt, at, name)
        pair = comparable(tt, at)
        if ok is None or pair is None:
            return RowAssessment(row, w, own, "uncomparable", None, None, None, None, "",
                                 f"指标值“{_s(goal)}”与完成值“{_s(actual)}”单位不同或无法比较")
        tv, av = pair
        d = direction(tt, name)
        if tt.is_date:
            score = w if ok and w is not None else None
            return RowAssessment(row, w, own, "date", ok, None, score, None, "QUANT-DATE",
                                 f"{'按期完成' if ok else '未按期完成'}（指标 {_s(goal)}，完成 {_s(actual)}）")
        excess = (av - tv) / tv if ok and d in ("≥", ">") and tv > 0 else None
        if w is None:
            return RowAssessment(row, None, own, "quant", ok, None, None, None, "", "", excess)
        score, rule = _quant_score(d if d in ("≥", "≤", "=", RANGE) else "≥", tv, av, w, rules, tt.high)
        word = "达到" if ok else "未达到"
        unit = (row.unit or "").strip()
        shown = f"{_s(goal)}{unit}" if unit and isinstance(goal, (int, float)) else _s(goal)
        done = f"{_s(actual)}{unit}" if unit and isinstance(actual, (int, float)) else _s(actual)
        return RowAssessment(row, w, own, "quant", ok, None, min(score, w), None, rule,
                             f"指标 {shown}，完成 {done}，{word}目标", excess)
    att = attainment(actual, goal)
    if att is None and at.value is not None and tt.qualitative:
        att = "达成" if at.value >= (1 if at.unit == "%" else 100) else None
    bands = QUAL_BANDS[rules.qual]
    band = None
    if att is not None and w is not None:
        lo, hi = bands[att]
        band = (lo * w, hi * w)
    rule = "QUAL-ANHUI" if rules.qual == "anhui" else "QUAL-NATIONAL"
    text = f"定性指标，完成情况“{_s(actual)}”" + (f"读作“{att}”" if att else "无法判断达成程度")
    return RowAssessment(row, w, own, "qual", None if att is None else att == "达成", att, None, band, rule, text)


def _s(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return "" if v is None else str(v)


def assess(t: ProjectTable, rules: RuleSet, default_points: int = 10) -> FormAssessment:
    """The whole form under the rules: the fund block and every row (其中 sub-rows and rows without 分值 or 得分
    kept, marked by their points)."""
    fa = FormAssessment(rules, assess_fund(t, rules, default_points))
    for row in t.indicators:
        fa.rows.append(assess_row(row, rules))
    return fa


def rule_figure(a: RowAssessment) -> Decimal | None:
    """What the row counts for in the rule total: the rule's figure, or for 定性 the unit's own score held inside
    its band (the band's floor when the unit gave none)."""
    if a.points is None:
        return None
    if a.score is not None:
        return a.score
    if a.kind in ("qual", "date", "uncomparable", "empty") and a.self_score is not None:
        if a.band is not None:
            return min(max(a.self_score, a.band[0]), a.band[1])
        return min(max(a.self_score, _0), a.points)
    if a.band is not None:
        return a.band[0]
    return None


def share(values: list[Decimal], points: list[Decimal]) -> Decimal | None:
    """Σ scores ÷ Σ points, or None when there are no points."""
    p = sum(points, _0)
    return None if p == 0 else sum(values, _0) / p


_PARENT = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CHILD = re.compile(r"^(\d+[、.．]|其中)")


def children(rows: list[IndicatorRow]) -> set[int]:
    """Sheet rows that break down the row above them (其中…, or 1、2、 under 一、): not scored on their own."""
    out: set[int] = set()
    parent = False
    for r in rows:
        name = r.level3.strip()
        if _PARENT.match(name):
            parent = True
        elif _CHILD.match(name) and (parent or name.startswith("其中")):
            out.add(r.row)
        else:
            parent = False
    return out
