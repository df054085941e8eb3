"""Checks of a 评分表 as the unit filled it: 合计 = Σ 自评得分, 得分 ≤ 分值, each level's 分值 = Σ of the levels under
it, Σ 一级分值 = 100, and the 评价等级 that the 合计 gives."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import ScorecardTable
from selfeval_xl.core.money import fmt_score
from selfeval_xl.rules.registry import Rule, check, declare
from selfeval_xl.rules.severity import Severity
from selfeval_xl.core.model import figure
from selfeval_xl.scoring.form_rules import grade_of

E, I = Severity.ERROR, Severity.INFO
T = "评分表"
_SRC = "绩效评价指标体系评分表：各级分值逐级相加，自评得分不超过分值，合计为各项得分之和"

declare(
    Rule("SC-TOTAL", E, T, "合计 {total} ≠ 各项自评得分之和 {expected}，请核对合计或各项得分", _SRC),
    Rule("SC-SCORE-MAX", E, T, "“{label}”自评得分 {score} 超过分值 {points}，请改正", _SRC),
    Rule("SC-LEVEL", E, T, "“{label}”分值 {points} ≠ 其下各项分值之和 {children}，请核对分值", _SRC),
    Rule("SC-100", E, T, "一级指标分值合计 {total} ≠ 100，请核对分值", _SRC),
    Rule("SC-GRADE", E, T, "评价等级“{grade}”与合计 {total} 不符，按优 ≥ 90、良 80–90、中 60–80、差 < 60 应为“{expected}”", _SRC),
    Rule("SC-UNSCORED", I, T, "评分表的自评得分均未填写（{n} 项），请逐项评分后再计分", _SRC),
    Rule("SC-NUM", E, T, "{what}填写为文字“{text}”，此处应为分数：计分时按未评分处理，请改为数字", _SRC),
)


def _own(table: ScorecardTable):
    for row in table.rows:
        v = figure(row.own)
        if v is not None:
            yield row, v


@check("SC-TOTAL")
def _total(t: ScorecardTable, ctx):
    total = figure(t.own_total)
    own = [v for _, v in _own(t)]
    if total is None or not own:
        return
    s = sum(own, Decimal(0))
    if abs(s - total) > Decimal("0.01"):
        yield t.own_total.addr, {"total": fmt_score(total), "expected": fmt_score(s)}


@check("SC-SCORE-MAX")
def _max(t: ScorecardTable, ctx):
    for row, v in _own(t):
        if t.has_methods:  # our template: its formulas stay within the 分值; a score typed over them may not
            points = row.points[-1] if row.points and not row.own.formula else None
        else:
            points = row.declared[-1] if row.declared else None
        if points is not None and v > points:
            yield row.own.addr, {"label": row.path[-1], "score": fmt_score(v), "points": fmt_score(points)}


def _levels(t: ScorecardTable):
    """{path prefix: (declared points, where shown, [points of the direct children])}."""
    nodes: dict[tuple[str, ...], list] = {}
    for row in t.rows:
        declared = row.declared or row.points
        at = row.points_at or (None,) * len(row.path)
        for depth in range(len(row.path)):
            key = row.path[:depth + 1]
            if key not in nodes:
                nodes[key] = [declared[depth], at[depth] if depth < len(at) else None, {}]
            if depth > 0:
                nodes[row.path[:depth]][2][key] = declared[depth]
    return nodes


@check("SC-LEVEL")
def _level(t: ScorecardTable, ctx):
    for key, (declared, at, kids) in _levels(t).items():
        if declared is None or at is None or not kids or any(v is None for v in kids.values()):
            continue
        s = sum(kids.values(), Decimal(0))
        if s != declared:
            yield at, {"label": key[-1], "points": fmt_score(declared), "children": fmt_score(s)}


@check("SC-100")
def _hundred(t: ScorecardTable, ctx):
    roots = {k: v for k, v in _levels(t).items() if len(k) == 1}
    if not roots or any(v[0] is None for v in roots.values()):
        return
    s = sum((v[0] for v in roots.values()), Decimal(0))
    where = next((v[1] for v in roots.values() if v[1] is not None), None)
    if s != 100 and where is not None:
        yield where, {"total": fmt_score(s)}


@check("SC-GRADE")
def _grade(t: ScorecardTable, ctx):
    total = figure(t.own_total)
    if total is None or not t.grade_text or t.grade is None:
        return
    expected = grade_of(total)
    if t.grade_text not in (expected, {"优": "优秀", "良": "良好"}.get(expected, expected)):
        yield t.grade, {"grade": t.grade_text, "total": fmt_score(total), "expected": expected}


@check("SC-NUM")
def _text_scores(t: ScorecardTable, ctx):
    cells = [(f"“{row.path[-1]}”的自评得分", row.own) for row in t.rows] + [("合计", t.own_total)]
    for what, cell in cells:
        if cell is not None and cell.parsed.kind == "text" and not cell.formula and str(cell.parsed.raw).strip():
            yield cell.addr, {"what": what, "text": str(cell.parsed.raw).strip()[:40]}


@check("SC-UNSCORED")
def _unscored(t: ScorecardTable, ctx):
    if t.has_methods or any(True for _ in _own(t)):
        return
    first = next((row.score for row in t.rows if row.score is not None), None)
    if first is not None:
        yield first, {"n": len(t.rows)}
