"""argparse in Chinese: its own texts (usage, section titles, the -h help, every argument error) translated,
and the parsers of user values (`--threshold`).

argparse looks its texts up through the module-level `gettext` functions it imported (`argparse._`,
`argparse.ngettext`); `chinese()` points them at this table while the command line is built and parsed, and
puts them back afterwards. A text missing from the table (a newer Python's wording) stays English rather
than failing."""

from __future__ import annotations

import argparse
import unicodedata
from contextlib import contextmanager
from decimal import Decimal

ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项 %s",
    "invalid %(type)s value: %(value)r": "值 %(value)r 无效",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知命令 %(parser_name)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def _gettext(message: str) -> str:
    return ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextmanager
def chinese():
    """argparse speaks Chinese inside this block (building parsers, parsing, printing help)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class Formatter(argparse.HelpFormatter):
    """Help text wrapped wider than argparse's default: Chinese lines are dense, and 24 columns of option
    names leave little room for them."""

    def __init__(self, prog: str):
        super().__init__(prog, max_help_position=30, width=100)

    def _format_action(self, action) -> str:
        # argparse pads by len(); a Chinese metavar is two columns wide per character on a terminal, so take
        # that many spaces back out of the padding that follows it.
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        extra = width(invocation) - len(invocation)
        head = " " * self._current_indent + invocation
        if extra and text.startswith(head + " " * (extra + 2)):
            text = head + text[len(head) + extra:]
        return text


def width(text: str) -> int:
    """Columns a text takes on a terminal: two for each Chinese (wide) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    """text padded with spaces to columns terminal columns (on the left when right-aligned)."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def threshold(text: str) -> Decimal:
    """`--threshold`: a percentage as people write it — 90, 90% or 0.9 all mean 90% — returned in percent
    (core.numbers.parse_percent)."""
    from selfeval_xl.core.numbers import parse_percent

    value = parse_percent(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的百分数，应为 0–100 之间，如 90、90% 或 0.9")
    return value
