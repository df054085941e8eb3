"""The export use case: validate and score a workbook, then write the finished scorecard workbook."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from selfeval_xl.errors import FileError


def default_name(info: dict) -> str:
    """{单位名称}_{年度}_绩效自评评分表.xlsx, with characters Windows forbids replaced."""
    unit = re.sub(r'[\\/:*?"<>|]', "_", str(info.get("UnitName") or "未命名单位"))
    return f"{unit}_{info.get('Year') or '年度'}_绩效自评评分表.xlsx"


def export_file(src: str, out: str | None = None, system: str | None = None, force: bool = False,
                threshold: Decimal = Decimal("0.9")) -> Path:
    """Export the workbook at src; the target defaults to default_name beside it, never src itself."""
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate
    from selfeval_xl.writers.export import write_export

    checked = validate(src, threshold)
    score(checked, system)
    target = Path(out) if out else Path(src).resolve().parent / default_name(checked.wb.info)
    if target.resolve() == Path(src).resolve():
        raise FileError("导出文件不能覆盖输入文件，请用 -o 指定另一个文件名")
    write_export(checked, target, force=force, threshold=threshold)
    return target
