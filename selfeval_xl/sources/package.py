"""The .xlsx package read within bounds set by what it really holds, not by what it declares.

Every part is inflated through one counter (the sizes a zip declares can lie), must inflate to exactly its
declared size, and is checked before any parser sees it: no DOCTYPE (entity declarations: XXE, billion
laughs), no control characters that XML forbids, UTF-8. Part names are matched without regard to case, as
calamine does, so that a check and calamine always look at the same bytes."""

from __future__ import annotations

import copy
import re
import zipfile
import zlib
from pathlib import Path

from selfeval_xl.errors import InputError

# What a workbook may hold. A 20,000-row 表5 (the largest in bench/) has 220,000 cells in a 9 MB sheet; these
# leave room for twice that, and keep a file at the limits under 5 s and 500 MiB.
MAX_INFLATED = 100 * 1024 * 1024  # bytes actually inflated, all parts read together
MAX_CELLS = 500_000  # cell elements (<c>), all worksheets together, formatted empty cells included
MAX_TEXT = 32_000_000  # characters of shared strings that the cells referring to them make
MAX_MERGES = 100_000  # merged ranges in one worksheet
MAX_SHEETS = 1_000
CELL_TEXT = 32_767  # Excel's limit on the text of one cell

_NOT_XML = rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # compiled only when needed: it costs 4 ms
_CONTROL = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))


def too_big(name: str, what: str) -> InputError:
    """The one line for a workbook past a limit."""
    return InputError(f"工作簿过大：{name} {what}，请删除多余的行列后重试")


def broken(name: str, what: str) -> InputError:
    """The one line for a package or part no spreadsheet program would have written."""
    return InputError(f"{name} 已损坏或不是正常的工作簿（{what}），请在 Excel 或 WPS 中打开后另存为 .xlsx")


def shown(text: str, limit: int = 60) -> str:
    """Text from the file, safe to print in one line: control characters replaced, length capped."""
    cut = "".join("?" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text[:limit])
    return cut + ("…" if len(text) > limit else "")


class Package:
    """The zip of one workbook: its parts read with a bound on the bytes they really inflate to."""

    def __init__(self, path: Path, data: bytes | None = None):
        """The zip at path, or the bytes data (a workbook held in memory; path then only names it)."""
        self.path, self.name = path, shown(path.name, 120)
        try:
            if data is not None:
                import io

                self._zip = zipfile.ZipFile(io.BytesIO(data))
            else:
                self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise broken(self.name, f"zip 结构无效：{shown(str(e))}") from None
        self._by_lower: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            key = info.filename.lower()
            if key in self._by_lower:  # which one a reader takes is undefined: the checked one must be the read one
                raise broken(self.name, f"部件 {shown(info.filename)} 重复出现")
            self._by_lower[key] = info
        self.inflated = 0

    def close(self) -> None:
        self._zip.close()

    def has(self, part: str) -> bool:
        return part.lower() in self._by_lower

    def read(self, part: str, count: bool = True) -> bytes:
        """The part's bytes, inflated up to one byte past its declared size: a stream longer or shorter than
        declared, a bad CRC, or more than MAX_INFLATED bytes in all is refused. count=False for a part read
        again (it was counted the first time)."""
        info = self._by_lower.get(part.lower())
        if info is None:
            raise broken(self.name, f"缺少部件 {shown(part)}")
        size = info.file_size
        if count and self.inflated + size > MAX_INFLATED:
            raise too_big(self.name, f"解压后超过 {MAX_INFLATED // 1048576} MB")
        probe = copy.copy(info)
        probe.file_size = size + 2  # let the stream run past what it declares, to see one byte more if it does
        try:
            with self._zip.open(probe) as f:
                data = f.read(size + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
            raise broken(self.name, f"部件 {shown(part)} 的压缩数据无效或校验（CRC）不符") from None
        except OSError as e:
            raise broken(self.name, f"部件 {shown(part)} 无法读出：{e.strerror or shown(str(e))}") from None
        except (NotImplementedError, RuntimeError) as e:  # an unknown compression, or an encrypted entry
            raise broken(self.name, f"部件 {shown(part)} 无法解压：{shown(str(e))}") from None
        if len(data) != size:
            raise broken(self.name, f"部件 {shown(part)} 的实际大小与声明的不一致")
        if count:
            self.inflated += size
        return data

    def read_xml(self, part: str, count: bool = True) -> bytes:
        """read(), then check_xml()."""
        data = self.read(part, count)
        check_xml(self.name, part, data)
        return data


def check_xml(name: str, part: str, xml: bytes) -> None:
    """Refuse an XML part that declares a DTD (entities), holds characters XML forbids, or is not UTF-8."""
    head = xml[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        raise broken(name, f"{shown(part)} 不是 UTF-8 编码")
    at = xml.find(b"<!")
    while at >= 0:
        if not (xml.startswith(b"<!--", at) or xml.startswith(b"<![CDATA[", at)):
            raise InputError(f"{name} 的 {shown(part)} 含有实体或文档类型声明（<!DOCTYPE），"
                             "正常的工作簿不会有，已拒绝读取；请在 Excel 中另存为 .xlsx 后再试")
        at = xml.find(b"<!", at + 2)
    if len(xml.translate(None, _CONTROL)) != len(xml):  # one C pass; the regex below only finds where
        m = re.search(_NOT_XML, xml)
        raise broken(name, f"{shown(part)} 第 {m.start()} 字节处有 XML 不允许的控制字符")
