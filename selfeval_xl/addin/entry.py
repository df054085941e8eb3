"""Entry points of the ribbon's RunPython calls (macros/RibbonSelfeval.bas), one per button.

Each finds the calling workbook (`xw.Book.caller()`, or the file given to `set_mock_caller`, as xlwings
does for running macro code from plain Python), runs one action through the workbook port, and shows the
outcome as an Excel alert. No exception leaves these functions: the user sees a Chinese message, the
details go to the log file (selfeval_xl.logs)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from selfeval_xl import __version__
from selfeval_xl.addin import buttons
from selfeval_xl.addin.xlwings_port import ALERT_TITLE
from selfeval_xl.errors import SelfevalError
from selfeval_xl.logs import log_path, setup_file_logging

log = logging.getLogger("selfeval_xl.addin")
_mock: Path | None = None


def set_mock_caller(path: str | Path | None) -> None:
    """Make the entry points act on this workbook file (through the openpyxl port) instead of Excel."""
    global _mock
    _mock = Path(path) if path else None


def _port():
    if _mock is not None:
        from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

        return OpenpyxlPort(_mock)
    import xlwings as xw

    from selfeval_xl.addin.xlwings_port import XlwingsPort

    return XlwingsPort(xw.Book.caller())


def _open(path: Path) -> None:
    """Show a file to the user: in Excel for workbooks, else with the system's default program."""
    if _mock is not None:
        return
    if path.suffix == ".xlsx":
        import xlwings as xw

        xw.Book(str(path))
    elif sys.platform == "win32":
        os.startfile(str(path))  # noqa: S606 - our own output file
    else:
        subprocess.Popen(["open" if sys.platform == "darwin" else "xdg-open", str(path)])


def _caller_book():
    """The workbook RunPython was called from (None with a mock caller)."""
    if _mock is not None:
        return None
    import xlwings as xw

    return xw.Book.caller()


def _run(name: str, action, needs_book: bool = True, stand_in: bool = False) -> object:
    """Run one button's action; every outcome ends as an alert, never as a traceback dialog.

    stand_in: no workbook was open, and the ribbon opened a blank one only because RunPython needs an active
    workbook (macros/RibbonSelfeval.bas). The action runs without a workbook; the stand-in shows the alert
    and is closed afterwards."""
    setup_file_logging()
    port = helper = None
    try:
        if stand_in:
            helper = _caller_book()
        elif needs_book:
            port = _port()
        else:
            try:
                port = _port()
            except Exception:  # 新建 works with no workbook open
                port = None
        message = action(port)
        if _mock is not None and port is not None:
            port.save()
        log.info("%s: %s", name, message)
        if message:
            _alert(port or helper, message)
        return message
    except SelfevalError as e:
        log.info("%s refused: %s", name, e.message)
        _alert(port or helper, e.message)
    except Exception:  # the dialog must stay a one-line Chinese message
        log.exception("%s failed", name)
        _alert(port or helper, f"内部错误，未完成“{name}”。详情已写入日志：{log_path()}")
    finally:
        if helper is not None:
            _close_quietly(helper)
    return None


def _close_quietly(book) -> None:
    try:
        book.close()  # a blank workbook nobody has typed into: nothing to save
    except Exception:
        log.exception("closing the stand-in workbook failed")


def _alert(target, message: str) -> None:
    """Show message in Excel: target is a workbook port or an xlwings Book; else (no Excel) on stderr."""
    try:
        if target is not None:
            if hasattr(target, "alert"):
                target.alert(message)
            else:
                target.app.alert(message, title=ALERT_TITLE)
            return
    except Exception:
        log.exception("alert failed")
    print(message, file=sys.stderr)


def on_validate():
    return _run("校验", buttons.validate_action)


def on_score():
    return _run("计分", buttons.score_action)


def on_clear():
    return _run("清除标记", buttons.clear_action)


def on_export():
    def export(port):
        out, errors = buttons.export_action(port)
        _open(out)
        draft = f"\n这是草稿：尚有 {errors} 个错误未改正（见导出文件的“问题清单”）。" if errors else ""
        return f"已导出：{out}{draft}"

    return _run("导出评分表", export)


def on_mail():
    from selfeval_xl.addin.mailing import mail_action

    return _run("发送邮件", lambda port: mail_action(port, _open))


def _new(kind: str):
    def new(port):
        folder = port.path.parent if port is not None and port.path else Path.home() / "Documents"
        out = buttons.new_workbook(kind, folder)
        _open(out)
        return f"已新建：{out}"

    return new


def on_new_dept(stand_in: bool = False):
    return _run("新建", _new("dept"), needs_book=False, stand_in=stand_in)


def on_new_project(stand_in: bool = False):
    return _run("新建", _new("project"), needs_book=False, stand_in=stand_in)


def on_settings():
    return _run("设置", buttons.settings_action)


def on_help(stand_in: bool = False):
    return _run("帮助", lambda port: (
        f"selfeval-xl {__version__}\n校验：标出问题单元格并生成“校验结果”；计分：填写评分表；清除标记：恢复原样；"
        f"导出评分表：生成可打印的成品；发送邮件：Outlook / SMTP / .eml。\n设置见“设置”按钮（selfeval.conf）。"
        f"\n日志：{log_path()}\n按钮无法运行时，请在命令提示符中运行 selfeval-xl addin doctor 查看原因。"),
        needs_book=False, stand_in=stand_in)
