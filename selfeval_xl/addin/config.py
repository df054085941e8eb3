"""selfeval.conf: the add-in's settings, from the user's conf file (xlwings' format, UTF-8: see confenc.py) and
the workbook's sheet of that name (a value filled in on the sheet wins). A Password key is ignored wherever it
is: passwords never live in these.

The machine settings xlwings' VBA reads (Interpreter_Win, Interpreter_Mac, PYTHONPATH, ...) come from the user's
file only, written by `selfeval-xl addin install`: a workbook that travels must not choose what runs."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

from selfeval_xl.errors import ConfigError
from selfeval_xl.rules.registry import DEFAULT_THRESHOLD
from selfeval_xl.sources.grid import Grid

CONF_SHEET = "selfeval.conf"


def conf_file(platform: str = sys.platform) -> Path:
    """The user's selfeval.conf file, where xlwings' custom add-ins keep theirs (its VBA: GetConfigFilePath)."""
    if platform == "darwin":
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONF_SHEET
    return Path(os.environ.get("USERPROFILE") or Path.home()) / ".selfeval" / CONF_SHEET


def config(sheets: dict[str, Grid]) -> dict[str, str]:
    """selfeval.conf settings: the conf file, overridden by the values filled in on the workbook's sheet of
    that name (column A key, column B value; an empty cell keeps the file's value, as 设置 writes every key).
    A Password key is ignored wherever it is: passwords never live in these."""
    from selfeval_xl.addin.confenc import read_conf

    read = read_conf(conf_file())
    pairs = [(k, v, True) for k, v in read.pairs] if read else []
    if CONF_SHEET in sheets:
        pairs += [(r[0], r[1], False) for r in sheets[CONF_SHEET].rows if len(r) >= 2]
    known = {k.lower(): k for k, _, _ in CONF_KEYS}
    out = {}
    for key, value, from_file in pairs:
        key = "" if key is None else str(key).strip()
        key = known.get(key.lower(), key)  # "threshold" typed on the sheet is Threshold
        value = "" if value is None else str(value).strip()
        if key and key.lower() != "password" and (from_file or value or key not in out):
            out[key] = value
    return out


def threshold(sheets: dict[str, Grid]) -> Decimal:
    """The 执行进度 threshold as a fraction: read as `--threshold` reads it (90, 90% or 0.9 all mean 90%)."""
    from selfeval_xl.core.numbers import parse_percent

    raw = config(sheets).get("Threshold", "")
    if not raw:
        return DEFAULT_THRESHOLD
    value = parse_percent(raw)
    if value is None:
        raise ConfigError(f"selfeval.conf 中 Threshold 应为 0–100 之间的百分数（如 90、90% 或 0.9），而不是 {raw!r}")
    return value / 100


CONF_KEYS = [  # Python's settings only: the interpreter is set by `selfeval-xl addin install`, per machine
    ("Threshold", "90", "执行进度预警线（%）"),
    ("Mail_To", "", "收件人，多个用分号分隔"),
    ("Mail_Cc", "", "抄送"),
    ("Mail_From", "", "发件人地址"),
    ("SMTP_Host", "", "SMTP 服务器（留空则用 Outlook 或 .eml）"),
    ("SMTP_Port", "465", "端口"),
    ("SMTP_Security", "ssl", "ssl / starttls / plain"),
    ("SMTP_User", "", "登录名；密码请设环境变量 SELFEVAL_SMTP_PASSWORD 或存入系统 keyring，不要写在这里"),
]
