"""Score an indicator system: each leaf's parts computed by its registered method.

Each leaf's 自评得分 is the presented figure ROUND(Σ parts, 2), as on the official form;
the total is the sum of those presented figures, so the 合计 row adds up as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xl.core.money import fmt_score, xround
from selfeval_xl.core.model import Finding
from selfeval_xl.errors import ConfigError
from selfeval_xl.scoring.methods import Args, Ctx, method_for
from selfeval_xl.scoring.system import Indicator, System, check_structure


@dataclass
class ScoreItem:
    path: list[str]
    max: Decimal
    score: Decimal | None
    method: str
    explanation: str
    row: int | None = None
    unscored: Decimal = Decimal(0)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "max": float(self.max),
            "score": None if self.score is None else float(self.score),
            "method": self.method,
            "explanation": self.explanation,
        }


@dataclass
class ScoreResult:
    system: System
    items: list[ScoreItem]
    findings: list[Finding] = field(default_factory=list)

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


@dataclass
class LeafInput:
    """What the workbook holds for one leaf: its manual score, texts, and where it lives."""

    manual: Decimal | None = None
    texts: dict[str, str] = field(default_factory=dict)
    sheet: str = "评分表"
    cell: str = ""


def score_leaf(leaf: Indicator, path: list[str], values: dict, inp: LeafInput) -> tuple[ScoreItem, list[Finding]]:
    spec = leaf.spec()
    findings: list[Finding] = []
    total, texts, unscored, any_unscored = Decimal(0), [], Decimal(0), False
    manual_parts = [p for p in spec.parts if method_for(p).manual]
    if len(manual_parts) > 1:
        raise ConfigError(f"“{leaf.name}”的计分方法含多个手工部分，每行只有一个手工得分格，请合并")
    declared = Decimal(0)
    label = "/".join(path)
    for part in spec.parts:
        m = method_for(part)
        ctx = Ctx(values=values, manual=inp.manual, texts=inp.texts)
        if "分" not in part.args and len(spec.parts) == 1 and "分" not in m.defaults:
            part = type(part)(part.method, {**part.args, "分": str(leaf.points)})
        a = Args(m, part, ctx)
        declared += m.max_points(a)
        out = m.compute(a)
        for name in sorted(set(a.missing)):
            findings.append(Finding("warning", "S-INPUT", inp.sheet, inp.cell,
                                    f"{inp.sheet}!{inp.cell} {label}：输入“{name}”未填写，按 0 计分，请在 基础数据 中填写"))
        for sev, msg in out.problems:
            findings.append(Finding(sev, "S-MANUAL" if m.manual else "S-METHOD", inp.sheet, inp.cell, f"{inp.sheet}!{inp.cell} {msg}"))
        texts.append(out.explain)
        if out.score is None:
            any_unscored = True
            unscored += out.unscored
        else:
            total += out.score
    if declared != leaf.points:
        findings.append(Finding("error", "S-POINTS", inp.sheet, inp.cell,
                                f"{inp.sheet}!{inp.cell} {label} 分值 {fmt_score(leaf.points)} ≠ 计分方法各部分分值之和 {fmt_score(declared)}，请核对计分方法"))
    score = None if any_unscored and total == 0 and len(spec.parts) == 1 else xround(total)
    explanation = "；".join(texts)
    if len(spec.parts) > 1 and score is not None:
        explanation += f"；合计 = {fmt_score(score)}"
    elif score is not None and "×" in explanation.rsplit("；", 1)[-1]:
        explanation += f" = {fmt_score(score)}"
    return ScoreItem(path, leaf.points, score, spec.text(), explanation, leaf.row, unscored), findings


def score_system(system: System, values: dict, inputs: dict[tuple[str, ...], LeafInput] | None = None) -> ScoreResult:
    """Score every leaf; structural problems and unscored manual items become findings."""
    inputs = inputs or {}
    items, findings = [], []
    for msg in check_structure(system):
        findings.append(Finding("error", "S-STRUCT", "评分表", "A1", f"评分表 {msg}"))
    for path, leaf in system.leaves():
        inp = inputs.get(tuple(path)) or LeafInput()
        item, f = score_leaf(leaf, path, values, inp)
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
