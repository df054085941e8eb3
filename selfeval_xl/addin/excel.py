"""What `addin install` and `addin doctor` need from Excel itself, through xlwings (Windows, macOS only): the
add-in folder (XLSTART), xlwings' installer, RunPython's AppleScript on macOS. Kept apart so that everything
else in install and doctor runs, and is tested, on any OS."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path


def default_addin_dir(platform: str = sys.platform) -> Path | None:
    """The user's XLSTART folder where Excel keeps it by default (Windows), when Excel cannot be asked."""
    if platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"
    return None


def applescript_path(xlwings_version: str) -> Path:
    """macOS: the script RunPython calls (AppleScriptTask), named after the xlwings version."""
    return Path.home() / "Library" / "Application Scripts" / "com.microsoft.Excel" / f"xlwings-{xlwings_version}.applescript"


class XlwingsExcel:
    """Excel through xlwings' own command-line helpers (the xlwings version is pinned in setup.cfg)."""

    def addin_dir(self) -> Path:
        """Excel's startup folder, asked from the running Excel (or one started unseen, as xlwings does)."""
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir())

    def running_addin_dir(self) -> Path | None:
        """The startup folder of an Excel that is already running, else None (nothing is started)."""
        import xlwings as xw

        return Path(xw.apps.active.startup_path) if xw.apps.count else None

    def install(self, xlam: Path) -> str:
        """xlwings' installer: closes the add-in in running Excels, copies it into XLSTART, opens it again (on
        macOS also installs RunPython's AppleScript). It reports failures only by printing: its output is
        returned for the caller to check the result itself."""
        from xlwings import cli

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cli._addin_install(str(xlam))
        return out.getvalue()
