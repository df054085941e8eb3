"""The one Grid contract: the three producers (calamine + sheet XML, openpyxl, the xlwings adapter over the
recording fake) read the same workbooks into identical grids — values, formulas, error values, merged ranges,
indentation, percent formats, hidden rows and sheets, defined names."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from conftest import needs_lo
from fake_xlwings import FakeBook
from seed001 import write_official
from selfeval_xl.sources.formula_shift import shift
from selfeval_xl.sources.openpyxl_source import OpenpyxlSource
from selfeval_xl.sources.xlsx import XlsxSource
from selfeval_xl.sources.xlwings_source import XlwingsSource

CHILDREN = ("其中：公用日常经费", "其中：公务接待")


def indented_official(path):
    """Seed 001's 表5 as many accountants type it: 其中 rows marked by indentation, not by a prefix; one row
    hidden; and a hidden sheet beside it."""
    write_official(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_col=2, max_col=2):
        c = row[0]
        if c.value in CHILDREN:
            c.value = c.value.removeprefix("其中：")
            c.alignment = openpyxl.styles.Alignment(indent=1)
    ws.row_dimensions[20].hidden = True
    hidden = wb.create_sheet("备注")
    hidden["A1"] = "内部备注"
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def layout_facts(path):
    """A workbook written by a program (xlsxwriter) with every kind of cell the contract names."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表5")
    pct, pct1 = wb.add_format({"num_format": "0.00%"}), wb.add_format({"num_format": '0.0%;[Red]-0.0%'})
    lit = wb.add_format({"num_format": '0.00"%"'})  # a quoted % is text, not a percent format
    ind, date = wb.add_format({"indent": 2}), wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range("A1:F1", "表5 预算整体支出情况表")
    ws.write_row(1, 0, ["分类", "预算项目", "年度总指标", "支出数", "执行进度", "备注"])
    ws.merge_range("A3:A5", "基本支出")
    ws.write_string("B3", "人员经费")
    ws.write_string("B4", "公用日常经费", ind)
    ws.write_string("B5", "公务接待", ind)
    for r, (t, s) in enumerate(((474.26, 457.51), (62.45, 32.77), (0, 0)), start=3):
        ws.write_number(f"C{r}", t)
        ws.write_number(f"D{r}", s)
    ws.write_formula("E3", "=D3/C3", pct, 457.51 / 474.26)
    ws.write_formula("E4", "=D4/C4", pct1, 32.77 / 62.45)
    ws.write_formula("E5", "=D5/C5", pct, "#DIV/0!")
    ws.write_formula("F3", "=#REF!+1", None, "#REF!")
    ws.write_formula("F4", '=IF(C4>0,"有","")', None, "有")
    ws.write_number("F5", 12.5, lit)
    ws.write_datetime("G3", dt.datetime(2021, 3, 30), date)
    ws.write_boolean("G4", True)
    ws.write_formula("G5", "=NA()", None, "#N/A")
    ws.set_row(5, None, None, {"hidden": True})
    ws.write_string("A7", "合计")
    wb.define_name("Total", "='表5'!$C$3")
    wb.close()
    return path


def producers(path):
    f, v = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    xlsx = XlsxSource(path)
    return {"calamine+xml": xlsx, "openpyxl": OpenpyxlSource(f, v), "xlwings": XlwingsSource(FakeBook(path))}


def assert_same_grids(path):
    srcs = producers(path)
    names = {k: s.sheet_names() for k, s in srcs.items()}
    assert len({tuple(n) for n in names.values()}) == 1, names
    defined = {k: s.defined_names() for k, s in srcs.items()}
    assert defined["calamine+xml"] == defined["openpyxl"] == defined["xlwings"], defined
    for sheet in names["openpyxl"]:
        grids = {k: vars(s.grid(sheet)) for k, s in srcs.items()}
        ref = grids["calamine+xml"]
        for k, g in grids.items():
            for field in ref:
                assert g[field] == ref[field], f"{path.name} {sheet} {field}: {k} differs from calamine+xml"
    return {k: s.grid(names["openpyxl"][0]) for k, s in srcs.items()}["calamine+xml"]


def test_official_layout(tmp_path):
    g = assert_same_grids(write_official(tmp_path / "official.xlsx"))
    assert (3, 0, 4, 0) in [(r0, c0, r1, c1) for r0, c0, r1, c1 in g.merged] or g.merged
    assert g.percent.get((3, 9)) == 2 and g.value(3, 9) == 1.0


def test_indented_children_hidden_row_and_sheet(tmp_path):
    g = assert_same_grids(indented_official(tmp_path / "indented.xlsx"))
    labels = {g.text(r, 1) for r, c in g.indented}
    assert labels == {"公用日常经费", "公务接待"}
    assert g.hidden_rows == {19}
    src = XlsxSource(tmp_path / "indented.xlsx")
    assert src.grid("备注").hidden and not src.grid("部门整体支出").hidden


def test_errors_formulas_merges_formats(tmp_path):
    g = assert_same_grids(layout_facts(tmp_path / "facts.xlsx"))
    assert g.errors == {(4, 4): "#DIV/0!", (2, 5): "#REF!", (4, 6): "#N/A"}
    assert g.value(4, 4) == "#DIV/0!"
    assert g.formulas[(2, 4)] == "=D3/C3" and g.formulas[(3, 5)] == '=IF(C4>0,"有","")'
    assert g.percent == {(2, 4): 2, (3, 4): 1}  # the error cell and the quoted-% cell are not percent numbers
    assert g.indented == {(3, 1), (4, 1)}
    assert g.merged == [(0, 0, 0, 5), (2, 0, 4, 0)]
    assert g.hidden_rows == {5}
    assert g.value(2, 6) == dt.datetime(2021, 3, 30) and g.value(3, 6) is True and g.value(2, 2) == 474.26


def test_our_template_and_example(example_xlsx):
    g = assert_same_grids(example_xlsx)
    assert g.name == "填表说明"


@needs_lo
def test_workbook_saved_by_a_spreadsheet_program(example_xlsx, tmp_path):
    """The example after LibreOffice has recalculated and saved it (its own styles, cached values, names)."""
    from lo import recalc

    assert_same_grids(recalc(example_xlsx, tmp_path / "lo"))


def with_shared_formulas(src, out):
    """The facts workbook as Excel saves a filled-down column: E3's formula shared by E4:E5 (ECMA-376 §18.3.1.40)."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>D3/C3</f>", b'<f t="shared" ref="E3:E5" si="0">D3/C3</f>')
                data = re.sub(rb"<f>D([45])/C\1</f>", b'<f t="shared" si="0"/>', data)
                assert data.count(b't="shared"') == 3
            zout.writestr(item, data)
    return out


def test_shared_formulas_expanded_alike(tmp_path):
    path = with_shared_formulas(layout_facts(tmp_path / "facts.xlsx"), tmp_path / "shared.xlsx")
    g = assert_same_grids(path)
    assert [g.formulas[(r, 4)] for r in (2, 3, 4)] == ["=D3/C3", "=D4/C4", "=D5/C5"]


@pytest.mark.parametrize("formula,dr,dc,expected", [
    ("SUM(C4:F4)", 1, 0, "SUM(C5:F5)"),
    ("$A$1+A$1+$A1+A1", 2, 3, "$A$1+D$1+$A3+D3"),
    ('IF(G4="","",H4/G4)', 10, 0, 'IF(G14="","",H14/G14)'),
    ("'表5'!C20+SpendQ1+LOG10(A1)", 1, 1, "'表5'!D21+SpendQ1+LOG10(B2)"),
    ('"A1 stays"&B2', 1, 0, '"A1 stays"&B3'),
])
def test_shared_formula_shift_matches_openpyxl(formula, dr, dc, expected):
    from openpyxl.formula.translate import Translator

    assert shift(formula, dr, dc) == expected
    dest = openpyxl.utils.get_column_letter(1 + dc) + str(1 + dr)
    assert Translator("=" + formula, "A1").translate_formula(dest) == "=" + expected


def test_a_workbook_held_in_memory_reads_as_its_file(tmp_path, example_xlsx):
    """Mail attachments and archive members are read from their bytes (batch): the same findings as from the file,
    the same one-line refusals, and no file written."""
    import os
    import tempfile

    from selfeval_xl.app.validate import validate
    from selfeval_xl.errors import InputError
    from seed001 import write_official

    messy = write_official(tmp_path / "messy.xlsx", messy=True)
    before = set(os.listdir(tempfile.gettempdir()))
    for path in (example_xlsx, messy):
        on_disk, in_memory = validate(path), validate("附件.xlsx", data=path.read_bytes())
        assert [(f.rule, f.cell, f.message) for f in in_memory.findings] == \
               [(f.rule, f.cell, f.message) for f in on_disk.findings]
    assert set(os.listdir(tempfile.gettempdir())) == before
    for data, says in ((b"", "空文件"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 .xls"), (b"PK not a zip", "不是有效的")):
        try:
            validate("附件.xlsx", data=data)
        except InputError as e:
            assert says in e.message and "附件.xlsx" in e.message
        else:
            raise AssertionError(says)
