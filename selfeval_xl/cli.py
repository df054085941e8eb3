"""`selfeval-xl` command line. Exit codes: see selfeval_xl.errors and docs/cli.md."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from selfeval_xl import __version__
from selfeval_xl.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, SelfevalError

SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="selfeval-xl", description="预算绩效自评：模板、校验、计分、导出、发送")
    p.add_argument("--version", action="version", version=f"selfeval-xl {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)

    v = sub.add_parser("validate", help="校验 表5 / 绩效目标 / 项目自评表")
    v.add_argument("file")
    v.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/json.md）")
    v.add_argument("--annotate", metavar="OUT.xlsx", help="另存一份标注了问题单元格的副本")
    v.add_argument("--threshold", type=Decimal, default=Decimal("90"), help="执行进度预警线（%%，默认 90）")

    s = sub.add_parser("score", help="按指标体系计分")
    s.add_argument("file")
    s.add_argument("--system", help="预设名（national-project、futian-dept-2020、pingshan-project-2021）或 YAML 路径")
    s.add_argument("--json", action="store_true")

    e = sub.add_parser("export", help="导出成品评分表工作簿")
    e.add_argument("file")
    e.add_argument("-o", "--output", help="输出文件（默认 {单位名称}_{年度}_绩效自评评分表.xlsx）")
    e.add_argument("--system")
    e.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")

    d = sub.add_parser("demo", help="用内置示例（福田区投资推广署 2020）跑一遍校验、计分、导出")
    d.add_argument("-o", "--output-dir", default="selfeval-demo")

    t = sub.add_parser("templates", help="模板")
    tsub = t.add_subparsers(dest="tcmd", required=True)
    tb = tsub.add_parser("build", help="重新生成 workbook_templates/ 下的模板")
    tb.add_argument("--dir", default=None)

    n = sub.add_parser("new", help="新建空白模板")
    n.add_argument("output")
    n.add_argument("--kind", choices=("dept", "project"), default="dept")
    n.add_argument("--force", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"validate": cmd_validate, "score": cmd_score, "export": cmd_export, "demo": cmd_demo,
                "templates": cmd_templates, "new": cmd_new}[args.cmd](args)
    except SelfevalError as e:
        print(f"selfeval-xl: {e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # never a traceback for the user; details for bug reports
        import logging

        logging.getLogger("selfeval_xl").debug("unexpected", exc_info=True)
        print(f"selfeval-xl: 内部错误（{type(e).__name__}: {str(e)[:120]}），请将此行与文件一并反馈", file=sys.stderr)
        return EXIT_INPUT


def _exit(findings) -> int:
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _print_findings(findings) -> None:
    for f in findings:
        print(f"[{SEV_ZH[f.severity]}] {f.rule:<12} {f.message}")


def cmd_validate(args) -> int:
    from selfeval_xl import service
    from selfeval_xl.report import validation_json

    checked = service.validate(args.file, args.threshold / 100)
    if args.annotate:
        from selfeval_xl.actions import annotate_file

        annotate_file(args.file, args.annotate, checked.findings)
    if args.json:
        print(json.dumps(validation_json(checked), ensure_ascii=False))
    else:
        _print_findings(checked.findings)
        c = checked.counts()
        print(f"共 {c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。")
        if args.annotate:
            print(f"已写出标注副本：{args.annotate}")
    return _exit(checked.findings)


def cmd_score(args) -> int:
    from selfeval_xl import service
    from selfeval_xl.core.money import fmt_score
    from selfeval_xl.report import score_json

    checked = service.validate(args.file)
    result = service.score(checked, args.system)
    if args.json:
        print(json.dumps(score_json(result), ensure_ascii=False))
        return _exit(result.findings)
    for item in result.items:
        print(f"{' / '.join(item.path):<40} {fmt_score(item.max):>6} {fmt_score(item.score):>8}  {item.explanation}")
    _print_findings(result.findings)
    more = f"（尚有 {fmt_score(result.unscored)} 分未评分）" if result.unscored else ""
    print(f"总分 {fmt_score(result.total)}，评价等级 {result.grade}{more}")
    return _exit(result.findings)


def cmd_export(args) -> int:
    from selfeval_xl.export import export_file

    out = export_file(args.file, args.output, args.system, force=args.force)
    print(f"已导出：{out}")
    return EXIT_OK


def cmd_demo(args) -> int:
    from selfeval_xl.demo import run_demo

    return run_demo(Path(args.output_dir))


def cmd_templates(args) -> int:
    from selfeval_xl.io.templates import build_all

    folder = Path(args.dir) if args.dir else Path(__file__).resolve().parent.parent / "workbook_templates"
    for p in build_all(folder):
        print(f"已生成：{p}")
    return EXIT_OK


def cmd_new(args) -> int:
    from selfeval_xl.io.templates import build_dept, build_project

    (build_dept if args.kind == "dept" else build_project)(args.output, force=args.force)
    print(f"已新建：{args.output}")
    return EXIT_OK
