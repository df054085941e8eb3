"""The command line's edges: argument errors exit 64 in one line, an internal error exits 70 with its whole
traceback in the log file and the log's path on the one line the user sees."""

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
