"""Running the per-file job over many files: in this process, on a pool of worker processes (the default), or on a
Dask distributed cluster. Jobs go out a few at a time and records come back as they finish, so that memory holds
only a window of work, whatever the number of files.

A worker that dies (a file that crashes a library, memory exhausted) breaks the pool; its unfinished jobs are run
again, alone, until the one that crashes is known and reported as unreadable; the others are read as usual."""

from __future__ import annotations

import os
from collections.abc import Callable

from selfeval_xl.app.batch.inputs import Job
from selfeval_xl.app.batch.job import init_worker, run_chunk
from selfeval_xl.app.batch.records import Unreadable

Emit = Callable[[int, list], None]  # (jobs done, their records)
PRELOAD = ["selfeval_xl.app.batch.job", "selfeval_xl.app.batch.facts", "selfeval_xl.app.validate", "selfeval_xl.app.score",
           "selfeval_xl.forms.reader", "selfeval_xl.sources.xlsx", "selfeval_xl.scoring.project",
           "selfeval_xl.scoring.from_sheet", "selfeval_xl.scoring.engine"]
CRASHED = "读取时工作进程异常退出（文件可能损坏或过于复杂），请在 Excel 中打开后另存为 .xlsx 再试"


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def chunked(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Jobs in groups: big enough that a round trip costs little next to the reading (~3 ms a file), small
    enough that every worker gets many."""
    size = max(1, min(16, len(jobs) // (workers * 8)))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def run_jobs(jobs: list[Job], emit: Emit, workers: int | None = None, scheduler: str | None = None) -> None:
    """Run every job; emit(jobs done, records) as each group finishes (in any order)."""
    if not jobs:
        return
    if scheduler:
        from selfeval_xl.app.batch.cluster import run_on_cluster

        run_on_cluster(jobs, emit, scheduler)
        return
    workers = max(1, min(workers or cores(), len(jobs)))
    if workers == 1:
        for chunk in chunked(jobs, 1):
            emit(len(chunk), run_chunk(chunk))
        return
    lost = _pool_pass(chunked(jobs, workers), workers, emit)
    if lost:
        lost = _pool_pass([[j] for c in lost for j in c], workers, emit)
    for chunk in lost:  # one at a time: a crash now names its file
        if _pool_pass([chunk], 1, emit):
            emit(1, [Unreadable(chunk[0].source, CRASHED)])


def _context():
    """forkserver where there is one: workers fork from a server that imported the reader once (fast to start, and
    safe whatever threads this process runs); spawn elsewhere."""
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return mp.get_context("spawn")


def _pool_pass(chunks: list[list[Job]], workers: int, emit: Emit) -> list[list[Job]]:
    """Run chunks on a fresh pool; the chunks left unfinished when a worker died (or whose records could not be
    sent back)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    todo = iter(chunks)
    window = workers * 4
    pending: dict = {}
    lost: list[list[Job]] = []

    def collect(futures) -> None:
        for f in futures:
            chunk = pending.pop(f)
            try:
                records = f.result()
            except Exception:  # BrokenProcessPool, or records that could not be unpickled
                lost.append(chunk)
            else:
                emit(len(chunk), records)

    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=init_worker) as pool:
        while True:
            while len(pending) < window and not lost:
                chunk = next(todo, None)
                if chunk is None:
                    break
                try:
                    pending[pool.submit(run_chunk, chunk)] = chunk
                except BrokenProcessPool:
                    lost.append(chunk)
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            collect(done)
            if lost:  # the pool is broken: what finished is kept, the rest is run again
                collect(wait(pending)[0])
                break
    return lost + list(todo)
