"""Score an indicator system: each leaf's parts computed by its registered method.

Each leaf's 自评得分 is the presented figure ROUND(Σ parts, 2), as on the official form;
the total is the sum of those presented figures, so the 合计 row adds up as printed.
"""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.catalog import BY_NAME
from selfeval_xl.core.money import fmt_score, xround
from selfeval_xl.core.record import field, record
from selfeval_xl.errors import ConfigError
from selfeval_xl.rules.finding import Finding
from selfeval_xl.rules.registry import finding
from selfeval_xl.scoring.methods import Args, Ctx, method_for
from selfeval_xl.scoring.system import Indicator, System, check_structure


@record
class ScoreItem:
    path: list[str]
    max: Decimal
    score: Decimal | None
    method: str
    explanation: str
    row: int | None = None
    unscored: Decimal = Decimal(0)
    self_score: Decimal | None = None  # the unit's own 得分 as filled, where its sheet has one
    cell: CellAddress | None = None  # where the unit's 得分 is (or would be)
    rule: str = ""  # the scoring rule applied (its id; rules cite their source)

    def as_dict(self) -> dict:
        f = lambda v: None if v is None else float(v)  # noqa: E731
        return {
            "path": self.path,
            "cell": self.cell.a1 if self.cell else None,
            "points": float(self.max),
            "self_score": f(self.self_score),
            "score": f(self.score),
            "rule": self.rule,
            "explanation": self.explanation,
            "max": float(self.max),
            "method": self.method,
        }


@record
class FundScore:
    """The 预算执行 block of a form: A, B, B/A, the points it carries, the rule's score and the unit's own."""

    budget: Decimal | None
    spent: Decimal | None
    rate: Decimal | None  # B/A as a fraction
    points: Decimal
    score: Decimal | None  # the rule's figure
    self_score: Decimal | None = None  # as the unit filled it
    cell: CellAddress | None = None  # the unit's 得分 cell

    def as_dict(self) -> dict:
        f = lambda v: None if v is None else float(v)  # noqa: E731
        return {"budget": f(self.budget), "spent": f(self.spent), "rate": f(self.rate), "points": f(self.points),
                "score": f(self.score), "self_score": f(self.self_score)}


@record
class ScoreResult:
    system: System
    items: list[ScoreItem]
    findings: list[Finding] = field(default_factory=list)
    self_total: Decimal | None = None  # the sheet's 总分 as the unit filled it
    fund: FundScore | None = None  # the 预算执行 block, for forms that have one

    @property
    def self_sum(self) -> Decimal | None:
        """Σ of the unit's own 得分, None when the sheet holds none."""
        own = [i.self_score for i in self.items if i.self_score is not None]
        return sum(own, Decimal(0)) if own else None

    @property
    def total(self) -> Decimal:
        return sum((i.score or Decimal(0) for i in self.items), Decimal(0))

    @property
    def unscored(self) -> Decimal:
        return sum((i.unscored for i in self.items), Decimal(0))

    @property
    def grade(self) -> str:
        return self.system.grade(self.total)

    def by_root(self) -> list[tuple[str, Decimal, Decimal]]:
        """(一级指标, 分值, 得分) per root, for the 汇总 chart."""
        out: dict[str, list[Decimal]] = {}
        for i in self.items:
            acc = out.setdefault(i.path[0], [Decimal(0), Decimal(0)])
            acc[0] += i.max
            acc[1] += i.score or Decimal(0)
        return [(k, v[0], v[1]) for k, v in out.items()]


@record
class LeafInput:
    """What the workbook holds for one leaf: its manual score, texts, and the cell its findings point at."""

    manual: Decimal | None = None
    texts: dict[str, str] = field(default_factory=dict)
    cell: CellAddress | None = None
    column: str = "手工得分"  # the column the manual score is written in


def score_leaf(leaf: Indicator, path: list[str], values: dict, inp: LeafInput,
               anchor: CellAddress, input_cells: dict | None = None) -> tuple[ScoreItem, list[Finding]]:
    """Score one leaf; its findings point at the leaf's cell, else at anchor (a system without a sheet). An input
    left blank is reported at its own 基础数据 cell (input_cells: defined name → Cell), under its Chinese name."""
    spec = leaf.spec()
    where = inp.cell or anchor
    findings: list[Finding] = []
    total, texts, unscored, any_unscored = Decimal(0), [], Decimal(0), False
    manual_parts = [p for p in spec.parts if method_for(p).manual]
    if len(manual_parts) > 1:
        raise ConfigError(f"“{leaf.name}”的计分方法含多个手工部分，每行只有一个手工得分格，请合并")
    declared = Decimal(0)
    label = "/".join(path)
    for part in spec.parts:
        m = method_for(part)
        ctx = Ctx(values=values, manual=inp.manual, texts=inp.texts, manual_column=inp.column)
        if "分" not in part.args and len(spec.parts) == 1 and "分" not in m.defaults:
            part = type(part)(part.method, {**part.args, "分": str(leaf.points)})
        a = Args(m, part, ctx)
        declared += m.max_points(a)
        out = m.compute(a)
        for name in sorted(set(a.missing)):
            cell = (input_cells or {}).get(name)
            if cell is not None and cell.parsed.kind not in ("blank", "number"):
                continue  # text where a number belongs: reported by IN-NUM at its cell
            known = BY_NAME.get(name)
            findings.append(finding("S-INPUT", cell.addr if cell is not None else where,
                                    {"label": label, "name": known.label if known else name,
                                     "sheet": known.sheet if known else "基础数据",
                                     "todo": "请检查它的公式及所取的 表5 总计行" if known and known.derived
                                     else "请在此格填写" if cell is not None else "请在 基础数据 中填写"}))
        for rule_id, params in out.problems:
            if params.get("label") == m.zh:  # the method's own name (手工): say which indicator instead
                params = {**params, "label": f"“{leaf.name}”"}
            findings.append(finding(rule_id, where, params))
        texts.append(out.explain)
        if out.score is None:
            any_unscored = True
            unscored += out.unscored
        else:
            total += out.score
    if declared != leaf.points:
        findings.append(finding("S-POINTS", where, {"label": label, "points": fmt_score(leaf.points),
                                                     "declared": fmt_score(declared)}))
    score = None if any_unscored and total == 0 and len(spec.parts) == 1 else xround(total)
    explanation = "；".join(texts)
    if len(spec.parts) > 1 and score is not None:
        explanation += f"；合计 = {fmt_score(score)}"
    elif score is not None and "×" in explanation.rsplit("；", 1)[-1]:
        explanation += f" = {fmt_score(score)}"
    return ScoreItem(path, leaf.points, score, spec.text(), explanation, leaf.row, unscored), findings


def score_system(system: System, values: dict, inputs: dict[tuple[str, ...], LeafInput] | None = None,
                 anchor: CellAddress | None = None, input_cells: dict | None = None) -> ScoreResult:
    """Score every leaf; structural problems and unscored manual items become findings. anchor is where
    findings without a cell of their own point (the 评分表's header, or the table the system scores);
    input_cells (defined name → Cell) where a blank input is reported."""
    inputs = inputs or {}
    anchor = anchor or CellAddress("评分表", 1, 1)
    items, findings = [], []
    for rule_id, params in check_structure(system):
        findings.append(finding(rule_id, anchor, params))
    for path, leaf in system.leaves():
        inp = inputs.get(tuple(path)) or LeafInput()
        item, f = score_leaf(leaf, path, values, inp, anchor, input_cells)
        items.append(item)
        findings.extend(f)
    return ScoreResult(system, items, findings)


def leaf_formula(leaf: Indicator, manual_ref: str, refs: dict[str, str] | None = None) -> str:
    """The Excel formula for a leaf's 自评得分, from the same method definitions."""
    spec = leaf.spec()
    exprs = []
    for part in spec.parts:
        m = method_for(part)
        if "分" not in part.args and len(spec.parts) == 1 and "分" not in m.defaults:
            part = type(part)(part.method, {**part.args, "分": str(leaf.points)})
        exprs.append(m.formula(Args(m, part, Ctx(manual_ref=manual_ref, refs=refs or {}))))
    return f"=ROUND({'+'.join(exprs)},2)"
