"""The figures a self-evaluation report quotes, gathered once from a validated and scored workbook: each with
the cell it comes from and the text the workbook shows for it. The .docx writer prints them; check-report's
--workbook compares a report with them (`Facts.labelled`). A figure the workbook does not hold has no value,
and the writer prints 【待填写】 in its place: nothing here is estimated."""

from __future__ import annotations

import re
from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.catalog import BASIC
from selfeval_xl.core.model import BudgetRow, Cell, GoalRow, GoalTable, Workbook
from selfeval_xl.core.money import fmt_score
from selfeval_xl.core.numbers import as_rate, to_decimal
from selfeval_xl.core.record import field, record, replace
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD
from selfeval_xl.writers.report.display import general, money, percent, points

PENDING = "【待填写】"


@record(frozen=True)
class Fig:
    """One figure: value in its unit (万元, percentage points, 分, 人 …; None when the workbook does not hold
    it), the text the workbook shows, where it comes from, and the label check-report knows it by ("" for
    none)."""

    value: Decimal | None
    shown: str = ""
    source: str = ""
    label: str = ""
    unit: str = "万元"

    @property
    def text(self) -> str:
        """For a sentence: the shown figure; a blank or "-" 表5 cell, which means 0, as 0.00; 【待填写】 when the
        workbook does not hold the figure."""
        if self.value is None:
            return PENDING
        if self.shown[-1:].isdigit() or self.shown.endswith("%"):
            return self.shown
        return money(self.value)

    @property
    def known(self) -> bool:
        return self.value is not None


NONE = Fig(None)


_PLAIN_SHEET = r"[^\s!÷×+−\-、；（）()']+"  # a sheet name that reads unquoted inside a source such as A!G5 ÷ A!F5
_SOURCE_CELL = re.compile(rf"'((?:[^']|'')+)'!([A-Z]{{1,3}}\d+)|({_PLAIN_SHEET})!([A-Z]{{1,3}}\d+)")


def _src(cell: Cell | CellAddress | None) -> str:
    """Where a figure comes from: 部门整体支出!G5, or '部门 整体 (2020)'!G5 quoted as Excel does when the sheet's
    name has a space, a sign or brackets."""
    if cell is None:
        return ""
    addr = cell.addr if isinstance(cell, Cell) else cell
    return str(addr) if re.fullmatch(_PLAIN_SHEET, addr.sheet) else addr.qualified()


def source_cells(source: str) -> list[CellAddress]:
    """The cells a figure's source names (as _src writes them), in order."""
    return [CellAddress.parse(quoted.replace("''", "'") if quoted else plain, qa1 or pa1)
            for quoted, qa1, plain, pa1 in _SOURCE_CELL.findall(source)]


def money_fig(cell: Cell | None, label: str = "", unit: str = "万元", blank_zero: bool = False) -> Fig:
    """A money cell: "#,##0.00"; blank shows nothing (and is 0 where the form says so, as in 表5); text or an
    error is shown as typed, without a value."""
    if cell is None:
        return Fig(None, "", "", label, unit)
    p = cell.parsed
    if p.kind == "number" and p.raw not in (None, ""):  # typed as text ("-", "1,200") it shows as typed
        return Fig(p.value, p.raw.strip() if isinstance(p.raw, str) else money(p.value), _src(cell), label, unit)
    if p.kind == "blank":
        return Fig(Decimal(0) if blank_zero else None, "", _src(cell), label, unit)
    return Fig(None, str(p.raw).strip(), _src(cell), label, unit)


def rate_fig(cell: Cell | None, label: str = "") -> Fig:
    """A rate cell with the decimals its percent format shows (Cell.places, where the reader gives them), else
    as 0.00%, the templates' format."""
    if cell is None:
        return Fig(None, "", "", label, "%")
    p = as_rate(cell.parsed)
    if p.kind != "number" or p.raw in (None, ""):
        return Fig(None, "" if p.kind == "blank" else str(p.raw).strip(), _src(cell), label, "%")
    places = getattr(cell, "places", None)
    return Fig(p.value * 100, percent(p.value, 2 if places is None else places), _src(cell), label, "%")


def ratio_fig(part: Fig, whole: Fig, label: str = "", complement: bool = False) -> Fig:
    """part ÷ whole (1 − part ÷ whole) as a rate with two decimals, computed from the workbook's figures."""
    if part.value is None or not whole.value:
        return Fig(None, "", "", label, "%")
    r = part.value / whole.value
    r = 1 - r if complement else r
    src = f"{part.source} ÷ {whole.source}"
    return Fig(r * 100, percent(r), f"1 − {src}" if complement else src, label, "%")


def count_fig(cell: Cell | None, unit: str) -> Fig:
    """A count (人, 项, 个, 件): whole numbers without decimals."""
    if cell is None or cell.parsed.kind != "number" or cell.parsed.raw in (None, ""):
        return Fig(None, "", _src(cell), "", unit)
    return Fig(cell.parsed.value, general(cell.parsed.value), _src(cell), "", unit)


def score_fig(value: Decimal | None, source: str = "", label: str = "") -> Fig:
    return Fig(value, fmt_score(value) if value is not None else "", source, label, "分")


def text_of(value: object) -> str:
    """A 指标值 / 完成值 as written: text as typed (the reader gives percent cells as shown), a number as Excel's
    General format shows it."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return general(to_decimal(value) if isinstance(value, float) else Decimal(value))
    return str(value).strip()


# ---------------------------------------------------------------- 表5

# the words check-report knows each 表5 figure by (narrative.workbook.MEASURES)
BUDGET_MEASURE = {"budget": "部门预算指标", "total": "年度总指标", "spent": "支出数", "remaining": "剩余指标",
                  "rate": "执行进度"}
BUDGET_SHOWN = ("budget", "carry", "added", "adjust", "total", "spent", "remaining", "rate")


@record
class BudgetLine:
    """A 表5 row as the sheet shows it."""

    row: int
    label: str
    kind: str  # detail, child, subtotal, grand
    category: str
    figs: dict[str, Fig]
    reason: str
    reason_source: str

    @property
    def name(self) -> str:
        """The row's name in a sentence: 基本支出 for 基本支出小计, the label otherwise."""
        return re.sub(r"小计$", "", self.label) if self.kind == "subtotal" else self.label

    @property
    def rate(self) -> Fig:
        """执行进度 as the sheet shows it; where the sheet has no such cell, 支出数 ÷ 年度总指标."""
        shown = self.figs["rate"]
        return shown if shown.known or shown.source else ratio_fig(self.figs["spent"], self.figs["total"])


def _budget_line(row: BudgetRow, unit: str) -> BudgetLine:
    name = row.label or row.category
    figs = {}
    for f in BUDGET_SHOWN:
        label = f"{name} {BUDGET_MEASURE[f]}" if f in BUDGET_MEASURE and name else ""
        cell = row.cells.get(f)
        figs[f] = rate_fig(cell, label) if f == "rate" else money_fig(cell, label, unit, blank_zero=True)
    return BudgetLine(row.row, name, row.kind, row.category, figs, row.reason, _src(row.reason_addr))


# ---------------------------------------------------------------- 基础数据

# name → the label check-report knows the figure by ("" for figures it has no measure for)
BASIC_LABELS = {
    "ProcPlan": "政府采购预算数", "ProcActual": "政府采购实际采购金额",
    "ThreeBudget": "三公经费预算数", "ThreeActual": "三公经费实际支出",
    "ThreeBudgetAbroad": "因公出国(境)费预算数", "ThreeActualAbroad": "因公出国(境)费实际支出",
    "ThreeBudgetCar": "公务用车购置及运行维护费预算数", "ThreeActualCar": "公务用车购置及运行维护费实际支出",
    "ThreeBudgetRecept": "公务接待费预算数", "ThreeActualRecept": "公务接待费实际支出",
    "OpexBudget": "日常公用经费调整预算数", "OpexActual": "日常公用经费决算数",
}
RATES = {  # name → (part, whole, label, complement)
    "proc": ("ProcActual", "ProcPlan", "政府采购执行率", False),
    "three": ("ThreeActual", "ThreeBudget", "三公经费控制率", False),
    "opex": ("OpexActual", "OpexBudget", "日常公用经费控制率", False),
    "asset": ("AssetIdle", "AssetTotal", "", True),
    "staff": ("StaffActual", "StaffQuota", "", False),
    "extra": ("StaffExtra", "StaffTotal", "", False),
}


def _basic_figs(wb: Workbook) -> dict[str, Fig]:
    """Each 基础数据 input as its cell shows it; a sum the workbook has no cell for (“三公”合计 …) is added up
    from its inputs' cells, when every one of them is filled."""
    from selfeval_xl.scoring.derived import DERIVED

    out: dict[str, Fig] = {}
    for i in BASIC:
        cell = wb.basic.get(i.name)
        fig = money_fig(cell, BASIC_LABELS.get(i.name, "")) if i.unit == "万元" else count_fig(cell, i.unit)
        names = re.findall(r"[A-Z]\w+", DERIVED[i.name].formula) if i.name in DERIVED else []
        inputs = [out[n] for n in names if n in out]  # the inputs a derived sum adds (not 表5 references)
        if not fig.known and len(inputs) > 1 and all(f.known for f in inputs):
            v = sum((f.value for f in inputs), Decimal(0))
            fig = replace(fig, value=v, shown=money(v) if i.unit == "万元" else general(v),
                          source=" + ".join(f.source for f in inputs))
        out[i.name] = fig
    return out


# ---------------------------------------------------------------- 绩效目标, the project form, scores

@record
class FundLine:
    label: str
    plan: Fig
    budget: Fig
    spent: Fig
    rate: Fig


@record
class Indicator:
    level1: str
    level2: str
    level3: str
    nature: str
    target: str
    unit: str
    actual: str
    points: Fig
    score: Fig  # the rule's
    own: Fig  # the unit's own 得分 as filled (NONE when the sheet holds none)
    reason: str
    row: int


@record
class ScoreLine:
    path: list[str]
    points: Fig
    score: Fig  # the rule's figure
    own: Fig  # the unit's own (NONE when absent)
    explanation: str

    @property
    def shown_score(self) -> Fig:
        """What the 评分表 shows: the unit's own where filled, else the rule's."""
        return self.own if self.own.known else self.score


@record
class Scores:
    lines: list[ScoreLine]
    total: Fig  # the 总分 as the sheet shows it (the unit's own where filled)
    rule_total: Fig
    grade: str  # the grade of the shown total
    rule_grade: str
    roots: list[tuple[str, Fig, Fig, Fig]]  # (一级指标, 分值, 得分 as shown, the rule's 得分)

    @property
    def differs(self) -> bool:
        return self.total.value != self.rule_total.value

    @property
    def lines_differ(self) -> bool:
        """Some line's own 得分 differs from the rule's (the tables then show the rule's beside it)."""
        return any(line.own.known and line.own.value != line.score.value for line in self.lines)


@record
class Facts:
    """Everything a report quotes from one workbook."""

    kind: str  # dept (表5 and its companions) or project (a form with a funds block and indicator rows)
    unit_name: str
    year: str
    money_unit: str
    threshold: Decimal  # 执行进度 below this (a fraction) is a low rate
    budget: list[BudgetLine] = field(default_factory=list)
    budget_sheet: str = ""
    basic: dict[str, Fig] = field(default_factory=dict)
    rates: dict[str, Fig] = field(default_factory=dict)
    goals: list[GoalRow] = field(default_factory=list)
    unmet: set[int] = field(default_factory=set)  # sheet rows of the goals whose 完成值 falls short of 指标值
    goals_sheet: str = ""
    header: dict[str, str] = field(default_factory=dict)  # the project form's 项目名称 / 主管部门 / 实施单位
    funds: list[FundLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    project_sheet: str = ""
    dept_form: bool = False  # the form is a department's whole spending (部门整体支出绩效自评表), not a project's
    scores: Scores | None = None
    findings: list[str] = field(default_factory=list)  # the other findings (errors, warnings), as messages

    @property
    def whole_unit(self) -> bool:
        """The report is about the department as a whole (本部门), not one project (本项目)."""
        return self.kind == "dept" or self.dept_form

    @property
    def grand(self) -> BudgetLine | None:
        return next((b for b in self.budget if b.kind == "grand"), None)

    @property
    def subtotals(self) -> list[BudgetLine]:
        return [b for b in self.budget if b.kind == "subtotal"]

    @property
    def low(self) -> list[BudgetLine]:
        """Detail and 其中 rows whose 执行进度 is below the threshold."""
        t = self.threshold * 100
        return [b for b in self.budget if b.kind in ("detail", "child") and b.rate.known and b.rate.value < t]

    @property
    def fund_total(self) -> FundLine | None:
        return next((f for f in self.funds if "年度资金总额" in f.label), None)

    def labelled(self) -> list[Fig]:
        """Every figure with a label, once each."""
        figs = [f for b in self.budget for f in b.figs.values()]
        figs += list(self.basic.values()) + list(self.rates.values())
        total = self.fund_total
        if total is not None:
            figs += [total.plan, total.budget, total.spent, total.rate]
        if self.scores is not None:
            figs.append(self.scores.total)
        seen, out = set(), []
        for f in figs:
            if f.label and f.known and (f.label, f.source) not in seen:
                seen.add((f.label, f.source))
                out.append(f)
        return out


def collect(checked, threshold: Decimal = DEFAULT_THRESHOLD) -> Facts:
    """The figures of a validated (and, for the conclusion and the annex, scored) workbook."""
    wb: Workbook = checked.wb
    kind = "project" if wb.kind == "project" and wb.project is not None else "dept"
    unit = wb.budget.unit if wb.budget is not None and wb.budget.unit else "万元"
    facts = Facts(kind, str(wb.info.get("UnitName") or ""), str(wb.info.get("Year") or ""), unit, threshold)
    if wb.budget is not None:
        facts.budget, facts.budget_sheet = [_budget_line(r, unit) for r in wb.budget.rows], wb.budget.sheet
    if wb.basic:
        facts.basic = _basic_figs(wb)
        for name, (part, whole, label, comp) in RATES.items():
            facts.rates[name] = ratio_fig(facts.basic[part], facts.basic[whole], label, comp)
    if wb.goals is not None:
        facts.goals, facts.unmet, facts.goals_sheet = wb.goals.rows, _unmet(wb.goals), wb.goals.sheet
    if checked.score is not None:
        facts.scores = _scores(checked.score, wb)
    if wb.project is not None:
        _project(facts, wb)
    covered = {"B5-REASON", "G-UNMET"}  # the report lists these rows itself
    facts.findings = [f.message for f in checked.all_findings
                      if f.rule not in covered and f.severity.value in ("error", "warning")]
    return facts


def _unmet(table: GoalTable) -> set[int]:
    """The rows whose 完成值 falls short, as the G-UNMET check itself finds them, run on the rows with their
    偏差说明 cleared (the check passes rows whose deviation is explained already; the report lists those too)."""
    from selfeval_xl.rules.registry import CHECKS, load

    load(["绩效目标"])
    bare = GoalTable(table.sheet, [replace(g, note="") for g in table.rows])
    return {addr.row for addr, _ in CHECKS["G-UNMET"](bare, {})}


def _project(facts: Facts, wb: Workbook) -> None:
    p = wb.project
    facts.header, facts.project_sheet = dict(p.header), p.sheet
    facts.dept_form = str(getattr(p, "form", "")).endswith("-dept")
    facts.year = facts.year or str(p.header.get("Year") or "")
    facts.unit_name = facts.unit_name or next(
        (str(p.header[k]) for k in ("UnitName", "Implementer", "Department") if p.header.get(k)), "")
    for f in p.funds:
        # only the total is labelled: its 其中 rows would answer to the same words
        total = getattr(f, "key", "total") == "total" and "年度资金总额" in f.label
        plan, budget, spent = (money_fig(f.cells.get(k), lab if total else "", facts.money_unit, blank_zero=True)
                               for k, lab in (("plan", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数")))
        facts.funds.append(FundLine(f.label, plan, budget, spent,
                                    rate_fig(f.cells.get("rate"), "执行率" if total else "")))
    by_path = {tuple(s.path): s for s in facts.scores.lines} if facts.scores else {}
    for ind in p.indicators:
        s = by_path.get((ind.level1, ind.level2, ind.level3))
        facts.indicators.append(Indicator(
            ind.level1, ind.level2, ind.level3, ind.nature, text_of(getattr(ind, "goal", ind.target)),
            ind.unit, text_of(ind.actual),
            score_fig(ind.points.value if ind.points and ind.points.parsed.kind == "number" else None,
                      _src(ind.points)),
            s.score if s else NONE, s.own if s else NONE, ind.reason, ind.row))


def _scores(result, wb: Workbook) -> Scores:
    lines = []
    for item in result.items:
        cell = _src(item.cell)
        lines.append(ScoreLine(list(item.path), score_fig(item.max), score_fig(item.score, cell),
                               score_fig(item.self_score, cell) if item.self_score is not None else NONE,
                               item.explanation))
    total_cell = ""
    if wb.scorecard is not None and wb.scorecard.total is not None:
        total_cell = str(wb.scorecard.total)
    elif wb.project is not None and wb.project.total_score is not None:
        total_cell = str(wb.project.total_score.addr)
    rule_total = score_fig(result.total, total_cell)
    own = result.self_total
    total = score_fig(own if own is not None else result.total, total_cell, "自评总分")
    shown: dict[str, Decimal] = {}  # per 一级指标, the 得分 as the sheet shows them (by_root adds the rule's)
    for line in lines:
        shown[line.path[0]] = shown.get(line.path[0], Decimal(0)) + (line.shown_score.value or 0)
    return Scores(lines, total, rule_total, result.system.grade(total.value), result.grade,
                  [(k, score_fig(pts), score_fig(shown[k]), score_fig(rule)) for k, pts, rule in result.by_root()])


def workbook_label(f: Fig) -> tuple[str, Decimal, str, str, str]:
    """(label, value as shown, unit, source, shown) for check-report's WorkbookFigure."""
    text = f.text
    return f.label, points(text), f.unit, f.source, text

