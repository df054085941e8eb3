"""The log file: details of failures and of what was sent, for support. Never passwords or workbook text.

Location: $SELFEVAL_LOG, else %LOCALAPPDATA%\\selfeval-xl\\selfeval.log on Windows,
~/Library/Logs/selfeval-xl/selfeval.log on macOS, ~/.local/state/selfeval-xl/selfeval.log elsewhere."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path() -> Path:
    if os.environ.get("SELFEVAL_LOG"):
        return Path(os.environ["SELFEVAL_LOG"])
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "selfeval-xl"
    elif sys.platform == "darwin":
        base = home / "Library" / "Logs" / "selfeval-xl"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME", home / ".local" / "state")) / "selfeval-xl"
    return base / "selfeval.log"


def setup_file_logging() -> Path | None:
    """Attach the log file to the selfeval_xl logger once; None when it cannot be opened (not fatal)."""
    logger = logging.getLogger("selfeval_xl")
    path = log_path()
    if any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve() for h in logger.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path
