"""A .pdf report with pypdf: the text layer of each page, as lines, then paragraphs and tables as for .txt.

Lines are numbered per page as pypdf returns them (第 P 页第 L 行). A PDF table comes out as lines of text;
only rows whose cells the PDF separates by tabs or "|" are read as a table.
"""

from __future__ import annotations

import logging
from pathlib import Path

from selfeval_xl.narrative import limits
from selfeval_xl.narrative.blocks import Block, Table
from selfeval_xl.narrative.errors import ReportReadError
from selfeval_xl.narrative.read_lines import build


def read_pdf(p: Path) -> tuple[list[Block], list[Table]]:
    """Blocks and tables of a PDF's text layer; ReportReadError when damaged, encrypted or without text."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise ReportReadError("读取 .pdf 需要 pypdf：请运行 pip install pypdf") from e
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(p))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportReadError(f"{p.name} 已加密：请提供未加密的 PDF")
        if len(reader.pages) > limits.MAX_PDF_PAGES:
            raise ReportReadError(f"{p.name} 有 {len(reader.pages)} 页，超过 {limits.MAX_PDF_PAGES} 页上限：请分册检查")
        lines: list[tuple[int, int, str]] = []
        total = 0
        for page_no, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            total += len(text)
            if total > limits.MAX_TEXT_CHARS:
                raise ReportReadError(f"{p.name} 文字过多，超过 {limits.MAX_TEXT_CHARS} 字上限：请分册检查")
            lines += [(page_no, i, line) for i, line in enumerate(text.split("\n"), start=1)]
    except ReportReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise ReportReadError(f"无法读取 PDF {p.name}（{type(e).__name__}）：请确认文件未损坏") from e
    widths = sorted(len(t.strip()) for _, _, t in lines if t.strip())
    typical = widths[int(len(widths) * 0.8)] if widths else 0
    # a PDF wraps every long line: a line at least 60 % as long as the page's usual line goes on
    return build(lines, min_join=max(8, int(typical * 0.6)))
