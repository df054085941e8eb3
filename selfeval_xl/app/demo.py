"""`selfeval-xl demo`: the bundled example (seed 001) through validate, score and export."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from selfeval_xl.app.textout import findings_lines
from selfeval_xl.core.money import fmt_score
from selfeval_xl.errors import EXIT_OK
from selfeval_xl.rules.finding import Finding

EXAMPLE = "futian-2020.yaml"


def example_data() -> dict:
    import yaml

    text = resources.files("selfeval_xl.app.example").joinpath(EXAMPLE).read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def build_example(path: Path) -> Path:
    from selfeval_xl.writers.templates import build_dept

    build_dept(path, example_data())
    return path


def demo_export(outdir: Path):
    """Build the example workbook in outdir, validate, score and export it: (source, Checked, export path)."""
    from selfeval_xl.app.export import default_name
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate
    from selfeval_xl.writers.export import write_export

    outdir.mkdir(parents=True, exist_ok=True)
    src = build_example(outdir / "示例_部门整体支出绩效自评.xlsx")
    checked = validate(src)
    score(checked)
    out = outdir / default_name(checked.wb.info)
    write_export(checked, out)
    return src, checked, out


def run_demo(outdir: Path) -> int:
    """The README's main command: the demo, with a short summary on stdout."""
    src, checked, out = demo_export(outdir)
    result = checked.score
    c = checked.counts()
    print(f"示例工作簿：{src}")
    print(f"校验：{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示")
    for line in findings_lines(sorted(checked.all_findings, key=Finding.sort_key)):
        print("  " + line)
    print(f"计分：总分 {fmt_score(result.total)}，评价等级 {result.grade}")
    print(f"导出：{out}")
    return EXIT_OK
