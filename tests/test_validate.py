"""Issue 3: reading any filled 表5 and validating it cell by cell."""

import json
import subprocess
import sys
from pathlib import Path
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seed001 import ROWS, to_num, write_official
from selfeval_xl.app.validate import validate
from selfeval_xl.rules.severity import Severity
from selfeval_xl.core.numbers import parse_number


def cli(*args):
    return subprocess.run([sys.executable, "-m", "selfeval_xl", *map(str, args)], capture_output=True, text=True)


def published_rates():
    return [round(to_num(r[9]) * 100, 2) for r in ROWS]


@pytest.mark.parametrize("raw,expected", [
    ("1,774.64", "1774.64"), ("57.18万元", "57.18"), ("２．６０", "2.60"), ("－１９４７．９６", "-1947.96"),
    ("-", "0"), ("—", "0"), ("", "0"), ("97.67%", "0.9767"), (" 30.00 ", "30.00"), (3.67, "3.67"),
])
def test_numbers_as_typed(raw, expected):
    p = parse_number(raw)
    assert p.ok and p.value == Decimal(expected)


def test_text_and_errors_are_classified():
    assert parse_number("约三十万").kind == "text"
    assert parse_number("#DIV/0!").kind == "error"


def test_seed001_official_layout_has_no_errors(tmp_path):
    f = write_official(tmp_path / "official.xlsx")
    before = f.read_bytes()
    r = cli("validate", f, "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] and not [x for x in doc["findings"] if x["severity"] == "error"]
    rates = [row["rate"] for row in doc["budget"]["rows"]]
    assert rates == published_rates()
    kinds = {row["label"]: row["kind"] for row in doc["budget"]["rows"]}
    assert kinds["公务用车运行维护费"] == "child" and kinds["购置费"] == "detail"
    assert kinds["其中：公用日常经费"] == "child" and kinds["总计"] == "grand"
    warn = [x for x in doc["findings"] if x["rule"] == "B5-REASON"]
    assert any("预算准备金" in x["message"] for x in warn)
    assert doc["budget"]["unit"] == "万元"
    assert f.read_bytes() == before


def test_messy_typing_gives_same_rates(tmp_path):
    f = write_official(tmp_path / "messy.xlsx", messy=True)
    checked = validate(f)
    assert not [x for x in checked.findings if x.severity is Severity.ERROR], [x.message for x in checked.findings]
    rates = [None if r.rate is None else round(float(r.rate) * 100, 2) for r in checked.wb.budget.rows]
    assert rates == published_rates()


def _plant(rows):
    rows[10][6] = "391.00"   # 投资促进管理 年度总指标 wrong
    rows[3][8] = "16.00"     # 人员经费 剩余 wrong
    rows[9][9] = "64.44%"    # 英才荟 执行进度 wrong
    rows[7][7] = "500.35"    # 基本支出小计 支出 wrong
    rows[2][7] = "3.00"      # 对个人和家庭的补助 支出 > 总指标


def test_planted_mistakes_reported_at_their_cells(tmp_path):
    f = write_official(tmp_path / "bad.xlsx", mutate=_plant)
    checked = validate(f)
    errs = {(x.rule, x.a1) for x in checked.findings if x.severity is Severity.ERROR}
    # data starts at sheet row 4: ROWS[i] is row i + 4
    assert ("B5-TOTAL", "G14") in errs
    assert ("B5-REMAIN", "I7") in errs
    assert ("B5-RATE", "J13") in errs
    assert ("B5-SUB", "H11") in errs
    assert ("B5-OVER", "H6") in errs
    msg = next(x.message for x in checked.findings if x.rule == "B5-TOTAL" and x.a1 == "G14")
    assert "391.00" in msg and "381.00" in msg and "请核对" in msg and msg.startswith("部门整体支出!G14")
    assert cli("validate", f).returncode == 1


def test_bad_inputs_exit_2_with_one_line(tmp_path):
    cases = {}
    cases["corrupt.xlsx"] = b"PK\x03\x04 not really a zip"
    cases["empty.xlsx"] = b""
    cases["legacy.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    cases["encrypted.xlsx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600
    cases["wps.et"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        r = cli("validate", p)
        assert r.returncode == 2, name
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, (name, r.stderr)
        assert p.read_bytes() == data
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as fh:
        fh.truncate(60 * 1024 * 1024)
    r = cli("validate", big)
    assert r.returncode == 2 and "MB" in r.stderr
    notable = tmp_path / "notable.xlsx"
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hello"
    wb.save(notable)
    r = cli("validate", notable)
    assert r.returncode == 2 and "表5" in r.stderr


def test_annotate_writes_copy_and_keeps_input(tmp_path):
    f = write_official(tmp_path / "bad.xlsx", mutate=_plant)
    before = f.read_bytes()
    out = tmp_path / "marked.xlsx"
    r = cli("validate", f, "--annotate", out)
    assert r.returncode == 1 and f.read_bytes() == before
    import openpyxl
    wb = openpyxl.load_workbook(out)
    assert "校验结果" in wb.sheetnames
    assert wb["部门整体支出"]["G14"].comment is not None
    links = [c.value for c in wb["校验结果"]["C"]]
    assert '=HYPERLINK("#\'部门整体支出\'!G14","部门整体支出!G14")' in links  # the add-in's own 校验 code


def _table(rows):
    """A consistent random 表5 in our own simple layout (one block + 小计 + 总计)."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表5"
    ws.append(["分类", "预算项目", "部门预算指标", "上年/历年结转", "追加指标", "调整指标", "年度总指标", "支出数", "剩余指标", "执行进度", "执行率差额原因"])
    sums = [Decimal(0)] * 7
    for i, (b, c, a, d, s) in enumerate(rows):
        t = b + c + a + d
        vals = [b, c, a, d, t, s, t - s]
        sums = [x + y for x, y in zip(sums, vals)]
        rate = float(s / t) if t else None
        ws.append(["基本支出", f"项目{i}", *map(float, vals), rate, "原因"])
    ws.append(["基本支出小计", "", *map(float, sums), float(sums[5] / sums[4]) if sums[4] else None, ""])
    ws.append(["总计", "", *map(float, sums), float(sums[5] / sums[4]) if sums[4] else None, ""])
    return wb


money = st.decimals(min_value=0, max_value=100000, places=2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(money, money, money, st.decimals(min_value=-50, max_value=0, places=2), money), min_size=1, max_size=6),
       st.data())
def test_property_consistent_tables_and_single_edits(tmp_path, rows, data):
    rows = [(b, c, a, d, min(s, b + c + a + d)) for b, c, a, d, s in rows if b + c + a + d > 0] or [(Decimal(100), 0, 0, 0, Decimal(50))]
    rows = [tuple(Decimal(x) for x in r) for r in rows]
    wb = _table(rows)
    p = tmp_path / "t.xlsx"
    wb.save(p)
    assert not [f for f in validate(p).findings if f.severity is Severity.ERROR]
    ws = wb.active
    filled = [c for col in ("G", "I", "J") for c in ws[col][1:] if c.value is not None]  # rates of 0-total rows are blank
    cell = data.draw(st.sampled_from(filled))
    col, r = cell.column_letter, cell.row
    cell.value = cell.value + (0.5 if col != "J" else 0.05)
    wb.save(p)
    errs = {f.a1 for f in validate(p).findings if f.severity is Severity.ERROR}
    assert f"{col}{r}" in errs


def test_streamed_json_is_the_json_of_the_document(tmp_path, example_xlsx):
    """validate --json streams the 表5 rows (issue 16); the text must be what json.dumps gives for the document,
    labels with quotes, backslashes, line breaks and control characters included."""
    import io
    import json

    import openpyxl

    from selfeval_xl.app.jsonout import CHUNK, validation_json, write_validation_json
    from selfeval_xl.app.validate import validate

    wb = openpyxl.load_workbook(example_xlsx)
    wb["表5"]["B6"] = '对个人"和"家庭\\的\n补助\t'
    p = tmp_path / "quoted.xlsx"
    wb.save(p)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from make_budget import make
    from make_floaty import make_floaty

    for path in (example_xlsx, p, make(str(tmp_path / "big.xlsx"), CHUNK * 2 + 7),
                 make_floaty(str(tmp_path / "floaty.xlsx"), CHUNK + 3)):  # figures of 16 and 17 digits
        checked = validate(path)
        out = io.StringIO()
        write_validation_json(checked, out)
        assert out.getvalue() == json.dumps(validation_json(checked), ensure_ascii=False) + "\n"


def test_a_long_figure_is_written_as_its_15_digits_would_be():
    """The streamed JSON writes a figure of 16–17 digits as repr(float(f"{v:.15g}")) without the round trip."""
    import random
    import struct

    from selfeval_xl.app.jsonout import _rounded_json

    rng = random.Random(16)
    values = [12.340000000000003, 0.30000000000000004, 1e15 + 0.3, 123456789012345.67, 1e-7 / 3, -2.675000000000001,
              99999999999999.99, 999999999999999.9, 5e-324, 1.7976931348623157e308, 2.0 / 3 * 1e14]
    values += [rng.uniform(-1e6, 1e6) for _ in range(20000)] + [rng.uniform(0, 1) / 3 for _ in range(5000)]
    values += [struct.unpack("d", struct.pack("Q", rng.getrandbits(63)))[0] for _ in range(20000)]
    for v in values:
        if v == v and abs(v) != float("inf"):
            assert _rounded_json(v) == float.__repr__(float(f"{v:.15g}")), v
