"""`validate --annotate`: the 校验 button's marking, applied to a copy of the user's workbook.

It runs the add-in's own marking code (app.marking.mark_findings) through the openpyxl port, so the file and
Excel get the same notes, fills and 校验结果 sheet. The input is never modified."""

from __future__ import annotations

import shutil
from pathlib import Path

from selfeval_xl.errors import FileError, InputError


def annotate_file(src: str, out: str, findings) -> None:
    from selfeval_xl.app.marking import mark_findings
    from selfeval_xl.writers.atomic import atomic_path
    from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

    if Path(out).resolve() == Path(src).resolve():
        raise FileError("--annotate 的输出文件不能与输入文件相同；请另给一个文件名")
    with atomic_path(out) as tmp:
        shutil.copyfile(src, tmp)
        try:
            port = OpenpyxlPort(tmp)
        except Exception as e:  # openpyxl reads some cells our reader accepts (<v>NaN</v>, 5,000-digit numbers) with int()
            raise InputError(f"{Path(src).name} 无法另存标注副本：其中有 openpyxl 无法读取的内容（{type(e).__name__}），"
                             "请在 Excel 中打开后另存为 .xlsx 再标注") from None
        mark_findings(port, findings)
        port.save()
