"""The model read from a workbook: 表5 rows, 绩效目标 rows, the project table, the 评分表, and the
labelled scalars. Standard library only: the forms build it, the rules and the scoring read it."""

from __future__ import annotations

from decimal import Decimal

from selfeval_xl.core.address import CellAddress
from selfeval_xl.core.numbers import Parsed
from selfeval_xl.core.record import field, record

_ZERO = Decimal(0)


@record(slots=True)
class Cell:
    """A parsed numeric cell with its address."""

    addr: CellAddress
    parsed: Parsed
    text: object = None  # the raw value, kept for labelled text fields (基本信息)
    formula: str | None = None  # "=…" when the cell holds a formula (its parsed value is the cached result)
    places: int | None = None  # the decimals a percent-formatted cell shows

    @property
    def value(self) -> Decimal:
        v = self.parsed.value
        return _ZERO if v is None else v


_NOT_APPLICABLE = frozenset({"-", "—", "–", "/", "／", "——", "--"})


def figure(cell: Cell | None) -> Decimal | None:
    """The number a cell shows; None when it is blank, text, an error, or "-" / "/" for not applicable."""
    if cell is None or cell.parsed.kind != "number" or cell.parsed.raw in (None, ""):
        return None
    if isinstance(cell.parsed.raw, str) and cell.parsed.raw.strip() in _NOT_APPLICABLE:
        return None
    return cell.parsed.value


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


@record
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
    explicit_child: bool = False  # marked 其中 (label, 行类型 column) or indented
    indented_only: bool = False  # marked by indentation alone: a weaker mark the 小计 may overrule
    kind_text: str | None = None  # the 行类型 cell as typed (None: the table has no such column)

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


class BudgetTable:
    """表5 kept as columns (issue 16: a 20,000-row table is read and checked without an object per cell).

    num[field][i] is row i's figure as a float in the table's unit (None: blank or not a number), the rate as a
    fraction; odd[field] holds the Parsed of every cell that is not a plain stored number (text, text that reads
    as a number, errors, a rate typed as percentage points). value(i, field) is the exact Decimal the rules report;
    rows gives BudgetRow views, built on first use, for the code that works row by row."""

    def __init__(self, sheet: str, unit: str, header_row: int, columns: dict[str, int]):
        self.sheet, self.unit, self.header_row, self.columns = sheet, unit, header_row, columns
        self.row: list[int] = []  # 1-based sheet row of each table row
        self.label: list[str] = []
        self.category: list[str] = []
        self.kind: list[str] = []  # detail, child, subtotal, grand
        self.parent: list[int | None] = []  # sheet row of a child's parent
        self.reason: list[str] = []
        self.explicit: list[bool] = []  # marked 其中 (label, 行类型 column) or indented
        self.indented_only: list[bool] = []  # marked by indentation alone
        self.kind_text: list[str | None] = []  # the 行类型 cell as typed (None: no such column)
        self.fields = [f for f in BUDGET_FIELDS if f in columns]
        self.num: dict[str, list[float | None]] = {f: [] for f in self.fields}
        self.odd: dict[str, dict[int, Parsed]] = {f: {} for f in self.fields}
        self.formulas: dict[tuple[int, str], str] = {}
        self.places: dict[tuple[int, str], int] = {}
        self._decimals: dict[float, Decimal] = {}
        self._unreadable: dict[str, set[int]] = {}
        self._floats: dict[str, list[float]] = {}
        self._groups: list[tuple[int, list[int]]] | None = None
        self._rows: list[BudgetRow] | None = None

    @property
    def n(self) -> int:
        return len(self.row)

    def addr(self, i: int, f: str) -> CellAddress:
        return CellAddress(self.sheet, self.row[i], self.columns[f])

    def parsed(self, i: int, f: str) -> Parsed:
        """Row i's cell of field f, classified."""
        p = self.odd[f].get(i)
        if p is not None:
            return p
        v = self.num[f][i]
        return Parsed("blank", _ZERO, None) if v is None else Parsed("number", self.decimal(v), v)

    def decimal(self, v: float) -> Decimal:
        d = self._decimals.get(v)
        if d is None:
            from selfeval_xl.core.numbers import to_decimal

            d = self._decimals[v] = to_decimal(v)
        return d

    def value(self, i: int, f: str) -> Decimal:
        """The figure the rules report (0 for a blank, text or missing cell), exact."""
        if f not in self.num:
            return _ZERO
        p = self.odd[f].get(i)
        if p is not None:
            return _ZERO if p.value is None else p.value
        v = self.num[f][i]
        return _ZERO if v is None else self.decimal(v)

    def floats(self, f: str) -> list[float]:
        """Column f as floats with 0.0 for a blank or unreadable cell, the way the checks' float pre-tests add it
        (made once per field)."""
        col = self._floats.get(f)
        if col is None:
            col = self._floats[f] = [0.0 if v is None else v for v in self.num[f]]
        return col

    def unreadable(self, f: str) -> set[int]:
        """Rows whose cell of field f is text that is not a number, an error or out of range (once per field)."""
        bad = self._unreadable.get(f)
        if bad is None:
            bad = self._unreadable[f] = {i for i, p in self.odd[f].items() if p.kind != "number" and p.kind != "blank"}
        return bad

    def readable(self, i: int, *fields: str) -> bool:
        """True when every named figure's column is present and row i holds a number or a blank there."""
        return all(f in self.num and i not in self.unreadable(f) for f in fields)

    def cell(self, i: int, f: str) -> Cell | None:
        if f not in self.num:
            return None
        return Cell(self.addr(i, f), self.parsed(i, f), None, self.formulas.get((i, f)), self.places.get((i, f)))

    def rate(self, i: int) -> Decimal | None:
        """The computed 执行进度 (支出 ÷ 总指标) of row i, None when the total is 0."""
        total = self.value(i, "total")
        return None if total == 0 else self.value(i, "spent") / total

    def reason_addr(self, i: int) -> CellAddress | None:
        return CellAddress(self.sheet, self.row[i], self.columns["reason"]) if "reason" in self.columns else None

    def view(self, i: int) -> "BudgetRow":
        cells = {f: self.cell(i, f) for f in self.fields}
        return BudgetRow(self.row[i], self.label[i], self.kind[i], self.category[i], cells, self.reason[i],
                         self.reason_addr(i), self.parent[i], self.explicit[i], self.indented_only[i],
                         self.kind_text[i])

    @property
    def rows(self) -> list["BudgetRow"]:
        """Every row as a BudgetRow (built once, on first use)."""
        if self._rows is None:
            self._rows = [self.view(i) for i in range(self.n)]
        return self._rows

    def child_groups(self) -> list[tuple[int, list[int]]]:
        """(parent, its 其中 rows) per group as row indices, in the order of the groups' first rows (made once, after
        reading has decided every row's kind)."""
        if self._groups is None:
            index = {row: i for i, row in enumerate(self.row)}
            groups: dict[int, list[int]] = {}
            for i, k in enumerate(self.kind):
                if k == "child" and self.parent[i]:
                    groups.setdefault(self.parent[i], []).append(i)
            self._groups = [(index[parent_row], kids) for parent_row, kids in groups.items()]
        return self._groups

    def grand_index(self) -> int | None:
        """The index of the 总计 row, or None."""
        return next((i for i, k in enumerate(self.kind) if k == "grand"), None)

    def grand(self) -> "BudgetRow | None":
        i = self.grand_index()
        return None if i is None else (self._rows[i] if self._rows is not None else self.view(i))

    def blocks(self) -> list[tuple[list[int], int | None]]:
        """Row indices split at each 小计: (the block's detail and child rows, its 小计). Rows after the last 小计
        and before 总计 form a block with None; 总计 itself belongs to no block."""
        out, cur = [], []
        for i, k in enumerate(self.kind):
            if k == "subtotal":
                out.append((cur, i))
                cur = []
            elif k == "grand":
                if cur:
                    out.append((cur, None))
                cur = []
            else:
                cur.append(i)
        if cur:
            out.append((cur, None))
        return out


@record
class GoalRow:
    row: int
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    note: str
    addr: dict[str, CellAddress]


@record
class GoalTable:
    sheet: str
    rows: list[GoalRow]


@record
class FundRow:
    """A row of a form's funds block: 年度资金总额 / 其中：本年财政拨款 / 上年结转资金 / 财政专户管理资金 / 单位资金 /
    其他资金. key names which (total, fiscal, carry, special, unit, other, part); cells by column: plan (年初预算数),
    budget (A: 全年预算数 / 调整后预算数), spent (B: 全年执行数), rate, points (分值 / 权重), score (得分); Fujian's
    资金结构 block adds carry_in (历年结余结转), adjust (年中调整金额), remaining (本年度结余金额) and remaining_rate
    (资金结余率), its budget being their 小计."""

    row: int
    label: str
    cells: dict[str, Cell]
    key: str = "total"
    reason: str = ""  # 原因 (a form that asks why a rate is low)
    reason_addr: CellAddress | None = None
    group: int | None = None  # a part's 小计 row (①项目支出 under 财政资金小计), as a sheet row


@record
class IndicatorRow:
    """A 绩效指标 row of a form: its names, what was planned and done as written, the 分值 and the unit's 得分."""

    row: int
    level1: str
    level2: str
    level3: str
    nature: str
    target: object  # as written: text, or a number
    unit: str
    actual: object
    points: Cell | None
    score: Cell | None  # the unit's own 得分
    manual: Cell | None  # our template's 定性得分 input
    reason: str
    addr: dict[str, CellAddress]
    adjusted: object = ""  # 调整指标值, where the form has one (it then replaces the target)
    coef: Cell | None = None  # 得分系数 (%), where the form scores by coefficient × 权重
    core: str = ""  # 是否核心指标

    @property
    def name(self) -> str:
        """What a message calls the row: its 三级指标, else the nearest level above, else its row."""
        return self.level3 or self.level2 or self.level1 or f"第 {self.row} 行的指标"

    @property
    def goal(self) -> object:
        """The target in force: the adjusted one when given."""
        return self.adjusted if self.adjusted not in (None, "") else self.target


@record
class Breakdown:
    """The funds split by 收入性质 or 支出性质 below 年度资金总额, each amount typed inside its label (Hunan's form:
    “按支出性质分:1925.67” / “其中:基本支出:900.47” / “项目支出:1025.20”): the stated total, if any, and the parts."""

    name: str  # 按收入性质分 or 按支出性质分
    addr: CellAddress
    total: Decimal | None
    parts: list[tuple[str, Decimal, CellAddress]]


@record(frozen=True)
class DeclaredPoints:
    """A label that states its points, such as 产出指标（50分） or 年度绩效目标（80分）: the rows it covers."""

    label: str
    points: Decimal
    addr: CellAddress
    rows: tuple[int, ...]  # sheet rows of the indicators under it


@record
class ProjectTable:
    """A performance self-evaluation form: header lines, the funds block (预算执行), the goal texts, the 绩效指标
    rows and the 总分. The national 项目支出绩效自评表 and its provincial variants, the department forms of Anhui
    and Chongqing and Sichuan's project form all read into this."""

    sheet: str
    header: dict[str, str]
    funds: list[FundRow]
    indicators: list[IndicatorRow]
    total_score: Cell | None = None  # the 总分 the unit filled
    grade_addr: CellAddress | None = None
    fund_columns: dict[str, int] = field(default_factory=dict)  # 1-based
    form: str = "national-project"
    funds_points: Decimal | None = None  # the points of 预算执行 stated by the block (10, 20), if any
    funds_scored: bool = True  # False for a block that only states the funds (neither a 分值 nor a 得分 column)
    breakdowns: list[Breakdown] = field(default_factory=list)  # 按收入性质分 / 按支出性质分
    funds_label: CellAddress | None = None
    amount_unit: str = "万元"
    goal: str = ""
    goal_actual: str = ""
    goal_addr: CellAddress | None = None
    declared: list[DeclaredPoints] = field(default_factory=list)
    total_points: Cell | None = None  # the 分值 total on the 总分 row
    grade: str = ""  # the 评价等级 the unit wrote
    header_row: int = 0  # the indicator header row (1-based)
    indicator_columns: dict[str, int] = field(default_factory=dict)  # 1-based

    def fund(self, key: str = "total") -> FundRow | None:
        return next((f for f in self.funds if f.key == key), None)


@record
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
    own: Cell | None = None  # the 自评得分 as the unit filled it (a number, or a formula's cached result)
    declared: tuple[Decimal | None, ...] = ()  # points written into the names, such as 部门决策(25分), per level
    points_at: tuple[CellAddress | None, ...] = ()  # where each level's 分值 is shown (its 分值 cell, or its name)


@record
class ScorecardTable:
    """A 评分表 sheet: its scored rows, its 合计 and 评价等级 cells, and cells it could not read."""

    sheet: str
    header_row: int
    rows: list[ScorecardRow]
    total: CellAddress | None = None
    grade: CellAddress | None = None
    problems: list[tuple[CellAddress, str]] = field(default_factory=list)  # (cell, what is wrong)
    own_total: Cell | None = None  # the 合计 as the unit filled it
    grade_text: str = ""  # the 评价等级 as written
    has_methods: bool = True  # False for a standalone 评分表 (no 计分方法 column): the unit's scores are the input


@record(frozen=True)
class FormMatch:
    """A form of the catalogue recognised in the workbook: which, on which sheet, its header row (1-based)."""

    form: str  # the catalogue id, e.g. national-project, anhui-dept, budget5
    name: str  # its Chinese name, e.g. 项目支出绩效自评表
    sheet: str
    header_row: int


@record
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
    recalculated: int = 0  # formula cells saved without results, computed by the formula engine
