"""The command line's edges: argument errors exit 64 in one line, an internal error exits 70 with its whole
traceback in the log file and the log's path on the one line the user sees."""

import json
import subprocess
import sys


def run(*args, env=None, code=None):
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-m", "selfeval_xl", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env)


def test_argument_errors_exit_64_in_one_line():
    for args in (["validate"], ["--bogus"], ["frobnicate"], ["new", "x.xlsx", "--kind", "both"]):
        r = run(*args)
        assert r.returncode == 64, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr and "-h" in r.stderr, r.stderr


def test_an_internal_error_exits_70_and_the_log_has_the_traceback(tmp_path, example_xlsx):
    import os

    log = tmp_path / "selfeval.log"
    env = {**os.environ, "SELFEVAL_LOG": str(log)}
    code = ("import selfeval_xl.app.validate as v, selfeval_xl.cli as c\n"
            "def broken(*a, **k):\n    return {}['no such key']\n"
            "v.validate = broken\n"
            f"raise SystemExit(c.main(['validate', {str(example_xlsx)!r}]))")
    r = run(env=env, code=code)
    assert r.returncode == 70, r.stderr
    assert r.stderr.count("\n") == 1 and "内部错误（KeyError）" in r.stderr and str(log) in r.stderr
    text = log.read_text("utf-8")
    assert "Traceback (most recent call last)" in text and "KeyError: 'no such key'" in text and "def broken" not in r.stderr


def test_validate_names_the_forms_it_read_and_says_when_it_computed_formulas(tmp_path, example_xlsx):
    import openpyxl

    r = run("validate", example_xlsx)
    assert r.stdout.splitlines()[0].startswith("识别到：表5 预算整体支出情况表（工作表“表5”第 3 行）")
    assert "公式引擎" not in r.stdout
    wb = openpyxl.load_workbook(example_xlsx)
    wb.save(tmp_path / "saved.xlsx")  # openpyxl keeps formulas, drops their results
    r = run("validate", tmp_path / "saved.xlsx")
    assert "已用公式引擎计算 102 个公式" in r.stdout.splitlines()[1]


def test_rules_override_changes_the_score_and_a_bad_one_is_an_argument_error(tmp_path):
    """执行率 120% (100 budgeted, 120 spent): capped (财预〔2020〕10号) 10 of 10, uncapped (--rules exec=uncapped) 12."""
    from selfeval_xl.writers.templates import build_project

    data = {"year": 2022, "header": {"ProjectName": "测试项目"}, "funds": {"其中：本年财政拨款": [100, 100, 120]},
            "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "培训人次", "nature": "≥",
                            "target": 100, "unit": "人次", "actual": 100, "points": 90}]}
    p = tmp_path / "p.xlsx"
    build_project(p, data)
    capped = json.loads(run("score", p, "--json").stdout)
    uncapped = json.loads(run("score", p, "--json", "--rules", "exec=uncapped").stdout)
    assert (capped["fund"]["score"], uncapped["fund"]["score"]) == (10.0, 12.0)
    r = run("score", p, "--rules", "exec=sometimes")
    assert r.returncode == 64 and "exec 只能是" in r.stderr and r.stderr.count("\n") == 1


def test_report_then_check_report_against_the_workbook(tmp_path, example_xlsx):
    out = tmp_path / "自评报告.docx"
    r = run("report", example_xlsx, "-o", out)
    assert r.returncode == 0 and out.exists(), r.stderr
    r = run("check-report", out, "--workbook", example_xlsx, "--json")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["counts"]["error"] == 0
    r = run("check-report", tmp_path / "nope.docx")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_addin_doctor_reports_each_check():
    r = run("addin", "doctor")
    assert r.returncode in (0, 1) and "xlwings" in r.stdout and "Traceback" not in r.stderr


def test_batch_from_the_command_line(tmp_path, example_xlsx):
    import shutil

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(example_xlsx, inbox / "甲单位.xlsx")
    (inbox / "乙单位.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    out = tmp_path / "汇总.xlsx"
    r = run("batch", inbox, "-o", out, "--json")
    doc = json.loads(r.stdout)
    assert r.returncode == 1 and out.exists(), r.stderr  # one file could not be read
    assert len(doc["workbooks"]) == 1 and doc["workbooks"][0]["total"] == 95.41
    assert len(doc["unreadable"]) == 1 and "乙单位.xls" in doc["unreadable"][0]["file"]
    r = run("batch", inbox, "-o", out, "--seed", "1")
    assert r.returncode == 64 and "--seed 须与 --sample 一起使用" in r.stderr
