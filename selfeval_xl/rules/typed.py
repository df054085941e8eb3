"""Every typed cell judged where it was typed: a number typed as text (the tool reads it, Excel's formulas do not),
a percent cell 100 times off, a rate no sensible formula gives, a 基础数据 cell that is not a number or shows an
error, and — in our templates, recognised by their stamp — a formula cell typed over with a constant."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.catalog import BASIC
from selfeval_xl.core.model import BUDGET_FIELD_ZH, Cell, Workbook, figure
from selfeval_xl.core.money import fmt_figure as m, fmt_pct, fmt_score, xround
from selfeval_xl.core.numbers import EXCEL_ERRORS
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
_TEXT = "Excel、WPS 的 SUM 等公式不计文字形式的数字，文字参与加减得 #VALUE!"
_PCT = "百分比格式的单元格显示数值的 100 倍：0.9906 显示为 99.06%"
_RATE = "执行进度 = 支出数 ÷ 年度总指标，一般在 0%–100% 之间（超过 100% 即超支）"
_TPL = "selfeval-xl 模板：计算列由公式得出，改填常数后不再随数据更新"
_RETYPE = "请删去逗号、单位，重新输入为数字"

declare(
    Rule("B5-TEXTNUM", W, "表5", "{field} {what}：本工具按数字计算，但 Excel 的公式不计文字，引用它的合计因此会算错，"
         + _RETYPE + "{how}", _TEXT),
    Rule("P-TEXTNUM", W, "项目自评表", "{field} 是文字“{text}”：本工具按 {value} 计算，但 Excel 的公式不计文字，" + _RETYPE, _TEXT),
    Rule("IN-TEXTNUM", W, "基础数据", "“{label}”是文字“{text}”：本工具按 {value} 计分，但工作簿里引用它的公式不计文字"
         "（或得 #VALUE!），" + _RETYPE, _TEXT),
    Rule("IN-NUM", E, "基础数据", "“{label}”填写为文字“{text}”，此处应为数字（单位：{unit}），请改为数字；未改前按 0 计分",
         "基础数据 各项为数字"),
    Rule("IN-ERR", E, "基础数据", "“{label}”显示错误值 {text}：{why}", "基础数据 各项为数字"),
    Rule("B5-PCT100", E, "表5", "执行进度 显示为 {shown}，是 支出数 {spent} ÷ 年度总指标 {total} = {expected} 的{times}：{why}，"
         "请{fix}", _PCT),
    Rule("B5-RATE-ODD", E, "表5", "执行进度 {rate} 不合理：{why}", _RATE),
    Rule("TPL-TYPED", W, "模板", "{field} 在模板中是公式，现被改填为 {typed}，公式应得 {expected}：请恢复公式（可从空白模板复制该格）",
         _TPL),
    Rule("TPL-TYPED-SAME", I, "模板", "{field} 在模板中是公式，现被改填为 {typed}（与公式结果相同）：以后改动数据时它不会随之更新，"
         "建议恢复公式", _TPL),
)


def text_number(c: Cell | None) -> bool:
    """True for a cell holding text that reads as a number ("1,250.00", "84.2万元", full-width digits): the tool
    uses the number, a spreadsheet's formulas do not. A dash or 无 for zero (no digit in it) is not counted: SUM
    ignores it to the same effect."""
    return c is not None and _text_parsed(c.parsed)


def _text_parsed(p) -> bool:
    """text_number for a parsed cell."""
    return p.kind == "number" and isinstance(p.raw, str) and any(ch.isdigit() for ch in p.raw)


# ---------------------------------------------------------------- 表5

TEXT_CELLS_EACH = 10  # more text numbers than this in a 表5 are reported once per column, not once per cell


@check("B5-TEXTNUM")
def _b5_textnum(t, ctx):
    order = {f: k for k, f in enumerate(t.fields)}
    hits = sorted((i, order[f], f) for f in t.fields if f != "rate"  # a rate typed as "99.06%" feeds no formula
                  for i, p in t.odd[f].items() if _text_parsed(p))
    if len(hits) <= TEXT_CELLS_EACH:
        for i, _, f in hits:
            p = t.odd[f][i]
            yield t.addr(i, f), {"field": BUDGET_FIELD_ZH[f], "what": f"是文字“{p.raw.strip()}”（按 {m(p.value)} 计算）",
                                 "how": ""}
        return
    by_field: dict[str, list[int]] = {}
    for i, _, f in hits:
        by_field.setdefault(f, []).append(i)
    for f, rows in by_field.items():
        first, last = t.addr(rows[0], f), t.addr(rows[-1], f)
        yield first, {"field": BUDGET_FIELD_ZH[f],
                      "what": f"列有 {len(rows)} 格是文字（{first.a1}:{last.a1} 中，如“{t.odd[f][rows[0]].raw.strip()}”）",
                      "how": "（可选中该列，用“数据 → 分列 → 完成”一次转换）"}


def pct_scale(c: Cell, expected: Decimal | None) -> str | None:
    """'100' when a percent-formatted cell shows 100 times the expected rate, '0.01' when a hundredth, else None."""
    if c.places is None or expected is None or expected == 0 or c.parsed.kind != "number":
        return None
    v = c.parsed.value
    near = Decimal("0.0001") + abs(expected) * Decimal("0.0001")
    if abs(v / 100 - expected) <= near and abs(v) > Decimal("1.5"):
        return "100"
    if abs(v * 100 - expected) <= near and abs(expected) >= Decimal("0.05"):
        return "0.01"
    return None


def _maybe_scaled(r: float | None, total: float | None, spent: float | None) -> bool:
    """A float pre-test of pct_scale, with room to spare: False only when the rate is surely not 100× off."""
    if r is None or not total:
        return False  # no rate, or no expected rate (a 0 total)
    e = (spent or 0.0) / total
    near = 2e-4 + abs(e) * 2e-4
    return (abs(r) > 1.49 and abs(r / 100 - e) <= near) or (abs(e) >= 0.049 and abs(r * 100 - e) <= near)


@check("B5-PCT100")
def _b5_pct100(t, ctx):
    if not {"total", "spent", "rate"} <= t.num.keys():
        return
    rate, total, spent = t.num["rate"], t.num["total"], t.num["spent"]
    for i, f in sorted(t.places):
        if f != "rate" or not _maybe_scaled(rate[i], total[i], spent[i]) or not t.readable(i, "total", "spent"):
            continue
        c = t.cell(i, "rate")
        expected = t.rate(i)
        scale = pct_scale(c, expected)
        if scale is None:
            continue
        shown = f"{xround(c.parsed.value * 100, c.places or 0):.{c.places or 0}f}%"
        if c.formula:
            why = (f"公式 {c.formula} 的结果多乘了 100（百分比格式会自动乘 100 显示）" if scale == "100"
                   else f"公式 {c.formula} 的结果少了 100 倍")
            fix = "改正公式为 支出数 ÷ 年度总指标（不乘 100）"
        else:
            typed = m(c.parsed.value) if scale == "100" else str(c.parsed.raw)
            why = f"单元格为百分比格式，填入的 {typed} 显示为 {shown}"
            fix = f"改填 {xround(expected, 4)}（或输入 {fmt_pct(expected)}），或改为公式"
        yield c.addr, {"shown": shown, "spent": m(t.value(i, "spent")), "total": m(t.value(i, "total")),
                       "expected": fmt_pct(expected), "times": " 100 倍" if scale == "100" else "百分之一",
                       "why": why, "fix": fix}


@check("B5-RATE-ODD")
def _b5_rate_odd(t, ctx):
    if "rate" not in t.num:
        return
    for i, r in enumerate(t.num["rate"]):
        if r is None or (-2 <= r <= 2 and r >= 0):
            continue
        c = t.cell(i, "rate")
        if c.parsed.kind != "number" or c.parsed.raw in (None, ""):
            continue
        v = c.parsed.value
        if -2 <= v <= 2 and not (v < 0 and t.readable(i, "spent") and t.value(i, "spent") >= 0):
            continue
        if t.readable(i, "total", "spent") and pct_scale(c, t.rate(i)):
            continue  # 100 times off: B5-PCT100 says how
        if c.formula:
            why = (f"由公式 {c.formula} 算得，请核对公式引用的 支出数、年度总指标 两格及其金额单位（万元与元不可混用）")
        else:
            why = "请核对后改为公式 支出数 ÷ 年度总指标"
        yield c.addr, {"rate": fmt_pct(v), "why": why}


@check("P-TEXTNUM")
def _p_textnum(t, ctx):
    """The funds block's figures (年初预算数, 全年预算数, 全年执行数): our project template sums them with formulas."""
    zh = {"plan": "年初预算数", "budget": "全年预算数", "spent": "全年执行数"}
    for fund in t.funds:
        for key, name in zh.items():
            c = fund.cells.get(key)
            if text_number(c) and not c.formula:
                yield c.addr, {"field": f"{fund.label} {name}", "text": c.parsed.raw.strip(), "value": m(c.parsed.value)}


# ---------------------------------------------------------------- 基础数据

def _basic(wb: Workbook):
    for i in BASIC:
        c = wb.basic.get(i.name)
        if c is not None:
            yield i, c


@check("IN-TEXTNUM")
def _in_textnum(wb: Workbook, ctx):
    for i, c in _basic(wb):
        if not c.formula and text_number(c):
            yield c.addr, {"label": i.label, "text": c.parsed.raw.strip(), "value": m(c.parsed.value)}


@check("IN-NUM")
def _in_num(wb: Workbook, ctx):
    for i, c in _basic(wb):
        if c.parsed.kind == "text" and not c.formula:
            yield c.addr, {"label": i.label, "text": str(c.parsed.raw).strip(), "unit": i.unit}


@check("IN-ERR")
def _in_err(wb: Workbook, ctx):
    for i, c in _basic(wb):
        if c.parsed.kind == "error" or (isinstance(c.parsed.raw, str) and c.parsed.raw.strip() in EXCEL_ERRORS):
            why = ("它的公式引用的格中有文字或错误值，请按同表的其他提示改正" if c.formula
                   else "请改填数字")
            yield c.addr, {"label": i.label, "text": str(c.parsed.raw).strip(), "why": why}


# ---------------------------------------------------------------- our templates: formulas typed over

def _typed(c: Cell | None) -> bool:
    """A cell of a formula column that now holds a constant (blank cells are left to the arithmetic rules)."""
    return c is not None and not c.formula and c.parsed.raw not in (None, "") and c.parsed.kind == "number"


_SHOW = {"money": m, "pct": fmt_pct, "score": fmt_score}


def _typed_over(field: str, c: Cell, expected: Decimal | None, kind: str = "money"):
    """The finding of a constant where the template has a formula, compared as the sheet shows it (2 decimals)."""
    if expected is None:
        return None
    v, places = c.parsed.value, 4 if kind == "pct" else 2
    show = _SHOW[kind]
    rule = "TPL-TYPED-SAME" if xround(v, places) == xround(expected, places) else "TPL-TYPED"
    return rule, c.addr, {"field": field, "typed": show(v), "expected": show(expected)}


def _as_formula_sees(t, i: int, f: str) -> Decimal:
    """A figure as the template's SUM sees it: text (even text that reads as a number) counts as nothing."""
    p = t.parsed(i, f) if f in t.num else None
    return Decimal(0) if p is None or p.kind != "number" or _text_parsed(p) else p.value


def _budget_typed(t):
    """表5 of our template: 年度总指标, 剩余指标 and 执行进度 of every row, and every figure of 小计 and 总计, are
    formulas (writers/budget_sheet.py)."""
    sums = ("budget", "carry", "added", "adjust", "total", "spent", "remaining")

    def totals(row: int, label: str, pool: list[int]):
        for f in sums:
            c = t.cell(row, f)
            if _typed(c):
                yield _typed_over(f"{label} {BUDGET_FIELD_ZH[f]}", c, sum((_as_formula_sees(t, i, f) for i in pool),
                                                                          Decimal(0)))
        yield from _rate_typed(t, row)

    for block, sub in t.blocks():
        for i in block:
            yield from _row_typed(t, i)
        if sub is not None:
            yield from totals(sub, t.label[sub] or "小计", [i for i in block if t.kind[i] == "detail"])
    grand = t.grand_index()
    if grand is not None:
        yield from totals(grand, "总计", [i for i, k in enumerate(t.kind) if k == "subtotal"])


def _row_typed(t, i: int):
    c = t.cell(i, "total")
    parts = [f for f in ("budget", "carry", "added", "adjust") if f in t.num]
    if _typed(c) and t.readable(i, *parts):
        yield _typed_over(f"{t.label[i]} 年度总指标", c, sum((_as_formula_sees(t, i, f) for f in parts), Decimal(0)))
    c = t.cell(i, "remaining")
    if _typed(c) and t.readable(i, "total", "spent"):
        yield _typed_over(f"{t.label[i]} 剩余指标", c, t.value(i, "total") - t.value(i, "spent"))
    yield from _rate_typed(t, i)


def _rate_typed(t, i: int):
    c = t.cell(i, "rate")
    if _typed(c) and t.readable(i, "total", "spent") and t.rate(i) is not None:
        yield _typed_over(f"{t.label[i] or '总计'} 执行进度", c, t.rate(i), "pct")


def _basic_typed(wb: Workbook):
    from selfeval_xl.scoring.derived import input_values  # the derived inputs, computed as their formulas do

    values = None
    for i, c in _basic(wb):
        if i.derived and _typed(c):
            values = values if values is not None else input_values(wb)
            yield _typed_over(f"基础数据“{i.label}”", c, values.get(i.name))


def _scorecard_typed(wb: Workbook):
    """评分表 of our dept template: every 自评得分 and the 合计 are formulas; what they give is the scoring engine's
    figure for the row (the template writes the engine's formula, scoring/engine.leaf_formula)."""
    t = wb.scorecard
    if t is None or not t.has_methods:
        return
    typed = [r for r in t.rows if _typed(r.own)]
    if not typed and not _typed(t.own_total):
        return
    from selfeval_xl.scoring.derived import input_values
    from selfeval_xl.scoring.engine import score_system
    from selfeval_xl.scoring.from_sheet import system_from_table

    system, inputs = system_from_table(t)
    result = score_system(system, input_values(wb), inputs)
    by_path = {tuple(i.path): i for i in result.items}
    for r in typed:
        item = by_path.get(tuple(r.path))
        if item is not None and item.score is not None:
            yield _typed_over(f"“{r.path[-1]}”自评得分", r.own, item.score, "score")
    if _typed(t.own_total):
        yield _typed_over("合计", t.own_total, result.total, "score")


def _project_typed(wb: Workbook):
    """项目支出绩效自评表 of our project template: the 年度资金总额 row (sums, 执行率, 得分), every 得分 and the 总分
    are formulas (writers/templates.py, scoring/project.indicator_formula)."""
    t = wb.project
    if t is None:
        return
    from selfeval_xl.scoring.project import indicator_outcome

    total = next((f for f in t.funds if f.key == "total"), None)
    subs = [f for f in t.funds if f.key != "total"]
    if total is not None:
        for key, zh in (("plan", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数")):
            c = total.cells.get(key)
            if _typed(c):
                yield _typed_over(f"年度资金总额 {zh}", c, sum((figure(s.cells.get(key)) or Decimal(0) for s in subs),
                                                                Decimal(0)))
        a, b = figure(total.cells.get("budget")), figure(total.cells.get("spent"))
        c = total.cells.get("rate")
        if _typed(c) and a:
            yield _typed_over("年度资金总额 执行率", c, (b or Decimal(0)) / a, "pct")
        c, pts = total.cells.get("score"), figure(total.cells.get("points"))
        if _typed(c) and pts is not None:
            rate = min((b or Decimal(0)) / a, Decimal(1)) if a else Decimal(0)
            yield _typed_over("预算执行率 得分", c, xround(rate * pts), "score")
    for ind in t.indicators:
        pts = figure(ind.points) or Decimal(0)
        manual = figure(ind.manual)
        out = indicator_outcome(ind.nature, ind.target, ind.actual, pts, manual, ind.level3)
        score = xround(out.score or Decimal(0))
        if _typed(ind.score):
            yield _typed_over(f"“{ind.level3}”得分", ind.score, score, "score")


def typed_over(wb: Workbook):
    """(rule id, cell, params) for every formula cell of our template that holds a constant."""
    if wb.budget is not None:
        yield from (x for x in _budget_typed(wb.budget) if x)
    for fn in (_basic_typed, _scorecard_typed, _project_typed):
        yield from (x for x in fn(wb) if x)


@check("TPL-TYPED")
def _tpl_typed(wb: Workbook, ctx):
    for rule, addr, params in ctx.setdefault("_typed_over", list(typed_over(wb))):
        if rule == "TPL-TYPED":
            yield addr, params


@check("TPL-TYPED-SAME")
def _tpl_typed_same(wb: Workbook, ctx):
    for rule, addr, params in ctx.setdefault("_typed_over", list(typed_over(wb))):
        if rule == "TPL-TYPED-SAME":
            yield addr, params
