"""Issue 13: the command line speaks Chinese — every help text, usage line and argument error — and reads
`--threshold` as people write a percentage."""

import re
import subprocess
import sys
from decimal import Decimal

import pytest

from selfeval_xl.cli_zh import threshold

COMMANDS = (["validate"], ["score"], ["export"], ["mail"], ["addin"], ["addin", "build"], ["addin", "install"],
            ["demo"], ["templates"], ["templates", "build"], ["new"], [])
ENGLISH = re.compile(r"usage:|options:|positional arguments|optional arguments|show this help|show program|"
                     r"error:|required|invalid|expected|unrecognized|choose from", re.I)


def run(*args):
    return subprocess.run([sys.executable, "-m", "selfeval_xl", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "selfeval-xl")
def test_help_is_chinese(cmd):
    r = run(*cmd, "-h")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("用法：selfeval-xl") and "显示本帮助并退出" in r.stdout, r.stdout
    assert not ENGLISH.search(r.stdout), ENGLISH.search(r.stdout)
    helps = [line for line in r.stdout.splitlines() if line.startswith("  ") and "  " in line.strip()]
    assert helps and all(re.search(r"[\u4e00-\u9fff]", line) for line in helps), helps


@pytest.mark.parametrize("args", [["validate"], ["--bogus"], ["frobnicate"], ["new", "x.xlsx", "--kind", "both"],
                                  ["mail", "x.xlsx"], ["mail", "x.xlsx", "--to", "a@b", "--eml", "a", "--outlook"],
                                  ["validate", "x.xlsx", "--threshold"], ["export", "x.xlsx", "--threshold", "abc"]])
def test_argument_errors_are_one_chinese_line_exit_64(args):
    r = run(*args)
    assert r.returncode == 64, (args, r.stderr)
    assert r.stderr.count("\n") == 1 and "（用 -h 查看用法）" in r.stderr, r.stderr
    assert not ENGLISH.search(r.stderr), r.stderr


@pytest.mark.parametrize("text, percent", [("90", 90), ("90%", 90), ("0.9", 90), ("９０％", 90), ("85.5", Decimal("85.5")),
                                           ("1", 100), ("100", 100), ("0.05", 5)])
def test_threshold_accepts_percentages_as_people_write_them(text, percent):
    assert threshold(text) == percent


@pytest.mark.parametrize("text", ["abc", "", "0", "-5", "150", "90%%", "1e3"])
def test_threshold_refuses_what_is_not_a_percentage(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="不是有效的百分数"):
        threshold(text)


def test_threshold_written_three_ways_gives_the_same_findings(example_xlsx):
    outs = [run("validate", example_xlsx, "--threshold", t) for t in ("90", "90%", "0.9")]
    assert [o.returncode for o in outs] == [0, 0, 0]
    assert outs[0].stdout == outs[1].stdout == outs[2].stdout and "低于 90.00%" in outs[0].stdout
    lower = run("validate", example_xlsx, "--threshold", "50%")
    assert "3 个警告" in outs[0].stdout and "2 个警告" in lower.stdout  # 1.86% and 0.00% stay below 50%; 54.95% not


def test_threshold_abc_is_refused_in_one_chinese_line():
    r = run("validate", "x.xlsx", "--threshold", "abc")
    assert r.returncode == 64 and r.stderr.count("\n") == 1
    assert "--threshold" in r.stderr and "“abc”不是有效的百分数" in r.stderr and "90、90% 或 0.9" in r.stderr, r.stderr
