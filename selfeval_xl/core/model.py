"""The model read from a workbook: 表5 rows, 绩效目标 rows, the project table, the 评分表, and the
labelled scalars. Standard library only: the forms build it, the rules and the scoring read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.numbers import Parsed

_ZERO = Decimal(0)


@dataclass(slots=True)
class Cell:
    """A parsed numeric cell with its address."""

    addr: CellAddress
    parsed: Parsed
    text: object = None  # the raw value, kept for labelled text fields (基本信息)
    formula: str | None = None  # "=…" when the cell holds a formula (its parsed value is the cached result)

    @property
    def value(self) -> Decimal:
        v = self.parsed.value
        return _ZERO if v is None else v


BUDGET_FIELDS = ("budget", "carry", "added", "adjust", "total", "spent", "remaining", "rate")
BUDGET_FIELD_ZH = {
    "category": "分类",
    "item": "预算项目",
    "budget": "部门预算指标",
    "carry": "上年/历年结转",
    "added": "追加指标",
    "adjust": "调整指标",
    "total": "年度总指标",
    "spent": "支出数",
    "remaining": "剩余指标",
    "rate": "执行进度",
    "reason": "执行率差额原因",
}


@dataclass
class BudgetRow:
    """A row of 表5. kind: detail, child (其中), subtotal (小计) or grand (总计/合计)."""

    row: int  # 1-based sheet row
    label: str
    kind: str
    category: str
    cells: dict[str, Cell]
    reason: str = ""
    reason_addr: CellAddress | None = None
    parent: int | None = None  # sheet row of the parent, for children
    explicit_child: bool = False

    def __post_init__(self) -> None:
        # Rules ask for these figures ~30 times per row; resolve them once.
        self._values, self._unreadable = {}, set()
        for f, c in self.cells.items():
            p = c.parsed
            self._values[f] = _ZERO if p.value is None else p.value
            if p.kind != "number" and p.kind != "blank":
                self._unreadable.add(f)

    def readable(self, *fields: str) -> bool:
        """True when every named figure is present and is a number or blank (not text, not an error)."""
        return all(f in self._values for f in fields) and self._unreadable.isdisjoint(fields)

    def get(self, name: str) -> Decimal:
        return self._values.get(name, _ZERO)

    @property
    def rate(self) -> Decimal | None:
        """The computed 执行进度 (支出/总指标), None when the total is 0."""
        total = self.get("total")
        return None if total == 0 else self.get("spent") / total


def budget_blocks(rows: list[BudgetRow]) -> list[tuple[list[BudgetRow], BudgetRow | None]]:
    """表5 rows split at each 小计: (the block's detail and child rows, its 小计 row). Rows after the last
    小计 and before 总计 form a block with None; 总计 itself belongs to no block."""
    out, cur = [], []
    for row in rows:
        if row.kind == "subtotal":
            out.append((cur, row))
            cur = []
        elif row.kind == "grand":
            if cur:
                out.append((cur, None))
            cur = []
        else:
            cur.append(row)
    if cur:
        out.append((cur, None))
    return out


@dataclass
class BudgetTable:
    sheet: str
    unit: str
    header_row: int
    columns: dict[str, int]  # field -> 1-based column
    rows: list[BudgetRow]

    def grand(self) -> BudgetRow | None:
        return next((r for r in self.rows if r.kind == "grand"), None)


@dataclass
class GoalRow:
    row: int
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    note: str
    addr: dict[str, CellAddress]


@dataclass
class GoalTable:
    sheet: str
    rows: list[GoalRow]


@dataclass
class FundRow:
    """A 项目资金 row: 年度资金总额 / 本年财政拨款 / 上年结转资金 / 其他资金."""

    row: int
    label: str
    cells: dict[str, Cell]  # plan (年初预算数 A?), budget (全年预算数 A), spent (全年执行数 B), points, rate, score


@dataclass
class IndicatorRow:
    """A 绩效指标 row of the 项目支出绩效自评表."""

    row: int
    level1: str
    level2: str
    level3: str
    nature: str
    target: str
    unit: str
    actual: str
    points: Cell | None
    score: Cell | None
    manual: Cell | None
    reason: str
    addr: dict[str, CellAddress]


@dataclass
class ProjectTable:
    sheet: str
    header: dict[str, str]
    funds: list[FundRow]
    indicators: list[IndicatorRow]
    total_score: Cell | None = None
    grade_addr: CellAddress | None = None
    fund_columns: dict[str, int] = field(default_factory=dict)


@dataclass
class ScorecardRow:
    """One scored row of a 评分表: its indicator path (一级, 二级, 三级 as present), the 分值 of each level on
    the path, its texts, its 计分方法 and where the user's and the computed scores live."""

    path: tuple[str, ...]
    points: tuple[Decimal, ...]  # aligned with path
    row: int  # 1-based sheet row
    explanation: str = ""
    criteria: str = ""
    method: str = ""  # 计分方法 text
    manual: Cell | None = None  # 手工得分, when the sheet has that column and the cell holds a number
    score: CellAddress | None = None  # 自评得分
    explain: CellAddress | None = None  # 计算过程


@dataclass
class ScorecardTable:
    """A 评分表 sheet: its scored rows, its 合计 and 评价等级 cells, and cells it could not read."""

    sheet: str
    header_row: int
    rows: list[ScorecardRow]
    total: CellAddress | None = None
    grade: CellAddress | None = None
    problems: list[tuple[CellAddress, str]] = field(default_factory=list)  # (cell, what is wrong)


@dataclass(frozen=True)
class FormMatch:
    """A form of the catalogue recognised in the workbook: which, on which sheet, its header row (1-based)."""

    form: str  # the catalogue id, e.g. national-project, anhui-dept, budget5
    name: str  # its Chinese name, e.g. 项目支出绩效自评表
    sheet: str
    header_row: int


@dataclass
class Workbook:
    """Everything read from one workbook."""

    path: str
    kind: str  # dept, project or unknown
    forms: list[FormMatch] = field(default_factory=list)
    info: dict[str, object] = field(default_factory=dict)
    budget: BudgetTable | None = None
    goals: GoalTable | None = None
    project: ProjectTable | None = None
    basic: dict[str, Cell] = field(default_factory=dict)  # 基础数据 by defined name
    scorecard: ScorecardTable | None = None
    stamp: dict[str, str] = field(default_factory=dict)
