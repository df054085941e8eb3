"""The page and type of a report as offices print official documents (GB/T 9704 as applied): A4, margins
3.7 / 3.5 / 2.8 / 2.6 cm, title 宋体 bold 二号, 一级标题 黑体 三号, 二级标题 楷体 三号, body 仿宋 三号 on a fixed
28 pt line with a two-character indent, tables 宋体, page numbers "— 1 —" centred in the footer. Wide tables
(表5, the 评分表) get a landscape section of their own. python-docx, with the few properties it has no API
for (East Asian fonts, outline levels, repeated header rows, the PAGE field) set in the XML."""

from __future__ import annotations

import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from selfeval_xl.core.record import record

BODY, HEAD, SUB, TABLE, TITLE = "仿宋", "黑体", "楷体", "宋体", "宋体"
PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
LANDSCAPE_MARGINS = {"top": Cm(2.0), "bottom": Cm(1.8), "left": Cm(2.5), "right": Cm(2.5)}
_PENDING = re.compile(r"(【待填写[^】]*】)")
KEEP_TOGETHER = 12  # tables of at most this many rows are kept on one page

STYLE_BODY, STYLE_TITLE, STYLE_H1, STYLE_H2, STYLE_NOTE, STYLE_CELL, STYLE_CAPTION = (
    "报告正文", "报告标题", "报告一级标题", "报告二级标题", "数据来源", "表格文字", "表题")


def _east_asian(font, name: str) -> None:
    """Set a font for Latin and East Asian text alike (python-docx's font.name sets only the Latin one)."""
    font.name = name
    rpr = font.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _outline(style, level: int) -> None:
    """Headings appear in Word's navigation pane and in a table of contents."""
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    style.element.get_or_add_pPr().append(el)


def _style(doc, name: str, font: str, size: float, bold: bool = False, line: float | None = None,
           indent: float = 0, align=None, before: float = 0, after: float = 0):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    _east_asian(st.font, font)
    st.font.size, st.font.bold = Pt(size), bold
    pf = st.paragraph_format
    if line:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    else:
        pf.line_spacing = 1.0
    pf.first_line_indent = Pt(indent) if indent else None
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if align is not None:
        pf.alignment = align
    return st


def new_document(title: str):
    """An empty A4 document with the report's styles, its properties and page numbers in the footer."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = "selfeval-xl"
    normal = doc.styles["Normal"]
    _east_asian(normal.font, BODY)
    normal.font.size = Pt(16)
    _style(doc, STYLE_BODY, BODY, 16, line=28, indent=32, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, STYLE_TITLE, TITLE, 22, bold=True, line=36, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _outline(_style(doc, STYLE_H1, HEAD, 16, line=28, indent=32, before=6), 0)
    _outline(_style(doc, STYLE_H2, SUB, 16, line=28, indent=32), 1)
    _style(doc, STYLE_NOTE, SUB, 10.5, line=18, indent=21, after=6)
    _style(doc, STYLE_CELL, TABLE, 10.5)
    _style(doc, STYLE_CAPTION, HEAD, 12, line=24, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    doc.styles[STYLE_CAPTION].paragraph_format.keep_with_next = True  # a caption stays with its table
    section = doc.sections[0]
    _page(section, landscape=False)
    _page_numbers(section)
    return doc


def _page(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    for side, v in (LANDSCAPE_MARGINS if landscape else MARGINS).items():
        setattr(section, f"{side}_margin", v)
    section.footer_distance = Cm(2.2 if not landscape else 0.8)


def new_section(doc, landscape: bool):
    """A section on a new page (its footer, with the page number, carries on from the previous one)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape)
    return section


def text_width(doc) -> int:
    """The width between the margins of the current section, in EMU."""
    s = doc.sections[-1]
    return s.page_width - s.left_margin - s.right_margin


def _page_numbers(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", TITLE, 14)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = _run(p, "1", TITLE, 14)
    r._r.getparent().remove(r._r)
    fld.append(r._r)
    p._p.append(fld)
    _run(p, " —", TITLE, 14)


def _run(p, text: str, font: str | None = None, size: float | None = None, bold: bool | None = None):
    r = p.add_run(text)
    if font:
        _east_asian(r.font, font)
    if size:
        r.font.size = Pt(size)
    if bold is not None:
        r.bold = bold
    return r


def add_text(p, text: str, **kw) -> None:
    """text into paragraph p; each 【待填写…】 in it is highlighted so that nobody misses it."""
    for piece in _PENDING.split(text):
        if piece:
            r = _run(p, piece, **kw)
            if _PENDING.fullmatch(piece):
                r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def paragraph(doc, text: str, style: str = STYLE_BODY):
    p = doc.add_paragraph(style=style)
    add_text(p, text)
    return p


def heading(doc, text: str, level: int = 1):
    return paragraph(doc, text, STYLE_H1 if level == 1 else STYLE_H2)


@record(frozen=True)
class Col:
    """A table column: header, width (cm) and whether its cells are figures (right-aligned)."""

    header: str
    width: float
    figure: bool = False


def table(doc, cols: list[Col], rows: list[list[str]], size: float = 10.5, merge: int = 0,
          bold_rows: set[int] = frozenset()):
    """A bordered table with a repeated, shaded header row. merge: how many leading columns whose equal,
    consecutive cells are merged vertically (一级指标 / 二级指标, 分类). bold_rows: 0-based body rows in bold."""
    scale = min(1.0, text_width(doc) / Cm(sum(c.width for c in cols)))
    t = doc.add_table(rows=1 + len(rows), cols=len(cols))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _cell_margins(t, Cm(0.1))
    for i, c in enumerate(cols):
        t.columns[i].width = Cm(c.width * scale)
    _repeat_header(t.rows[0])
    for i, c in enumerate(cols):
        _cell(t.cell(0, i), c.header, size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, shade=True,
              width=Cm(c.width * scale))
    for r, row in enumerate(rows, start=1):
        for i, (c, v) in enumerate(zip(cols, row)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if c.figure else WD_ALIGN_PARAGRAPH.LEFT
            _cell(t.cell(r, i), v, size, bold=(r - 1) in bold_rows, align=align, width=Cm(c.width * scale))
    for i in range(merge):
        _merge_runs(t, i, rows)
    if len(rows) <= KEEP_TOGETHER:  # a short table is not split over two pages
        for row in t.rows[:-1]:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True
    return t


def _merge_runs(t, col: int, rows: list[list[str]]) -> None:
    start = 0
    for r in range(1, len(rows) + 1):
        same = r < len(rows) and rows[r][col] and rows[r][col] == rows[start][col] and all(
            rows[r][k] == rows[start][k] for k in range(col))
        if not same:
            if r - 1 > start:
                top = t.cell(start + 1, col)
                for k in range(start + 2, r + 1):
                    t.cell(k, col).text = ""  # the same text once, in the merged cell
                top.merge(t.cell(r, col))
                for extra in top.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            start = r


def _cell_margins(t, side) -> None:
    """Narrow left and right cell margins, so that figures like 36,826.68 fit their columns."""
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(side.twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    t._tbl.tblPr.append(mar)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cell(cell, text: str, size: float, bold: bool, align, shade: bool = False, width=None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if width is not None:
        cell.width = width
    p = cell.paragraphs[0]
    p.style = STYLE_CELL
    p.alignment = align
    add_text(p, text, size=size, bold=bold or None)
    if shade:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), "D9D9D9")
        cell._tc.get_or_add_tcPr().append(shd)
