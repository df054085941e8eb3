"""`selfeval-xl batch`: many workbooks as they arrive (folders, .xlsx, .zip, .eml) → one reviewed summary.

    review_batch(paths, …) -> Batch     the records, the tables, the sample and the exit code
    run_batch(paths, output, …) -> int  the same, written: the consolidation workbook, --json, --parquet

Exit codes: 0 every file read and no workbook has errors; 1 some workbook has errors or some file could not be
read; 2 nothing could be read; 3 an output could not be written. See docs/batch.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from selfeval_xl.app.batch.records import Outcome, Reviewed
from selfeval_xl.core.record import record
from selfeval_xl.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, FileError


@record
class Batch:
    outcome: Outcome
    tables: object  # tables.Tables
    sample: object | None  # sample.Sample
    exit_code: int


def exit_code(outcome: Outcome) -> int:
    if not outcome.reviewed:
        return EXIT_INPUT
    if outcome.unreadable or any(r.errors for r in outcome.reviewed):
        return EXIT_FINDINGS
    return EXIT_OK


def review_batch(paths, *, jobs: int | None = None, scheduler: str | None = None, sample: int | None = None,
                 seed: int | None = None, progress: bool | None = None, exclude=()) -> Batch:
    """Read, check and score every workbook under paths; duplicates set apart, tables built, sample drawn.

    jobs: worker processes (default: the cores); scheduler: a Dask scheduler address instead; progress: on stderr
    (default: when stderr is a terminal); exclude: files not to read (the outputs)."""
    from selfeval_xl.app.batch.execute import run_jobs
    from selfeval_xl.app.batch.inputs import collect
    from selfeval_xl.app.batch.progress import Progress
    from selfeval_xl.app.batch.sample import draw, new_seed
    from selfeval_xl.app.batch.tables import build_tables, deduplicate

    listed, refused, skipped = collect(paths, exclude)
    outcome = Outcome(unreadable=list(refused), skipped=skipped)
    reviewed: list[Reviewed] = []
    bar = Progress(len(listed), progress)

    def emit(done: int, records: list) -> None:
        for r in records:
            (reviewed if isinstance(r, Reviewed) else outcome.unreadable).append(r)
        bar.step(done)

    try:
        run_jobs(listed, emit, jobs, scheduler)
    finally:
        bar.close()
    reviewed.sort(key=lambda r: r.source.display)
    outcome.unreadable.sort(key=lambda u: u.source.display)
    outcome.reviewed, outcome.superseded = deduplicate(reviewed)
    tables = build_tables(outcome)
    drawn = None
    if sample:
        drawn = draw(tables.summary, sample, new_seed() if seed is None else seed)
    return Batch(outcome, tables, drawn, exit_code(outcome))


def run_batch(paths, output, *, json_out=None, jobs: int | None = None, parquet=None, sample: int | None = None,
              seed: int | None = None, scheduler: str | None = None, progress: bool | None = None,
              force: bool = False, stdout=None) -> int:
    """The command: review, then write the consolidation workbook at output (never over an existing file without
    force), the parquet file if asked, and the JSON document to json_out ("-" for stdout, or a path) or a short
    summary in Chinese on stdout. Returns the exit code."""
    from selfeval_xl.app.batch.jsondoc import batch_json
    from selfeval_xl.writers.consolidation import write_consolidation

    stdout = stdout or sys.stdout
    outputs = [Path(p) for p in (output, parquet, None if json_out in (None, "-") else json_out) if p is not None]
    for p in outputs:  # refuse before hours of work, not after
        if p.exists() and not force:
            raise FileError(f"{p} 已存在，未覆盖；如需覆盖请加 --force")
        if not (p.parent if str(p.parent) else Path(".")).is_dir():
            raise FileError(f"输出目录 {p.parent} 不存在，请先创建")
    if parquet is not None:
        from selfeval_xl.app.batch.parquet import require_pyarrow

        require_pyarrow()
    batch = review_batch(paths, jobs=jobs, scheduler=scheduler, sample=sample, seed=seed, progress=progress,
                         exclude=outputs)
    write_consolidation(batch.tables, batch.sample, output, force=force)
    if parquet is not None:
        from selfeval_xl.app.batch.parquet import write_parquet

        write_parquet(batch.outcome, parquet, force=force)
    if json_out is not None:
        doc = batch_json(batch.outcome, batch.tables, batch.sample, batch.exit_code)
        _write_json(doc, json_out, stdout, force)
    else:
        for line in summary_lines(batch, output, parquet):
            print(line, file=stdout)
    return batch.exit_code


def _write_json(doc: dict, json_out, stdout, force: bool) -> None:
    if json_out == "-":
        json.dump(doc, stdout, ensure_ascii=False)
        stdout.write("\n")
        return
    from selfeval_xl.writers.atomic import atomic_path

    with atomic_path(json_out, force=force) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def summary_lines(batch: Batch, output, parquet=None) -> list[str]:
    o = batch.tables.overview
    lines = [(f"共 {o['files']} 个文件：已读取 {o['read']} 个，无法读取 {o['unreadable']} 个，"
              f"重复提交 {o['duplicates']} 个（以较新的为准）。"),
             f"有错误的工作簿 {o['with_errors']} 个；红色预警 {o['red']} 个，黄色预警 {o['yellow']} 个。"]
    if batch.sample is not None:
        lines.append(f"抽查：随机种子 {batch.sample.seed}，抽取 {len(batch.sample.rows)} 份（同一种子可重现）。")
    if not o["read"]:
        lines.append("没有可读取的工作簿，原因见 无法读取 表。")
    lines.append(f"已写出：{output}")
    if parquet is not None:
        lines.append(f"已写出：{parquet}")
    return lines
