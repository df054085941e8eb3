"""A .docx report with python-docx: body paragraphs and tables in document order.

段落 N counts the non-empty paragraphs of the body (text in tables, headers, footers and text boxes is not
counted); 表 N counts the body's tables in order, and 第 r 行第 c 列 is the cell's grid position (a merged
cell is read once, at its first row and column).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from selfeval_xl.narrative import limits
from selfeval_xl.narrative.blocks import Block, Table
from selfeval_xl.narrative.errors import ReportReadError
from selfeval_xl.narrative.read_lines import caption_and_unit


def read_docx(p: Path) -> tuple[list[Block], list[Table]]:
    """Blocks and tables of a .docx; ReportReadError when it is not a readable Word document."""
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise ReportReadError("读取 .docx 需要 python-docx：请运行 pip install python-docx") from e
    try:
        with zipfile.ZipFile(p) as z:
            unpacked = sum(i.file_size for i in z.infolist())
        if unpacked > 20 * limits.MAX_FILE_BYTES:
            raise ReportReadError(f"{p.name} 解压后过大：请检查文件")
        document = docx.Document(str(p))
    except ReportReadError:
        raise
    except Exception as e:  # python-docx raises several kinds for a damaged or non-Word file
        raise ReportReadError(f"无法打开 Word 文件 {p.name}（{type(e).__name__}）："
                              "请确认是 .docx（不是 .doc）且未损坏") from e

    blocks: list[Block] = []
    tables: list[Table] = []
    para_no = 0
    recent: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            if not text.strip():
                continue
            para_no += 1
            blocks.append(Block(len(blocks), "paragraph", text, paragraph=para_no))
            recent = (recent + [text])[-3:]
        elif tag == "tbl":
            t = DocxTable(child, document)
            number = len(tables) + 1
            caption, unit = caption_and_unit(recent)
            rows: list[list[Block | None]] = []
            seen: set = set()
            for r, row in enumerate(t.rows, start=1):
                cells: list[Block | None] = []
                for c, cell in enumerate(row.cells, start=1):
                    key = cell._tc  # the element itself: id() of python-docx's proxies is reused between rows
                    text = cell.text.strip()[:limits.MAX_CELL_CHARS]
                    if key in seen:
                        # a merged cell: same content in the grid (for labels), but not a second figure
                        cells.append(Block(-1, "cell", text, table=number, row=r, col=c) if text else None)
                        continue
                    seen.add(key)
                    if not text:
                        cells.append(None)
                        continue
                    b = Block(len(blocks), "cell", text, table=number, row=r, col=c)
                    blocks.append(b)
                    cells.append(b)
                rows.append(cells)
                if len(blocks) > limits.MAX_BLOCKS:
                    raise ReportReadError(f"{p.name} 的表格过大：请分册检查")
            tables.append(Table(number, rows, caption, unit))
            recent = []
    return blocks, tables
