"""Immutable cell addresses (1-based row and column), as value objects."""

from __future__ import annotations

import re
from typing import NamedTuple

_A1 = r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$"  # compiled where used


def col_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


class CellAddress(NamedTuple):
    """A cell on a sheet; row and col are 1-based like Excel. Immutable, hashable and ordered
    (a NamedTuple rather than a frozen dataclass: readers make one per cell, and this is 4x cheaper)."""

    sheet: str
    row: int
    col: int

    @classmethod
    def parse(cls, sheet: str, a1: str) -> "CellAddress":
        m = re.match(_A1, a1.strip())
        if not m:
            raise ValueError(f"not an A1 reference: {a1!r}")
        return cls(sheet, int(m.group(2)), col_index(m.group(1)))

    @property
    def a1(self) -> str:
        return f"{col_letter(self.col)}{self.row}"

    @property
    def absolute(self) -> str:
        return f"${col_letter(self.col)}${self.row}"

    def qualified(self) -> str:
        """'表5'!G14 — quoted, usable inside a formula or hyperlink."""
        name = self.sheet.replace("'", "''")
        return f"'{name}'!{self.a1}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.a1}"
