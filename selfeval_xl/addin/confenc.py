"""The user's config file, selfeval.conf (xlwings' format: one "KEY","VALUE" pair a line), in one encoding on
both sides: UTF-8, so that a path such as C:\\Users\\张三\\…\\pythonw.exe survives whatever the ANSI code page.

Python writes it (`selfeval-xl addin install`) and reads it (the buttons' settings); the add-in's VBA reads it
on Windows with ADODB.Stream as UTF-8 (macros/RibbonSelfeval.bas, SelfevalConfFromFile). On Windows the file
starts with a BOM, so that Notepad shows and saves it as UTF-8 too; on macOS it is written as xlwings' own
Python writes its config (UTF-8, LF, no BOM), which the Mac VBA reads with Input # (paths there are ASCII).

A file in the ANSI code page (xlwings' VBA writes with Write #; older Notepads save so) is still read here,
and `selfeval-xl addin doctor` reports it so that `addin install` rewrites it in UTF-8."""

from __future__ import annotations

import codecs
import csv
import io
import locale
import re
import sys
from pathlib import Path

from selfeval_xl.core.record import record
from selfeval_xl.errors import ConfigError

MAX_BYTES = 1_000_000
UTF8 = "UTF-8"
SECRET_KEY = re.compile(r"pass|secret|token|license", re.I)


@record(frozen=True)
class ConfFile:
    """A config file as read: its pairs in order, and the encoding they were read in."""

    path: Path
    pairs: list[tuple[str, str]]
    encoding: str  # "UTF-8" or the ANSI code page's name
    bom: bool

    @property
    def is_utf8(self) -> bool:
        return self.encoding == UTF8


def ansi_encoding() -> str:
    """The system's ANSI code page, which VBA's Input # and Write # use ("mbcs" on Windows)."""
    return "mbcs" if sys.platform == "win32" else locale.getpreferredencoding(False)


def read_conf(path: Path, ansi: str | None = None) -> ConfFile | None:
    """The config file at path (None if there is none): UTF-8, else the ANSI code page."""
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_BYTES:
        raise ConfigError(f"{path} 超过 1 MB，不是 selfeval 的配置文件：请检查后删除，再运行 selfeval-xl addin install")
    raw = path.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        text, encoding = raw.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError:
        encoding = ansi or ansi_encoding()
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ConfigError(f"{path} 既不是 UTF-8 也不是本机 ANSI 编码：请删除后运行 selfeval-xl addin install") from None
    pairs = [(r[0], r[1]) for r in csv.reader(io.StringIO(text, newline="")) if len(r) >= 2]
    return ConfFile(path, pairs, encoding, bom)


def render_conf(pairs: list[tuple[str, str]], platform: str = sys.platform) -> bytes:
    """The bytes of a config file holding pairs, as the add-in on platform reads them."""
    lines = []
    for key, value in pairs:
        if any(c in key + value for c in "\r\n") or '"' in key:
            raise ConfigError(f"配置项 {key!r} 含换行或引号，无法写入 selfeval.conf：请在文件中改正后重试")
        lines.append('"{}","{}"'.format(key, value.replace('"', '""')))
    newline = "\n" if platform == "darwin" else "\r\n"
    text = "".join(line + newline for line in lines)
    return (codecs.BOM_UTF8 if platform == "win32" else b"") + text.encode("utf-8")


def write_conf(path: Path, pairs: list[tuple[str, str]], platform: str = sys.platform) -> Path:
    """Write the config file atomically (its folder is created when missing)."""
    from selfeval_xl.writers.atomic import atomic_path

    data = render_conf(pairs, platform)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)
    return path


def merged(old: list[tuple[str, str]], new: dict[str, str | None]) -> list[tuple[str, str]]:
    """old with the keys of new set (case-blind, in place of their first occurrence) or, for None, removed."""
    wanted = {k.lower(): (k, v) for k, v in new.items()}
    out, done = [], set()
    for key, value in old:
        low = key.strip().lower()
        if low in wanted:
            if low not in done and wanted[low][1] is not None:
                out.append(wanted[low])
            done.add(low)
        else:
            out.append((key, value))
    out += [kv for low, kv in wanted.items() if low not in done and kv[1] is not None]
    return out


def shown(key: str, value: str) -> str:
    """A config value as it may be printed: secrets never."""
    return "******（已隐藏）" if SECRET_KEY.search(key) and value else value
