"""Where a cell of the source workbook landed in the export — recorded only for cells copied as they were, so
that a link from 问题清单 always opens a cell that shows what the finding is about."""

from __future__ import annotations

from selfeval_xl.core.address import CellAddress


class CellMap:
    """Source cell → export cell, for cells the export shows with the source's value."""

    def __init__(self) -> None:
        self._to: dict[CellAddress, CellAddress] = {}

    def add(self, source: CellAddress | None, sheet: str, row0: int, col0: int) -> None:
        """Record that the export's sheet!(row0, col0) (0-based, as xlsxwriter counts) shows source's value."""
        if source is not None:
            self._to[source] = CellAddress(sheet, row0 + 1, col0 + 1)

    def get(self, source: CellAddress) -> CellAddress | None:
        return self._to.get(source)
