"""`selfeval-xl` command line. Exit codes: see selfeval_xl.errors and docs/cli.md."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from selfeval_xl import __version__
from selfeval_xl.cli_zh import Formatter, chinese, pad, threshold
from selfeval_xl.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, SelfevalError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese, with argument errors raised as UsageError (exit 64, one line) instead of exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        raise UsageError(f"{self.prog}：{message}（用 -h 查看用法）")


FILE_HELP = "工作簿（.xlsx / .xlsm）"
THRESHOLD_HELP = "执行进度预警线，低于此值的项目须说明原因；写 90、90%% 或 0.9 均为 90%%（默认 90）"
SYSTEM_HELP = "指标体系：预设名（national-project、futian-dept-2020、pingshan-project-2021）或 YAML 文件路径；默认用工作簿自己的评分表"
RULES_HELP = ("改用其他评分口径，如 exec=uncapped,qual=anhui,overscore=5：exec 执行率得分口径，le 越小越好指标，"
              "qual 定性档次，overscore 自评高出规则多少分标红，unspent 结余率预警线，target_low、reason_below（见 docs/scoring.md）")


def _add_validate(sub) -> None:
    v = sub.add_parser("validate", help="逐格校验 表5 / 绩效目标 / 项目自评表", description="逐格校验工作簿，列出每个问题所在的单元格。")
    v.add_argument("file", metavar="文件", help=FILE_HELP)
    v.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/json.md）")
    v.add_argument("--annotate", metavar="OUT.xlsx", help="另存一份标注了问题单元格的副本")
    v.add_argument("--threshold", type=threshold, default=Decimal("90"), metavar="百分数", help=THRESHOLD_HELP)
    v.add_argument("--rules", metavar="规则", help=RULES_HELP)


def _add_score(sub) -> None:
    s = sub.add_parser("score", help="按指标体系计分", description="按工作簿自己的评分表（或指定的指标体系）计分。")
    s.add_argument("file", metavar="文件", help=FILE_HELP)
    s.add_argument("--system", metavar="名称或路径", help=SYSTEM_HELP)
    s.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/json.md）")
    s.add_argument("--rules", metavar="规则", help=RULES_HELP)


def _add_export(sub) -> None:
    e = sub.add_parser("export", help="导出成品评分表工作簿",
                       description="校验、计分并导出可打印的评分表工作簿。工作簿有错误时不导出（退出码 1），"
                                   "除非加 --draft：草稿在文件名和汇总页上注明“草稿”和未改正的错误数。")
    e.add_argument("file", metavar="文件", help=FILE_HELP)
    e.add_argument("-o", "--output", metavar="OUT.xlsx", help="输出文件（默认与输入同一文件夹：{单位名称}_{年度}_绩效自评评分表.xlsx）")
    e.add_argument("--system", metavar="名称或路径", help=SYSTEM_HELP)
    e.add_argument("--draft", action="store_true", help="工作簿尚有错误时也导出，作为注明错误数的草稿")
    e.add_argument("--threshold", type=threshold, default=Decimal("90"), metavar="百分数", help=THRESHOLD_HELP)
    e.add_argument("--rules", metavar="规则", help=RULES_HELP)
    e.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _add_report(sub) -> None:
    r = sub.add_parser("report", help="生成自评报告草稿（.docx）",
                       description="校验、计分后按工作簿的数字生成自评报告草稿；标有【待填写】处须由单位补充。见 docs/report.md。")
    r.add_argument("file", metavar="文件", help=FILE_HELP)
    r.add_argument("-o", "--output", required=True, metavar="OUT.docx", help="报告文件，如 自评报告.docx")
    r.add_argument("--system", metavar="名称或路径", help=SYSTEM_HELP)
    r.add_argument("--threshold", type=threshold, default=Decimal("90"), metavar="百分数", help=THRESHOLD_HELP)
    r.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _add_check_report(sub) -> None:
    cr = sub.add_parser("check-report", help="核对自评报告（.docx / .pdf / .txt）中的数字",
                        description="逐句核对报告中的数字：同一指标前后不一、执行率算错、部分大于整体、合计与分项不符、"
                                    "同比增减算错；加 --workbook 时再与工作簿的数字逐项比对。见 docs/check-report.md。")
    cr.add_argument("report", metavar="报告", help="自评报告（.docx、.pdf 或 .txt）")
    cr.add_argument("--workbook", metavar="工作簿", help="与之比对的工作簿（.xlsx）")
    cr.add_argument("--system", metavar="名称或路径", help=SYSTEM_HELP)
    cr.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/check-report.md）")


def _add_mail(sub) -> None:
    ml = sub.add_parser("mail", help="把评分表工作簿发给财政局（SMTP、.eml 或 Outlook）",
                        description="密码只从环境变量 SELFEVAL_SMTP_PASSWORD、系统 keyring 或终端输入读取，绝不从命令行参数读取。")
    ml.add_argument("file", metavar="文件", help="要发送的工作簿（通常是导出的评分表）")
    ml.add_argument("--to", action="append", default=[], metavar="地址", required=True, help="收件人（可重复）")
    ml.add_argument("--cc", action="append", default=[], metavar="地址", help="抄送（可重复）")
    ml.add_argument("--subject", metavar="主题", help="主题（默认“{单位名称}{年度}年度绩效自评评分表”）")
    ml.add_argument("--body", metavar="正文", help="正文（默认写明总分、等级和待处理问题数）")
    ml.add_argument("--from", dest="sender", metavar="地址", help="发件人（默认为 --user）")
    how = ml.add_mutually_exclusive_group(required=True)
    how.add_argument("--smtp", metavar="主机:端口", help="通过 SMTP 服务器发送")
    how.add_argument("--eml", metavar="OUT.eml", help="保存为 .eml 文件，用邮件程序打开后发送")
    how.add_argument("--outlook", action="store_true", help="在 Outlook 中打开草稿（仅 Windows）")
    tls = ml.add_mutually_exclusive_group()
    tls.add_argument("--ssl", action="store_true", help="SSL/TLS 连接（通常端口 465）")
    tls.add_argument("--starttls", action="store_true", help="STARTTLS（通常端口 587）")
    ml.add_argument("--user", metavar="登录名", help="SMTP 登录名")
    ml.add_argument("--cafile", metavar="CA.pem", help="信任的 CA 证书（内网邮件服务器用自签证书时）")
    ml.add_argument("--force", action="store_true", help="覆盖已存在的 .eml")


def _add_addin(sub) -> None:
    a = sub.add_parser("addin", help="Excel 加载项（绩效自评 选项卡）", description="生成或安装 Excel 加载项。")
    asub = a.add_subparsers(dest="acmd", required=True, metavar="操作")
    ab = asub.add_parser("build", help="生成 selfeval.xlam（任何系统均可，无需 Excel）", description="生成 selfeval.xlam。")
    ab.add_argument("-o", "--output", default=None, metavar="X.xlam", help="输出文件（默认 addin/selfeval.xlam）")
    ai = asub.add_parser("install", help="把 selfeval.xlam 安装到 Excel（Windows / macOS）",
                         description="把 selfeval.xlam 安装到 Excel 的启动文件夹。")
    ai.add_argument("--xlam", default=None, metavar="X.xlam", help="要安装的 .xlam（默认 addin/selfeval.xlam）")
    asub.add_parser("doctor", help="诊断加载项按钮为何无法运行：xlwings 版本、配置文件、Python、Excel 加载项文件夹",
                    description="逐项检查加载项运行所需的一切，每个问题后写明怎么办。")


def _add_batch(sub) -> None:
    b = sub.add_parser("batch", help="批量审核多份工作簿（文件夹、.xlsx、.zip、.eml），生成汇总工作簿",
                       description="逐份校验、计分收到的工作簿，生成汇总工作簿（汇总、分布、预警、问题清单、抽查、无法读取、"
                                   "重复提交）。退出码：0 全部读取且无错误；1 有工作簿含错误或有文件无法读取；2 一份也读不出；"
                                   "3 输出无法写入。详见 docs/batch.md")
    b.add_argument("paths", nargs="+", metavar="路径", help="文件夹、.xlsx、.zip 或 .eml（可多个）")
    b.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="汇总工作簿")
    b.add_argument("--json", action="store_true", help="在标准输出打印 JSON（格式见 docs/batch.md）")
    b.add_argument("--jobs", type=_positive_int, metavar="N", help="并行工作进程数（默认 CPU 核数）")
    b.add_argument("--parquet", metavar="OUT.parquet", help="另存 Parquet（需 pyarrow）")
    b.add_argument("--sample", type=_positive_int, metavar="N", help="按评价等级分层随机抽取 N 份")
    b.add_argument("--seed", type=int, metavar="S", help="抽样随机种子（同一种子得到同一样本）")
    b.add_argument("--scheduler", metavar="地址", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    b.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")


def _add_demo(sub) -> None:
    d = sub.add_parser("demo", help="用内置示例（福田区投资推广署 2020）跑一遍校验、计分、导出",
                       description="生成内置示例工作簿，校验、计分并导出，打印发现的问题和总分。")
    d.add_argument("-o", "--output-dir", default="selfeval-demo", metavar="文件夹", help="输出文件夹（默认 selfeval-demo）")


def _add_templates(sub) -> None:
    t = sub.add_parser("templates", help="模板", description="重新生成随程序提供的空白模板。")
    tsub = t.add_subparsers(dest="tcmd", required=True, metavar="操作")
    tb = tsub.add_parser("build", help="重新生成 workbook_templates/ 下的模板", description="重新生成空白模板（逐字节可复现）。")
    tb.add_argument("--dir", default=None, metavar="文件夹", help="输出文件夹（默认 workbook_templates/）")


def _add_new(sub) -> None:
    n = sub.add_parser("new", help="新建空白模板", description="新建一份空白的标准模板；已有同名文件时不覆盖，除非加 --force。")
    n.add_argument("output", metavar="OUT.xlsx", help="新模板的文件名")
    n.add_argument("--kind", choices=("dept", "project"), default="dept", help="dept：部门整体支出（默认）；project：项目支出")
    n.add_argument("--force", action="store_true", help="覆盖已存在的文件")


COMMANDS = {"validate": _add_validate, "score": _add_score, "export": _add_export, "report": _add_report,
            "check-report": _add_check_report, "mail": _add_mail, "addin": _add_addin, "batch": _add_batch,
            "demo": _add_demo, "templates": _add_templates, "new": _add_new}  # in the order help lists them


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; when argv names a command, only that command's options are built (its help
    and errors are the same; the rest would cost a small validate ~1 ms, issue 16)."""
    p = _Parser(prog="selfeval-xl", description="预算绩效自评：模板、校验、计分、导出、发送。各命令的用法：selfeval-xl 命令 -h",
                epilog="退出码：0 无错误，1 工作簿有错误，2 无法读取，3 无法写出，4–7 邮件，64 命令行有误，70 内部错误")
    p.add_argument("--version", action="version", version=f"selfeval-xl {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="命令")
    wanted = argv[:1] if argv and argv[0] in COMMANDS else COMMANDS
    for name in wanted:
        COMMANDS[name](sub)
    return p


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if n < 1:
        raise argparse.ArgumentTypeError("须为正整数")
    return n


def main(argv: list[str] | None = None) -> int:
    command = "selfeval-xl"
    try:
        with chinese():
            argv = sys.argv[1:] if argv is None else argv
            args = _parser(argv).parse_args(argv)
        command = args.cmd
        return globals()[f"cmd_{args.cmd.replace('-', '_')}"](args)
    except SelfevalError as e:
        import logging

        logging.getLogger("selfeval_xl").info("%s: exit %d: %s", command, e.exit_code, e.message)  # file log only
        print(f"selfeval-xl: {e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (`… | head`): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 141  # 128 + SIGPIPE, as a shell reports it
    except Exception as e:  # never a traceback for the user; the whole of it goes to the log file
        from selfeval_xl.logs import log_internal_error

        where = log_internal_error(command)
        log = f"详情已写入日志 {where}" if where else "日志文件无法写入"
        print(f"selfeval-xl: 内部错误（{type(e).__name__}），{log}，请将日志与文件一并反馈", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The console script and `python -m selfeval_xl`: main, then a fast exit for the one-shot commands."""
    code = main()
    from selfeval_xl.app import runtime

    if runtime.ONE_SHOT:
        runtime.exit_now(code)
    sys.exit(code)


def _exit(findings) -> int:
    from selfeval_xl.rules.finding import has_errors

    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _rules(args) -> dict:
    if not getattr(args, "rules", None):
        return {}
    from selfeval_xl.scoring.form_rules import parse_overrides

    return parse_overrides(args.rules)


def _print_findings(findings) -> None:
    from selfeval_xl.app.textout import findings_lines

    for line in findings_lines(findings):
        print(line)


def cmd_validate(args) -> int:
    from selfeval_xl.app.jsonout import write_validation_json
    from selfeval_xl.app.runtime import one_shot
    from selfeval_xl.app.validate import validate

    one_shot()
    checked = validate(args.file, args.threshold / 100, _rules(args))
    if args.annotate:
        from selfeval_xl.app.annotate import annotate_file

        annotate_file(args.file, args.annotate, checked.findings)
    if args.json:
        write_validation_json(checked, sys.stdout)
    else:
        from selfeval_xl.app.textout import counts_line, forms_line, notices

        print(forms_line(checked.wb.forms))
        for line in notices(checked.wb):
            print(line)
        _print_findings(checked.findings)
        print(counts_line(checked.counts()))
        if args.annotate:
            print(f"已写出标注副本：{args.annotate}")
    return _exit(checked.findings)


def cmd_score(args) -> int:
    from selfeval_xl.app.jsonout import score_json
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate
    from selfeval_xl.core.money import fmt_score

    rules = _rules(args)
    checked = validate(args.file, rules=rules)
    result = score(checked, args.system, rules)
    if args.json:
        print(json.dumps(score_json(result, checked.wb.forms), ensure_ascii=False))
        return _exit(result.findings)
    from selfeval_xl.app.textout import forms_line, notices

    print(forms_line(checked.wb.forms))
    for line in notices(checked.wb):
        print(line)
    own = result.self_total if result.self_total is not None else result.self_sum
    print(f"{pad('指标', 56)} {pad('分值', 6, True)} {pad('单位自评', 8, True)} {pad('按规则', 8, True)}  计算过程")
    for item in result.items:
        mine = "" if item.self_score is None else fmt_score(item.self_score)
        print(f"{pad(' / '.join(p for p in item.path if p), 56)} {fmt_score(item.max):>6} {mine:>8} {fmt_score(item.score):>8}  {item.explanation}")
    _print_findings(result.findings)
    more = f"（尚有 {fmt_score(result.unscored)} 分未评分）" if result.unscored else ""
    mine = f"；单位自评总分 {fmt_score(own)}，评价等级 {result.system.grade(own)}" if own is not None else ""
    print(f"总分 {fmt_score(result.total)}，评价等级 {result.grade}{more}（按规则计算）{mine}")
    return _exit(result.findings)


def cmd_export(args) -> int:
    from selfeval_xl.app.export import export_file

    out, errors = export_file(args.file, args.output, args.system, force=args.force, threshold=args.threshold / 100,
                              draft=args.draft, rules=_rules(args))
    print(f"已导出：{out}")
    if errors:
        print(f"selfeval-xl: 注意：这是草稿，尚有 {errors} 个错误未改正（见导出文件的“问题清单”）", file=sys.stderr)
    return EXIT_OK


def cmd_report(args) -> int:
    from selfeval_xl.app.report import report_file

    out = report_file(args.file, args.output, force=args.force, threshold=args.threshold / 100, system=args.system)
    print(f"已生成报告草稿：{out}（【待填写】处须补充；可用 selfeval-xl check-report {out} --workbook {args.file} 核对数字）")
    return EXIT_OK


def cmd_check_report(args) -> int:
    from selfeval_xl.narrative import check_report, exit_code, format_text, to_json

    workbook = None
    if args.workbook:
        from selfeval_xl.app.report import figures_file

        workbook = figures_file(args.workbook, args.system)
    findings = check_report(args.report, workbook=workbook)
    if args.json:
        print(json.dumps(to_json(args.report, findings), ensure_ascii=False))
    else:
        print(format_text(args.report, findings))
    return exit_code(findings)


def cmd_batch(args) -> int:
    from selfeval_xl.app.batch import run_batch

    if args.seed is not None and not args.sample:
        raise UsageError("--seed 须与 --sample 一起使用")
    return run_batch(args.paths, args.output, json_out="-" if args.json else None, jobs=args.jobs,
                     parquet=args.parquet, sample=args.sample, seed=args.seed, scheduler=args.scheduler,
                     force=args.force)


def cmd_demo(args) -> int:
    from selfeval_xl.app.demo import run_demo

    return run_demo(Path(args.output_dir))


def cmd_templates(args) -> int:
    from selfeval_xl.writers.templates import build_all

    folder = Path(args.dir) if args.dir else Path(__file__).resolve().parent.parent / "workbook_templates"
    for p in build_all(folder):
        print(f"已生成：{p}")
    return EXIT_OK


def cmd_new(args) -> int:
    from selfeval_xl.writers.templates import build_dept, build_project

    (build_dept if args.kind == "dept" else build_project)(args.output, force=args.force)
    print(f"已新建：{args.output}")
    return EXIT_OK


def cmd_mail(args) -> int:
    from selfeval_xl.logs import setup_file_logging
    from selfeval_xl.mail.deliver import MailRequest, mail_eml, mail_outlook, mail_smtp
    from selfeval_xl.mail.send import SmtpSettings

    setup_file_logging()
    req = MailRequest(Path(args.file), args.to, args.cc, args.subject, args.body, args.sender)
    warn = lambda m: print(f"selfeval-xl: 注意：{m}", file=sys.stderr)  # noqa: E731
    if args.eml:
        out = mail_eml(req, Path(args.eml), force=args.force, warn=warn)
        print(f"已保存邮件：{out}（用邮件程序打开后发送）")
    elif args.outlook:
        mail_outlook(req, warn=warn)
        print("已在 Outlook 中打开草稿，请检查后发送")
    else:
        security = "ssl" if args.ssl else "starttls" if args.starttls else "plain"
        settings = SmtpSettings.parse(args.smtp, security, args.user, args.cafile)
        mail_smtp(req, settings, warn=warn)
        print(f"已发送至 {'、'.join(args.to + args.cc)}")
    return EXIT_OK


def cmd_addin(args) -> int:
    from selfeval_xl.addin.xlam.build import build_xlam, repo_root

    if args.acmd == "build":
        out = build_xlam(args.output or repo_root() / "addin" / "selfeval.xlam")
        print(f"已生成：{out}")
        return EXIT_OK
    if args.acmd == "doctor":
        from selfeval_xl.addin.doctor import doctor

        text, code = doctor()
        print(text)
        return code
    from selfeval_xl.addin.install import install

    print(install(args.xlam))
    return EXIT_OK
