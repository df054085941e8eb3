"""Cell formats and print setup shared by the template builder and the export writer."""

from __future__ import annotations

from datetime import datetime

BODY_FONT = "宋体"
TITLE_FONT = "仿宋"
INPUT_FILL = "#FFF2CC"
FIXED_DATE = datetime(2020, 1, 1)  # templates are byte-reproducible


class Formats:
    """The named formats of one xlsxwriter workbook."""

    def __init__(self, wb):
        base = {"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter", "border": 1}
        self.wb = wb

        def f(**kw):
            return wb.add_format({**base, **kw})

        self.title = wb.add_format({"font_name": TITLE_FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"})
        self.plain = wb.add_format({"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter"})
        self.note = wb.add_format({"font_name": BODY_FONT, "font_size": 10, "valign": "top", "text_wrap": True})
        self.header = f(bold=True, align="center", text_wrap=True, bg_color="#D9E1F2")
        self.text = f(text_wrap=True)
        self.text_center = f(align="center", text_wrap=True)
        self.money = f(num_format="#,##0.00")
        self.pct = f(num_format="0.00%")
        self.score = f(num_format="0.00")
        self.bold_text = f(bold=True, text_wrap=True)
        self.bold_money = f(bold=True, num_format="#,##0.00")
        self.bold_pct = f(bold=True, num_format="0.00%")
        self.bold_score = f(bold=True, num_format="0.00")
        self.link = f(font_color="#0563C1", underline=1)
        unlocked = {"locked": False, "bg_color": INPUT_FILL}
        self.in_text = f(text_wrap=True, **unlocked)
        self.in_money = f(num_format="#,##0.00", **unlocked)
        self.in_num = f(num_format="0.00", **unlocked)
        self.in_int = f(num_format="0", **unlocked)
        self.in_pct = f(num_format="0.00%", **unlocked)
        self.bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})


def print_setup(ws, repeat_rows: tuple[int, int] | None = None, pages_tall: int = 0) -> None:
    """A4 landscape, one page wide (and pages_tall high, 0 = as many as needed), repeated header rows,
    page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, pages_tall)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C第 &P 页 共 &N 页")
    if repeat_rows:
        ws.repeat_rows(*repeat_rows)


def new_workbook(path: str):
    """An xlsxwriter workbook with fixed document dates (reproducible bytes)."""
    import xlsxwriter

    # in_memory: parts are assembled in memory, not in temp files (a third faster for a small export).
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True})
    wb.set_properties({"created": FIXED_DATE, "author": "selfeval-xl", "company": ""})
    wb.set_calc_mode("auto")
    return wb


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
