"""`selfeval-xl` command line. Exit codes: see selfeval_xl.errors and docs/cli.md."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from selfeval_xl import __version__
from selfeval_xl.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, SelfevalError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, with argument errors raised as UsageError (exit 64, one line) instead of exit 2."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}：{message}（用 -h 查看用法）")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="selfeval-xl", description="预算绩效自评：模板、校验、计分、导出、发送")
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

    ml = sub.add_parser("mail", help="把评分表工作簿发给财政局（SMTP、.eml 或 Outlook）",
                        description="密码只从环境变量 SELFEVAL_SMTP_PASSWORD、系统 keyring 或终端输入读取，绝不从命令行参数读取。")
    ml.add_argument("file")
    ml.add_argument("--to", action="append", default=[], metavar="ADDR", required=True, help="收件人（可重复）")
    ml.add_argument("--cc", action="append", default=[], metavar="ADDR", help="抄送（可重复）")
    ml.add_argument("--subject", help="主题（默认“{单位名称}{年度}年度绩效自评评分表”）")
    ml.add_argument("--body", help="正文（默认写明总分、等级和待处理问题数）")
    ml.add_argument("--from", dest="sender", metavar="ADDR", help="发件人（默认为 --user）")
    how = ml.add_mutually_exclusive_group(required=True)
    how.add_argument("--smtp", metavar="HOST:PORT", help="通过 SMTP 服务器发送")
    how.add_argument("--eml", metavar="OUT.eml", help="保存为 .eml 文件，用邮件程序打开后发送")
    how.add_argument("--outlook", action="store_true", help="在 Outlook 中打开草稿（仅 Windows）")
    tls = ml.add_mutually_exclusive_group()
    tls.add_argument("--ssl", action="store_true", help="SSL/TLS 连接（通常端口 465）")
    tls.add_argument("--starttls", action="store_true", help="STARTTLS（通常端口 587）")
    ml.add_argument("--user", help="SMTP 登录名")
    ml.add_argument("--cafile", help="信任的 CA 证书（内网邮件服务器用自签证书时）")
    ml.add_argument("--force", action="store_true", help="覆盖已存在的 .eml")

    a = sub.add_parser("addin", help="Excel 加载项（绩效自评 选项卡）")
    asub = a.add_subparsers(dest="acmd", required=True)
    ab = asub.add_parser("build", help="生成 selfeval.xlam（任何系统均可，无需 Excel）")
    ab.add_argument("-o", "--output", default=None, help="输出文件（默认 addin/selfeval.xlam）")
    ai = asub.add_parser("install", help="把 selfeval.xlam 安装到 Excel（Windows / macOS）")
    ai.add_argument("--xlam", default=None, help="要安装的 .xlam（默认 addin/selfeval.xlam）")

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
    command = "selfeval-xl"
    try:
        args = _parser().parse_args(argv)
        command = args.cmd
        return globals()[f"cmd_{args.cmd}"](args)
    except SelfevalError as e:
        import logging

        logging.getLogger("selfeval_xl").info("%s: exit %d: %s", command, e.exit_code, e.message)  # file log only
        print(f"selfeval-xl: {e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # never a traceback for the user; the whole of it goes to the log file
        from selfeval_xl.logs import log_internal_error

        where = log_internal_error(command)
        log = f"详情已写入日志 {where}" if where else "日志文件无法写入"
        print(f"selfeval-xl: 内部错误（{type(e).__name__}），{log}，请将日志与文件一并反馈", file=sys.stderr)
        return EXIT_INTERNAL


def _exit(findings) -> int:
    from selfeval_xl.rules.finding import has_errors

    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _print_findings(findings) -> None:
    for f in findings:
        print(f"[{f.severity.zh}] {f.rule:<12} {f.message}")


def cmd_validate(args) -> int:
    from selfeval_xl.app.jsonout import validation_json
    from selfeval_xl.app.runtime import keep_until_exit
    from selfeval_xl.app.validate import validate

    checked = validate(args.file, args.threshold / 100)
    keep_until_exit()
    if args.annotate:
        from selfeval_xl.app.annotate import annotate_file

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
    from selfeval_xl.app.jsonout import score_json
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate
    from selfeval_xl.core.money import fmt_score

    checked = validate(args.file)
    result = score(checked, args.system)
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
    from selfeval_xl.app.export import export_file

    out = export_file(args.file, args.output, args.system, force=args.force)
    print(f"已导出：{out}")
    return EXIT_OK


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
    from selfeval_xl.addin.install import install

    print(install(args.xlam))
    return EXIT_OK
