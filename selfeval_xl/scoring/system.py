"""Indicator systems as data: a tree of 一级/二级/三级 indicators with 分值, texts, a
method per leaf, and grade thresholds. Loaded from YAML presets or from a workbook's
评分表 sheet (the live configuration)."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

from selfeval_xl.core.money import fmt_score
from selfeval_xl.core.numbers import parse_number
from selfeval_xl.core.record import field, record
from selfeval_xl.errors import ConfigError
from selfeval_xl.scoring.spec import Spec, parse_spec

NATIONAL_GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
PRESETS = ("national-project", "futian-dept-2020", "pingshan-project-2021")
MAX_SYSTEM_BYTES = 1_000_000


@record
class Indicator:
    name: str
    points: Decimal
    children: list["Indicator"] = field(default_factory=list)
    explanation: str = ""
    criteria: str = ""
    method: str = ""
    assumption: str = ""
    row: int | None = None  # sheet row when read from a 评分表
    stated: bool = True  # False when the sheet gives no 分值 for this level (then it is the sum of its children)

    @property
    def leaf(self) -> bool:
        return not self.children

    def spec(self) -> Spec:
        return parse_spec(self.method or f"手工(分={self.points})")


@record
class System:
    id: str
    title: str
    kind: str
    roots: list[Indicator]
    grades: tuple[tuple[Decimal, str], ...] = NATIONAL_GRADES
    dynamic: dict | None = None  # national-project: weights of rows read from the project table

    def leaves(self) -> list[tuple[list[str], Indicator]]:
        out = []

        def walk(node, path):
            p = path + [node.name]
            if node.leaf:
                out.append((p, node))
            for c in node.children:
                walk(c, p)

        for r in self.roots:
            walk(r, [])
        return out

    def grade(self, total: Decimal) -> str:
        for threshold, name in self.grades:
            if total >= threshold:
                return name
        return self.grades[-1][1]


def _dec(v, where: str) -> Decimal:
    p = parse_number(v)
    if p.kind != "number":
        raise ConfigError(f"指标体系中“{where}”的分值“{v}”不是数字，请改正")
    return p.value


def _node(d: dict, where: str) -> Indicator:
    if not isinstance(d, dict) or "name" not in d:
        raise ConfigError(f"指标体系 {where} 缺少 name")
    return Indicator(
        name=str(d["name"]),
        points=_dec(d.get("points", 0), d["name"]),
        children=[_node(c, f"{where}/{d['name']}") for c in d.get("children", []) or []],
        explanation=str(d.get("explanation", "") or ""),
        criteria=str(d.get("criteria", "") or ""),
        method=str(d.get("method", "") or ""),
        assumption=str(d.get("assumption", "") or ""),
    )


def parse_grades(items) -> tuple[tuple[Decimal, str], ...]:
    if not items:
        return NATIONAL_GRADES
    out = sorted(((_dec(t, "grades"), str(n)) for t, n in items), reverse=True)
    return tuple(out)


def from_dict(d: dict) -> System:
    if not isinstance(d, dict) or "indicators" not in d and "dynamic" not in d:
        raise ConfigError("指标体系文件缺少 indicators，请参照 docs/scoring.md 的格式")
    return System(
        id=str(d.get("id", "custom")),
        title=str(d.get("title", "")),
        kind=str(d.get("kind", "dept")),
        roots=[_node(x, "indicators") for x in d.get("indicators", []) or []],
        grades=parse_grades(d.get("grades")),
        dynamic=d.get("dynamic"),
    )


def _plain(d: Decimal) -> int | float:
    """A figure for YAML: an integer when whole, else a float (分值 have few decimals, so this is exact)."""
    return int(d) if d == d.to_integral_value() else float(d)


def _node_dict(n: Indicator) -> dict:
    out: dict = {"name": n.name, "points": _plain(n.points)}
    for key in ("explanation", "criteria", "method", "assumption"):
        if getattr(n, key):
            out[key] = getattr(n, key)
    if n.children:
        out["children"] = [_node_dict(c) for c in n.children]
    return out


def to_dict(system: System) -> dict:
    """The system as the YAML presets write it (from_dict(to_dict(s)) == s)."""
    out: dict = {"id": system.id, "title": system.title, "kind": system.kind,
                 "grades": [[_plain(t), name] for t, name in system.grades]}
    if system.dynamic is not None:
        out["dynamic"] = system.dynamic
    out["indicators"] = [_node_dict(r) for r in system.roots]
    return out


def load_system(name_or_path: str) -> System:
    """A preset by name, or a YAML file by path."""
    import yaml  # deferred: only commands that load a system pay for it

    if name_or_path in PRESETS:
        text = resources.files("selfeval_xl.scoring.presets").joinpath(f"{name_or_path}.yaml").read_text("utf-8")
    else:
        p = Path(name_or_path)
        if not p.is_file():
            raise ConfigError(f"找不到指标体系“{name_or_path}”；可用预设：{'、'.join(PRESETS)}，或给出 YAML 文件路径")
        if p.stat().st_size > MAX_SYSTEM_BYTES:
            raise ConfigError(f"指标体系文件 {p.name} 超过 1 MB，请检查是否选错文件")
        text = p.read_text("utf-8")
    try:
        # libyaml's loader when PyYAML has it (the PyPI wheels do): ~10x faster than the pure-Python one
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as e:
        raise ConfigError(f"指标体系文件不是有效的 YAML：{str(e).splitlines()[0]}") from None
    return from_dict(data)


def check_structure(system: System) -> list[tuple[str, dict]]:
    """Children's 分值 add up to the parent's, and the total is 100: (rule id, parameters) per problem."""
    problems = []

    def walk(node: Indicator, path: str):
        if node.children:
            s = sum((c.points for c in node.children), Decimal(0))
            if node.stated and s != node.points:
                problems.append(("S-STRUCT", {"path": f"{path}{node.name}", "points": fmt_score(node.points),
                                              "children": fmt_score(s)}))
            for c in node.children:
                walk(c, f"{path}{node.name}/")

    for r in system.roots:
        walk(r, "")
    if system.roots and not system.dynamic and all(r.stated for r in system.roots):
        total = sum((r.points for r in system.roots), Decimal(0))
        if total != 100:
            problems.append(("S-TOTAL100", {"total": fmt_score(total)}))
    return problems
