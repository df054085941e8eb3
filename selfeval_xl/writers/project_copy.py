"""The export's copy of a project form (项目支出绩效自评表 and its variants): header lines, the funds block, the
年度总体目标 and 实际完成情况 texts and the 绩效指标 rows, with the unit's figures and 得分 as they filled them.
Columns come from the form's layouts (PROJECT_FUNDS, PROJECT_INDICATORS) with the export's print widths."""

from __future__ import annotations

from selfeval_xl.forms.layouts import PROJECT_FUNDS
from selfeval_xl.writers import textfit
from selfeval_xl.writers.cellmap import CellMap
from selfeval_xl.forms.print_layouts import PROJECT_FORM_PRINT
from selfeval_xl.writers.styles import is_number, print_setup, write_raw

SHEET = "项目自评表"
HEADER_LINES = (("ProjectName", "项目名称"), ("Department", "主管部门"), ("Implementer", "实施单位"))
FUND_FIGURES = ("plan", "budget", "spent", "points", "rate", "score")
TEXT_KEYS = ("level1", "level2", "level3", "nature", "target", "unit", "actual")


def write_project_copy(wb, fm, model, cmap: CellMap, page_header: str = "") -> None:
    """Write the project form of model; every copied figure is recorded in cmap."""
    p, lay = model.project, PROJECT_FORM_PRINT
    shown = lay.columns[:lay.col("note") + 1]  # the form's columns; 定性得分 is our template's input, not the form's
    last = len(shown) - 1
    widths = [c.width for c in shown]
    ws = wb.add_worksheet(SHEET)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.merge_range(0, 0, 0, last, lay.title, fm.title)
    ws.set_row(0, 30)
    year = str(model.info.get("Year") or "").strip()
    ws.merge_range(1, 0, 1, last, f"（{year} 年度）" if year else "", fm.plain)
    r = 2
    label_end = PROJECT_FUNDS.col("label2")
    for key, zh in HEADER_LINES:
        ws.merge_range(r, 0, r, label_end, zh, fm.bold_text)
        ws.merge_range(r, label_end + 1, r, last, str(p.header.get(key, "")), fm.text)
        r += 1
    r = _write_funds(ws, fm, p, cmap, r, widths)
    r = _write_goal_texts(ws, fm, p, cmap, r + 1, last, widths)
    for c, col in enumerate(shown):
        ws.write_string(r, c, col.header, fm.header)
    ws.set_row(r, textfit.row_height([(c.header, c.width) for c in shown], minimum=20))
    for ind in p.indicators:
        r += 1
        texts = ["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
                 for v in (getattr(ind, k) for k in TEXT_KEYS)]
        for key, text in zip(TEXT_KEYS, texts):
            ws.write_string(r, lay.col(key), text, fm.text)
        sizes = [(t, lay.widths[lay.col(k)]) for k, t in zip(TEXT_KEYS, texts)]
        for key, cell in (("points", ind.points), ("score", ind.score)):  # score: the unit's own 得分
            text = write_raw(ws, r, lay.col(key), cell.parsed.raw if cell else None, fm.score, fm.text)
            sizes.append((text, lay.widths[lay.col(key)]))
            cmap.add(cell.addr if cell else None, SHEET, r, lay.col(key))
        ws.write_string(r, lay.col("note"), ind.reason, fm.text)
        ws.set_row(r, textfit.row_height(sizes + [(ind.reason, lay.widths[lay.col("note")])]))
    print_setup(ws, header=page_header)


def _write_funds(ws, fm, p, cmap: CellMap, r: int, widths) -> int:
    """The funds block under its header row, figures as filled; returns the row after it."""
    fc = PROJECT_FUNDS.col
    ws.merge_range(r, fc("label"), r, fc("label2"), PROJECT_FUNDS.title, fm.header)
    for key in FUND_FIGURES:
        ws.write_string(r, fc(key), PROJECT_FUNDS.columns[fc(key)].header, fm.header)
    ws.set_row(r, textfit.row_height([(c.header, widths[i]) for i, c in enumerate(PROJECT_FUNDS.columns)], minimum=20))
    for f in p.funds:
        r += 1
        ws.merge_range(r, fc("label"), r, fc("label2"), f.label, fm.bold_text if f.key == "total" else fm.text)
        texts = [(f.label, widths[fc("label")] + widths[fc("label2")])]
        for key in FUND_FIGURES:
            cell = f.cells.get(key)
            raw = cell.parsed.raw if cell else None
            fmt = fm.money if key in ("plan", "budget", "spent") else \
                fm.pct if key == "rate" and is_number(raw) and abs(float(raw)) <= 2 else fm.score
            texts.append((write_raw(ws, r, fc(key), raw, fmt, fm.text), widths[fc(key)]))
            cmap.add(cell.addr if cell else None, SHEET, r, fc(key))
        ws.set_row(r, textfit.row_height(texts))
    return r + 1


def _write_goal_texts(ws, fm, p, cmap: CellMap, r: int, last: int, widths) -> int:
    """年度总体目标 and 实际完成情况 side by side, as the form has them; returns the next free row."""
    mid = PROJECT_FORM_PRINT.col("target")
    ws.merge_range(r, 0, r, mid, "年度总体目标：预期目标", fm.header)
    ws.merge_range(r, mid + 1, r, last, "实际完成情况", fm.header)
    ws.merge_range(r + 1, 0, r + 1, mid, p.goal, fm.text)
    ws.merge_range(r + 1, mid + 1, r + 1, last, p.goal_actual, fm.text)
    cmap.add(p.goal_addr, SHEET, r + 1, 0)
    ws.set_row(r + 1, textfit.row_height([(p.goal, sum(widths[:mid + 1])), (p.goal_actual, sum(widths[mid + 1:]))],
                                         minimum=40))
    return r + 3
