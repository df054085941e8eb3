"""The text reports of `validate` and `score`: the forms recognised, the findings, and for scores a table of each
item with the unit's own score beside the rule's, and the three totals."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.money import fmt_score, xround


def forms_line(forms) -> str:
    """识别到：表5 预算整体支出情况表（工作表“表5”第 3 行）；…"""
    if not forms:
        return "识别到：（无）"
    return "识别到：" + "；".join(f"{f.name}（工作表“{f.sheet}”第 {f.header_row} 行）" for f in forms)


def notices(wb) -> list[str]:
    """What the reader did that the user should know: formulas computed because the file kept no results."""
    if wb.recalculated:
        return [f"注意：此文件的公式没有保存计算结果（由程序生成或保存），已用公式引擎计算 {wb.recalculated} 个公式后再校验；"
                "在 Excel 或 WPS 中打开并保存即可保存计算结果"]
    return []


def findings_lines(findings) -> list[str]:
    return [f"[{f.severity.zh}] {f.rule:<14} {f.message}" for f in findings]


def counts_line(c: dict) -> str:
    return f"共 {c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。"


def _s(v: Decimal | None) -> str:
    return "—" if v is None else fmt_score(xround(v))


def score_lines(result) -> list[str]:
    """One line per item (分值, 自评得分, 规则得分, 差), then 总分 as filled, Σ自评得分 and the rule total."""
    out = [f"{'指标':<36} {'分值':>6} {'自评得分':>8} {'规则得分':>8} {'差':>7}  说明"]
    for item in result.items:
        own, rule = item.self_score, item.score
        diff = "" if own is None or rule is None or xround(own) == xround(rule) else fmt_score(xround(own - rule))
        name = " / ".join(p for p in item.path if p)
        out.append(f"{name:<36} {fmt_score(item.max):>6} {_s(own):>8} {_s(rule):>8} {diff:>7}  {item.explanation}")
    self_sum = result.self_sum
    if result.self_total is not None or self_sum is not None:
        out.append(f"表中总分 {_s(result.self_total)}；各项自评得分之和 {_s(self_sum)}；按规则计 {_s(result.total)}")
    more = f"（尚有 {fmt_score(result.unscored)} 分未评分）" if result.unscored else ""
    out.append(f"总分 {fmt_score(result.total)}，评价等级 {result.grade}{more}")
    return out
