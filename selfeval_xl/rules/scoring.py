"""Findings of the scoring engine, declared like the checks: an unscored judgement item, a score outside its
range, an input left blank, an indicator system whose 分值 do not add up."""

from __future__ import annotations

from selfeval_xl.rules.registry import Rule, declare
from selfeval_xl.rules.severity import Severity

E, W = Severity.ERROR, Severity.WARNING
_SYSTEM = "指标体系（评分表“计分方法”列或 --system 指定的预设）"
_NATIONAL = "财预〔2020〕10号 附件：定性指标按 达成 80–100%、部分达成 60–80%、未达成 0–60% 的分值评分"

declare(
    Rule("S-INPUT", W, "评分表", "{label}：{sheet}“{name}”未填写，按 0 计分，{todo}", _SYSTEM),
    Rule("S-MANUAL", W, "评分表", "{label} 尚未评分，请在“{column}”中填写 {lo}–{hi} 之间的分数", _SYSTEM),
    Rule("S-RANGE", E, "评分表", "{label} 填写的得分 {value} 不在 {lo}–{hi} 之间，请改正", _NATIONAL),
    Rule("S-QUAL", W, "评分表", "{label} 为定性指标，完成值应写 达成 / 部分达成 / 未达成 之一", _NATIONAL),
    Rule("S-COMPARE", W, "评分表", "{label} 的指标值“{target}”/完成值“{actual}”无法比较（{why}），请改为数值或按定性评分",
         "财预〔2020〕10号 附件：定量指标按完成值与指标值之比评分"),
    Rule("S-EMPTY", W, "评分表", "{label} 的年度指标值或实际完成值未填写，请补充", "财预〔2020〕10号 附件 项目支出绩效自评表"),
    Rule("S-NOTNUM", E, "评分表", "手工得分“{text}”不是数字，请填写分数", _SYSTEM),
    Rule("S-POINTS", E, "评分表", "{label} 分值 {points} ≠ 计分方法各部分分值之和 {declared}，请核对计分方法", _SYSTEM),
    Rule("S-STRUCT", E, "评分表", "{path} 分值 {points} ≠ 下级分值之和 {children}，请调整分值", _SYSTEM),
    Rule("S-TOTAL100", E, "评分表", "一级指标分值合计 {total} ≠ 100，请调整分值", _SYSTEM),
)
