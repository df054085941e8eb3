"""What the ribbon buttons do, written once against the workbook port (see port.py).

The same functions run in Excel (XlwingsPort) and on files (OpenpyxlPort): `selfeval-xl validate
--annotate` marks its copy with `mark_findings`, and the tests drive every button on the demo workbook."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_xl.addin.port import Mark, WorkbookPort
from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import SEVERITIES, SEVERITY_ZH, Grid
from selfeval_xl.core.money import fmt_score
from selfeval_xl.core.rules import DEFAULT_THRESHOLD
from selfeval_xl.errors import ConfigError, FileError

RESULT_SHEET = "校验结果"
MARKS_SHEET = "_selfeval_marks"  # very hidden: the fills and notes that 校验 replaced
CONF_SHEET = "selfeval.conf"
OWN_SHEETS = {RESULT_SHEET, MARKS_SHEET}
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
SCORE_TOL = Decimal("0.005")


# ---------------------------------------------------------------- reading

def read_sheets(port: WorkbookPort) -> dict[str, Grid]:
    """Every sheet but our own, one bulk read each; an action reads them once and passes them on."""
    return {s: port.grid(s) for s in port.sheet_names() if s not in OWN_SHEETS}


def _checked(port: WorkbookPort):
    """(the checked model, the sheets it was read from) of the workbook behind the port."""
    from selfeval_xl import service
    from selfeval_xl.io.reader import read_grids

    sheets = read_sheets(port)
    model = read_grids(list(sheets.values()), port.defined_names(), str(port.path or "当前工作簿"))
    return service.check(model, threshold(sheets)), sheets


def conf_file() -> Path:
    """The user's selfeval.conf file, where xlwings' custom add-ins keep theirs."""
    import os
    import sys

    if sys.platform == "darwin":
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / CONF_SHEET
    return Path(os.environ.get("USERPROFILE") or Path.home()) / ".selfeval" / CONF_SHEET


def _conf_pairs_from_file(path: Path) -> list[tuple[str, str]]:
    """xlwings' conf file format: one "KEY","VALUE" pair per line."""
    import csv

    if not path.is_file() or path.stat().st_size > 1_000_000:
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(r[0], r[1]) for r in csv.reader(fh) if len(r) >= 2]


def config(sheets: dict[str, Grid]) -> dict[str, str]:
    """selfeval.conf settings: the conf file, overridden by the workbook's sheet of that name (column A
    key, column B value). A Password key is ignored wherever it is: passwords never live in these."""
    pairs = _conf_pairs_from_file(conf_file())
    if CONF_SHEET in sheets:
        pairs += [(r[0], r[1]) for r in sheets[CONF_SHEET].rows if len(r) >= 2]
    out = {}
    for key, value in pairs:
        key = "" if key is None else str(key).strip()
        if key and key.lower() != "password":
            out[key] = "" if value is None else str(value).strip()
    return out


def threshold(sheets: dict[str, Grid]) -> Decimal:
    raw = config(sheets).get("Threshold", "")
    try:
        return Decimal(raw.rstrip("%")) / 100 if raw else DEFAULT_THRESHOLD
    except ArithmeticError:
        raise ConfigError(f"selfeval.conf 中 Threshold 应为百分数（如 90），而不是 {raw!r}") from None


# ---------------------------------------------------------------- 校验 / 清除标记

def validate_action(port: WorkbookPort) -> str:
    """校验: check the workbook, mark each finding's cell, write the 校验结果 sheet. Returns a summary."""
    checked, _ = _checked(port)
    clear_marks(port)
    mark_findings(port, checked.findings)
    c = checked.counts()
    return f"校验完成：{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。详见“{RESULT_SHEET}”工作表。"


def mark_findings(port: WorkbookPort, findings) -> None:
    """A fill and a note on every finding's cell (originals remembered), and the 校验结果 sheet."""
    by_cell: dict[tuple[str, str], list] = {}
    existing = set(port.sheet_names())
    for f in findings:
        if f.sheet in existing and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    remembered: list[list] = []
    by_sheet: dict[str, dict[str, list]] = {}
    for (sheet, cell), fs in by_cell.items():
        by_sheet.setdefault(sheet, {})[cell] = fs
    for sheet, cells in by_sheet.items():
        before = port.marks(sheet, list(cells))
        new = {}
        for cell, fs in cells.items():
            worst = min(fs, key=lambda f: SEVERITIES.index(f.severity)).severity
            text = "\n".join(f"[{SEVERITY_ZH[f.severity]}] {f.message}" for f in fs)
            new[cell] = Mark.of({"rgb": FILL[worst]}, {"text": text, "author": "selfeval-xl"})
            remembered.append([sheet, cell, before[cell].fill, before[cell].note])
        port.set_marks(sheet, new)
    if remembered:
        port.add_sheet(MARKS_SHEET, hidden=True)
        port.write(MARKS_SHEET, 1, 1, [["sheet", "cell", "fill", "note"]] + remembered, text=True)
    _write_results(port, findings)


def _write_results(port: WorkbookPort, findings) -> None:
    port.add_sheet(RESULT_SHEET)
    head = [["级别", "规则", "单元格", "说明"]]
    port.write(RESULT_SHEET, 1, 1, head, text=True)
    if not findings:
        port.write(RESULT_SHEET, 2, 1, [["", "", "", "未发现问题。"]], text=True)
        return
    port.write(RESULT_SHEET, 2, 1, [[SEVERITY_ZH[f.severity], f.rule] for f in findings], text=True)
    links = []
    for f in findings:
        shown = f"{f.sheet}!{f.cell}".replace('"', '""')
        target = f"#{CellAddress.parse(f.sheet, f.cell).qualified()}".replace('"', '""') if f.cell else ""
        links.append([f'=HYPERLINK("{target}","{shown}")' if f.cell else shown])
    port.write(RESULT_SHEET, 2, 3, links)  # our own formulas; user text never reaches them unescaped
    port.write(RESULT_SHEET, 2, 4, [[f.message] for f in findings], text=True)
    port.set_widths(RESULT_SHEET, [8, 14, 16, 100])


def clear_marks(port: WorkbookPort) -> int:
    """清除标记: put back the fills and notes 校验 replaced; remove our sheets. Returns cells restored."""
    names = port.sheet_names()
    restored = 0
    if MARKS_SHEET in names:
        rows = port.grid(MARKS_SHEET).rows[1:]
        by_sheet: dict[str, dict[str, Mark]] = {}
        for r in rows:
            if len(r) >= 4 and r[0] and r[1]:
                by_sheet.setdefault(str(r[0]), {})[str(r[1])] = Mark(str(r[2] or "{}"), str(r[3] or "null"))
        for sheet, marks in by_sheet.items():
            if sheet in names:
                port.set_marks(sheet, marks)
                restored += len(marks)
        port.delete_sheet(MARKS_SHEET)
    port.delete_sheet(RESULT_SHEET)
    return restored


def clear_action(port: WorkbookPort) -> str:
    n = clear_marks(port)
    return f"已清除标记，恢复了 {n} 个单元格原有的填充和批注。"


# ---------------------------------------------------------------- 计分

def score_action(port: WorkbookPort) -> str:
    """计分: 自评得分, 计算过程, total and grade into the 评分表. A score formula that already gives the
    engine's figure is kept (it stays live); one that does not is replaced by the figure. Input cells
    (手工得分, 基础数据, 表5) are never written."""
    from selfeval_xl import service

    checked, sheets = _checked(port)
    result = service.score(checked)
    sc = checked.wb.scorecard
    if sc is None:
        raise ConfigError("工作簿中没有“评分表”工作表（含“计分方法”列）：请用 新建 生成的模板，或复制标准评分表")
    items = {tuple(i.path): i for i in result.items}
    sheet = next(iter(sc.score_cells.values())).sheet if sc.score_cells else "评分表"
    values = sheets[sheet].rows
    formulas = port.formulas(sheet)
    cells: dict[CellAddress, object] = {}
    kept = replaced = 0

    def current(addr: CellAddress):
        r, c = addr.row - 1, addr.col - 1
        v = values[r][c] if r < len(values) and c < len(values[r]) else None
        f = formulas[r][c] if r < len(formulas) and c < len(formulas[r]) else None
        return v, isinstance(f, str) and f.startswith("=")

    def put(addr: CellAddress, figure: Decimal | None) -> None:
        nonlocal kept, replaced
        v, is_formula = current(addr)
        if is_formula and isinstance(v, (int, float)) and figure is not None and abs(Decimal(str(v)) - figure) <= SCORE_TOL:
            kept += 1
            return
        replaced += is_formula
        cells[addr] = None if figure is None else float(figure)

    for path, addr in sc.score_cells.items():
        item = items.get(path)
        put(addr, item.score if item else None)
        ex = sc.explain_cells.get(path)
        if ex is not None and item is not None and not current(ex)[1]:
            cells[ex] = item.explanation
    if sc.total_cell is not None:
        put(sc.total_cell, result.total)
    if sc.grade_cell is not None and not current(sc.grade_cell)[1]:
        cells[sc.grade_cell] = result.grade
    for col, blocks in _blocks(cells).items():
        for top, vals in blocks:
            port.write(sheet, top, col, [[v] for v in vals], text=all(isinstance(v, str) for v in vals))
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


# ---------------------------------------------------------------- 导出 / 新建

def export_action(port: WorkbookPort) -> Path:
    """导出评分表: the finished workbook next to the source (the live contents, saved or not)."""
    return export_workbook(port)[0]


def export_workbook(port: WorkbookPort) -> tuple[Path, dict[str, Grid]]:
    """The export, and the sheets read for it (发送邮件 takes its settings from them)."""
    from selfeval_xl import service
    from selfeval_xl.export import default_name, write_export

    if port.path is None:
        raise FileError("请先保存工作簿（导出文件将放在它旁边）")
    checked, sheets = _checked(port)
    service.score(checked)
    target = port.path.parent / default_name(checked.wb.info)
    if target.resolve() == port.path.resolve():
        raise FileError("导出文件名与当前工作簿相同，请先将工作簿另存为其他名称")
    write_export(checked, target, force=True)
    return target, sheets


def new_workbook(kind: str, folder: Path) -> Path:
    """新建: a blank standard template in folder, under a name not yet taken."""
    from selfeval_xl.io.templates import build_dept, build_project

    stem = "部门整体支出绩效自评" if kind == "dept" else "项目支出绩效自评"
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while (folder / f"{stem}_{n}.xlsx").exists():
        n += 1
    out = folder / f"{stem}_{n}.xlsx"
    (build_dept if kind == "dept" else build_project)(out)
    return out


CONF_KEYS = [
    ("Interpreter_Win", "", "Windows 上的 python.exe 路径（留空用默认）"),
    ("Interpreter_Mac", "", "macOS 上的 python 路径"),
    ("PYTHONPATH", "", "额外的模块路径"),
    ("Threshold", "90", "执行进度预警线（%）"),
    ("Mail_To", "", "收件人，多个用分号分隔"),
    ("Mail_Cc", "", "抄送"),
    ("Mail_From", "", "发件人地址"),
    ("SMTP_Host", "", "SMTP 服务器（留空则用 Outlook 或 .eml）"),
    ("SMTP_Port", "465", "端口"),
    ("SMTP_Security", "ssl", "ssl / starttls / plain"),
    ("SMTP_User", "", "登录名；密码请设环境变量 SELFEVAL_SMTP_PASSWORD 或存入系统 keyring，不要写在这里"),
]


def settings_action(port: WorkbookPort) -> str:
    """设置: make sure the workbook has a selfeval.conf sheet with every key (existing values kept)."""
    have = config(read_sheets(port))
    rows = [[k, have.get(k, default), note] for k, default, note in CONF_KEYS]
    rows += [[k, v, ""] for k, v in have.items() if k not in {k for k, _, _ in CONF_KEYS}]
    port.add_sheet(CONF_SHEET)
    port.write(CONF_SHEET, 1, 1, rows, text=True)
    return f"设置在“{CONF_SHEET}”工作表中：填写 B 列后保存即可生效。密码不要写在工作簿里。"
