"""The export use case: validate and score a workbook, then write the finished scorecard workbook — only when
the workbook has no errors, or as a draft that says how many errors it still has."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.errors import EXIT_FINDINGS, FileError, SelfevalError
from selfeval_xl.rules.severity import Severity
from selfeval_xl.writers.filenames import MAX_BYTES, safe_file_name

NAME_TAIL = "绩效自评评分表"


class ExportRefused(SelfevalError):
    """The workbook still has errors and no draft was asked for (exit 1, like `validate` on the same file)."""

    exit_code = EXIT_FINDINGS


def error_count(checked) -> int:
    """The errors among all findings (validation and scoring)."""
    return checked.counts()["error"]


def default_name(info: dict, draft_errors: int = 0) -> str:
    """{单位名称}_{年度}_绩效自评评分表.xlsx; a draft ends in _草稿（N个错误）; no year typed, no year part.
    Made safe for every file system (writers/filenames.py); a long unit name is cut, never the rest."""
    unit = str(info.get("UnitName") or "").strip() or "未命名单位"
    year = str(info.get("Year") or "").strip()
    rest = "_".join(([year] if year else []) + [NAME_TAIL] + ([f"草稿（{draft_errors}个错误）"] if draft_errors else []))
    rest = safe_file_name(rest)
    unit = safe_file_name(unit, MAX_BYTES - len(rest.encode("utf-8")) - 1)
    return f"{unit}_{rest}.xlsx"


def refuse_with_errors(checked, source_name: str) -> None:
    """Raise ExportRefused when the workbook has errors: one line naming the count and the first error."""
    n = error_count(checked)
    if not n:
        return
    first = next(f for f in checked.all_findings if f.severity is Severity.ERROR)
    raise ExportRefused(f"{source_name} 有 {n} 个错误，未导出（第一个：{first.message}）。请改正后再导出"
                        f"（selfeval-xl validate 列出全部错误），或加 --draft 导出注明“草稿”的文件")


def export_file(src: str, out: str | None = None, system: str | None = None, force: bool = False,
                threshold: Decimal = Decimal("0.9"), draft: bool = False, rules: dict | None = None) -> tuple[Path, int]:
    """Export the workbook at src: (the file written, the errors it still has). The target defaults to
    default_name beside it, never src itself. A workbook with errors is refused (ExportRefused, nothing
    written) unless draft is set. rules overrides the form's scoring rule set (--rules)."""
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate
    from selfeval_xl.writers.export import write_export

    checked = validate(src, threshold, rules)
    score(checked, system, rules)
    if not draft:
        refuse_with_errors(checked, Path(src).name)
    errors = error_count(checked)
    target = Path(out) if out else Path(src).resolve().parent / default_name(checked.wb.info, errors)
    if target.resolve() == Path(src).resolve():
        raise FileError("导出文件不能覆盖输入文件，请用 -o 指定另一个文件名")
    write_export(checked, target, force=force, threshold=threshold)
    return target, errors
