"""Refuse what cannot be read, with one Chinese line each: size, zip, legacy, encrypted, .et."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from selfeval_xl.errors import InputError

MAX_BYTES = 50 * 1024 * 1024  # a 20,000-row 表5 is ~1.5 MB; anything near this is not a 表5
MAX_UNZIPPED = 400 * 1024 * 1024  # zip-bomb guard
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_readable(path: str | os.PathLike) -> Path:
    """Return the path if it looks like a readable .xlsx/.xlsm; else raise InputError."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件 {p}，请检查路径")
    if p.is_dir():
        raise InputError(f"{p} 是文件夹，请给出 .xlsx 文件")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{p.name} 有 {size / 1048576:.0f} MB，超过 {MAX_BYTES // 1048576} MB 上限，请确认文件或删去无关工作表")
    if size == 0:
        raise InputError(f"{p.name} 是空文件，请重新保存为 .xlsx")
    with open(p, "rb") as f:
        head = f.read(8)
        if head == _CFB:
            f.seek(0)
            blob = f.read(min(size, 4 * 1024 * 1024))
            if "EncryptionInfo".encode("utf-16-le") in blob:
                raise InputError(f"{p.name} 已加密（设置了打开密码），请在 Excel 中取消密码后另存为 .xlsx")
            if p.suffix.lower() == ".et":
                raise InputError(f"{p.name} 是 WPS .et 格式，请在 WPS 中另存为 Excel .xlsx 后再试")
            raise InputError(f"{p.name} 是旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 后再试")
    if p.suffix.lower() == ".et":
        raise InputError(f"{p.name} 是 WPS .et 格式，请在 WPS 中另存为 Excel .xlsx 后再试")
    if not zipfile.is_zipfile(p):
        raise InputError(f"{p.name} 不是有效的 .xlsx 文件（不是 zip 格式，可能已损坏），请重新保存")
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                raise InputError(f"{p.name} 不是 Excel 工作簿（缺少 xl/workbook.xml），请另存为 .xlsx")
            if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                raise InputError(f"{p.name} 解压后过大，可能不是正常的工作簿，已拒绝读取")
    except zipfile.BadZipFile:
        raise InputError(f"{p.name} 已损坏（zip 结构无效），请重新保存为 .xlsx") from None
    return p
