"""The default subject and body, read from the workbook being sent.

An exported scorecard carries them on its 汇总 sheet; any other workbook is validated and scored."""

from __future__ import annotations

from pathlib import Path

from selfeval_xl.core.money import fmt_score
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.core.record import record

SUMMARY_SHEET = "汇总"


@record
class Summary:
    unit: str
    year: str
    total: str  # as shown, e.g. "95.41"
    grade: str
    errors: int
    warnings: int
    infos: int

    @property
    def open_findings(self) -> int:
        return self.errors + self.warnings + self.infos

    def subject(self) -> str:
        return f"{self.unit}{self.year}年度绩效自评评分表"

    def body(self, filename: str) -> str:
        return (f"您好：\n\n附件为{self.unit}{self.year}年度预算绩效自评评分表（{filename}）。\n"
                f"自评总分 {self.total} 分，评价等级：{self.grade}。\n"
                f"待处理问题 {self.open_findings} 个（错误 {self.errors}，警告 {self.warnings}，提示 {self.infos}）。\n\n"
                f"此邮件由 selfeval-xl 生成。\n")


def _from_export(path: Path) -> Summary | None:
    from selfeval_xl.sources.xlsx import load_grids

    grids, _ = load_grids(path)
    sheet = next((g for g in grids if g.name == SUMMARY_SHEET), None)
    if sheet is None:
        return None
    kv = {str(r[0]).strip(): r[1] for r in sheet.rows if len(r) >= 2 and r[0]}
    if "自评总分" not in kv:
        return None
    counts = [int(x) for x in str(kv.get("问题数（错误/警告/提示）", "0/0/0")).replace(" ", "").split("/") if x.isdigit()]
    counts = (counts + [0, 0, 0])[:3]
    total = parse_number(kv.get("自评总分"))
    year = kv.get("年度", "")
    year = str(int(year)) if isinstance(year, float) else str(year or "")
    return Summary(str(kv.get("单位名称") or ""), year, fmt_score(total.value) if total.kind == "number" else str(kv["自评总分"]),
                   str(kv.get("评价等级") or ""), *counts)


def summarise(path: Path) -> Summary:
    """Unit, year, total score, grade and finding counts of the workbook at path."""
    s = _from_export(path)
    if s is not None:
        return s
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate

    checked = validate(path)
    result = score(checked)
    c = checked.counts()
    info = checked.wb.info
    return Summary(info.get("UnitName", ""), str(info.get("Year", "")), fmt_score(result.total), result.grade,
                   c["error"], c["warning"], c["info"])
