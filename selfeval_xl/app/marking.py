"""校验's marks on a workbook, and 清除标记: a fill and a note on each finding's cell (the originals remembered in
a very hidden sheet), and the 校验结果 sheet. Written once against the WorkbookPort, so Excel (the add-in) and
files (`validate --annotate`) get the same marks."""

from __future__ import annotations

from selfeval_xl.app.port import Mark, WorkbookPort
from selfeval_xl.forms.layouts import FINDINGS

RESULT_SHEET = "校验结果"
MARKS_SHEET = "_selfeval_marks"  # very hidden: the fills and notes that 校验 replaced
OWN_SHEETS = {RESULT_SHEET, MARKS_SHEET}
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}


def mark_findings(port: WorkbookPort, findings) -> None:
    """A fill and a note on every finding's cell (originals remembered), and the 校验结果 sheet."""
    by_sheet: dict[str, dict[str, list]] = {}
    existing = set(port.sheet_names())
    for f in findings:
        if f.sheet in existing:
            by_sheet.setdefault(f.sheet, {}).setdefault(f.a1, []).append(f)
    remembered: list[list] = []
    for sheet, cells in by_sheet.items():
        before = port.marks(sheet, list(cells))
        new = {}
        for cell, fs in cells.items():
            worst = min(fs, key=lambda f: f.severity.rank).severity
            text = "\n".join(f"[{f.severity.zh}] {f.message}" for f in fs)
            new[cell] = Mark.of({"rgb": FILL[worst.value]}, {"text": text, "author": "selfeval-xl"})
            remembered.append([sheet, cell, before[cell].fill, before[cell].note])
        port.set_marks(sheet, new)
    if remembered:
        port.add_sheet(MARKS_SHEET, hidden=True)
        port.write(MARKS_SHEET, 1, 1, [["sheet", "cell", "fill", "note"]] + remembered, text=True)
    _write_results(port, findings)


def _write_results(port: WorkbookPort, findings) -> None:
    port.add_sheet(RESULT_SHEET)
    port.write(RESULT_SHEET, 1, 1, [list(FINDINGS.headers)], text=True)
    if not findings:
        port.write(RESULT_SHEET, 2, 1, [["", "", "", "未发现问题。"]], text=True)
        return
    port.write(RESULT_SHEET, 2, 1, [[f.severity.zh, f.rule] for f in findings], text=True)
    links = []
    for f in findings:
        shown = str(f.cell).replace('"', '""')
        target = f"#{f.cell.qualified()}".replace('"', '""')
        links.append([f'=HYPERLINK("{target}","{shown}")'])
    port.write(RESULT_SHEET, 2, 3, links)  # our own formulas; user text never reaches them unescaped
    port.write(RESULT_SHEET, 2, 4, [[f.message] for f in findings], text=True)
    port.set_widths(RESULT_SHEET, list(FINDINGS.widths))


def clear_marks(port: WorkbookPort) -> int:
    """清除标记: put back the fills and notes 校验 replaced; remove our sheets. Returns cells restored."""
    names = port.sheet_names()
    restored = 0
    if MARKS_SHEET in names:
        rows = port.source().grid(MARKS_SHEET).rows[1:]
        by_sheet: dict[str, dict[str, Mark]] = {}
        for r in rows:
            if len(r) >= 4 and r[0] and r[1]:
                by_sheet.setdefault(str(r[0]), {})[str(r[1])] = Mark(str(r[2] or "{}"), str(r[3] or "null"))
        for sheet, marks in by_sheet.items():
            if sheet in names:
                port.set_marks(sheet, marks)
                restored += len(marks)
        port.delete_sheet(MARKS_SHEET)
    port.delete_sheet(RESULT_SHEET)
    return restored
