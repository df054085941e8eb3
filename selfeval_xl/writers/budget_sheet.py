"""The 表5 sheet as both the template and the export write it: the header from the one layout, the row
formulas and the block sums built from the layout's column letters (nothing here counts columns)."""

from __future__ import annotations

from selfeval_xl.forms.layouts import BUDGET5
from selfeval_xl.writers.styles import write_headers

L = BUDGET5.letter
FIGURE_KEYS = ("budget", "carry", "added", "adjust", "total", "spent", "remaining")  # the summed columns, in order
INPUT_KEYS = ("budget", "carry", "added", "adjust")


def write_header(ws, fm, unit: str, layout=BUDGET5) -> None:
    """Title over every column, the 单位 line, the column headers with their widths (layout: BUDGET5, or the
    same columns with print widths)."""
    last = len(layout.columns) - 1
    ws.merge_range(0, 0, 0, last, layout.title, fm.title)
    ws.write_string(1, 0, f"单位：{unit}", fm.plain)
    write_headers(ws, fm, layout)


def total_formula(R: int, blank_row_empty: bool = False) -> str:
    """年度总指标 = 部门预算 + 结转 + 追加 + 调整; blank_row_empty leaves rows without a 预算项目 empty."""
    s = f"SUM({L('budget')}{R}:{L('adjust')}{R})"
    return f'=IF({L("item")}{R}="","",{s})' if blank_row_empty else f"={s}"


def remaining_formula(R: int, blank_row_empty: bool = False) -> str:
    d = f"{L('total')}{R}-{L('spent')}{R}"
    return f'=IF({L("total")}{R}="","",{d})' if blank_row_empty else f"={d}"


def rate_formula(R: int, blank_row_empty: bool = False) -> str:
    """执行进度 = 支出数 ÷ 年度总指标, empty when the total is 0."""
    t, s = f"{L('total')}{R}", f"{L('spent')}{R}"
    r = f'IF({t}=0,"",{s}/{t})'
    return f'=IF({t}="","",{r})' if blank_row_empty else f"={r}"


def block_sum(key: str, first: int, last: int, criterion: str) -> str:
    """SUMIF over sheet rows first..last of a column, by the 行类型 column (criterion such as "<>其中")."""
    k = L("kind")
    return f"SUMIF(${k}${first}:${k}${last},{criterion},{L(key)}{first}:{L(key)}{last})"
