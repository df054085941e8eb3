"""The rule registry: every rule declared as data (id, severity, table, message template, source), every
check registered by rule id. All failures are collected, then reported together (pandera's way)."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterator

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.model import Workbook
from selfeval_xl.core.record import record
from selfeval_xl.rules.finding import Finding
from selfeval_xl.rules.severity import Severity

DEFAULT_THRESHOLD = Decimal("0.90")
TEMPLATES = ("selfeval-xl/dept", "selfeval-xl/project")  # the stamps of our blank templates (writers/templates.py)


@record(frozen=True)
class Rule:
    id: str
    severity: Severity
    table: str  # 表5, 绩效目标, 项目自评表, 评分表 (scoring), 基础数据, 模板 (a workbook made from our template)
    template: str  # Chinese; filled with the check's parameters
    source: str = ""  # where the rule comes from (a document, a form's own instruction, arithmetic)


RULES: dict[str, Rule] = {}
Hit = tuple[CellAddress, dict]
CHECKS: dict[str, Callable[..., Iterator[Hit]]] = {}
# The modules of checks, in the order their findings are listed when they fall on the same cell; each is imported
# only when a table it checks is present, so a 表5 alone does not pay for the forms' rules.
MODULES = ("typed", "budget", "forms", "goals", "limits", "project", "scorecard")
BY_TABLE = {"表5": ("typed", "budget", "limits"), "绩效目标": ("goals",),
            "项目自评表": ("typed", "forms", "limits", "project"), "评分表": ("limits", "scorecard", "typed"),
            "基础数据": ("typed",), "模板": ("typed",)}


def load(tables=None) -> None:
    """Import (so register) the check modules for these tables, every module when tables is None."""
    import importlib

    wanted = set(MODULES) | {"scoring"} if tables is None else {m for t in tables for m in BY_TABLE.get(t, ())}
    for m in MODULES + ("scoring",):
        if m in wanted:
            importlib.import_module(f"selfeval_xl.rules.{m}")


def all_rules() -> dict[str, Rule]:
    """Every declared rule (every module loaded)."""
    load()
    return RULES


def declare(*rules: Rule) -> None:
    """Add rules to the registry; an id may be declared once."""
    for r in rules:
        if r.id in RULES:
            raise ValueError(f"rule {r.id} declared twice")
        RULES[r.id] = r


def check(rule_id: str):
    """Register the check function of a declared rule."""
    def deco(fn):
        if rule_id not in RULES:
            raise ValueError(f"rule {rule_id} is not declared")
        CHECKS[rule_id] = fn
        return fn
    return deco


def finding(rule_id: str, addr: CellAddress, params: dict) -> Finding:
    """The finding of a declared rule at addr, its message filled from the rule's template."""
    r = RULES.get(rule_id) or all_rules()[rule_id]
    return Finding(r.severity, r.id, addr, f"{addr} " + r.template.format(**params))


def checked_tables(wb: Workbook) -> dict[str, object]:
    """What each rule table names in this workbook (None where the workbook has no such table)."""
    template = wb.stamp.get("template", "") in TEMPLATES
    return {"表5": wb.budget, "绩效目标": wb.goals, "项目自评表": wb.project, "评分表": wb.scorecard,
            "基础数据": wb if wb.basic else None, "模板": wb if template else None}


def rule_ran(rule_id: str, wb: Workbook) -> bool:
    """True when run_rules checks this rule on this workbook (its table is present)."""
    r = all_rules().get(rule_id)
    return r is not None and checked_tables(wb).get(r.table) is not None


def run_rules(wb: Workbook, threshold: Decimal = DEFAULT_THRESHOLD, rules: dict | None = None) -> list[Finding]:
    """Every registered check against every table present; all failures collected, sorted by severity and cell.
    rules overrides fields of the forms' scoring rule sets (--rules)."""
    out: list[Finding] = []
    ctx = {"threshold": threshold, "rules": rules or {}}
    tables = checked_tables(wb)
    load([name for name, t in tables.items() if t is not None])
    rank = {f"selfeval_xl.rules.{m}": k for k, m in enumerate(MODULES)}
    ordered = sorted(enumerate(CHECKS.items()), key=lambda e: (rank.get(e[1][1].__module__, len(rank)), e[0]))
    for _, (rule_id, fn) in ordered:
        t = tables.get(RULES[rule_id].table)
        if t is None:
            continue
        for addr, params in fn(t, ctx):
            out.append(finding(rule_id, addr, params))
    out.sort(key=Finding.sort_key)
    return out
