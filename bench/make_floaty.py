"""Generate a 表5 of N rows as accountants' own files often are: 6–8 filled cells per row (the 分类 only on a
block's first row, 结转 and 调整 only where there are any, no 差额原因 unless the rate is low) and 执行进度 as
full-precision floats (spent ÷ total as the spreadsheet computed it, e.g. 0.8712345678901234).

    python3 bench/make_floaty.py OUT.xlsx 20000
"""

from __future__ import annotations

import sys
from decimal import Decimal

from make_budget import CATS, HEAD


def make_floaty(path: str, n: int) -> str:
    """Write the table to path (xlsxwriter, constant memory) and return path."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("部门整体支出")
    pct = wb.add_format({"num_format": "0.00%"})
    ws.write_row(0, 0, ["表 5 预算整体支出情况表"])
    ws.write_row(1, 0, ["单位：万元"])
    ws.write_row(2, 0, HEAD)
    details = max(n - 4, 3)
    per = [details // 3 + (1 if i < details % 3 else 0) for i in range(3)]
    r, grand = 3, [Decimal(0)] * 6
    for ci, cat in enumerate(CATS):
        sub = [Decimal(0)] * 6
        for k in range(per[ci]):
            budget = Decimal(100 + (r * 37) % 900) + Decimal((r * 13) % 100) / 100
            carry = Decimal((r * 7) % 50) / 10 if r % 3 == 0 else Decimal(0)
            adj = -Decimal((r * 11) % 40) / 10 if r % 5 == 0 else Decimal(0)
            total = budget + carry + adj
            spent = (total * Decimal(8000 + (r * 7919) % 2000) / 10000).quantize(Decimal("0.01"))
            vals = [budget, carry, Decimal(0), adj, total, spent]
            if k == 0:
                ws.write_string(r, 0, cat)
            ws.write_string(r, 1, f"项目{r:05d}")
            ws.write_number(r, 2, float(budget))
            if carry:
                ws.write_number(r, 3, float(carry))
            if adj:
                ws.write_number(r, 5, float(adj))
            ws.write_number(r, 6, float(total))
            ws.write_number(r, 7, float(spent))
            ws.write_number(r, 8, float(total) - float(spent))  # as a spreadsheet subtracts: 12.340000000000003
            rate = float(spent) / float(total)
            ws.write_number(r, 9, rate, pct)
            if rate < 0.9 and r % 50:
                ws.write_string(r, 10, "因项目进度调整")
            sub = [a + b for a, b in zip(sub, vals)]
            r += 1
        _total_row(ws, r, f"{cat}小计", sub, pct)
        grand = [a + b for a, b in zip(grand, sub)]
        r += 1
    _total_row(ws, r, "总计", grand, pct)
    wb.close()
    return path


def _total_row(ws, r, label, vals, pct):
    ws.write_string(r, 0, label)
    for j, v in enumerate(vals):
        ws.write_number(r, 2 + j, float(v))
    ws.write_number(r, 8, float(vals[4] - vals[5]))
    ws.write_number(r, 9, float(vals[5]) / float(vals[4]), pct)


if __name__ == "__main__":
    make_floaty(sys.argv[1], int(sys.argv[2]))
