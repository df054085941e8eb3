"""Row heights for wrapped text, set explicitly.

A height written into the file is kept by Excel, WPS and LibreOffice (none of them re-fits it), and xlsxwriter
cannot measure text, so wrapped Chinese text would overflow into the next row. No maintained library measures
a spreadsheet cell's wrapped text without the fonts of the machine that opens it; this estimate errs on the
tall side: a full-width character is one em wide, any other character 0.6 em, lines break anywhere."""

from __future__ import annotations

import math
import re

LINE = 1.32  # line height in em (宋体/SimSun and 文泉驿 both print about 1.3 em per line)
PAD = 5.0  # points above and below the text in a cell
SIDE = 4.0  # points of padding left and right
MAX_ROW = 409.0  # Excel's largest row height in points


def col_points(width: float) -> float:
    """The printed width in points of an Excel column width (characters of the default font, 7 px each)."""
    return (width * 7 + 5) * 0.75


# Characters a Chinese font draws one em wide: CJK and full-width forms (East Asian Width W and F), and the
# ambiguous-width punctuation Chinese text uses (quotes, ×, ÷, …, —, ≤, ≥, ‰, ℃, °, ①). A regular expression
# counts them in C, which matters for a 表5 of 20,000 rows.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                   "\uffe0-\uffe6\u2018-\u201d\u00d7\u00f7\u2026\u2014\u00b7\u2264\u2265\u2030\u2103"
                   "\u00b0\u2160-\u217f\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff\u2605\u2606\U00020000-\U0003134f]")


def text_em(text: str) -> float:
    """The width of one line of text in em."""
    wide = len(_WIDE.findall(text))
    return wide + 0.6 * (len(text) - wide)


def lines(text: str, width: float, size: float = 10) -> int:
    """Lines that text needs in a column of that width at that font size (paragraphs on '\\n')."""
    per_line = max(1.0, (col_points(width) - 2 * SIDE) / size) * 0.95  # 5% slack for kerning and wrap points
    return sum(max(1, math.ceil(text_em(p) / per_line)) for p in str(text).split("\n"))


def height(text: str, width: float, size: float = 10) -> float:
    """Points a cell needs for text wrapped in a column of that width."""
    return lines(text, width, size) * size * LINE + PAD


def row_height(cells, size: float = 10, minimum: float = 18.0) -> float:
    """The height of a row holding (text, column width) pairs: the tallest of them, at least minimum."""
    tallest = max((height(t, w, size) for t, w in cells if t), default=0.0)
    return min(MAX_ROW, max(minimum, math.ceil(tallest)))


def page_starts(heights: list[float], first_page_used: float, repeat: float, body: float) -> set[int]:
    """Indices of the rows that begin a new printed page at 100 %, for rows of these heights under a header of
    height repeat (on every page) and, on the first page, first_page_used points of titles. body is the
    printable height between the margins, as Excel and WPS paginate (2 pt spare for their rounding of row
    heights to pixels). A program that draws columns wider and so shrinks the sheet breaks elsewhere."""
    room = body - 2 - repeat
    used, starts = first_page_used, set()
    for i, h in enumerate(heights):
        if used + h > room and used > 0:
            starts.add(i)
            used = 0.0
        used += h
    return starts
