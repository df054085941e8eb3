"""Read a report (.txt, .docx, .pdf) into a Report, within fixed bounds, raising ReportReadError otherwise.

.docx is read with python-docx, .pdf with pypdf (its text layer: a scanned report has none and is refused).
"""

from __future__ import annotations

import os
from pathlib import Path

from selfeval_xl.narrative import limits
from selfeval_xl.narrative.blocks import Block, Report, Table
from selfeval_xl.narrative.errors import ReportReadError
from selfeval_xl.narrative.read_lines import build

SUFFIXES = (".txt", ".docx", ".pdf")


def read_report(path: str | os.PathLike) -> Report:
    """The report at path as blocks and tables; ReportReadError (exit 2) if it cannot be read."""
    p = Path(path)
    if not p.is_file():
        raise ReportReadError(f"找不到报告文件 {p}，请检查路径")
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReportReadError(f"不支持的报告格式 {p.suffix or '（无扩展名）'}：请另存为 .docx、.pdf 或 .txt 后再检查")
    size = p.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise ReportReadError(f"报告文件 {p.name} 有 {size // (1024 * 1024)} MB，超过 "
                              f"{limits.MAX_FILE_BYTES // (1024 * 1024)} MB 上限：请删去图片等后再检查")
    if suffix == ".txt":
        blocks, tables = _read_txt(p)
    elif suffix == ".docx":
        from selfeval_xl.narrative.read_docx import read_docx
        blocks, tables = read_docx(p)
    else:
        from selfeval_xl.narrative.read_pdf import read_pdf
        blocks, tables = read_pdf(p)
    _check_size(p, blocks)
    return Report(p.name, suffix[1:], blocks, tables)


def _check_size(p: Path, blocks: list[Block]) -> None:
    total = sum(len(b.text) for b in blocks)
    if total > limits.MAX_TEXT_CHARS or len(blocks) > limits.MAX_BLOCKS:
        raise ReportReadError(f"报告 {p.name} 文字过多（{total} 字），超过 {limits.MAX_TEXT_CHARS} 字上限：请分册检查")
    if not any(b.text.strip() for b in blocks):
        raise ReportReadError(f"报告 {p.name} 中没有读到文字（可能是扫描件或空文件）：请提供含文字的 .docx/.pdf/.txt")


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ReportReadError(f"无法识别 {name} 的文字编码（试过 UTF-8 与 GBK/GB18030）：请另存为 UTF-8 文本")


def _read_txt(p: Path) -> tuple[list[Block], list[Table]]:
    text = decode_text(p.read_bytes(), p.name)
    if "\x00" in text:
        raise ReportReadError(f"{p.name} 不是文本文件：请提供 .docx、.pdf 或 UTF-8/GBK 编码的 .txt")
    if len(text) > limits.MAX_TEXT_CHARS:
        raise ReportReadError(f"报告 {p.name} 文字过多（{len(text)} 字），"
                              f"超过 {limits.MAX_TEXT_CHARS} 字上限：请分册检查")
    lines = [(0, i, line) for i, line in enumerate(text.split("\n"), start=1)]
    return build(lines)
