"""The log file: details of failures (full tracebacks of internal errors) and of what was sent, for support.
Never passwords or workbook text.

Location: $SELFEVAL_LOG, else the per-user log folder of the OS (platformdirs): %LOCALAPPDATA%\\selfeval-xl\\Logs
on Windows, ~/Library/Logs/selfeval-xl on macOS, ~/.local/state/selfeval-xl/log elsewhere; file selfeval.log."""

from __future__ import annotations

import logging
import os
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOGGER = "selfeval_xl"


def log_path() -> Path:
    if os.environ.get("SELFEVAL_LOG"):
        return Path(os.environ["SELFEVAL_LOG"])
    import platformdirs

    return platformdirs.user_log_path("selfeval-xl", appauthor=False) / "selfeval.log"


def setup_file_logging() -> Path | None:
    """Attach the log file to the selfeval_xl logger once; None when it cannot be opened (not fatal)."""
    logger = logging.getLogger(LOGGER)
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


def log_internal_error(command: str) -> Path | None:
    """Write the current exception's full traceback to the log file; the log's path, or None if unwritable."""
    path = setup_file_logging()
    logging.getLogger(LOGGER).error("%s: internal error", command, exc_info=True)
    return path
