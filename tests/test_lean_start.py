"""What makes a small `validate` start fast (issue 16) changes nothing a user sees: the parser built for one command
parses and helps as the whole one does, the indexed header matcher finds what the linear one found, and the
validate path leaves out the modules it was slow to import."""

from __future__ import annotations

import contextlib
import io
import random
import subprocess
import sys

import pytest

from selfeval_xl import cli
from selfeval_xl.cli_zh import chinese
from selfeval_xl.forms import budget, catalogue, goals, headers, layouts, perf, scorecard


def _help(argv: list[str], parser_argv) -> str:
    out = io.StringIO()
    with chinese(), contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli._parser(parser_argv).parse_args(argv)
    return out.getvalue()


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_one_commands_parser_helps_as_the_whole_one(command):
    assert _help([command, "-h"], [command]) == _help([command, "-h"], None) != ""


@pytest.mark.parametrize("argv", [
    ["validate", "a.xlsx", "--json", "--threshold", "85%", "--rules", "exec=uncapped"],
    ["score", "a.xlsx", "--system", "national-project"],
    ["export", "a.xlsx", "-o", "b.xlsx", "--draft"],
    ["batch", "d", "-o", "s.xlsx", "--jobs", "2", "--sample", "3"],
    ["addin", "install", "--xlam", "x.xlam"],
    ["new", "n.xlsx", "--kind", "project"],
])
def test_one_commands_parser_parses_as_the_whole_one(argv):
    with chinese():
        assert cli._parser(argv).parse_args(argv) == cli._parser(None).parse_args(argv)


def test_an_unknown_command_still_lists_every_command():
    with chinese(), pytest.raises(Exception) as e:
        cli._parser(["bogus"]).parse_args(["bogus"])
    assert all(f"'{c}'" in str(e.value) for c in cli.COMMANDS)


def _linear(text, synonyms):
    """The matcher as it was before the index: every name of every field tried in order."""
    h = headers.norm_header(text)
    if not h:
        return None
    for field, names in synonyms.items():
        if h in names:
            return field
    for field, names in synonyms.items():
        if any(h.startswith(n) or h.endswith(n) for n in names if len(n) >= 3):
            return field
    return None


def test_the_indexed_header_matcher_finds_what_the_linear_one_found():
    tables = [v for m in (budget, goals, catalogue, perf, scorecard, layouts) for v in vars(m).values()
              if isinstance(v, dict) and v and all(isinstance(x, tuple) and all(type(y) is str for y in x)
                                                   for x in v.values())]
    assert len(tables) >= 5
    names = sorted({n for t in tables for ns in t.values() for n in ns})
    texts = {"", " ", "项目", "合 计", "支出数（万元）", "执行率差额原因"}
    for n in names:
        texts |= {n, f"{n}（万元）", f"其他{n}", f"{n}数", n[:2], n[1:], f"合计{n}合计"}
    rng = random.Random(16)
    for _ in range(3000):
        a, b = rng.sample(names, 2)
        texts |= {a + b, a[:rng.randint(0, len(a))] + b[rng.randint(0, len(b)):]}
    found = 0
    for t in tables:
        for x in texts:
            got = headers._match(x, t)
            assert got == _linear(x, t), (x, got)
            found += got is not None
    assert found > 1000  # the texts do match, so the comparison means something


def test_the_validate_path_leaves_out_slow_imports():
    code = ("import sys, selfeval_xl.cli, selfeval_xl.app.validate, selfeval_xl.app.jsonout, selfeval_xl.forms.reader,"
            " selfeval_xl.sources.xlsx, selfeval_xl.rules.budget, selfeval_xl.rules.typed, selfeval_xl.rules.limits;"
            " print(sorted({'dataclasses', 'inspect', 'xml.etree.ElementTree', 'datetime', 'typing_extensions',"
            " 'selfeval_xl.sources.formula_shift', 'selfeval_xl.scoring.engine', 'openpyxl'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_budget_table_alone_reads_without_the_other_forms_readers(tmp_path):
    from seed001 import write_official

    path = write_official(tmp_path / "seed001.xlsx")
    code = ("import sys; from selfeval_xl.app.validate import validate; c = validate(sys.argv[1]);"
            " print(len(c.findings), sorted(m for m in sys.modules if m.startswith('selfeval_xl.forms.')))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    count, modules = out.split(" ", 1)
    assert int(count) >= 1
    for lazy in ("perf", "scorecard", "scalars", "catalogue"):
        assert f"selfeval_xl.forms.{lazy}'" not in modules, modules
    assert "selfeval_xl.forms.budget'" in modules


def test_the_package_declares_its_records_one_way():
    """Every record class is a core.record one: a dataclass would bring dataclasses and inspect back on import."""
    from pathlib import Path

    import selfeval_xl

    root = Path(selfeval_xl.__file__).parent
    users = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if "import dataclasses" in (t := p.read_text("utf-8")) or "from dataclasses import" in t]
    assert users == []
