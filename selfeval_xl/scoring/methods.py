"""The closed registry of scoring methods. Each method has named parameters and two
executions from one definition: `compute` (Decimal, in Python) and `formula` (an Excel
expression using only IF, MIN, MAX, ROUND, SUM and AND).

Parameters are literals (`1`, `10%`) or workbook defined names (`ProcPlan`); nothing is
ever evaluated as code.
"""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.catalog import BY_NAME
from selfeval_xl.core.money import fmt_money, fmt_pct, fmt_score, xround
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.core.record import field, record
from selfeval_xl.core.targets import QUAL, comparable, parse_target
from selfeval_xl.errors import ConfigError
from selfeval_xl.scoring.spec import Part

HUGE = Decimal("9.99E+307")
RATE_PLACES = 10  # both executions round rates to 10 places so exact boundaries agree


@record
class Ctx:
    """What a part is scored against: named inputs, the row's manual cell, and row texts."""

    values: dict[str, Decimal | None] = field(default_factory=dict)
    manual: Decimal | None = None
    manual_ref: str = "0"
    manual_column: str = "手工得分"  # where the judgement is written: our 评分表's 手工得分, a unit's own 自评得分
    texts: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # for formulas: row-local cell refs


@record
class Outcome:
    score: Decimal | None  # None: a manual part not yet scored
    explain: str
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (rule id, message parameters): rules/scoring.py
    unscored: Decimal = Decimal(0)


def _num_literal(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s if s not in ("-0",) else "0"


class Args:
    """A part's arguments resolved for one execution."""

    def __init__(self, method: "Method", part: Part, ctx: Ctx):
        self.method, self.part, self.ctx = method, part, ctx
        self.missing: list[str] = []
        unknown = set(part.args) - {p for p in method.params} - {"名称", "分"}
        if unknown:
            raise ConfigError(f"计分方法“{part.text()}”有未知参数：{'、'.join(sorted(unknown))}；可用参数：{'、'.join(method.params)}")

    def raw(self, key: str) -> str | None:
        v = self.part.args.get(key)
        return v if v is not None else self.method.defaults.get(key)

    def has(self, key: str) -> bool:
        return self.raw(key) is not None

    def num(self, key: str) -> Decimal:
        raw = self.raw(key)
        if raw is None:
            raise ConfigError(f"计分方法“{self.part.text()}”缺少参数“{key}”")
        p = parse_number(raw)
        if p.kind == "number":
            return p.value
        if raw in self.ctx.values or raw in BY_NAME:
            v = self.ctx.values.get(raw)
            if v is None:
                self.missing.append(raw)
                return Decimal(0)
            return v
        raise ConfigError(f"计分方法“{self.part.text()}”的参数 {key}={raw} 既不是数字，也不是已知的输入名称")

    def expr(self, key: str) -> str:
        """The Excel expression for a parameter: a literal or a defined name."""
        raw = self.raw(key)
        if raw is None:
            raise ConfigError(f"计分方法“{self.part.text()}”缺少参数“{key}”")
        p = parse_number(raw)
        if p.kind == "number":
            return _num_literal(p.value)
        if raw in self.ctx.refs:
            return self.ctx.refs[raw]
        return raw

    def items(self, key: str) -> list[str]:
        raw = self.raw(key) or ""
        return [x.strip() for x in raw.split("|") if x.strip()]

    @property
    def points(self) -> Decimal:
        return self.num("分")

    @property
    def label(self) -> str:
        return self.part.args.get("名称") or self.method.zh


def _rate(num: Decimal, den: Decimal, empty: Decimal = Decimal(0)) -> Decimal:
    if den == 0:
        return empty if num == 0 else HUGE
    return xround(num / den, RATE_PLACES)


def _rate_expr(num: str, den: str, empty: str = "0") -> str:
    return f"IF({den}=0,IF({num}=0,{empty},9.99E+307),ROUND({num}/{den},{RATE_PLACES}))"


class Method:
    id = ""
    zh = ""
    params: tuple[str, ...] = ()
    defaults: dict[str, str] = {}
    manual = False

    def max_points(self, a: Args) -> Decimal:
        return a.points

    def compute(self, a: Args) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def formula(self, a: Args) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


class Ratio(Method):
    """ratio × points, zero when over 100% (政府采购执行率)."""

    id, zh = "ratio", "比率"
    params = ("实际", "计划", "分")
    defaults = {"分": "1"}

    def compute(self, a):
        actual, plan, pts = a.num("实际"), a.num("计划"), a.points
        if plan == 0:
            s = pts if actual == 0 else Decimal(0)
            return Outcome(s, f"{a.label}：计划为 0，实际 {fmt_money(actual)}；得分 {fmt_score(s)}")
        r = _rate(actual, plan)
        if r > 1:
            return Outcome(Decimal(0), f"{a.label} = {fmt_money(actual)} ÷ {fmt_money(plan)} = {fmt_pct(r)}，超过 100%，得 0 分")
        s = r * pts
        return Outcome(s, f"{a.label} = {fmt_money(actual)} ÷ {fmt_money(plan)} = {fmt_pct(r)}；得分 = {fmt_pct(r)} × {fmt_score(pts)}")

    def formula(self, a):
        act, plan, pts = a.expr("实际"), a.expr("计划"), a.expr("分")
        return f"IF({plan}=0,IF({act}=0,{pts},0),IF({_rate_expr(act, plan)}>1,0,{_rate_expr(act, plan)}*{pts}))"


_OPS = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">=", "=": "="}


def _tiers(a: Args) -> list[tuple[str | None, Decimal | None, Decimal]]:
    out = []
    for item in a.items("档"):
        if ":" not in item:
            raise ConfigError(f"分档“{item}”应写成 条件:分数，例如 <90%:3")
        cond, pts = item.rsplit(":", 1)
        pts_p = parse_number(pts)
        if pts_p.kind != "number":
            raise ConfigError(f"分档“{item}”的分数不是数字")
        cond = cond.strip()
        if cond in ("其他", "其它", "else"):
            out.append((None, None, pts_p.value))
            continue
        op = next((o for o in ("<=", ">=", "≤", "≥", "<", ">", "=") if cond.startswith(o)), None)
        bound = parse_number(cond[len(op):]) if op else None
        if op is None or bound.kind != "number":
            raise ConfigError(f"分档条件“{cond}”无法识别，应为 <、<=、>、>= 加数值，如 <90%")
        out.append((_OPS[op], bound.value, pts_p.value))
    if not out:
        raise ConfigError("分档方法缺少 档=… 参数")
    return out


def _test(op: str, x: Decimal, b: Decimal) -> bool:
    return {"<": x < b, "<=": x <= b, ">": x > b, ">=": x >= b, "=": x == b}[op]


class Tiers(Method):
    """Threshold tiers on a rate: first matching tier wins (三公、日常公用经费、固定资产利用率)."""

    id, zh = "tiers", "分档"
    params = ("分子", "分母", "值", "档", "分", "取补", "空")
    defaults = {"空": "0"}

    def max_points(self, a):
        return a.num("分") if a.has("分") else max(p for _, _, p in _tiers(a))

    def _value(self, a) -> Decimal:
        if a.has("值"):
            return a.num("值")
        r = _rate(a.num("分子"), a.num("分母"), a.num("空"))
        return 1 - r if a.raw("取补") in ("是", "1", "true") else r

    def _value_expr(self, a) -> str:
        if a.has("值"):
            return a.expr("值")
        r = _rate_expr(a.expr("分子"), a.expr("分母"), a.expr("空"))
        return f"(1-{r})" if a.raw("取补") in ("是", "1", "true") else r

    def compute(self, a):
        v = self._value(a)
        for op, bound, pts in _tiers(a):
            if op is None or _test(op, v, bound):
                cond = "其他" if op is None else f"{op}{fmt_pct(bound)}"
                shown = fmt_pct(v) if v != HUGE else "无法计算（分母为 0）"
                how = f"{fmt_money(a.num('分子'))} ÷ {fmt_money(a.num('分母'))} = " if a.has("分子") else ""
                if a.raw("取补") in ("是", "1", "true"):
                    how = f"1 − {fmt_money(a.num('分子'))} ÷ {fmt_money(a.num('分母'))} = "
                return Outcome(pts, f"{a.label} = {how}{shown}，{cond} 档得 {fmt_score(pts)} 分")
        return Outcome(Decimal(0), f"{a.label} = {fmt_pct(v)}，不在任何档内，得 0 分")

    def formula(self, a):
        v = self._value_expr(a)
        expr = "0"
        for op, bound, pts in reversed(_tiers(a)):
            if op is None:
                expr = _num_literal(pts)
            else:
                expr = f"IF({v}{op}{_num_literal(bound)},{_num_literal(pts)},{expr})"
        return expr


class OverLimit(Method):
    """Deduct per percentage point over a limit (调整、调剂 within 10% of 部门预算总规模)."""

    id, zh = "over_limit", "超限扣分"
    params = ("分子", "分母", "限", "每点", "分")
    defaults = {"限": "10%", "每点": "0.1"}

    def compute(self, a):
        r = _rate(a.num("分子"), a.num("分母"))
        limit, per, pts = a.num("限"), a.num("每点"), a.points
        over = max(Decimal(0), r - limit) * 100
        s = max(Decimal(0), pts - over * per)
        return Outcome(s, f"{a.label} = {fmt_money(a.num('分子'))} ÷ {fmt_money(a.num('分母'))} = {fmt_pct(r)}，"
                          f"超出 {fmt_pct(limit)} 共 {xround(over)} 个百分点，扣 {fmt_score(min(pts, over * per))} 分，得 {fmt_score(s)}")

    def formula(self, a):
        r = _rate_expr(a.expr("分子"), a.expr("分母"))
        return f"MAX(0,{a.expr('分')}-MAX(0,{r}-{a.expr('限')})*100*{a.expr('每点')})"


class PerMiss(Method):
    """Deduct per item missed, floor 0 (重点工作：一项未完成扣 4 分)."""

    id, zh = "per_miss", "缺项扣分"
    params = ("计划", "完成", "每项", "分")

    def compute(self, a):
        plan, done, per, pts = a.num("计划"), a.num("完成"), a.num("每项"), a.points
        miss = max(Decimal(0), plan - done)
        s = max(Decimal(0), pts - miss * per)
        return Outcome(s, f"{a.label}：计划 {xround(plan, 0)} 项，完成 {xround(done, 0)} 项，未完成 {xround(miss, 0)} 项 × {fmt_score(per)} 分，得 {fmt_score(s)}")

    def formula(self, a):
        return f"MAX(0,{a.expr('分')}-MAX(0,{a.expr('计划')}-{a.expr('完成')})*{a.expr('每项')})"


class DoneRatio(Method):
    """done / planned × points (项目完成及时性)."""

    id, zh = "done_ratio", "完成比例"
    params = ("计划", "完成", "分")

    def compute(self, a):
        plan, done, pts = a.num("计划"), a.num("完成"), a.points
        if plan == 0:
            return Outcome(pts, f"{a.label}：无计划项目，得满分 {fmt_score(pts)}")
        r = min(_rate(done, plan), Decimal(1))
        return Outcome(r * pts, f"{a.label} = {xround(done, 0)} ÷ {xround(plan, 0)} = {fmt_pct(r)}；得分 = {fmt_pct(r)} × {fmt_score(pts)}")

    def formula(self, a):
        plan, done, pts = a.expr("计划"), a.expr("完成"), a.expr("分")
        return f"IF({plan}=0,{pts},MIN({_rate_expr(done, plan)},1)*{pts})"


class Quarterly(Method):
    """Quarter-end cumulative progress against 序时进度 25/50/75/100%, plus the average."""

    id, zh = "quarterly", "序时进度"
    params = ("总指标", "季度", "序时", "每季", "均值", "分")
    defaults = {"序时": "25%|50%|75%|100%", "每季": "1", "均值": "2"}

    def max_points(self, a):
        return a.num("分") if a.has("分") else a.num("每季") * len(a.items("季度")) + a.num("均值")

    def _quarters(self, a) -> list[tuple[str, str]]:
        qs, ss = a.items("季度"), a.items("序时")
        if len(qs) != len(ss) or not qs:
            raise ConfigError(f"序时进度需要与序时数相同的季度累计支出（现 {len(qs)} 个季度、{len(ss)} 个序时）")
        return list(zip(qs, ss))

    def compute(self, a):
        total, each, avgw = a.num("总指标"), a.num("每季"), a.num("均值")
        ratios, parts = [], []
        for q, s in self._quarters(a):
            spent = a.ctx.values.get(q) if q in a.ctx.values else parse_number(q).value
            if spent is None:
                a.missing.append(q)
                spent = Decimal(0)
            sched = parse_number(s).value
            progress = _rate(spent, total)
            r = min(xround(progress / sched, RATE_PLACES), Decimal(1)) if total else Decimal(0)
            ratios.append(r)
            parts.append(f"{fmt_money(spent)}÷{fmt_money(total)}={fmt_pct(progress)}，÷{fmt_pct(sched)}={fmt_pct(r)}")
        mean = sum(ratios) / len(ratios)
        s = sum(ratios) * each + avgw * mean
        return Outcome(s, f"{a.label}：" + "；".join(f"Q{i + 1} {p}" for i, p in enumerate(parts))
                       + f"；得分 = {fmt_score(sum(ratios))} × {fmt_score(each)} + {fmt_score(avgw)} × 平均 {fmt_pct(mean)} = {fmt_score(s)}")

    def formula(self, a):
        total = a.expr("总指标")
        rs = []
        for q, s in self._quarters(a):
            qe = a.ctx.refs.get(q, q) if parse_number(q).kind != "number" else _num_literal(parse_number(q).value)
            rs.append(f"MIN(ROUND({_rate_expr(qe, total)}/{_num_literal(parse_number(s).value)},{RATE_PLACES}),1)")
        n = len(rs)
        return f"IF({total}=0,0,SUM({','.join(rs)})*({a.expr('每季')}+{a.expr('均值')}/{n}))"


class ExecRate(Method):
    """预算执行率 (national): min(B/A, 1) × 10."""

    id, zh = "exec_rate", "执行率"
    params = ("执行数", "预算数", "分")
    defaults = {"分": "10"}

    def compute(self, a):
        b, aa, pts = a.num("执行数"), a.num("预算数"), a.points
        if aa == 0:
            return Outcome(Decimal(0), f"{a.label}：全年预算数为 0，得 0 分")
        r = _rate(b, aa)
        s = min(r, Decimal(1)) * pts
        cap = "（超过 100% 按 100% 计）" if r > 1 else ""
        return Outcome(s, f"{a.label} = {fmt_money(b)} ÷ {fmt_money(aa)} = {fmt_pct(r)}{cap}；得分 = {fmt_pct(min(r, Decimal(1)))} × {fmt_score(pts)}")

    def formula(self, a):
        b, aa, pts = a.expr("执行数"), a.expr("预算数"), a.expr("分")
        return f"IF({aa}=0,0,MIN({_rate_expr(b, aa)},1)*{pts})"


def _clamp_manual(a: Args, lo: Decimal, hi: Decimal, what: str) -> Outcome:
    v, pts = a.ctx.manual, a.points
    if v is None:
        return Outcome(None, f"{a.label}：待填写{what}（0–{fmt_score(pts)} 分）",
                       [("S-MANUAL", {"label": a.label, "lo": fmt_score(lo), "hi": fmt_score(hi),
                                      "column": a.ctx.manual_column})], pts)
    if v < lo or v > hi:
        c = min(max(v, lo), hi)
        return Outcome(c, f"{a.label}：填写 {fmt_score(v)} 超出 {fmt_score(lo)}–{fmt_score(hi)}，按 {fmt_score(c)} 计",
                       [("S-RANGE", {"label": a.label, "value": fmt_score(v), "lo": fmt_score(lo), "hi": fmt_score(hi)})])
    who = "" if a.label == a.method.zh else f"{a.label}："
    return Outcome(v, f"{who}{what} {fmt_score(v)}")


class Manual(Method):
    """Entered by the user; checked for 0 ≤ score ≤ 分值."""

    id, zh = "manual", "手工"
    params = ("分",)
    manual = True

    def compute(self, a):
        return _clamp_manual(a, Decimal(0), a.points, "手工评分")

    def formula(self, a):
        return f"MIN(MAX({a.ctx.manual_ref},0),{a.expr('分')})"


QUAL_TIERS = {"达成": (Decimal("0.8"), Decimal("1")), "部分达成": (Decimal("0.6"), Decimal("0.8")), "未达成": (Decimal("0"), Decimal("0.6"))}


def qual_tier(text: str) -> str | None:
    t = (text or "").strip()
    for name in ("部分达成", "未达成", "达成"):
        if t.startswith(name) or t == name:
            return name
    return None


class Qualitative(Method):
    """定性: the user picks 达成 / 部分达成 / 未达成 and a score inside the tier's range."""

    id, zh = "qualitative", "定性"
    params = ("档", "分")
    manual = True

    def compute(self, a):
        tier = qual_tier(a.raw("档") or a.ctx.texts.get("actual", ""))
        pts = a.points
        if tier is None:
            lo, hi = Decimal(0), pts
            out = _clamp_manual(a, lo, hi, "定性评分")
            out.problems.append(("S-QUAL", {"label": a.label}))
            return out
        flo, fhi = QUAL_TIERS[tier]
        return _clamp_manual(a, flo * pts, fhi * pts, f"定性“{tier}”评分")

    def formula(self, a):
        return f"MIN(MAX({a.ctx.manual_ref},0),{a.expr('分')})"


class TargetCompare(Method):
    """National target comparison: ≥ full when met else actual/target × 分值; ≤ the reverse; = closeness."""

    id, zh = "target", "目标"
    params = ("性质", "指标值", "完成值", "分")

    def compute(self, a):
        pts = a.points
        nature = (a.raw("性质") or "").strip()
        t = parse_target(a.ctx.texts.get("target", a.raw("指标值")), nature if nature in ("≥", "≤", "=") else "≥")
        act = parse_target(a.ctx.texts.get("actual", a.raw("完成值")))
        op = nature if nature in ("≥", "≤", "=") else t.op
        if op in (">",):
            op = "≥"
        if op in ("<",):
            op = "≤"
        pair = comparable(t, act)
        if op == QUAL or pair is None:
            why = "指标值或完成值无法解析为数值" if pair is None and op != QUAL else "定性指标"
            return Outcome(None, f"{a.label}：{why}，请按定性指标评分",
                           [("S-COMPARE", {"label": a.label, "target": t.text, "actual": act.text, "why": why})], pts)
        tv, av = pair
        if op == "≥":
            met = av >= tv
            s = pts if met or tv == 0 else max(Decimal(0), av / tv * pts)
        elif op == "≤":
            met = av <= tv
            s = pts if met or av == 0 else tv / av * pts
        else:
            met = av == tv
            s = pts if met else (min(av, tv) / max(av, tv) * pts if max(av, tv) > 0 else Decimal(0))
        s = min(s, pts)
        word = "达到" if met else "未达到"
        return Outcome(s, f"{a.label}：指标 {op}{t.text.lstrip('≥≤=≧≦<>')}，完成 {act.text}，{word}目标，得 {fmt_score(s)}")

    def formula(self, a):
        r = a.ctx.refs
        n, t, v, p = r["性质"], r["指标值"], r["完成值"], a.expr("分")
        ge = f"IF({v}>={t},{p},IF({t}=0,{p},MAX(0,{v}/{t}*{p})))"
        le = f"IF({v}<={t},{p},{t}/{v}*{p})"
        eq = f"IF({v}={t},{p},IF(MAX({v},{t})>0,MIN({v},{t})/MAX({v},{t})*{p},0))"
        return f"MIN({p},IF({n}=\"≤\",{le},IF({n}=\"=\",{eq},{ge})))"


REGISTRY: dict[str, Method] = {}
for _m in (Ratio(), Tiers(), OverLimit(), PerMiss(), DoneRatio(), Quarterly(), ExecRate(), Manual(), Qualitative(), TargetCompare()):
    REGISTRY[_m.zh] = _m
    REGISTRY[_m.id] = _m


def method_for(part: Part) -> Method:
    m = REGISTRY.get(part.method)
    if m is None:
        names = "、".join(sorted({m.zh for m in REGISTRY.values()}))
        raise ConfigError(f"未知的计分方法“{part.method}”；可用方法：{names}")
    return m
