"""Refuse what cannot be read, with one Chinese line each: missing, unreadable, size, zip, legacy, encrypted, .et.
Only the file's first bytes and its zip directory are looked at here; sources/package.py bounds the rest."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from selfeval_xl.errors import InputError
from selfeval_xl.sources.package import shown

MAX_BYTES = 50 * 1024 * 1024  # a 20,000-row 表5 is ~1.5 MB; anything near this is not a 表5
MAX_UNZIPPED = 400 * 1024 * 1024  # declared sizes, all entries; package.MAX_INFLATED bounds what is really read
MAX_PARTS = 10_000  # zip entries: a workbook has tens, hundreds with many sheets and pictures
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD, _ZIP64_LOCATOR, _ZIP64_EOCD = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"


def check_readable(path: str | os.PathLike) -> Path:
    """Return the path if it looks like a readable .xlsx/.xlsm; else raise InputError."""
    p = Path(path)
    where, name = shown(str(p), 200), shown(p.name, 120)  # file names may hold anything, the line may not
    try:
        if not p.exists():
            raise InputError(f"找不到文件 {where}，请检查路径")
        if p.is_dir():
            raise InputError(f"{where} 是文件夹，请给出 .xlsx 文件")
        size = p.stat().st_size
        _check_size(name, size)
        with open(p, "rb") as f:
            _check_kind(p, name, f, size)
    except PermissionError:
        raise InputError(f"没有读取 {where} 的权限，请检查文件权限或先复制到自己的文件夹") from None
    except OSError as e:
        raise InputError(f"无法读取 {where}：{e.strerror or shown(str(e))}") from None
    _check_zip(p, name)
    return p


def check_readable_bytes(data: bytes, file_name: str) -> None:
    """check_readable for a workbook held in memory (a mail attachment, an archive member) named file_name."""
    import io

    p, name = Path(file_name), shown(Path(file_name).name, 120)
    _check_size(name, len(data))
    _check_kind(p, name, io.BytesIO(data), len(data))
    _check_zip(io.BytesIO(data), name)


def _check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(f"{name} 有 {size / 1048576:.0f} MB，超过 {MAX_BYTES // 1048576} MB 上限，请确认文件或删去无关工作表")
    if size == 0:
        raise InputError(f"{name} 是空文件，请重新保存为 .xlsx")


def _check_zip(where, name: str) -> None:
    try:
        with zipfile.ZipFile(where) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError(f"{name} 已损坏（zip 结构无效），请重新保存为 .xlsx") from None
    if not any(i.filename.lower() == "xl/workbook.xml" for i in infos):
        raise InputError(f"{name} 不是 Excel 工作簿（缺少 xl/workbook.xml），请另存为 .xlsx")
    if sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise InputError(f"{name} 解压后过大，可能不是正常的工作簿，已拒绝读取")


def _check_kind(p: Path, name: str, f, size: int) -> None:
    head = f.read(8)
    if head == _CFB:
        f.seek(0)
        blob = f.read(min(size, 4 * 1024 * 1024))
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise InputError(f"{name} 已加密（设置了打开密码），请在 Excel 中取消密码后另存为 .xlsx")
    if p.suffix.lower() == ".et":
        raise InputError(f"{name} 是 WPS .et 格式，请在 WPS 中另存为 Excel .xlsx 后再试")
    if head == _CFB:
        raise InputError(f"{name} 是旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 后再试")
    entries = _entry_count(f, size)
    if entries is None:
        raise InputError(f"{name} 不是有效的 .xlsx 文件（不是 zip 格式，可能已损坏），请重新保存")
    if entries > MAX_PARTS:  # before zipfile builds an object per entry
        raise InputError(f"工作簿过大：{name} 包含 {entries:,} 个部件（上限 {MAX_PARTS:,}），请删除多余的工作表或图片后重试")


def _entry_count(f, size: int) -> int | None:
    """The number of entries the zip's end record declares (the zip64 record when there is one), or None when
    the file has no end record (not a zip)."""
    tail_len = min(size, 22 + 65535)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    loc = at - 20
    if count == 0xFFFF and loc >= 0 and tail[loc:loc + 4] == _ZIP64_LOCATOR:
        f.seek(int.from_bytes(tail[loc + 8:loc + 16], "little"))
        record = f.read(56)
        if record[:4] == _ZIP64_EOCD and len(record) == 56:
            count = int.from_bytes(record[32:40], "little")
    return count
