"""Build an .xlsx from a real published table typed as YAML (format: tests/real/README.md).

    python3 tests/real/build.py tests/real/anhui-dept/xxx.yaml [-o out.xlsx]

Cells are written as an accountant would have them: plain numbers as numbers, "97.74%" as the number 0.9774
with a percent format of the same decimals, everything else as text. `text_cells` keeps listed cells as text.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

_NUM = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PCT = re.compile(r"^([+-]?\d+(?:\.(\d+))?)%$")


def load(path) -> dict:
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def cell_value(v):
    """(value, number_format or None) for one typed cell."""
    if isinstance(v, str):
        s = v.strip()
        if _NUM.match(s):
            f = float(s.replace(",", ""))
            return (int(f) if f.is_integer() and "." not in s else f), None
        m = _PCT.match(s)
        if m:
            places = len(m.group(2) or "")
            return float(Decimal(m.group(1)) / 100), "0" + ("." + "0" * places if places else "") + "%"
    return v, None


def build(doc: dict, out) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = doc.get("sheet") or "Sheet1"
    keep_text = set(doc.get("text_cells") or [])
    indent = set(doc.get("indented") or [])
    for r, row in enumerate(doc["rows"], start=1):
        for c, v in enumerate(row or [], start=1):
            if v is None or v == "":
                continue
            cell = ws.cell(r, c)
            if cell.coordinate in keep_text:
                cell.value = str(v)
                cell.data_type = "s"
                continue
            value, fmt = cell_value(v)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # published text such as "=8个" is text, not a formula
            if fmt:
                cell.number_format = fmt
            if cell.coordinate in indent:
                cell.alignment = Alignment(indent=1)
    for rng in doc.get("merged") or []:
        ws.merge_cells(rng)
    out = Path(out)
    wb.save(out)
    return out


if __name__ == "__main__":
    src = Path(sys.argv[1])
    out = Path(sys.argv[sys.argv.index("-o") + 1]) if "-o" in sys.argv else src.with_suffix(".xlsx")
    print(build(load(src), out))
