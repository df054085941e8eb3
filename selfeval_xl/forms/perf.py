"""The performance self-evaluation forms of the catalogue (the national 项目支出绩效自评表 and its variants, the
Anhui, Sichuan and Chongqing forms), read from a unit's own sheet: title and header lines, the funds block under
its header row, the goal texts, the 绩效指标 rows under a one- or two-row header, and the 总分 / 合计 row."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from selfeval_xl.core.model import Breakdown, Cell, DeclaredPoints, FundRow, IndicatorRow, ProjectTable
from selfeval_xl.core.numbers import Parsed, convert_unit, parse_number
from selfeval_xl.core.record import field, record
from selfeval_xl.forms import catalogue as cat
from selfeval_xl.forms.headers import carry_merged, percent_shown, shown_value
from selfeval_xl.sources.grid import Grid

SCAN_ROWS = 60  # headers sit near the top of a form
FIGURES = ("plan", "carry_in", "adjust", "budget", "spent", "rate", "points", "score", "remaining", "remaining_rate")
_RATES = ("rate", "remaining_rate")


@record
class Located:
    """Where a form's parts sit on a sheet (0-based rows and columns)."""

    spec: cat.FormSpec
    indicator_row: int | None  # the last header row of the indicator block
    indicator_cols: dict[str, int] = field(default_factory=dict)
    funds_row: int | None = None
    funds_cols: dict[str, int] = field(default_factory=dict)
    title: str = ""
    funds_pairs: bool = False  # the funds block as label, value pairs (预算数 | 6.84 | 执行数 | 6.84): Hebei's print-out


def _row_keys(grid: Grid, r: int, table: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for c, v in enumerate(grid.row(r)):
        if isinstance(v, str):
            k = cat.match_key(v, table)
            if k and k not in out:
                out[k] = c
    return out


def _indicator_header(cols: dict[str, int]) -> bool:
    named = "level3" in cols or {"level1", "level2"} <= cols.keys()
    return named and {"target", "actual"} <= cols.keys() and bool({"score", "points", "coef"} & cols.keys())


def _funds_header(cols: dict[str, int]) -> bool:
    return len(cols.keys() & set(FIGURES)) >= 2 and bool({"budget", "spent"} & cols.keys())


def _title(grid: Grid) -> str:
    for r in range(min(6, grid.height)):
        for v in grid.row(r):
            if isinstance(v, str) and "绩效" in v and ("表" in v or "自评" in v):
                return unicodedata.normalize("NFKC", v).replace(" ", "")
    return ""


def _spec(grid: Grid, title: str, upto: int) -> cat.FormSpec:
    words = {cat.key_text(v) for r in range(min(upto + 12, grid.height)) for v in grid.row(r) if isinstance(v, str)}
    for spec in cat.FORMS:
        if spec.marks and any(any(m in w for w in words) for m in spec.marks):
            return spec
    for spec in cat.FORMS:
        if spec.by_title and any(t in title for t in spec.titles):
            return spec
    return cat.GENERIC


def locate(grid: Grid) -> Located | None:
    """The form on this sheet, or None when it has neither an indicator header nor a titled funds block."""
    title = _title(grid)
    ind_row, ind_cols = None, {}
    for r in range(min(SCAN_ROWS, grid.height)):
        cols = _row_keys(grid, r, cat.INDICATOR_COLUMNS)
        if r + 1 < grid.height:  # a two-row header: 年度指标值 above 指标性质 / 指标值 / 度量单位
            below = _row_keys(grid, r + 1, cat.INDICATOR_COLUMNS)
            if {"level1", "level2", "level3"} & below.keys() and not {"level1", "level3"} & cols.keys():
                cols, r = {**cols, **below}, r + 1
        if _indicator_header(cols):
            ind_row, ind_cols = r, cols
            break
    limit = ind_row if ind_row is not None else min(SCAN_ROWS, grid.height)
    funds_row, funds_cols, pairs = None, {}, False
    for r in range(limit - 1, -1, -1):
        cols = _row_keys(grid, r, cat.FUND_COLUMNS)
        if _funds_header(cols):
            funds_row, funds_cols = r, cols
            pairs = all(type(grid.value(r, c + 1)) is float for k, c in cols.items() if k in FIGURES)
            break
    if ind_row is None and (funds_row is None or not title):
        return None
    return Located(_spec(grid, title, limit), ind_row, ind_cols, funds_row, funds_cols, title, pairs)


# ---------------------------------------------------------------- reading

def _cell(grid: Grid, r: int, c: int | None) -> Cell | None:
    if c is None:
        return None
    v = grid.value(r, c)
    return Cell(grid.addr(r, c), parse_number(v), v, grid.formulas.get((r, c)), grid.percent.get((r, c)))


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def _value(grid: Grid, r: int, c: int) -> object:
    """A 指标值 / 完成值 as it shows: numbers stay numbers, a percent-formatted number shows as 95%, text is stripped."""
    v = grid.value(r, c)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        pct = percent_shown(grid, r, c, v)
        return v if pct is None else pct
    return _text(v)


def read_form(grid: Grid, loc: Located) -> ProjectTable:
    """The form located on this sheet, read into a ProjectTable."""
    t = ProjectTable(grid.name, {}, [], [], form=loc.spec.id)
    top = loc.funds_row if loc.funds_row is not None else (loc.indicator_row or 0)
    _read_header_lines(grid, t, top, loc.title)
    if loc.funds_row is not None:
        _read_funds(grid, t, loc)
    _read_goals(grid, t, loc)
    if loc.indicator_row is not None:
        _read_indicators(grid, t, loc)
    _read_totals(grid, t, loc)
    return t


def _split_label(text: str) -> tuple[str, str]:
    t = unicodedata.normalize("NFKC", text)
    if ":" in t:
        a, b = t.split(":", 1)
        return a.strip(), b.strip()
    return t.strip(), ""


def _read_header_lines(grid: Grid, t: ProjectTable, upto: int, title: str) -> None:
    m = re.search(r"(20\d\d)", title)
    if m:
        t.header["Year"] = m.group(1)
    for r in range(min(upto + 1, grid.height)):
        row = grid.row(r)
        for c, v in enumerate(row):
            if not isinstance(v, str):
                continue
            if "Year" not in t.header:
                y = re.search(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)度?", v)  # not a date (填报日期：2022年8月10日)
                if y and ("年度" in v or r < 3):
                    t.header["Year"] = y.group(1)
            label, inline = _split_label(v)
            k = cat.key_text(label)
            for word, key in cat.HEADER_LINES:
                if k == word and key not in t.header:
                    value = inline or next((_text(x) for x in row[c + 1:] if _text(x)), "")
                    if value and not _is_label(value):
                        t.header[key] = value
                    break


_LABEL_WORDS = {w for w, _ in cat.HEADER_LINES} | {"项目负责人", "联系电话", "填报日期", "项目负责人及电话"}


def _is_label(text: str) -> bool:
    """Another header line's label, or the 单位：万元 line, read where a value was expected."""
    k = cat.key_text(_split_label(text)[0])
    return k in _LABEL_WORDS or bool(re.match(r"^(金额)?单位[:：]", unicodedata.normalize("NFKC", text))) or \
        cat.match_key(text, cat.FUND_COLUMNS) is not None


def _read_fund_pairs(grid: Grid, t: ProjectTable, loc: Located) -> None:
    """A funds block of label, value pairs: the header row names each figure with its value to its right (预算数
    6.84 | 执行数 6.84), the rows below give the parts the same way (其中：财政资金 6.84 …); a 预算执行进度（%） above
    a value is the rate, typed without %."""
    r0 = loc.funds_row
    cols = {k: c + 1 for k, c in loc.funds_cols.items() if k in FIGURES}  # the value columns
    above = _row_keys(grid, r0 - 1, {"rate": cat.FUND_COLUMNS["rate"] + ("预算执行进度",)}) if r0 else {}
    if "rate" in above and "rate" not in cols and type(grid.value(r0, above["rate"])) is float:
        cols["rate"] = above["rate"]
    t.fund_columns = {k: c + 1 for k, c in cols.items()}
    t.funds_scored = bool({"points", "score"} & cols.keys())
    for r in range(r0, min(grid.height, r0 + 8)):
        label = _text(grid.value(r, loc.funds_cols.get("budget", min(cols.values()) - 1)))
        key = "total" if r == r0 else cat.fund_row_key(label)
        if key is None:
            break
        cells = {k: _cell(grid, r, c) for k, c in cols.items() if k != "rate" or r == r0}
        t.funds.append(FundRow(r + 1, "年度资金总额" if r == r0 else label,
                               {k: c for k, c in cells.items() if c is not None}, key))


def _read_funds(grid: Grid, t: ProjectTable, loc: Located) -> None:
    if loc.funds_pairs:
        _read_fund_pairs(grid, t, loc)
        return
    r0, cols = loc.funds_row, dict(loc.funds_cols)
    heads = grid.row(r0)
    a_col = next((c for c, v in enumerate(heads) if cat.marks_a(v)), None)
    if a_col is not None and cols.get("budget") != a_col:  # 年初预算数（A）: the plan is the A of B/A
        cols = {k: c for k, c in cols.items() if c != a_col}
        cols["budget"] = a_col
    first_fig = min(c for k, c in cols.items() if k in FIGURES)
    for c in range(first_fig):
        v = grid.value(r0, c)
        if isinstance(v, str) and v.strip():
            n = unicodedata.normalize("NFKC", v)
            t.funds_label = grid.addr(r0, c)
            pts = cat.stated_points(n)
            if pts is not None:
                t.funds_points = Decimal(str(pts))
            if re.search(r"[（(]\s*元\s*[)）]", n):
                t.amount_unit = "元"
            break
    t.fund_columns = {k: c + 1 for k, c in cols.items()}
    t.funds_scored = bool({"points", "score"} & cols.keys())  # a block with neither 分值 nor 得分 only states the funds
    # Fujian's block types its rates under a （%） header as bare numbers, 0.08 for 0.08%; other forms keep as_rate's
    # reading (a bare number up to 2 is a fraction), which their units' files need
    points_cols = {k for k in _RATES if k in cols and "remaining" in cols
                   and "%" in unicodedata.normalize("NFKC", _text(heads[cols[k]]))}
    group = None
    stop = loc.indicator_row if loc.indicator_row is not None else grid.height
    for r in range(r0 + 1, min(stop, r0 + 12)):
        row = grid.row(r)
        label = next((_text(row[c]) for c in range(min(first_fig, len(row)))
                      if isinstance(row[c], str) and _text(row[c])), "")  # a label is text, never a figure
        if cat.match_key(label, _GOAL_LINES):
            break
        if _indicator_header(_row_keys(grid, r, cat.INDICATOR_COLUMNS)):
            break
        if t.breakdowns or any(isinstance(v, str) and _NATURE.match(cat.key_text(v)) for v in row):
            _read_breakdowns(grid, r, row, t)  # amounts typed inside labels: not a row of figure cells
            continue
        cells = {k: _cell(grid, r, c) for k, c in cols.items() if k in FIGURES}
        for k in points_cols:  # 支出实现率（%） 99.92: percentage points, whatever their size
            cells[k] = _percentage_points(cells[k])
        filled = [k for k, c in cells.items() if c is not None and c.parsed.kind != "blank"]
        if not label and not filled:
            continue
        key = cat.fund_row_key(label)
        if key is None:
            key = "total" if not t.funds and filled else "part"
        part_of = None
        if cat.key_text(label).endswith("小计"):
            group = r + 1
        elif group is not None and label[:1] in _CIRCLED and key != "total":
            key, part_of = "part", group  # ①项目支出, ②基本支出: the parts of the 小计 above
        else:
            group = None
        reason_col = cols.get("reason")
        t.funds.append(FundRow(r + 1, label, {k: c for k, c in cells.items() if c is not None}, key,
                               _text(grid.value(r, reason_col)) if reason_col is not None else "",
                               grid.addr(r, reason_col) if reason_col is not None else None, part_of))


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NATURE = re.compile(r"按(收入|支出)性质分")


def _read_breakdowns(grid: Grid, r: int, row: list, t: ProjectTable) -> None:
    """One row of the 按收入性质分 | 按支出性质分 lines: each text cell a label with its amount after the colon
    (“其中: 一般公共预算:1873.66万元”); a cell under a 按…性质分 heading adds to that split."""
    for c, v in enumerate(row):
        if not isinstance(v, str) or not v.strip():
            continue
        head_text, colon, rest = unicodedata.normalize("NFKC", v).strip().rpartition(":")
        label = head_text.strip() if colon else rest
        p = parse_number(rest) if colon and rest.strip() else None
        amount = convert_unit(p.value, p.unit, t.amount_unit) if p is not None and p.kind == "number" else None
        head = _NATURE.search(cat.key_text(label))
        if head:
            t.breakdowns.append(Breakdown(head.group(0), grid.addr(r, c), amount, []))
            continue
        split = next((b for b in reversed(t.breakdowns) if b.addr.col == c + 1), None)
        if split is not None and amount is not None:
            split.parts.append((re.sub(r"^其中[:：]\s*", "", label), amount, grid.addr(r, c)))


def _percentage_points(cell: Cell | None) -> Cell | None:
    """A rate under a （%） header typed as a bare number (99.92, 0.08): the fraction it means, shown with the
    decimals it was typed with."""
    if cell is None or cell.parsed.kind != "number" or cell.parsed.percent or cell.places is not None:
        return cell
    raw = cell.text
    shown = (str(int(raw)) if raw.is_integer() else repr(raw)) if type(raw) is float else _text(raw)  # as General shows it
    places = len(shown.split(".", 1)[1]) if "." in shown and shown.replace(".", "", 1).lstrip("-").isdigit() else 0
    p = cell.parsed
    return Cell(cell.addr, Parsed("number", p.value / 100, p.raw, None, True), cell.text, cell.formula, places)


_GOAL_LINES = {"g": cat.GOAL_EXPECTED + cat.GOAL_ACTUAL + ("年度总体目标", "当年绩效目标", "项目基本情况", "年度总体目标完成情况")}
_GOAL_KEYS = {"goal": cat.GOAL_EXPECTED, "goal_actual": cat.GOAL_ACTUAL}
_GOAL_ANY = {"g": cat.GOAL_ACTUAL + cat.GOAL_EXPECTED}


def _read_goals(grid: Grid, t: ProjectTable, loc: Located) -> None:
    top = loc.funds_row if loc.funds_row is not None else 0
    stop = loc.indicator_row if loc.indicator_row is not None else min(grid.height, top + 20)
    for r in range(top, stop):
        for c, v in enumerate(grid.row(r)):
            if not isinstance(v, str):
                continue
            which = cat.match_key(v, _GOAL_KEYS)
            if which is None or getattr(t, which):
                continue
            right = next(((rc, x) for rc, x in enumerate(grid.row(r)[c + 1:], start=c + 1)
                          if _text(x) and cat.match_key(x, _GOAL_ANY) is None), None)
            below = grid.value(r + 1, c) if r + 1 < stop else None
            if _text(below) and cat.match_key(below, _GOAL_ANY) is None:
                setattr(t, which, _text(below))
                if which == "goal":
                    t.goal_addr = grid.addr(r + 1, c)
            elif right is not None and which == "goal" and not cat.match_key(grid.value(r, right[0]), cat.INDICATOR_COLUMNS):
                setattr(t, which, _text(right[1]))
                t.goal_addr = grid.addr(r, right[0])


def _read_indicators(grid: Grid, t: ProjectTable, loc: Located) -> None:
    cols = loc.indicator_cols
    t.header_row = loc.indicator_row + 1
    t.indicator_columns = {k: c + 1 for k, c in cols.items()}
    merged = carry_merged(grid)
    first_col = min(cols.values())
    groups: list[tuple[str, Decimal, object, list[int]]] = []  # (label, points, addr, rows)
    open_groups: dict[str, tuple[str, Decimal, object, list[int]]] = {}
    section = _section_points(grid, loc)
    if section is not None:
        groups.append(section)
    last = {"level1": "", "level2": ""}

    def shown(r, key):
        return shown_value(grid, merged, r, cols[key]) if key in cols else None

    for lvl in ("level1", "level2"):  # a name merged down from above the first row counts for it
        if lvl in cols:
            last[lvl] = cat.bare_name(shown(loc.indicator_row + 1, lvl))

    for r in range(loc.indicator_row + 1, grid.height):
        lead = next((_text(grid.value(r, c)) for c in range(0, max(first_col, 1) + 2) if _text(grid.value(r, c))), "")
        lead_key = cat.key_text(lead)
        if any(lead_key.startswith(w) for w in cat.TOTAL_LABELS):
            break
        if any(lead_key.startswith(w) for w in cat.END_LABELS):
            continue
        here = _row_keys(grid, r, cat.INDICATOR_COLUMNS)
        if _indicator_header(here) or len(here) >= 3:
            continue  # a repeated header (a second 年度绩效目标 block)
        if not any(_text(grid.value(r, cols[k])) for k in ("level1", "level2", "level3") if k in cols) and \
                not any(type(v) is float for v in grid.row(r)):
            continue  # no name and no figure: a second header line (符号 / 单位 / 单项指标得分 …) or a blank one
        pts_label = _block_points(grid, r, first_col)
        if pts_label is not None:  # 年度绩效目标2（40分）: a new block replaces the one before
            groups.append(pts_label)
            section = pts_label
            continue
        for lvl in ("level1", "level2"):
            raw = grid.value(r, cols[lvl]) if lvl in cols else None
            if not _text(raw):
                continue  # carried down from a merged cell above, or blank: the same group
            name, stated = cat.bare_name(raw), cat.stated_points(raw)
            g = open_groups.get(lvl)
            same = g is not None and g[0] == (name or "（未写名称）") and (stated is None or g[1] == Decimal(str(stated)))
            if lvl == "level1" and name != last["level1"]:
                last["level2"] = ""
                open_groups.pop("level2", None)
            if not same:
                open_groups.pop(lvl, None)
                if stated is not None:
                    g = (name or "（未写名称）", Decimal(str(stated)), grid.addr(r, cols[lvl]), [])
                    groups.append(g)
                    open_groups[lvl] = g
            last[lvl] = name
        l3 = shown(r, "level3") if "level3" in cols else None
        points, score = _cell(grid, r, cols.get("points")), _cell(grid, r, cols.get("score"))
        has_figures = any(c is not None and c.parsed.kind == "number" and c.parsed.raw not in (None, "") for c in (points, score))
        if cat.placeholder(l3) and not has_figures:
            continue
        if not _text(l3) and not has_figures:
            continue
        row = IndicatorRow(
            r + 1, last["level1"], last["level2"], _text(l3) if not cat.placeholder(l3) else "",
            _text(shown(r, "nature")), _value(grid, r, cols["target"]) if "target" in cols else "",
            _text(grid.value(r, cols["unit"])) if "unit" in cols else "",
            _value(grid, r, cols["actual"]) if "actual" in cols else "",
            points, score, _cell(grid, r, cols.get("manual")),
            _text(grid.value(r, cols["note"])) if "note" in cols else "",
            {k: grid.addr(r, c) for k, c in cols.items()},
            adjusted=_value(grid, r, cols["adjusted"]) if "adjusted" in cols else "",
            coef=_cell(grid, r, cols.get("coef")), core=_text(grid.value(r, cols["core"])) if "core" in cols else "")
        t.indicators.append(row)
        for g in list(open_groups.values()) + ([section] if section is not None else []):
            g[3].append(r + 1)
    t.declared = [DeclaredPoints(label, pts, addr, tuple(rows)) for label, pts, addr, rows in groups]


def _section_points(grid: Grid, loc: Located):
    """The block label over the indicators: beside the header (年度绩效目标（80分）, 绩效指标(90分)), or on a line of
    its own just above it (年度绩效目标1（40分）)."""
    r = loc.indicator_row
    first = min(loc.indicator_cols.values())
    for rr in (r, r - 1, r - 2):
        if rr < 0:
            continue
        for c in range(first):
            v = grid.value(rr, c)
            pts = cat.stated_points(v)
            if pts is not None:
                return (cat.bare_name(v), Decimal(str(pts)), grid.addr(rr, c), [])
        if rr < r:
            block = _block_points(grid, rr, len(grid.row(rr)))
            if block is not None:
                return block
    return None


def _block_points(grid: Grid, r: int, first_col: int):
    """A row that only carries a block label with points, such as 年度绩效目标2（40分）."""
    row = grid.row(r)
    texts = [(c, v) for c, v in enumerate(row) if _text(v)]
    if len(texts) == 1 and texts[0][0] < first_col + 1:
        c, v = texts[0]
        pts = cat.stated_points(v)
        if pts is not None and not cat.match_key(v, cat.INDICATOR_COLUMNS):
            return (cat.bare_name(v), Decimal(str(pts)), grid.addr(r, c), [])
    return None


def _first_number_right(grid: Grid, r: int, c: int, skip: set[int] = frozenset()):
    for cc in range(c + 1, len(grid.row(r))):
        if cc in skip:
            continue
        v = grid.value(r, cc)
        p = parse_number(v)
        if p.kind == "number" and v not in (None, ""):
            return cc
        if isinstance(v, str) and re.match(r"^\s*\d+(\.\d+)?\s*分\s*$", unicodedata.normalize("NFKC", v)):
            return cc
    return None


def _read_totals(grid: Grid, t: ProjectTable, loc: Located) -> None:
    cols = loc.indicator_cols
    start = (loc.indicator_row + 1) if loc.indicator_row is not None else (loc.funds_row or 0) + 1
    for r in range(start, grid.height):
        row = grid.row(r)
        lead_c = next((c for c in range(min(3, len(row))) if _text(row[c])), None)
        if lead_c is None or not any(cat.key_text(row[lead_c]).startswith(w) for w in cat.TOTAL_LABELS):
            continue
        score_c = cols.get("score")
        if score_c is None or parse_number(grid.value(r, score_c)).kind != "number" or grid.value(r, score_c) in (None, ""):
            score_c = _first_number_right(grid, r, lead_c, {cols.get("points", -1)}) or score_c
            if score_c is not None and parse_number(grid.value(r, score_c)).kind == "text" and \
                    not re.match(r"^\s*\d", str(grid.value(r, score_c))):
                score_c = None
        if score_c is not None:
            t.total_score = _total_cell(grid, r, score_c)
        if "points" in cols and grid.value(r, cols["points"]) not in (None, "") and cols["points"] != score_c:
            t.total_points = _cell(grid, r, cols["points"])
        for c, v in enumerate(row):
            if isinstance(v, str) and v.strip() in ("优", "良", "中", "差", "优秀", "良好", "合格", "不合格"):
                t.grade, t.grade_addr = v.strip(), grid.addr(r, c)
        if t.total_score is None and score_c is None and cols.get("score") is not None:
            t.total_score = _cell(grid, r, cols["score"])  # the 合计 left blank: still its cell
        break
    top = loc.indicator_row if loc.indicator_row is not None else grid.height
    for r in range(0, min(top, grid.height)):
        for c, v in enumerate(grid.row(r)):
            k = cat.key_text(v) if isinstance(v, str) else ""
            if t.total_score is None and k in cat.HEADER_TOTAL_LABELS:
                cc = _first_number_right(grid, r, c)
                if cc is not None:
                    t.total_score = _total_cell(grid, r, cc)
            if not t.grade and k in cat.GRADE_LABELS:
                gv = next((_text(x) for x in grid.row(r)[c + 1:] if _text(x)), "")
                if gv:
                    t.grade, t.grade_addr = gv, grid.addr(r, c + 1)
    for r in range(start, grid.height):
        for c, v in enumerate(grid.row(r)):
            if not t.grade and isinstance(v, str) and cat.key_text(v) in cat.GRADE_LABELS:
                nxt = next(((cc, _text(x)) for cc, x in enumerate(grid.row(r)[c + 1:], start=c + 1) if _text(x)), None)
                if nxt:
                    t.grade, t.grade_addr = nxt[1], grid.addr(r, nxt[0])


def _total_cell(grid: Grid, r: int, c: int) -> Cell:
    """The 总分 cell; "100分" written as text counts as the number."""
    v = grid.value(r, c)
    p = parse_number(v)
    if p.kind == "text":
        m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*分\s*$", unicodedata.normalize("NFKC", str(v)))
        if m:
            p = parse_number(m.group(1))
    return Cell(grid.addr(r, c), p, v, grid.formulas.get((r, c)))
