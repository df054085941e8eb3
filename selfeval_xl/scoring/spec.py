"""Parse a 计分方法 text such as `比率(实际=ProcActual, 计划=ProcPlan, 分=1) + 手工(分=1, 名称=政策功能)`.

A tiny tokenizer, never eval: the grammar is
    spec  := part ('+' part)*
    part  := METHOD ['(' arg (',' arg)* ')']
    arg   := KEY '=' VALUE           VALUE is a number, a 100%-style percent, a defined name,
                                      a '|'-list, or free text (名称)
"""

from __future__ import annotations

import re
import unicodedata

from selfeval_xl.core.record import field, record
from selfeval_xl.errors import ConfigError


@record(frozen=True)
class Part:
    method: str
    args: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        inner = ", ".join(f"{k}={v}" for k, v in self.args.items())
        return f"{self.method}({inner})" if inner else self.method


@record(frozen=True)
class Spec:
    parts: tuple[Part, ...]

    def text(self) -> str:
        return " + ".join(p.text() for p in self.parts)


_PART = re.compile(r"^\s*([^\s(（)）=,，+]+)\s*(?:[(（](.*)[)）])?\s*$", re.S)


def _split_top(text: str, sep: str) -> list[str]:
    """Split on sep outside parentheses."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def parse_spec(text: str) -> Spec:
    """Parse a method text; raise ConfigError with a Chinese message on bad syntax."""
    if text is None or not str(text).strip():
        raise ConfigError("计分方法为空，请填写，例如 手工(分=5)")
    norm = unicodedata.normalize("NFKC", str(text)).replace("，", ",")
    parts = []
    for chunk in _split_top(norm, "+"):
        m = _PART.match(chunk)
        if not m:
            raise ConfigError(f"计分方法“{text}”无法识别，格式应为 方法名(参数=值, …)")
        name, inner = m.group(1), m.group(2)
        args: dict[str, str] = {}
        if inner and inner.strip():
            for a in _split_top(inner, ","):
                if "=" not in a:
                    raise ConfigError(f"计分方法“{text}”的参数“{a.strip()}”缺少“=”，应写成 键=值")
                k, v = a.split("=", 1)
                k, v = k.strip(), v.strip()
                if not k or k in args:
                    raise ConfigError(f"计分方法“{text}”的参数名“{k}”为空或重复")
                args[k] = v
        parts.append(Part(name.strip(), args))
    return Spec(tuple(parts))
