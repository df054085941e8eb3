"""The export's 表5: the unit's own figures as they typed them — numbers, texts, error values, and their live
formulas moved to the export's positions — never recomputed. Rows keep their order and spacing (the source's
rows shifted so that the header lands on BUDGET5's header row); columns go to BUDGET5's columns. A column the
unit's table lacks (年度总指标, 剩余指标, 执行进度) is filled with the layout's formula."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.model import BudgetRow, BudgetTable, Cell
from selfeval_xl.core.record import field, record
from selfeval_xl.forms.layouts import BUDGET5
from selfeval_xl.writers import budget_sheet as b5
from selfeval_xl.writers import textfit
from selfeval_xl.writers.cellmap import CellMap
from selfeval_xl.forms.print_layouts import BUDGET5_PRINT
from selfeval_xl.writers.formula_map import translate
from selfeval_xl.writers.styles import is_number, print_setup, write_raw

FIGURES = ("budget", "carry", "added", "adjust", "total", "spent", "remaining", "rate")
_COMPUTED = {"total": b5.total_formula, "remaining": b5.remaining_formula, "rate": b5.rate_formula}


@record
class RateCell:
    """A 执行进度 of the exported 表5, for the 汇总 chart: live when the cell holds a fraction."""

    label: str
    row0: int  # 0-based export row
    rate: Decimal | None  # 支出 ÷ 总指标 from the unit's figures
    live: bool


@record
class BudgetCopy:
    details: list[RateCell] = field(default_factory=list)
    totals: list[RateCell] = field(default_factory=list)


def write_budget_copy(wb, fm, table: BudgetTable, cmap: CellMap, threshold: Decimal, header: str = "") -> BudgetCopy:
    """Write 表5 from the model; every copied cell is recorded in cmap."""
    ws = wb.add_worksheet(BUDGET5.name)
    b5.write_header(ws, fm, table.unit, BUDGET5_PRINT)
    ws.set_row(BUDGET5.header_row, textfit.row_height([(c.header, c.width) for c in BUDGET5_PRINT.columns], minimum=30))
    delta = BUDGET5.header_row + 1 - table.header_row
    colmap = {c: BUDGET5.col(f) + 1 for f, c in table.columns.items() if f in BUDGET5.synonyms()}
    last = max((r.row for r in table.rows), default=table.header_row)

    def move(r: int, c: int):
        return (r + delta, colmap[c]) if table.header_row < r <= last and c in colmap else None

    out = BudgetCopy()
    writer = _RowWriter(ws, fm, table, cmap, move, out)
    previous = None
    for row in table.rows:
        r0 = row.row - 1 + delta
        new_block = previous is None or previous.kind in ("subtotal", "grand") or previous.category != row.category
        writer.write(row, r0, show_category=new_block)
        previous = row
    top, bottom = BUDGET5.header_row + 1, last - 1 + delta
    J, H, G = BUDGET5.letter("rate"), BUDGET5.letter("spent"), BUDGET5.letter("total")
    ws.conditional_format(top, BUDGET5.col("rate"), bottom, BUDGET5.col("rate"), {
        "type": "formula", "criteria": f"=AND(ISNUMBER(${J}{top + 1}),${J}{top + 1}<{threshold})", "format": fm.warn})
    ws.conditional_format(top, BUDGET5.col("spent"), bottom, BUDGET5.col("spent"), {
        "type": "formula", "criteria": f"=AND(ISNUMBER(${H}{top + 1}),ISNUMBER(${G}{top + 1}),${H}{top + 1}>${G}{top + 1}+0.005)",
        "format": fm.bad})
    ws.freeze_panes(top, BUDGET5.col("budget"))
    print_setup(ws, (BUDGET5.header_row, BUDGET5.header_row), header=header)
    return out


class _RowWriter:
    def __init__(self, ws, fm, table, cmap, move, out: BudgetCopy):
        self.ws, self.fm, self.table, self.cmap, self.move, self.out = ws, fm, table, cmap, move, out

    def write(self, row: BudgetRow, r0: int, show_category: bool) -> None:
        ws, fm, col = self.ws, self.fm, BUDGET5.col
        total_row = row.kind in ("subtotal", "grand")
        money, text = (fm.bold_money, fm.bold_text) if total_row else (fm.money, fm.text)
        if total_row:
            ws.write_string(r0, col("category"), row.label or row.category, text)
            ws.write_blank(r0, col("item"), None, text)
        else:
            ws.write_string(r0, col("category"), row.category if show_category else "", text)
            ws.write_string(r0, col("item"), row.label, text)
        widths = BUDGET5_PRINT.widths
        sizes = [(row.label, widths[col("item")]), (row.reason, widths[col("reason")]),
                 (row.label if total_row else row.category if show_category else "", widths[col("category")])]
        for f in FIGURES:
            c = col(f)
            if f in row.cells:
                fmt = (fm.bold_pct if total_row else fm.pct) if f == "rate" and _fraction(row.cells[f]) else \
                    (fm.bold_score if total_row else fm.score) if f == "rate" else money
                sizes.append((self._figure(row.cells[f], r0, c, fmt, text), widths[c]))
            elif f in _COMPUTED:
                fmt = (fm.bold_pct if total_row else fm.pct) if f == "rate" else money
                ws.write_formula(r0, c, _COMPUTED[f](r0 + 1), fmt, _computed_value(row, f))
            else:
                ws.write_blank(r0, c, None, money)
        ws.write_string(r0, col("reason"), row.reason, text)
        self.cmap.add(row.reason_addr, BUDGET5.name, r0, col("reason"))
        # the unit's own 行类型 when it has that column (its SUMIF formulas, moved here, read it), else ours
        kind = row.kind_text if row.kind_text is not None else "其中" if row.kind == "child" else ""
        ws.write_string(r0, col("kind"), kind, fm.text)
        ws.set_row(r0, textfit.row_height(sizes))
        cell = row.cells.get("rate")
        live = cell is not None and _fraction(cell)
        entry = RateCell(row.label or row.category, r0, row.rate, live)
        (self.out.totals if total_row else self.out.details).append(entry)

    def _figure(self, cell: Cell, r0: int, c: int, fmt, text_fmt) -> str:
        """One figure as the unit's cell holds it: its formula when it can stay live, else its value (a text
        in text_fmt, so that it wraps); returns the text shown ("" for a number)."""
        ws, raw = self.ws, cell.parsed.raw
        if cell.formula:
            moved = translate(cell.formula, self.table.sheet, self.move)
            if moved is not None:
                shown = "" if raw is None else float(raw) if is_number(raw) else str(raw)
                ws.write_formula(r0, c, moved, fmt, shown)
                self.cmap.add(cell.addr, BUDGET5.name, r0, c)
                return shown if isinstance(shown, str) else ""
        self.cmap.add(cell.addr, BUDGET5.name, r0, c)
        return write_raw(ws, r0, c, raw, fmt, text_fmt)


def _fraction(cell: Cell) -> bool:
    """A 执行进度 held as a fraction (0.9767, shown as a percentage), not as percentage points (97.67)."""
    raw = cell.parsed.raw
    return (is_number(raw) and abs(float(raw)) <= 2) or raw is None or raw == ""


def _computed_value(row: BudgetRow, f: str):
    """The cached value of a formula the export adds for a column the unit's table lacks."""
    total = sum((row.get(k) for k in b5.INPUT_KEYS), Decimal(0)) if "total" not in row.cells else row.get("total")
    if f == "total":
        return float(total)
    if f == "remaining":
        return float(total - row.get("spent"))
    return "" if total == 0 else float(row.get("spent") / total)
