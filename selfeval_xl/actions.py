"""In-place marking of findings on a copy of the user's workbook (openpyxl): a note and a fill
per finding cell, and a 校验结果 sheet whose rows link to the cells. The input is never modified."""

from __future__ import annotations

import shutil
from pathlib import Path

from selfeval_xl.errors import FileError
from selfeval_xl.io.atomic import atomic_path

RESULT_SHEET = "校验结果"
FILL = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}
SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def safe_text(s: str) -> str:
    """User or message text as a literal: a leading = + - @ must not become a formula."""
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s


def annotate_file(src: str, out: str, findings) -> None:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    if Path(out).resolve() == Path(src).resolve():
        raise FileError("--annotate 的输出文件不能与输入文件相同；请另给一个文件名")
    with atomic_path(out) as tmp:
        shutil.copyfile(src, tmp)
        wb = openpyxl.load_workbook(tmp)
        by_cell: dict[tuple[str, str], list] = {}
        for f in findings:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
        for (sheet, cell), fs in by_cell.items():
            if sheet not in wb.sheetnames or not cell:
                continue
            c = wb[sheet][cell]
            worst = min(fs, key=lambda f: ("error", "warning", "info").index(f.severity)).severity
            c.fill = PatternFill("solid", fgColor=FILL[worst])
            c.comment = Comment("\n".join(f"[{SEV_ZH[f.severity]}] {f.message}" for f in fs), "selfeval-xl", width=320, height=120)
        if RESULT_SHEET in wb.sheetnames:
            del wb[RESULT_SHEET]
        ws = wb.create_sheet(RESULT_SHEET)
        ws.append(["级别", "规则", "单元格", "说明"])
        for f in findings:
            ws.append([SEV_ZH[f.severity], f.rule, f"{f.sheet}!{f.cell}", safe_text(f.message)])
            link = ws.cell(ws.max_row, 3)
            if f.cell:
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
                link.font = Font(color="FF0563C1", underline="single")
        for col, w in zip("ABCD", (8, 14, 14, 100)):
            ws.column_dimensions[col].width = w
        wb.save(tmp)
