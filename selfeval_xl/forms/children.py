"""Which rows of a 表5 block are 其中 rows (children of the row above them), decided with bounded work.

A row marked 其中 (by its label or the 行类型 column) is a child. A row that is only indented usually is one,
and unmarked rows right after a run of children may continue the list. The reading chosen is the one that makes
the block's 小计 add up (budget, total, spent), then makes the fewest child groups differ from their parent's
年度总指标, then keeps indentation as written, then adds the fewest unmarked children.

Each run of marked rows is one decision: how many of the unmarked rows after it join it (0…lim), or — when the
run is marked by indentation alone — none of it being children. Every option is summarised by what it removes
from the block's detail sums, computed with prefix sums, so an option costs O(1) whatever the number of rows.
The run's own best option (its group equal to its parent, indentation kept, fewest additions) is tried first;
when that makes the 小计 add up, it is the answer. Otherwise a dynamic programme over the runs merges readings
that remove the same amounts; it stops after MAX_WORK steps and keeps the runs' own best options. So no
arrangement of rows costs more than O(rows + MAX_WORK)."""

from __future__ import annotations

import operator
from decimal import Decimal

from selfeval_xl.core.model import BudgetTable
from selfeval_xl.core.record import record

FIELDS = ("budget", "total", "spent")
MAX_WORK = 50_000  # option evaluations of the dynamic programme, per block
_C = Decimal("0.01")


def _cents(v: Decimal) -> int:
    return int((v / _C).to_integral_value())


@record
class _Run:
    start: int  # index in the block of the first marked row
    end: int  # one past the last marked row
    lim: int  # unmarked rows after the run that may join it
    weak: bool  # every row of the run is marked by indentation alone
    parent: int | None  # index of the row the run belongs to (None: the run opens the block)


def _runs(t: BudgetTable, block: list[int]) -> list[_Run]:
    """The runs of marked rows in the block, walking the marked rows only."""
    explicit, only = t.explicit, t.indented_only
    marks = [k for k, x in enumerate(block) if explicit[x]]
    out, n, m, a = [], len(block), len(marks), 0
    while a < m:
        b = a
        while b + 1 < m and marks[b + 1] == marks[b] + 1:
            b += 1
        i, j = marks[a], marks[b] + 1  # the run: block[i:j]
        k = marks[b + 1] if b + 1 < m else n  # the next marked row, or the block's end
        lim = max((k - j) - (1 if k < n else 0), 0)  # the row before a later 其中 is its parent, not a child
        out.append(_Run(i, j, lim, all(only[block[x]] for x in range(i, j)), i - 1 if i > 0 else None))
        a = b + 1
    return out


def _vecs(t: BudgetTable, block: list[int]) -> list[tuple[int, int, int]]:
    """Each row's budget, total and spent in cents."""
    return list(zip(*(_column_cents(t, block, f) for f in FIELDS)))


def _column_cents(t: BudgetTable, block: list[int], f: str) -> list[int]:
    """A column's figures over the block in cents: from the stored floats when they all hold whole cents (nearly
    always; checked in one pass of C loops), else row by row from the exact figures. Blanks and a missing column
    count 0; text, errors and rates typed another way come from their exact figures."""
    if f not in t.num:
        return [0] * len(block)
    col, odd = t.floats(f), t.odd[f]
    values = [col[i] for i in block]
    scaled = [v * 100 for v in values]
    cents = list(map(round, scaled))
    if values and not (max(map(abs, values)) < 1e12 and max(map(abs, map(operator.sub, scaled, cents))) < 1e-6):
        cents = [c if -1e12 < v < 1e12 and abs(s - c) < 1e-6 else _cents(t.value(i, f))
                 for i, v, s, c in zip(block, values, scaled, cents)]
    if odd:
        for k, i in enumerate(block):
            if i in odd:
                cents[k] = _cents(t.value(i, f))
    return cents


def _options(run: _Run, vecs):
    """(option, removal vector, (flipped, unequal, added)) in order: option t ≥ 0 adds t unmarked rows, -1 un-marks
    the run. Removal is what the option takes out of the block's detail sums compared with the marked reading."""
    parent_total = vecs[run.parent][1] if run.parent is not None else None
    marked = [sum(c) for c in zip(*vecs[run.start:run.end])]
    acc = (0, 0, 0)
    for t in range(run.lim + 1):
        if t:
            v = vecs[run.end + t - 1]
            acc = (acc[0] + v[0], acc[1] + v[1], acc[2] + v[2])
        unequal = int(parent_total is not None and abs(marked[1] + acc[1] - parent_total) > 1)
        yield t, acc, (0, unequal, t)
    if run.weak:
        yield -1, tuple(-m for m in marked), (1, 0, 0)


def _own(run: _Run, vecs):
    """The run's own best option: the fewest added rows that make its group equal its parent, else none added
    (the options are made only as far as that one)."""
    first = None
    for opt in _options(run, vecs):
        if first is None:
            first = opt
        if opt[2][1] == 0 and opt[0] >= 0:
            return opt
    return first


def _mismatches(base, removed, target) -> int:
    if target is None:
        return 0
    return sum(1 for f in range(3) if target[f] is not None and abs(base[f] - removed[f] - target[f]) > 1)


def choose(t: BudgetTable, block: list[int], sub: int | None, every: list[_Run]) -> dict[int, int]:
    """{run start index: option} for the runs of a block (see the module)."""
    runs = [r for r in every if r.parent is not None]
    if not runs:
        return {}
    vecs = _vecs(t, block)
    orphans = {x for r in every if r.parent is None for x in range(r.start, r.end)}  # children of no row: details
    details = [v for k, v in enumerate(vecs) if not t.explicit[block[k]] or k in orphans]
    base = [sum(v[f] for v in details) for f in range(3)]
    target = None
    if sub is not None:
        target = [_cents(t.value(sub, f)) if f in t.num and t.parsed(sub, f).kind == "number" else None
                  for f in FIELDS]
    own = [_own(run, vecs) for run in runs]
    removed = tuple(sum(o[1][f] for o in own) for f in range(3))
    if _mismatches(base, removed, target) == 0:
        return {run.start: o[0] for run, o in zip(runs, own)}
    options = [list(_options(run, vecs)) for run in runs]
    # states: removal vector -> (cost, choices as a linked list)
    states: dict[tuple, tuple] = {(0, 0, 0): ((0, 0, 0), None)}
    work = 0
    for run, opts in zip(runs, options):
        nxt: dict[tuple, tuple] = {}
        for vec, (cost, chain) in states.items():
            for k, rem, c in opts:
                work += 1
                key = (vec[0] + rem[0], vec[1] + rem[1], vec[2] + rem[2])
                total = (cost[0] + c[0], cost[1] + c[1], cost[2] + c[2])
                old = nxt.get(key)
                if old is None or total < old[0]:
                    nxt[key] = (total, (run.start, k, chain))
            if work > MAX_WORK:
                return {run.start: o[0] for run, o in zip(runs, own)}
        states = nxt
    best = min(states.items(), key=lambda kv: (_mismatches(base, kv[0], target), kv[1][0]))
    out, chain = {}, best[1][1]
    while chain is not None:
        start, k, chain = chain
        out[start] = k
    return out


def resolve_children(t: BudgetTable) -> None:
    """Set kind (child or detail) and parent of every row of every block."""
    for block, sub in t.blocks():
        if not any(t.explicit[i] for i in block):
            for i in block:
                t.kind[i], t.parent[i] = "detail", None
            continue
        every = _runs(t, block)
        picked = choose(t, block, sub, every)
        kinds = [t.explicit[i] for i in block]
        for run in every:
            k = picked.get(run.start, 0)
            if k < 0:
                for x in range(run.start, run.end):
                    kinds[x] = False
            else:
                for x in range(run.end, run.end + k):
                    kinds[x] = True
        parent = None
        for i, is_child in zip(block, kinds):
            if is_child and parent is not None:
                t.kind[i], t.parent[i] = "child", parent
            else:
                t.kind[i], t.parent[i] = "detail", None
                parent = t.row[i]
