"""校验's marks on a workbook, and 清除标记: a fill and a note on each finding's cell (the originals remembered in
a very hidden sheet), and the 校验结果 sheet. Written once against the WorkbookPort, so Excel (the add-in) and
files (`validate --annotate`) get the same marks.

Our sheets are recognised by a marker, never by their names: the very hidden marks sheet holds MARKER in A1
and, in B1, the name of the results sheet it made. A cell value survives a save by Excel, WPS and LibreOffice
(a custom property need not). A user's own sheet called 校验结果 is therefore never replaced nor deleted: ours
is then called 校验结果(2). Notes and cells we write stay within Excel's 32,767 characters and hold no
character that XML forbids."""

from __future__ import annotations

import re

from selfeval_xl.app.port import Mark, WorkbookPort
from selfeval_xl.core.record import record
from selfeval_xl.forms.layouts import FINDINGS, MARKER, MARKS_HEADER, MARKS_SHEET, RESULT_SHEET, marks_of
TEXT_MAX = 32_767  # Excel's limit for a cell's text and a note's
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"  # compiled on first use


@record(frozen=True)
class Ours:
    """Our sheets in a workbook: the marks sheet, the results sheet it made (None when gone or renamed),
    and the remembered rows (sheet, cell, fill, note…)."""

    marks: str
    results: str | None
    rows: list


def find_ours(port: WorkbookPort) -> Ours | None:
    """Our marks sheet (hidden, MARKER in A1), if 校验 left one; also one written before the marker existed."""
    names = port.sheet_names()
    for name in names:
        if not name.startswith(MARKS_SHEET):
            continue
        g = port.source().grid(name)
        found = marks_of(g, names)
        if found is not None:
            return Ours(name, found[0], g.rows[found[1]:])
    return None


def our_sheets(port: WorkbookPort) -> set[str]:
    """The names of the sheets 校验 made in this workbook (none when it has not been checked)."""
    ours = find_ours(port)
    return set() if ours is None else {ours.marks} | ({ours.results} if ours.results else set())


def mark_findings(port: WorkbookPort, findings) -> str:
    """A fill and a note on every finding's cell (originals remembered), and the 校验结果 sheet; marks a
    previous 校验 left are cleared first. Returns the name of the results sheet."""
    clear_marks(port)
    existing = port.sheet_names()
    results = free_name(RESULT_SHEET, existing)
    marks_sheet = free_name(MARKS_SHEET, existing + [results])
    by_sheet: dict[str, dict[str, list]] = {}
    for f in findings:
        if f.sheet in existing:
            by_sheet.setdefault(f.sheet, {}).setdefault(f.a1, []).append(f)
    remembered: list[list] = []
    for sheet, cells in by_sheet.items():
        before = port.marks(sheet, list(cells))
        new = {}
        for cell, fs in cells.items():
            worst = min(fs, key=lambda f: f.severity.rank).severity
            text = note_text([f"[{f.severity.zh}] {f.message}" for f in fs], results)
            new[cell] = Mark.of({"rgb": FILL[worst.value]}, {"text": text, "author": "selfeval-xl"})
            remembered.append([sheet, cell, before[cell].fill, *chunks(before[cell].note)])
        port.set_marks(sheet, new)
    rows = [[MARKER, results], list(MARKS_HEADER)] + remembered
    width = max(len(r) for r in rows)
    port.add_sheet(marks_sheet, hidden=True)
    port.write(marks_sheet, 1, 1, [r + [""] * (width - len(r)) for r in rows], text=True)
    _write_results(port, results, findings)
    return results


def _write_results(port: WorkbookPort, sheet: str, findings) -> None:
    port.add_sheet(sheet)
    port.write(sheet, 1, 1, [list(FINDINGS.headers)], text=True)
    if not findings:
        port.write(sheet, 2, 1, [["", "", "", "未发现问题。"]], text=True)
        return
    port.write(sheet, 2, 1, [[f.severity.zh, f.rule] for f in findings], text=True)
    links = []
    for f in findings:
        shown = str(f.cell).replace('"', '""')
        target = f"#{f.cell.qualified()}".replace('"', '""')
        links.append([f'=HYPERLINK("{target}","{shown}")'])
    port.write(sheet, 2, 3, links)  # our own formulas; user text never reaches them unescaped
    port.write(sheet, 2, 4, [[cell_text(f.message)] for f in findings], text=True)
    port.set_widths(sheet, list(FINDINGS.widths))


def clear_marks(port: WorkbookPort) -> int:
    """清除标记: put back the fills and notes 校验 replaced; remove our sheets, and only ours. Returns cells
    restored."""
    ours = find_ours(port)
    if ours is None:
        return 0
    names = port.sheet_names()
    by_sheet: dict[str, dict[str, Mark]] = {}
    for r in ours.rows:
        if len(r) >= 4 and r[0] and r[1]:
            note = "".join(str(x) for x in r[3:] if x is not None)
            by_sheet.setdefault(str(r[0]), {})[str(r[1])] = Mark(str(r[2] or "{}"), note or "null")
    restored = 0
    for sheet, marks in by_sheet.items():
        if sheet in names:
            port.set_marks(sheet, marks)
            restored += len(marks)
    if ours.results:
        port.delete_sheet(ours.results)
    port.delete_sheet(ours.marks)
    return restored


def free_name(base: str, taken: list[str]) -> str:
    """base, or base(2), base(3)… : the first that no sheet has (Excel compares names without case)."""
    used = {n.casefold() for n in taken}
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        name = f"{base}({n})"
    return name


def clean(text: str) -> str:
    """Text safe in a cell or note: characters XML forbids shown as their control pictures (␁)."""
    return re.sub(_NOT_XML, lambda m: chr(0x2400 + ord(m.group())) if m.group() < " " else "?", text)


def cell_text(text: str, limit: int = TEXT_MAX, where: str = "") -> str:
    """clean(text), cut to limit characters with a word saying so."""
    text = clean(text)
    if len(text) <= limit:
        return text
    tail = f"…（已截断{'，完整内容见“' + where + '”工作表' if where else ''}）"
    return text[:limit - len(tail)] + tail


def note_text(lines: list[str], results: str) -> str:
    """A note's lines within Excel's limit; when they do not fit, the note says where the rest is."""
    return cell_text("\n".join(lines), TEXT_MAX, results)


def chunks(text: str, size: int = TEXT_MAX - 1) -> list[str]:
    """A remembered note in cells of at most size characters (a user's note, JSON-escaped, may exceed one)."""
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]
