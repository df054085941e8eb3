"""Files the add-in edits (and tests): Grids from openpyxl workbooks — one loaded with formulas, one with the
cached values beside them."""

from __future__ import annotations

from selfeval_xl.sources.grid import Grid, canonical, only_present, percent_places, trim


class OpenpyxlSource:
    """A GridSource over openpyxl: `formulas` is the workbook as loaded (formulas kept), `values` the same file
    loaded with data_only=True (cached results); the two must come from the same file."""

    def __init__(self, formulas, values):
        self._f, self._v = formulas, values

    def sheet_names(self) -> list[str]:
        return list(self._f.sheetnames)

    def defined_names(self) -> dict[str, str]:
        return {n: d.attr_text for n, d in self._f.defined_names.items()}

    def grid(self, sheet: str) -> Grid:
        fws = self._f[sheet]
        vws = self._v[sheet] if sheet in self._v.sheetnames else fws
        rows: list[list[object]] = []
        g = Grid(sheet, rows, hidden=fws.sheet_state != "visible")
        for r, (frow, vrow) in enumerate(zip(fws.iter_rows(), vws.iter_rows())):
            out = []
            for c, (fc, vc) in enumerate(zip(frow, vrow)):
                v = canonical(vc.value)
                if fc.data_type == "f":
                    f = fc.value
                    g.formulas[(r, c)] = f if isinstance(f, str) else getattr(f, "text", str(f))
                if vc.data_type == "e":
                    g.errors[(r, c)] = str(v)
                out.append(v)
                if v is None:
                    continue
                if fc.alignment is not None and (fc.alignment.indent or 0) > 0:
                    g.indented.add((r, c))
                places = percent_places(fc.number_format)
                if places is not None:
                    g.percent[(r, c)] = places
            rows.append(out)
        trim(rows)
        g.merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in fws.merged_cells.ranges]
        g.hidden_rows = {i - 1 for i, d in fws.row_dimensions.items() if d.hidden}
        return only_present(g)
