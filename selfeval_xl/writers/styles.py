"""Cell formats and print setup shared by the template builder and the export writer."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

BODY_FONT = "宋体"
TITLE_FONT = "仿宋"
# Figures in Arial: its digits are as wide in Excel and WPS on Windows as in LibreOffice elsewhere (Liberation
# Sans has Arial's metrics), while 宋体's Latin glyphs are replaced by wider ones where SimSun is missing.
NUMBER_FONT = "Arial"
INPUT_FILL = "#FFF2CC"
FIXED_DATE = datetime(2020, 1, 1)  # templates are byte-reproducible


class Formats:
    """The named formats of one xlsxwriter workbook."""

    def __init__(self, wb):
        base = {"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter", "border": 1}
        self.wb = wb

        def f(**kw):
            return wb.add_format({**base, **kw})

        def n(**kw):
            return f(font_name=NUMBER_FONT, **kw)

        self.title = wb.add_format({"font_name": TITLE_FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"})
        self.plain = wb.add_format({"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter"})
        self.note = wb.add_format({"font_name": BODY_FONT, "font_size": 10, "valign": "top", "text_wrap": True})
        self.header = f(bold=True, align="center", text_wrap=True, bg_color="#D9E1F2")
        self.text = f(text_wrap=True)
        self.text_center = f(align="center", text_wrap=True)
        self.text_top = f(align="center", valign="top", text_wrap=True)  # names merged down rows that may span pages
        self.points_top = n(align="center", valign="top")
        self.money = n(num_format="#,##0.00")
        self.pct = n(num_format="0.00%")
        self.score = n(num_format="0.00", align="center")
        self.points = n(align="center")  # 分值 as written: 25, 1.5
        self.bold_text = f(bold=True, text_wrap=True)
        self.bold_center = f(bold=True, align="center")
        self.bold_money = n(bold=True, num_format="#,##0.00")
        self.bold_pct = n(bold=True, num_format="0.00%")
        self.bold_score = n(bold=True, num_format="0.00", align="center")
        self.link = f(font_color="#0563C1", underline=1, text_wrap=True)
        unlocked = {"locked": False, "bg_color": INPUT_FILL}
        self.in_text = f(text_wrap=True, **unlocked)
        self.in_money = n(num_format="#,##0.00", **unlocked)
        self.in_num = n(num_format="0.00", **unlocked)
        self.in_int = n(num_format="0", **unlocked)
        self.in_pct = n(num_format="0.00%", **unlocked)
        self.sign = wb.add_format({"font_name": BODY_FONT, "font_size": 11, "valign": "bottom"})
        self.draft = wb.add_format({"font_name": BODY_FONT, "font_size": 14, "bold": True, "font_color": "#C00000",
                                    "valign": "vcenter", "text_wrap": True})
        self.differs = n(num_format="0.00", align="center", bg_color="#FFEB9C", bold=True)
        self.bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})


def print_setup(ws, repeat_rows: tuple[int, int] | None = None, pages_tall: int = 0, header: str = "",
                landscape: bool = True) -> None:
    """A4 (landscape unless told), one page wide (and pages_tall high, 0 = as many as needed), repeated header
    rows, page numbers in the footer; header is a text printed at the top of every page (a draft's mark).
    The export's sheets are laid out to fit the width at 100 % (forms/print_layouts.py), so fitting the
    width does not shrink their text."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    top, bottom = _margins(header)
    ws.set_margins(left=0.3, right=0.3, top=top, bottom=bottom)
    if not pages_tall:
        pages_tall = _pages_tall(ws, printable_height(header, landscape), repeat_rows)
    ws.fit_to_pages(1, pages_tall)
    ws.center_horizontally()
    if header:
        ws.set_header(f'&C&"{BODY_FONT},Bold"&12{header}')
    ws.set_footer("&C第 &P 页 共 &N 页")
    if repeat_rows:
        ws.repeat_rows(*repeat_rows)


def _margins(header: str) -> tuple[float, float]:
    """print_setup's top and bottom margins in inches (a page header needs a little more room at the top)."""
    return (0.6 if header else 0.5), 0.6


def printable_height(header: str = "", landscape: bool = True) -> float:
    """The height in points between print_setup's top and bottom margins on an A4 page."""
    top, bottom = _margins(header)
    return (297 if not landscape else 210) / 25.4 * 72 - (top + bottom) * 72


def _pages_tall(ws, page_height: float, repeat_rows) -> int:
    """Pages the rows written so far need at 100 %, plus one: a bound for fit-to-pages that never forces the
    text smaller. ("As many as needed" (0) makes LibreOffice shrink a sheet to save a page and then print that
    page empty.) Rows without a height of their own are 15 pt; xlsxwriter keeps the heights set, in pixels,
    in row_sizes and the last row in dim_rowmax."""
    sizes = getattr(ws, "row_sizes", {}) or {}
    last = getattr(ws, "dim_rowmax", None)
    if last is None:
        return 1

    def h(r: int) -> float:
        return float(sizes[r][0]) * 0.75 if r in sizes and sizes[r][0] is not None else 15.0

    total = sum(h(r) for r in range(last + 1))
    repeat = sum(h(r) for r in range(repeat_rows[0], repeat_rows[1] + 1)) if repeat_rows else 0.0
    per_page = max(page_height - repeat - 20, 100.0)  # 20 pt for the header and footer lines
    return max(1, math.ceil(max(total - repeat, 0) / per_page)) + 1


def new_workbook(path: str):
    """An xlsxwriter workbook with fixed document dates (reproducible bytes)."""
    import xlsxwriter

    # in_memory: parts are assembled in memory, not in temp files (a third faster for a small export).
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True})
    wb.set_properties({"created": FIXED_DATE, "author": "selfeval-xl", "company": ""})
    wb.set_calc_mode("auto")
    return wb


def is_number(raw) -> bool:
    return isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool)


def write_raw(ws, r: int, c: int, raw, fmt, text_fmt=None) -> str:
    """A cell's value as the unit's workbook holds it: a number, a text as typed (or an error value's text; in
    text_fmt when given, so that it wraps), or nothing. Returns the text written ("" for a number or nothing)."""
    if raw is None or raw == "":
        ws.write_blank(r, c, None, fmt)
    elif is_number(raw):
        ws.write_number(r, c, float(raw), fmt)
    else:
        ws.write_string(r, c, str(raw), text_fmt or fmt)
        return str(raw)
    return ""


def num(value) -> float | str:
    """A Decimal for a cell: a float, or '' for None."""
    return "" if value is None else float(value)


def write_headers(ws, fm, layout, row: int | None = None, widths: bool = True) -> None:
    """A layout's column headers on its header row (or row), and its column widths."""
    r = layout.header_row if row is None else row
    for c, col in enumerate(layout.columns):
        ws.write_string(r, c, col.header, fm.header)
        if widths and col.width:
            ws.set_column(c, c, col.width)
