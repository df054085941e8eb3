"""Formula results for workbooks saved without them.

A workbook written by a program (openpyxl, pandas, our own `validate --annotate` copy) keeps its formulas but
no cached results; Excel computes them on opening, a reader of the file sees blanks. Here the `formulas`
package computes them, and the Grids get the values a spreadsheet program would show.

Why `formulas` and not `pycel` (both maintained Python formula engines; measured on our dept template filled
with seed 001 and saved by openpyxl, against LibreOffice's recalculation): `formulas` 1.3 gave all 102
formula results equal; `pycel` 1.0b30 could not resolve workbook-level defined names with openpyxl 3.1
(`#NAME?` on 16 of them: every 基础数据 and 评分表 formula that uses a name such as ProcActual).

Bounded: at most MAX_FORMULAS formula cells are computed; a function the engine does not implement is named
with its cell before anything is computed.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

from selfeval_xl.errors import InputError
from selfeval_xl.sources.grid import Grid

MAX_FORMULAS = 50_000


def uncached_count(grids: list[Grid]) -> int:
    """How many formula cells of these sheets were saved without a result.

    An empty result (`<v></v>`) is what programs write when they keep no results, but xlsxwriter also writes a
    formula's cached "" that way; so the workbook counts as saved without results only when no formula cell in
    it holds a value."""
    if any(g.value(*pos) is not None for g in grids for pos in g.formulas):
        return 0
    return sum(len(g.uncached) for g in grids)


def _functions(formula: str) -> list[str]:
    from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

    try:
        tokens = Tokenizer(formula).items
    except (TokenizerError, IndexError, ValueError):
        return []
    return [t.value[:-1].upper() for t in tokens if t.type == Token.FUNC and t.subtype == Token.OPEN]


def check_supported(path: Path, grids: list[Grid]) -> None:
    """Raise InputError naming the first function (and its cell) the engine cannot compute."""
    import formulas

    known = formulas.get_functions()
    for g in grids:
        for pos in sorted(g.uncached):
            for name in _functions(g.formulas.get(pos, "")):
                bare = name.removeprefix("_XLFN.").removeprefix("_XLWS.")
                if bare not in known and name not in known:
                    raise InputError(f"{path.name} 的公式没有保存计算结果，且 {g.addr(*pos)} 的公式用到函数 {bare}，"
                                     "公式引擎不支持：请在 Excel 或 WPS 中打开、保存后再试")


def _value(v: object) -> object:
    """The engine's result as the Grid contract has it (float, str, bool, None, error text)."""
    from formulas.tokens.operand import XlError

    value = getattr(v, "value", v)
    try:
        value = value[0, 0]  # a one-cell Ranges / numpy array
    except (TypeError, IndexError, KeyError):
        pass
    if isinstance(value, XlError):
        return str(value)
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return value if value else None
    return None  # the engine's "empty"


def recalculate(path: str | Path, grids: list[Grid], data: bytes | None = None) -> int:
    """Fill every formula cell saved without a result with what its formula gives; return how many were filled.
    data: the workbook held in memory (path then only names it)."""
    path = Path(path)
    todo = uncached_count(grids)
    if not todo:
        return 0
    if todo > MAX_FORMULAS:
        raise InputError(f"{path.name} 有 {todo:,} 个公式没有保存计算结果（上限 {MAX_FORMULAS:,}）："
                         "请在 Excel 或 WPS 中打开、保存后再试")
    grids = [g for g in grids if g.uncached]
    check_supported(path, grids)
    import formulas

    logging.getLogger("formulas").setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the engine draws a progress bar on stderr
            if data is None:
                model = formulas.ExcelModel().loads(str(path)).finish()
            else:  # the engine reads files: the bytes go to a private temporary file, removed at once
                import tempfile

                with tempfile.TemporaryDirectory(prefix="selfeval-") as folder:
                    copy = Path(folder) / "workbook.xlsx"
                    copy.write_bytes(data)
                    model = formulas.ExcelModel().loads(str(copy)).finish()
            solution = model.calculate()
    except InputError:
        raise
    except Exception as e:  # the engine's own failures: one line, never a traceback
        raise InputError(f"{path.name} 的公式没有保存计算结果，公式引擎也无法计算（{type(e).__name__}）："
                         "请在 Excel 或 WPS 中打开、保存后再试") from None
    results = {}
    for key, v in solution.items():
        book_sheet, _, ref = key.rpartition("!")
        sheet = book_sheet.strip("'").rpartition("]")[2]
        results[(sheet.upper(), ref.upper())] = v
    filled = 0
    for g in grids:
        for pos in sorted(g.uncached):
            v = results.get((g.name.upper(), g.addr(*pos).a1))
            if v is None:
                continue
            value = _value(v)
            g.put(pos, value)
            if isinstance(value, str) and value.startswith("#"):
                g.errors[pos] = value
            filled += 1
        g.percent = {p: n for p, n in g.percent.items() if type(g.value(*p)) is float}  # the contract: numbers only
    return filled
