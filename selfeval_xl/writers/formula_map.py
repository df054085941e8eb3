"""A formula of the unit's workbook rewritten for the export's positions, so that their formulas stay live.

The unit's 表5 may sit at other rows and columns than the export's; every cell reference is moved through
`move` (1-based row, column → the export's, or None). A formula is kept only when every reference moves into
the copied table and every function is an ordinary worksheet function; otherwise the caller writes the
cell's value instead. Why a list of functions: the export is sent to others, so a formula reaching outside
the workbook (WEBSERVICE, HYPERLINK, external links, DDE) must not travel with it.

Tokenised with openpyxl's formula tokenizer (imported only when a formula is met)."""

from __future__ import annotations

import re
from typing import Callable

from selfeval_xl.core.address import col_index, col_letter

SAFE_FUNCTIONS = frozenset({
    "ABS", "AND", "AVERAGE", "COUNT", "COUNTA", "COUNTBLANK", "COUNTIF", "COUNTIFS", "IF", "IFERROR", "INT",
    "ISBLANK", "ISERROR", "ISNUMBER", "ISTEXT", "LEN", "MAX", "MIN", "MOD", "N", "NOT", "OR", "ROUND",
    "ROUNDDOWN", "ROUNDUP", "SUBTOTAL", "SUM", "SUMIF", "SUMIFS", "SUMPRODUCT", "TEXT", "TRIM", "TRUNC", "VALUE",
})
_CELL = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})$")
Move = Callable[[int, int], "tuple[int, int] | None"]


def translate(formula: str, sheet: str, move: Move) -> str | None:
    """The formula with its references moved, or None when it cannot be kept live (see the module)."""
    from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

    try:
        tokens = Tokenizer(formula).items
    except (TokenizerError, IndexError, ValueError):
        return None
    out = []
    for t in tokens:
        if t.type == Token.FUNC and t.subtype == Token.OPEN and t.value[:-1].upper() not in SAFE_FUNCTIONS:
            return None
        if t.type == Token.OPERAND and t.subtype == Token.RANGE:
            moved = _move_ref(t.value, sheet, move)
            if moved is None:
                return None
            out.append(moved)
        else:
            out.append(t.value)
    return "=" + "".join(out)


def _move_ref(ref: str, sheet: str, move: Move) -> str | None:
    """A1 or A1:B2, optionally on the formula's own sheet, moved; None for names, other sheets, whole columns."""
    if "!" in ref:
        prefix, ref = ref.rsplit("!", 1)
        if prefix.startswith("'") and prefix.endswith("'"):
            prefix = prefix[1:-1].replace("''", "'")
        if prefix != sheet:
            return None
    ends = [_CELL.match(p) for p in ref.split(":")]
    if not 1 <= len(ends) <= 2 or not all(ends):
        return None
    cells = [(int(m.group(4)), col_index(m.group(2).upper())) for m in ends]
    moved = [move(r, c) for r, c in cells]
    if not all(moved):
        return None
    if len(cells) == 2:  # every column in between must land in the same order, side by side
        (_, c1), (_, c2) = cells
        step = 1 if c2 >= c1 else -1
        for k, c in enumerate(range(c1, c2 + step, step)):
            m = move(cells[0][0], c)
            if m is None or m[1] != moved[0][1] + k * step:
                return None
    parts = [f"{m.group(1)}{col_letter(c)}{m.group(3)}{r}" for m, (r, c) in zip(ends, moved)]
    return ":".join(parts)
