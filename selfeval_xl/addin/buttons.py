"""What the ribbon buttons do, written once against the workbook port (app/port.py).

The same functions run in Excel (XlwingsPort) and on files (OpenpyxlPort); they read through the port's
GridSource and call the same use cases as the command line, so a button gives the command line's answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.addin.config import CONF_KEYS, CONF_SHEET, threshold
from selfeval_xl.app.marking import clear_marks, mark_findings, our_sheets
from selfeval_xl.app.port import WorkbookPort
from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.money import fmt_score
from selfeval_xl.core.numbers import to_decimal
from selfeval_xl.errors import ConfigError, FileError
from selfeval_xl.sources.grid import Grid

SCORE_TOL = Decimal("0.005")


# ---------------------------------------------------------------- reading

def read_sheets(port: WorkbookPort) -> dict[str, Grid]:
    """Every sheet but our own, through the port's GridSource; an action reads them once and passes them on."""
    src, ours = port.source(), our_sheets(port)
    return {s: src.grid(s) for s in src.sheet_names() if s not in ours}


def checked_model(port: WorkbookPort):
    """(the checked model, the sheets it was read from) of the workbook behind the port."""
    from selfeval_xl.app.validate import check
    from selfeval_xl.forms.reader import read_grids

    sheets = read_sheets(port)
    model = read_grids(list(sheets.values()), port.source().defined_names(), str(port.path or "当前工作簿"))
    return check(model, threshold(sheets)), sheets


# ---------------------------------------------------------------- 校验 / 清除标记

def validate_action(port: WorkbookPort) -> str:
    """校验: check the workbook, mark each finding's cell, write the 校验结果 sheet. Returns a summary."""
    checked, _ = checked_model(port)
    results = mark_findings(port, checked.findings)  # clears the marks a previous 校验 left first
    c = checked.counts()
    return f"校验完成：{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。详见“{results}”工作表。"


def clear_action(port: WorkbookPort) -> str:
    n = clear_marks(port)
    return f"已清除标记，恢复了 {n} 个单元格原有的填充和批注。"


# ---------------------------------------------------------------- 计分

def score_action(port: WorkbookPort) -> str:
    """计分: 自评得分, 计算过程, total and grade into the 评分表. A score formula that already gives the
    engine's figure is kept (it stays live); one that does not is replaced by the figure. Input cells
    (手工得分, 基础数据, 表5) are never written."""
    from selfeval_xl.app.score import score

    checked, sheets = checked_model(port)
    result = score(checked)
    table = checked.wb.scorecard
    if table is None:
        raise ConfigError("工作簿中没有“评分表”工作表（含“计分方法”列）：请用 新建 生成的模板，或复制标准评分表")
    items = {tuple(i.path): i for i in result.items}
    grid = sheets[table.sheet]
    cells: dict[CellAddress, object] = {}
    kept = replaced = 0

    def current(addr: CellAddress):
        return grid.value(addr.row - 1, addr.col - 1), grid.is_formula(addr.row - 1, addr.col - 1)

    def put(addr: CellAddress, figure: Decimal | None) -> None:
        nonlocal kept, replaced
        v, is_formula = current(addr)
        if is_formula and isinstance(v, float) and figure is not None and abs(to_decimal(v) - figure) <= SCORE_TOL:
            kept += 1
            return
        replaced += is_formula
        cells[addr] = None if figure is None else float(figure)

    for row in table.rows:
        item = items.get(row.path)
        put(row.score, item.score if item else None)
        if row.explain is not None and item is not None and not current(row.explain)[1]:
            cells[row.explain] = item.explanation
    if table.total is not None:
        put(table.total, result.total)
    if table.grade is not None and not current(table.grade)[1]:
        cells[table.grade] = result.grade
    for col, blocks in _blocks(cells).items():
        for top, vals in blocks:
            port.write(table.sheet, top, col, [[v] for v in vals], text=all(isinstance(v, str) for v in vals))
    more = f"；{replaced} 个得分公式与计分引擎结果不一致，已改为引擎结果" if replaced else ""
    return (f"计分完成：总分 {fmt_score(result.total)}，评价等级 {result.grade}。"
            f"写入 {len(cells)} 个单元格，保留 {kept} 个结果一致的得分公式{more}。")


def _blocks(cells: dict[CellAddress, object]) -> dict[int, list[tuple[int, list]]]:
    """Cells grouped into contiguous vertical runs per column: one write call each."""
    out: dict[int, list[tuple[int, list]]] = {}
    for addr in sorted(cells, key=lambda a: (a.col, a.row)):
        runs = out.setdefault(addr.col, [])
        if runs and runs[-1][0] + len(runs[-1][1]) == addr.row:
            runs[-1][1].append(cells[addr])
        else:
            runs.append((addr.row, [cells[addr]]))
    return out


# ---------------------------------------------------------------- 导出 / 新建 / 设置

def export_action(port: WorkbookPort) -> tuple[Path, int]:
    """导出评分表: the finished workbook next to the source (the live contents, saved or not), and the errors
    it still has. With errors it is what `selfeval-xl export --draft` writes: named 草稿（N个错误）."""
    out, _, errors = export_workbook(port, draft=True)
    return out, errors


def export_workbook(port: WorkbookPort, draft: bool) -> tuple[Path, dict[str, Grid], int]:
    """The export as `selfeval-xl export` writes it (same name, threshold, contents), the sheets read for it
    (发送邮件 takes its settings from them) and its error count. A workbook with errors is refused unless draft."""
    from selfeval_xl.app.export import ExportRefused, default_name, error_count
    from selfeval_xl.app.score import score
    from selfeval_xl.rules.severity import Severity
    from selfeval_xl.writers.export import write_export

    if port.path is None:
        raise FileError("请先保存工作簿（导出文件将放在它旁边）")
    checked, sheets = checked_model(port)
    score(checked)
    errors = error_count(checked)
    if errors and not draft:
        first = next(f for f in checked.all_findings if f.severity is Severity.ERROR)
        raise ExportRefused(f"工作簿有 {errors} 个错误，未发送（第一个：{first.message}）。请改正后再发送（点“校验”可标出全部错误）")
    target = port.path.parent / default_name(checked.wb.info, errors)
    if target.resolve() == port.path.resolve():
        raise FileError("导出文件名与当前工作簿相同，请先将工作簿另存为其他名称")
    write_export(checked, target, force=True, threshold=threshold(sheets))
    return target, sheets, errors


def new_workbook(kind: str, folder: Path) -> Path:
    """新建: a blank standard template in folder, under a name not yet taken."""
    from selfeval_xl.writers.templates import build_dept, build_project

    stem = "部门整体支出绩效自评" if kind == "dept" else "项目支出绩效自评"
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while (folder / f"{stem}_{n}.xlsx").exists():
        n += 1
    out = folder / f"{stem}_{n}.xlsx"
    (build_dept if kind == "dept" else build_project)(out)
    return out


def settings_action(port: WorkbookPort) -> str:
    """设置: make sure the workbook has a selfeval.conf sheet with every key (existing values kept)."""
    src = port.source()
    grid = src.grid(CONF_SHEET) if CONF_SHEET in src.sheet_names() else None
    # the sheet's own values only: the user's file (SMTP server, login) stays out of a workbook that travels
    have = {}
    for row in grid.rows if grid else []:
        key = str(row[0]).strip() if len(row) >= 2 and row[0] is not None else ""
        if key and key.lower() != "password":
            have[key] = "" if row[1] is None else str(row[1])
    rows = [[k, have.get(k, default), note] for k, default, note in CONF_KEYS]
    rows += [[k, v, ""] for k, v in have.items() if k not in {k for k, _, _ in CONF_KEYS}]
    port.add_sheet(CONF_SHEET)
    port.write(CONF_SHEET, 1, 1, rows, text=True)
    return f"设置在“{CONF_SHEET}”工作表中：填写 B 列后保存即可生效。密码不要写在工作簿里。"
