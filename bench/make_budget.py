"""Generate a 表5 workbook of N rows in the official layout (an accountant's own file, not our template).

Three 分类 blocks of detail rows, each followed by its 小计, then 总计; figures in 万元 with two decimals,
consistent so that validation has work to do but few findings. Written with xlsxwriter (constant memory).
"""

from __future__ import annotations

import sys
from decimal import Decimal

HEAD = ["分类", "预算项目", "部门预算指标", "上年结转", "追加指标", "调整指标", "年度总指标", "支出数",
        "剩余指标", "执行进度", "执行率差额原因"]
CATS = ["政府投资项目支出", "基本支出", "项目支出(除政府投资项目)"]


def make(path: str, n: int, reason_gap: int = 50, plant: dict | None = None, indent_one: bool = False,
         children_every: int = 0) -> str:
    """Write a 表5 with n data rows (details + 3 小计 + 总计) to path.

    Every reason_gap-th row below 90% lacks its 差额原因 (0: none lacks one); plant maps a 0-based data
    row to {column index: value} written over the generated figures (planted mistakes). indent_one indents
    one 预算项目 cell (as accountants' files carry); children_every > 0 follows every children_every-th detail
    row of every block with two unprefixed, indented 其中 rows that add up to it (so the reader must decide
    child or sibling everywhere; they count among the n rows)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("部门整体支出")
    pct = wb.add_format({"num_format": "0.00%"})
    indented = wb.add_format({"indent": 1})
    ws.write_row(0, 0, ["表 5 预算整体支出情况表"])
    ws.write_row(1, 0, ["单位：万元"])
    ws.write_row(2, 0, HEAD)
    details = max(n - 4, 3)
    per = [details // 3 + (1 if i < details % 3 else 0) for i in range(3)]
    r = 3
    grand = [Decimal(0)] * 6
    for ci, cat in enumerate(CATS):
        sub = [Decimal(0)] * 6
        k = 0
        while k < per[ci]:
            budget = Decimal(100 + (r * 37) % 900) + Decimal((r * 13) % 100) / 100
            carry = Decimal((r % 7) * 3)
            add = Decimal((r % 5) * 2)
            adj = -Decimal(r % 3)
            total = budget + carry + add + adj
            spent = (total * Decimal(85 + r % 15) / 100).quantize(Decimal("0.01"))
            vals = [budget, carry, add, adj, total, spent]
            reason = "因项目进度调整" if spent / total < Decimal("0.9") and (not reason_gap or r % reason_gap) else ""
            _row(ws, r, cat, f"项目{r:05d}", vals, reason, pct, (plant or {}).get(r - 3),
                 indented if indent_one and ci == 1 and k == 1 else None)
            sub = [a + b for a, b in zip(sub, vals)]
            r += 1
            k += 1
            if children_every and k % children_every == 1 and k + 2 <= per[ci]:
                half = [(v / 2).quantize(Decimal("0.01")) for v in vals]
                for part in (half, [v - h for v, h in zip(vals, half)]):
                    _row(ws, r, "", f"其中{r:05d}", part, "因项目进度调整" if reason else "", pct, None, indented)
                    r += 1
                    k += 1
        _row(ws, r, f"{cat}小计", "", sub, "", pct)
        grand = [a + b for a, b in zip(grand, sub)]
        r += 1
    _row(ws, r, "总计", "", grand, "", pct)
    wb.close()
    return path


def _row(ws, r, cat, label, vals, reason, pct, over=None, label_format=None):
    total, spent = vals[4], vals[5]
    if cat:
        ws.write_string(r, 0, cat)
    ws.write_string(r, 1, label, label_format)
    for j, v in enumerate(vals):
        ws.write_number(r, 2 + j, float(v))
    ws.write_number(r, 8, float(total - spent))
    ws.write_number(r, 9, float(spent / total) if total else 0, pct)
    ws.write_string(r, 10, reason)
    for c, v in (over or {}).items():
        ws.write(r, c, v)


if __name__ == "__main__":
    make(sys.argv[1], int(sys.argv[2]))
