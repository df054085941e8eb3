"""Finding things by their text: header matching with synonyms, labels, merged-cell values, the 单位 line."""

from __future__ import annotations

import re
import unicodedata

from selfeval_xl.sources.grid import Grid

_UNIT_PAREN = re.compile(r"[（(][^)）]*[元%][^)）]*[)）]")  # (万元), (%), （元）
_DESCRIPTION = re.compile(r"[（(]包含数字及文字描述[)）]")
_SPACES = re.compile(r"\s+")


def norm_header(text: object) -> str:
    """A header as compared: NFKC, units in brackets removed, no spaces."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    t = _UNIT_PAREN.sub("", t)
    t = _DESCRIPTION.sub("", t)
    return _SPACES.sub("", t)


_MATCHED: dict[tuple[int, int, str], str | None] = {}  # (id of the matcher, of the table, text) → key; bounded
CACHE_MAX = 65_536  # headers repeat across a batch's files; indicator names do not, hence the bound
_KEEP: dict[int, object] = {}  # the tables the caches name by id (module constants: a handful)


def remembered(fn, text: object, table: dict) -> str | None:
    """fn(text, table), remembered per constant table (their ids are kept, so never reused): pure functions of the
    text and a module-level table of synonyms; other tables and non-text values are computed each time."""
    if type(text) is not str or (id(table) not in _KEEP and len(_KEEP) >= 64):
        return fn(text, table)
    key = (id(fn), id(table), text)
    try:
        return _MATCHED[key]
    except KeyError:
        if len(_MATCHED) >= CACHE_MAX:
            _MATCHED.clear()
        _KEEP.setdefault(id(table), table)
        out = _MATCHED[key] = fn(text, table)
        return out


def match(text: object, synonyms: dict[str, tuple[str, ...]]) -> str | None:
    """The field whose names equal the header; else the first whose name (3+ characters) starts or ends it."""
    return remembered(_match, text, synonyms)


def _match(text: object, synonyms: dict[str, tuple[str, ...]]) -> str | None:
    h = norm_header(text)
    if not h:
        return None
    exact, heads, tails = _index(synonyms)
    field = exact.get(h)
    if field is not None:
        return field
    # a name of 3+ characters that starts the header shares its first three characters, one that ends it its
    # last three: only those names are tried, and the first field in the table's order wins
    hits = [(o, f) for o, n, f in heads.get(h[:3], ()) if h.startswith(n)]
    hits += [(o, f) for o, n, f in tails.get(h[-3:], ()) if h.endswith(n)]
    return min(hits)[1] if hits else None


_INDEX: dict[int, tuple[dict, tuple]] = {}  # id(table) → (the table, its index); bounded


def _index(synonyms: dict[str, tuple[str, ...]]) -> tuple[dict, dict, dict]:
    """A synonym table's names indexed: exact name → first field; first and last three characters → (field
    order, name, field). Kept with the table itself, so that an id is never taken for another table's."""
    entry = _INDEX.get(id(synonyms))
    if entry is None or entry[0] is not synonyms:
        if len(_INDEX) >= 256:
            _INDEX.clear()
        exact, heads, tails = {}, {}, {}
        for o, (field, names) in enumerate(synonyms.items()):
            for n in names:
                exact.setdefault(n, field)
                if len(n) >= 3:
                    heads.setdefault(n[:3], []).append((o, n, field))
                    tails.setdefault(n[-3:], []).append((o, n, field))
        entry = _INDEX[id(synonyms)] = (synonyms, (exact, heads, tails))
    return entry[1]


def header_columns(grid: Grid, r: int, synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field -> 0-based column for one candidate header row (first match wins)."""
    cols: dict[str, int] = {}
    for c, v in enumerate(grid.row(r)):
        f = match(v, synonyms)
        if f and f not in cols:
            cols[f] = c
    return cols


def carry_merged(grid: Grid) -> dict[tuple[int, int], object]:
    """{cell: the value of its merged range} for every cell inside a merged range."""
    out = {}
    for r0, c0, r1, c1 in grid.merged:
        v = grid.value(r0, c0)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = v
    return out


def shown_value(grid: Grid, merged: dict, r: int, c: int) -> object:
    """A cell's value, or its merged range's value when the cell itself is empty (carried-down 分类)."""
    v = grid.value(r, c)
    if (v is None or v == "") and (r, c) in merged:
        return merged[(r, c)]
    return v


def percent_shown(grid: Grid, r: int, c: int, v: object) -> str | None:
    """A percent-formatted number as the sheet shows it (95%, 97.74%); None for any other cell."""
    places = grid.percent.get((r, c)) if type(v) is float else None
    if places is None:
        return None
    from selfeval_xl.core.money import xround
    from selfeval_xl.core.numbers import to_decimal

    return f"{xround(to_decimal(v) * 100, places):.{places}f}%"


def shown_text(grid: Grid, r: int, c: int, v: object) -> str:
    """A value as the sheet shows it, as text: a percent-formatted number as 95% (with its decimals), a whole
    number without .0, text stripped."""
    if type(v) is float:
        pct = percent_shown(grid, r, c, v)
        if pct is not None:
            return pct
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v).strip()


def detect_unit(grid: Grid, upto: int) -> str:
    """The amount unit from a 单位：万元 line above the header; 万元 when none is found."""
    for r in range(0, min(upto + 1, grid.height)):
        for v in grid.row(r):
            t = norm_header(v) if isinstance(v, str) else ""
            m = re.search(r"单位[:：]?(亿元|万元|元)", t)
            if m:
                return m.group(1)
    return "万元"
