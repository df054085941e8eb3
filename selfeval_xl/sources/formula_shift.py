"""Expand Excel's shared formulas: the formula of a cell that shares its master's formula is the master's
with every relative reference moved by the cell's offset.

Written here rather than taken from openpyxl (whose Translator does the same, and which the conformance test
checks this against): importing openpyxl costs a file read of any Excel-saved workbook ~0.2 s, more than the
rest of reading a seed-sized file."""

from __future__ import annotations

import re

from selfeval_xl.core.address import col_index, col_letter

# A1 references, not inside a name or a function name: $A$1, A$1, $A1, A1 (the sheet prefix is kept as is).
_REF = re.compile(r"(?<![A-Za-z0-9_.])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(])")
_STRING = re.compile(r'"(?:[^"]|"")*"')


def shift(formula: str, dr: int, dc: int) -> str:
    """The formula with relative row references moved by dr and relative columns by dc (string literals kept)."""
    if dr == 0 and dc == 0:
        return formula
    out, pos = [], 0
    for m in _STRING.finditer(formula):
        out.append(_shift_refs(formula[pos:m.start()], dr, dc))
        out.append(m.group(0))
        pos = m.end()
    out.append(_shift_refs(formula[pos:], dr, dc))
    return "".join(out)


def _shift_refs(text: str, dr: int, dc: int) -> str:
    def repl(m: re.Match) -> str:
        cabs, col, rabs, row = m.groups()
        c = col if cabs else col_letter(col_index(col) + dc)
        r = row if rabs else str(int(row) + dr)
        return f"{cabs}{c}{rabs}{r}"

    return _REF.sub(repl, text)
