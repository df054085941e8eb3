"""The text reports of `validate` and `score`: the forms recognised, what the reader did that the user should
know, the findings and their counts."""

from __future__ import annotations


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
    return [f"[{f.severity.zh}] {f.rule:<12} {f.message}" for f in findings]


def counts_line(c: dict) -> str:
    return f"共 {c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。"
