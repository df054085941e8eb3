"""Release check in real Excel (Windows, with Excel and this package installed, after `selfeval-xl addin install`):
press the add-in's buttons on the demo workbook as a user does, and check what Excel then shows.

    python scripts/windows_smoke.py [--keep]

Each press goes the whole way a ribbon click goes: the installed add-in's VBA (SelfevalRun, which every ribbon
callback calls), xlwings' RunPython, the configured Python, the entry point, and the alert it shows, whose text
is read from the dialog and checked before the dialog is dismissed. Steps:
  1. `addin doctor` finds nothing wrong;
  2. with no workbook open, 校验 says 请先打开工作簿 (the VBA guard) and 帮助 shows the help (through a stand-in
     workbook, which is closed again);
  3. on the demo workbook: 校验 (0 errors, 3 warnings; K8 marked; 校验结果 written), 计分 (总分 95.41 in 评分表),
     清除标记 (K8's fill and note back as before; 校验结果 gone), 导出评分表 (the export beside the demo).
It prints `smoke test passed` at the end. tests/test_addin_smoke.py runs step 3's checks on Linux through the
same entry points and the recording fake of xlwings, so only Excel's own part is left to this script."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ALERT_TITLE = "绩效自评"
MARK_RGB = (255, 235, 156)  # the fill 校验 gives a warning's cell (app/marking.py)
EXPECT = {
    "on_validate": "校验完成：0 个错误，3 个警告",
    "on_score": "计分完成：总分 95.41，评价等级 优",
    "on_clear": "已清除标记，恢复了 3 个单元格",
    "on_export": "已导出：",
}


class SmokeFailure(AssertionError):
    pass


def check(ok: bool, what: str) -> None:
    if not ok:
        raise SmokeFailure(what)


def sheet(book, name: str):
    return next(s for s in book.sheets if s.name == name)


def sheet_names(book) -> list[str]:
    return [s.name for s in book.sheets]


def cell_look(book, address: str) -> tuple:
    rng = sheet(book, "表5").range(address)
    note = rng.note
    return rng.color, None if note is None else note.text


def button_cycle(book, press) -> Path:
    """校验, 计分, 清除标记, 导出评分表 on the demo workbook; press(entry_point) presses one button and returns the
    alert it showed. Returns the export written."""
    from selfeval_xl.addin import buttons
    from selfeval_xl.addin.xlwings_port import XlwingsPort

    before = cell_look(book, "K8")
    said = press("on_validate")
    check(said.startswith(EXPECT["on_validate"]), f"校验: {said!r}")
    check(cell_look(book, "K8")[0] == MARK_RGB, f"K8 should be marked, is {cell_look(book, 'K8')}")
    check("校验结果" in sheet_names(book), "no 校验结果 sheet after 校验")

    said = press("on_score")
    check(said.startswith(EXPECT["on_score"]), f"计分: {said!r}")
    port = XlwingsPort(book)
    card = buttons.checked_model(port)[0].wb.scorecard
    total = port.source().grid(card.sheet).value(card.total.row - 1, card.total.col - 1)
    check(round(float(total), 2) == 95.41, f"评分表 {card.total}: {total!r}, not 95.41")

    said = press("on_clear")
    check(said.startswith(EXPECT["on_clear"]), f"清除标记: {said!r}")
    check(cell_look(book, "K8") == before, f"K8 not restored: {before} -> {cell_look(book, 'K8')}")
    check("校验结果" not in sheet_names(book), "校验结果 left after 清除标记")

    said = press("on_export")
    check(said.startswith(EXPECT["on_export"]), f"导出评分表: {said!r}")
    out = Path(said.split("：", 1)[1].splitlines()[0])
    check(out.is_file() and out.parent == Path(book.fullname).parent, f"no export at {out}")
    return out


# ---------------------------------------------------------------- real Excel (Windows)

def read_and_dismiss_alert(timeout: float = 300) -> str:
    """The text of the next message box titled 绩效自评 (Python's alert or the VBA's), after pressing its OK."""
    import win32con
    import win32gui

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = []
        win32gui.EnumWindows(lambda h, acc: acc.append(h) if win32gui.IsWindowVisible(h) and win32gui.GetClassName(h)
                             == "#32770" and win32gui.GetWindowText(h) == ALERT_TITLE else None, found)
        if found:
            box = found[0]
            text = win32gui.GetWindowText(win32gui.GetDlgItem(box, 0xFFFF))  # a message box's text control
            win32gui.PostMessage(box, win32con.WM_COMMAND, win32con.IDOK, 0)
            return text
        time.sleep(0.2)
    raise SmokeFailure(f"no {ALERT_TITLE} alert within {timeout:.0f} s (an xlwings error dialog may be open)")


def wait_until_ready(app, timeout: float = 120) -> None:
    """Excel refuses automation calls while a macro runs: wait until it answers and is ready."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if app.api.Ready:
                return
        except Exception:  # RPC_E_CALL_REJECTED while busy
            pass
        time.sleep(0.2)
    raise SmokeFailure("Excel stayed busy")


def excel_press(app, addin: str):
    """Press a button: schedule the add-in's SelfevalRun in Excel, as a click would run it (an automation call
    that ran it directly would keep Excel inside that call while Python calls back into Excel)."""
    def press(entry_point: str) -> str:
        wait_until_ready(app)
        app.api.OnTime(dt.datetime.now(), f"'{addin}'!'SelfevalRun \"{entry_point}\"'")
        text = read_and_dismiss_alert()
        wait_until_ready(app)
        return text

    return press


def main() -> int:
    import xlwings as xw

    from selfeval_xl.addin.doctor import doctor
    from selfeval_xl.addin.excel import XlwingsExcel
    from selfeval_xl.app.demo import demo_export

    report, code = doctor()
    print(report)
    check(code == 0, "selfeval-xl addin doctor found problems: fix them first")
    addin = XlwingsExcel().addin_dir() / "selfeval.xlam"
    folder = Path(tempfile.mkdtemp(prefix="selfeval-smoke-"))
    src, _, _ = demo_export(folder)
    app = xw.App(visible=True, add_book=False)
    keep = "--keep" in sys.argv
    try:
        app.books.open(str(addin))  # Excel started by automation does not load XLSTART itself
        press = excel_press(app, addin.name)
        said = press("on_validate")
        check(said.startswith("请先打开工作簿"), f"校验 with no workbook: {said!r}")
        said = press("on_help")
        check(said.startswith("selfeval-xl ") and "addin doctor" in said, f"帮助 with no workbook: {said!r}")
        check(len(app.books) == 0, "the stand-in workbook of 帮助 was not closed")
        book = app.books.open(str(src))
        out = button_cycle(book, press)
        print(f"smoke test passed: {out}")
        return 0
    finally:
        if not keep:
            app.quit()


if __name__ == "__main__":
    sys.exit(main())
