"""selfeval.conf: the add-in's settings, from the user's conf file (xlwings' format) and the workbook's sheet
of that name (the sheet wins). A Password key is ignored wherever it is: passwords never live in these."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.errors import ConfigError
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD
from selfeval_xl.sources.grid import Grid

CONF_SHEET = "selfeval.conf"


def conf_file() -> Path:
    """The user's selfeval.conf file, where xlwings' custom add-ins keep theirs."""
    import os
    import sys

    if sys.platform == "darwin":
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONF_SHEET
    return Path(os.environ.get("USERPROFILE") or Path.home()) / ".selfeval" / CONF_SHEET


def _conf_pairs_from_file(path: Path) -> list[tuple[str, str]]:
    """xlwings' conf file format: one "KEY","VALUE" pair per line."""
    import csv

    if not path.is_file() or path.stat().st_size > 1_000_000:
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(r[0], r[1]) for r in csv.reader(fh) if len(r) >= 2]


def config(sheets: dict[str, Grid]) -> dict[str, str]:
    """selfeval.conf settings: the conf file, overridden by the workbook's sheet of that name (column A
    key, column B value). A Password key is ignored wherever it is: passwords never live in these."""
    pairs = _conf_pairs_from_file(conf_file())
    if CONF_SHEET in sheets:
        pairs += [(r[0], r[1]) for r in sheets[CONF_SHEET].rows if len(r) >= 2]
    out = {}
    for key, value in pairs:
        key = "" if key is None else str(key).strip()
        if key and key.lower() != "password":
            out[key] = "" if value is None else str(value).strip()
    return out


def threshold(sheets: dict[str, Grid]) -> Decimal:
    raw = config(sheets).get("Threshold", "")
    try:
        return Decimal(raw.rstrip("%")) / 100 if raw else DEFAULT_THRESHOLD
    except ArithmeticError:
        raise ConfigError(f"selfeval.conf 中 Threshold 应为百分数（如 90），而不是 {raw!r}") from None


CONF_KEYS = [
    ("Interpreter_Win", "", "Windows 上的 python.exe 路径（留空用默认）"),
    ("Interpreter_Mac", "", "macOS 上的 python 路径"),
    ("PYTHONPATH", "", "额外的模块路径"),
    ("Threshold", "90", "执行进度预警线（%）"),
    ("Mail_To", "", "收件人，多个用分号分隔"),
    ("Mail_Cc", "", "抄送"),
    ("Mail_From", "", "发件人地址"),
    ("SMTP_Host", "", "SMTP 服务器（留空则用 Outlook 或 .eml）"),
    ("SMTP_Port", "465", "端口"),
    ("SMTP_Security", "ssl", "ssl / starttls / plain"),
    ("SMTP_User", "", "登录名；密码请设环境变量 SELFEVAL_SMTP_PASSWORD 或存入系统 keyring，不要写在这里"),
]
