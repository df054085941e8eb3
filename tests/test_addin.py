"""Issue 6: the built add-in (VBA project, ribbon), the actions through both ports, the call count in Excel."""

import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest

from conftest import ROOT, needs_lo
from fake_xlwings import FakeBook
import lo
from lo import convert
from selfeval_xl.addin import buttons, config, entry
from selfeval_xl.addin.xlam.build import CUSTOMUI_PART, PROJECT, build_xlam, xlwings_dir, xlwings_module, xlwings_version_of
from selfeval_xl.addin.xlam.vbaproject import module_sources
from selfeval_xl.addin.xlam.cfb import write_cfb
from selfeval_xl.addin.xlam.ovba import compress, decompress
from selfeval_xl.addin.xlwings_port import XlwingsPort
from selfeval_xl.app import marking
from selfeval_xl.app.score import score
from selfeval_xl.app.validate import validate

SCHEMAS = ROOT.parent / "shared" / "schemas"
RIBBON_BAS = ROOT / "macros" / "RibbonSelfeval.bas"
COMMITTED = ROOT / "addin" / "selfeval.xlam"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory):
    return build_xlam(tmp_path_factory.mktemp("xlam") / "selfeval.xlam")


def modules(path) -> dict[str, str]:
    from oletools.olevba import VBA_Parser

    p = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in p.extract_macros()}
    finally:
        p.close()


def norm(code: str) -> str:
    return code.replace("\r\n", "\n").rstrip("\n")


# ---------------------------------------------------------------- the built file

def test_committed_addin_is_a_fresh_build_from_the_installed_xlwings(xlam):
    """setup.cfg pins xlwings to the version the committed add-in was built from: its VBA names the DLLs and the
    macOS AppleScript after that version, so any other xlwings would leave RunPython without its parts."""
    import xlwings

    for path in (COMMITTED, xlam):
        code = modules(path)["xlwings"]
        assert re.search(r"'Version: (\S+)", code).group(1) == xlwings.__version__
        assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in code
        assert xlwings_version_of(path) == xlwings.__version__
    pin = re.search(r"^\s*xlwings\s*(\S+)\s*$", (ROOT / "setup.cfg").read_text(), re.M).group(1)
    assert pin == f"=={xlwings.__version__}"
    assert COMMITTED.read_bytes() == xlam.read_bytes(), "addin/selfeval.xlam is stale: run `selfeval-xl addin build`"


def test_olevba_extracts_every_module_equal_to_its_source(xlam):
    got = modules(xlam)
    assert set(got) == {"ThisWorkbook", "Dictionary", "RibbonSelfeval", "Sheet2", "xlwings"}
    assert norm(got["RibbonSelfeval"]) == norm(RIBBON_BAS.read_text("ascii"))
    assert norm(got["xlwings"]) == norm(xlwings_module()) and f'PROJECT_NAME As String = "{PROJECT}"' in got["xlwings"]
    ours = module_sources(zipfile.ZipFile(xlam).read("xl/vbaProject.bin"))  # our reader agrees with oletools
    assert {k: norm(v) for k, v in ours.items()} == {k: norm(v) for k, v in got.items()}


def test_strict_olefile_reports_no_defects(xlam):
    blob = zipfile.ZipFile(xlam).read("xl/vbaProject.bin")
    with olefile.OleFileIO(io.BytesIO(blob), raise_defects=olefile.DEFECT_UNSURE) as ole:
        assert ole.parsing_issues == []
        assert ole.openstream("VBA/_VBA_PROJECT").read()[2:4] == b"\xff\xff"  # no p-code: compiled from source
        project = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Module=RibbonSelfeval" in project and f'Name="{PROJECT}"' in project


def ribbon_xml(xlam) -> bytes:
    z = zipfile.ZipFile(xlam)
    rels = z.read("_rels/.rels").decode()
    assert f'Target="{CUSTOMUI_PART}"' in rels and "2007/relationships/ui/extensibility" in rels
    return z.read(CUSTOMUI_PART)


def test_ribbon_is_valid_customui14(xlam):
    from xml.etree import ElementTree as ET

    xml = ribbon_xml(xlam)
    root = ET.fromstring(xml)
    assert root.tag == "{http://schemas.microsoft.com/office/2009/07/customui}customUI"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    labels = {e.get("label") for e in root.iter()}
    assert {"绩效自评", "新建", "校验", "计分", "导出评分表", "发送邮件", "清除标记", "设置", "帮助"} <= labels
    assert all(e.get("imageMso") and e.get("screentip") for e in root.iter() if e.tag.endswith(("button", "menu")))
    if SCHEMAS.is_dir():
        import xmlschema

        xmlschema.XMLSchema(str(SCHEMAS / "customui14.xsd")).validate(io.BytesIO(xml))


def ribbon_actions(xlam) -> list[str]:
    return re.findall(rb'onAction="([^"]+)"', ribbon_xml(xlam))


def test_every_onaction_resolves_to_a_public_sub(xlam):
    code = modules(xlam)["RibbonSelfeval"]
    subs = set(re.findall(r"^Public Sub (\w+)\(control As IRibbonControl\)", code, re.M))
    acts = [a.decode() for a in ribbon_actions(xlam)]
    assert len(acts) == 9
    for a in acts:
        module, _, sub = a.partition(".")
        assert module == "RibbonSelfeval" and sub in subs, a


def test_every_python_entry_point_exists_and_runs(xlam, example_xlsx, tmp_path, capsys, mock_caller):
    """Each button's Python entry point, run as RunPython would on the demo workbook, ends with its own message
    (a refused or crashed action returns None, so a broken button fails here)."""
    code = norm(modules(xlam)["RibbonSelfeval"])
    package, module = re.search(r'"from (selfeval_xl[\w.]*) import (\w+); \2\."', code).groups()
    calls = [(package, module, func) for func in re.findall(r'^    SelfevalRun "(\w+)"$', code, re.M)]
    assert len(calls) == 9
    book = tmp_path / "book.xlsx"
    shutil.copyfile(example_xlsx, book)
    mock_caller(book)
    expected = {"on_new_dept": "已新建：", "on_new_project": "已新建：", "on_validate": "校验完成：0 个错误，3 个警告",
                "on_score": "计分完成：总分 95.41，评价等级 优", "on_export": "已导出：", "on_clear": "已清除标记，恢复了 3 个",
                "on_settings": "设置在“selfeval.conf”工作表中", "on_help": "selfeval-xl "}
    order = ["on_new_dept", "on_new_project", "on_validate", "on_clear", "on_score", "on_export", "on_settings", "on_help"]
    funcs = {func: getattr(__import__(f"{package}.{module}", fromlist=[func]), func) for package, module, func in calls}
    assert set(funcs) == set(order) | {"on_mail"}
    for func in order:
        if func in ("on_validate", "on_score", "on_export"):
            shutil.copyfile(example_xlsx, book)  # as Excel saved it (a file saved by openpyxl has no formula results)
        msg = funcs[func]()
        assert isinstance(msg, str) and msg.startswith(expected[func]), (func, msg, capsys.readouterr().err)
    assert (tmp_path / "深圳市福田区投资推广署_2020_绩效自评评分表.xlsx").is_file()
    assert (tmp_path / "部门整体支出绩效自评_1.xlsx").is_file() and (tmp_path / "项目支出绩效自评_1.xlsx").is_file()
    shutil.copyfile(example_xlsx, book)
    capsys.readouterr()
    assert funcs["on_mail"]() is None  # no Mail_To yet: a Chinese alert, no exception, no traceback
    err = capsys.readouterr().err
    assert "Mail_To" in err and "Traceback" not in err and err.count("\n") == 1


@needs_lo
def test_libreoffice_imports_the_vba_modules(xlam, tmp_path):
    ods = convert(xlam, tmp_path, "ods", infilter="Calc MS Excel 2007 VBA XML")
    names = zipfile.ZipFile(ods).namelist()
    for m in ("RibbonSelfeval", "xlwings", "Dictionary", "ThisWorkbook", "Sheet2"):
        assert f"Basic/{PROJECT}/{m}.xml" in names, names
    text = zipfile.ZipFile(ods).read(f"Basic/{PROJECT}/RibbonSelfeval.xml").decode()
    assert "Public Sub OnValidate(control As IRibbonControl)" in text


# ---------------------------------------------------------------- codec and compound file

def test_ovba_spec_example_and_round_trips():
    raw = bytes.fromhex("2361616162636465666161616167686 96a6161616161 6b6c6161616d6e6f7071 "
                        "616161616161616161616161 7273747576 7778797a616161".replace(" ", ""))
    spec = bytes.fromhex("012FB000236161616263646582660070616768696A0138086 16B6C00306D6E6F70067102700410"
                         "727374757610777879 7A003C".replace(" ", ""))
    assert decompress(spec) == raw  # MS-OVBA §3.2 example
    src = (xlwings_dir() / "xlwings_custom_addin.bas").read_bytes()
    for data in (raw, src, src[:4096], src[:4097], b"A" * 10000):
        assert decompress(compress(data)) == data


def test_cfb_writer_keeps_streams_of_exactly_4096_bytes():
    import os

    streams = {"PROJECT": b"x" * 4095, "VBA/a": os.urandom(4096), "VBA/b": os.urandom(4097), "VBA/c": b"",
               **{f"VBA/m{i:02d}": bytes([i]) * (i * 97) for i in range(20)}}
    blob = write_cfb(streams)
    with olefile.OleFileIO(io.BytesIO(blob), raise_defects=olefile.DEFECT_UNSURE) as ole:
        assert ole.parsing_issues == []
        for k, v in streams.items():
            assert ole.openstream(k).read() == v, k


# ---------------------------------------------------------------- actions through the openpyxl port

def snapshot(path):
    """Every cell's value or formula, fill and note, of every sheet."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                value = None if c.value == "" else c.value  # openpyxl saves an empty string as a blank cell
                out[(ws.title, c.coordinate)] = (value, repr(c.fill), c.comment.text if c.comment else None)
    return out


def test_validate_then_clear_restores_every_cell(example_xlsx, tmp_path, mock_caller):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(example_xlsx, book)
    # a cell the user had already coloured and annotated, which 校验 will mark
    wb = openpyxl.load_workbook(book)
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb["表5"]["K8"].fill = PatternFill("darkGrid", fgColor="FF112233", bgColor="FF445566")
    wb["表5"]["K8"].comment = Comment("我的批注", "会计")
    wb.save(book)
    before_names = openpyxl.load_workbook(book).sheetnames
    before = snapshot(book)
    mock_caller(book)
    port_msg = entry.on_validate()
    assert port_msg is None  # this copy was saved by openpyxl: figures cannot be read, a clear message instead
    from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

    findings = validate(example_xlsx).findings  # the same findings, as Excel would compute them
    port = OpenpyxlPort(book)
    marking.mark_findings(port, findings)
    port.save()
    marked = openpyxl.load_workbook(book)
    assert marked["表5"]["K8"].comment.text.startswith("[警告]") and "校验结果" in marked.sheetnames
    assert marked["表5"]["K8"].fill.fgColor.rgb == "FFFFEB9C"
    mock_caller(book)
    assert "恢复了 3 个单元格" in entry.on_clear()
    assert openpyxl.load_workbook(book).sheetnames == before_names
    after = snapshot(book)
    assert after == before
    assert after[("表5", "K8")][2] == "我的批注"


def test_validate_marks_then_clear_on_a_workbook_excel_saved(example_xlsx, tmp_path, mock_caller):
    book = tmp_path / "book.xlsx"
    shutil.copyfile(example_xlsx, book)
    before = snapshot(book)
    mock_caller(book)
    assert "0 个错误，3 个警告" in entry.on_validate()
    wb = openpyxl.load_workbook(book)
    assert wb["_selfeval_marks"].sheet_state == "veryHidden"
    assert [c.value for c in wb["校验结果"]["C"]][1] == '=HYPERLINK("#\'表5\'!K8","表5!K8")'
    entry.on_clear()
    assert snapshot(book) == before


def test_score_fills_the_scores_with_the_engine_figures(example_xlsx, tmp_path, mock_caller):
    expected = score(validate(example_xlsx))
    book = tmp_path / "book.xlsx"
    shutil.copyfile(example_xlsx, book)
    inputs = lambda snap: {k: v for k, v in snap.items() if k[0] != "评分表" or k[1].startswith("J")}  # noqa: E731
    before = inputs(snapshot(book))
    mock_caller(book)
    msg = entry.on_score()
    assert "总分 95.41" in msg and "保留 22 个结果一致的得分公式" in msg
    assert inputs(snapshot(book)) == before  # nothing written outside 评分表's output columns (J = 手工得分)
    wb = openpyxl.load_workbook(book)
    ws = wb["评分表"]
    explained = [c.value for c in ws["L"] if isinstance(c.value, str) and "=" in c.value]
    assert len(explained) >= 10  # 计算过程 written
    # A 评分表 whose 自评得分 column is empty (a user's own): the engine's figures are written there
    sc = validate(example_xlsx).wb.scorecard
    plain = openpyxl.load_workbook(example_xlsx)
    for addr in [row.score for row in sc.rows] + [sc.total]:
        plain["评分表"].cell(addr.row, addr.col).value = None
    own = tmp_path / "own.xlsx"
    plain.save(own)
    if lo.soffice() is None:
        pytest.skip("LibreOffice is needed to give the other formulas their figures")
    own = lo.recalc(own, tmp_path / "lo")
    mock_caller(own)
    assert "总分 95.41" in entry.on_score()
    got = openpyxl.load_workbook(own)["评分表"]
    for item in expected.items:
        addr = next(row.score for row in sc.rows if row.path == tuple(item.path))
        assert round(got.cell(addr.row, addr.col).value, 2) == float(item.score), item.path
    assert got.cell(sc.total.row, sc.total.col).value == 95.41


# ---------------------------------------------------------------- calls to Excel do not grow with rows

def excel_calls(tmp_path, n: int) -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from make_budget import make

    plant = {1: {6: 999.0}, 5: {7: -1.0}}  # a wrong 年度总指标 and a negative 支出数
    path = make(str(tmp_path / f"b{n}.xlsx"), n, reason_gap=0, plant=plant)
    book = FakeBook(Path(path))
    port = XlwingsPort(book)
    msg = buttons.validate_action(port)
    assert "个错误" in msg
    marking.clear_marks(port)
    return book.calls.n


def test_excel_calls_do_not_grow_with_rows(tmp_path):
    small, large = excel_calls(tmp_path, 30), excel_calls(tmp_path, 500)
    assert small == large and small < 150, (small, large)


def test_config_from_the_conf_file_and_sheet_never_a_password(example_xlsx, tmp_path, monkeypatch):
    from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    (tmp_path / ".selfeval").mkdir()
    (tmp_path / ".selfeval" / "selfeval.conf").write_text(
        '"Mail_To","czj@futian.example.cn"\n"Threshold","85"\n"Password","hunter2"\n', "utf-8")
    port = OpenpyxlPort(example_xlsx)
    conf = config.config(buttons.read_sheets(port))
    assert conf["Mail_To"] == "czj@futian.example.cn" and "Password" not in conf
    assert config.threshold(buttons.read_sheets(port)) == config.Decimal("0.85")
    port.add_sheet(config.CONF_SHEET)
    port.write(config.CONF_SHEET, 1, 1, [["Threshold", "80"], ["password", "x"]], text=True)
    conf = config.config(buttons.read_sheets(port))
    assert conf["Threshold"] == "80" and "password" not in conf
    port.write(config.CONF_SHEET, 1, 1, [["threshold ", "75"], ["MAIL_TO", "jxk@example.cn"]], text=True)
    conf = config.config(buttons.read_sheets(port))  # a key typed in another case is the same setting
    assert (conf["Threshold"], conf["Mail_To"]) == ("75", "jxk@example.cn") and "threshold" not in conf
    assert config.threshold(buttons.read_sheets(port)) == config.Decimal("0.75")


def test_the_addin_reads_a_threshold_as_the_command_line_does(tmp_path, monkeypatch):
    """设置's Threshold and `--threshold` are one parser: 0.9 is 90%, not 0.9%; 150 is refused."""
    from selfeval_xl.cli_zh import threshold as cli_threshold
    from selfeval_xl.errors import ConfigError
    from selfeval_xl.sources.grid import Grid

    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    for typed in ("90", "90%", "0.9", "８５％"):
        sheets = {config.CONF_SHEET: Grid(config.CONF_SHEET, [["Threshold", typed]])}
        assert config.threshold(sheets) == cli_threshold(typed) / 100
    with pytest.raises(ConfigError, match="0–100"):
        config.threshold({config.CONF_SHEET: Grid(config.CONF_SHEET, [["Threshold", "150"]])})
