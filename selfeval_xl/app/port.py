"""The narrow port between the use cases that edit a workbook (校验 marks, 计分, 清除标记) and the workbook.

Two adapters implement it: `addin.xlwings_port.XlwingsPort` (live Excel, `xw.Book.caller()`) and
`writers.openpyxl_port.OpenpyxlPort` (a file: `validate --annotate` and the tests). Reading goes through the
one Grid contract (`source()` returns a GridSource); writes are one call per contiguous block; per-cell calls
happen only for the cells that carry findings, never per row of a table.

Cell formatting that 校验 changes is remembered as portable tokens (JSON text), so that 清除标记 can put
back exactly what was there, in the same session or after the workbook was saved and reopened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from selfeval_xl.core.record import record
from selfeval_xl.sources.grid import GridSource


@record(frozen=True)
class Mark:
    """A cell's fill and note as tokens: fill is JSON ({} = no fill), note is JSON (null = no note)."""

    fill: str
    note: str

    @staticmethod
    def of(fill: dict | None, note: dict | None) -> "Mark":
        return Mark(json.dumps(fill or {}, ensure_ascii=False, sort_keys=True),
                    json.dumps(note, ensure_ascii=False, sort_keys=True))

    @property
    def fill_dict(self) -> dict:
        return json.loads(self.fill) if self.fill else {}

    @property
    def note_dict(self) -> dict | None:
        return json.loads(self.note) if self.note else None


class WorkbookPort(Protocol):
    """What the actions need from a workbook, and nothing more."""

    path: Path | None

    def source(self) -> GridSource:
        """The workbook's contents under the Grid contract (the same producer every read of this port uses)."""

    def sheet_names(self) -> list[str]: ...

    def write(self, sheet: str, row: int, col: int, rows: list[list], text: bool = False) -> None:
        """Write a contiguous block at 1-based (row, col) in one call; text=True stores strings as text."""

    def marks(self, sheet: str, cells: list[str]) -> dict[str, Mark]:
        """The current fill and note of each cell."""

    def set_marks(self, sheet: str, marks: dict[str, Mark]) -> None: ...

    def add_sheet(self, name: str, hidden: bool = False) -> None:
        """Create the sheet (replacing one of that name) at the end of the workbook."""

    def delete_sheet(self, name: str) -> None: ...

    def set_widths(self, sheet: str, widths: list[float]) -> None:
        """Column widths from column A on (a presentation detail of sheets we create)."""

    def alert(self, message: str, title: str = "绩效自评") -> None: ...

    def save(self) -> None: ...
