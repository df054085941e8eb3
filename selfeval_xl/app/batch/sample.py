"""抽查: a stratified random sample of the workbooks counted, by 评价等级 (优, 良, 中, 差, 未计分).

Each grade gets a share of the sample in proportion to its size, and at least one workbook when the sample is
large enough for that; the largest remainders round up. Within a grade, workbooks are taken in name order
and drawn with Python's random.Random(seed): the same files and the same seed give the same sample."""

from __future__ import annotations

import random
from fractions import Fraction

import pandas as pd

from selfeval_xl.app.batch.tables import grade_of, grade_order
from selfeval_xl.core.record import record


@record
class Sample:
    seed: int
    wanted: int
    strata: dict[str, tuple[int, int]]  # grade: (workbooks, drawn)
    rows: pd.DataFrame  # the summary rows drawn, with their stratum, grade by grade


def new_seed() -> int:
    """A seed for a sample asked without one (reported, so that it can be drawn again)."""
    return random.SystemRandom().randrange(1, 1_000_000)


def allocate(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """How many to draw from each stratum (sizes in stratum order): one from every stratum when n allows, the
    rest in proportion to what each stratum's share n × size / total still asks for (largest remainders first)."""
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    nonempty = [k for k, v in sizes.items() if v]
    base = {k: int(k in nonempty and n >= len(nonempty)) for k in sizes}
    need = {k: max(Fraction(0), Fraction(n * sizes[k], total) - base[k]) for k in sizes}
    rest, wanted = n - sum(base.values()), sum(need.values())
    quota = {k: rest * need[k] / wanted if wanted else Fraction(0) for k in sizes}
    out = {k: base[k] + int(q) for k, q in quota.items()}
    short = n - sum(out.values())
    for k in sorted(sizes, key=lambda k: (-(quota[k] - int(quota[k])), list(sizes).index(k)))[:short]:
        out[k] += 1
    return out


def draw(summary: pd.DataFrame, n: int, seed: int) -> Sample:
    """The sample of n workbooks (all of them when there are no more than n)."""
    stratum = grade_of(summary)
    present = set(stratum)
    order = [g for g in grade_order(present) if g in present]
    sizes = {g: int((stratum == g).sum()) for g in order}
    counts = allocate(max(0, n), sizes)
    rng = random.Random(seed)
    picked = []
    for g in order:
        members = summary.index[stratum == g]
        members = sorted(members, key=lambda i: summary.at[i, "file"])
        picked += sorted(rng.sample(members, counts[g]), key=lambda i: summary.at[i, "file"])
    rows = summary.loc[picked].assign(stratum=stratum.loc[picked].values).reset_index(drop=True)
    return Sample(seed, n, {g: (sizes[g], counts[g]) for g in order}, rows)
