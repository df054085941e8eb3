"""The same per-file job on a Dask distributed cluster (`--scheduler tcp://host:8786`; the optional extra `cluster`).

Workers open the files by the paths given here, so the files must sit where every worker sees them under the same
path (a shared folder); a probe checks that, and that selfeval-xl is installed on every worker, before any work
is sent. Jobs go out in a window and are released once their records are back, as on the local pool."""

from __future__ import annotations

from selfeval_xl.app.batch.execute import CRASHED, Emit, chunked
from selfeval_xl.app.batch.inputs import Job
from selfeval_xl.app.batch.job import init_worker, run_chunk
from selfeval_xl.app.batch.records import Unreadable
from selfeval_xl.errors import InputError, UsageError

CONNECT_SECONDS = 15


def probe(path: str) -> tuple[str, bool]:
    """On a worker: (the selfeval-xl version it runs, whether it sees path); readies the worker like the pool's."""
    import os

    from selfeval_xl import __version__

    init_worker()
    return __version__, os.path.exists(path)


def run_on_cluster(jobs: list[Job], emit: Emit, scheduler: str) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler 需要 Dask：请先安装 pip install 'selfeval-xl[cluster]'") from None
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(f"无法连接集群调度器 {scheduler}（{str(e).splitlines()[0][:80]}），"
                         "请确认地址与端口，或去掉 --scheduler 在本机运行") from None
    with client:
        _check_workers(client, jobs[0].path)
        workers = max(1, sum(client.nthreads().values()))
        chunks = iter(chunked(jobs, workers))
        running = as_completed()
        sent: dict = {}

        def send(chunk) -> None:
            f = client.submit(run_chunk, chunk, pure=False)
            sent[f.key] = chunk
            running.add(f)

        for chunk in chunks:
            send(chunk)
            if len(sent) >= workers * 4:
                break
        for f in running:
            chunk = sent.pop(f.key)
            try:
                records = f.result()
            except Exception:  # the worker died on this chunk (KilledWorker) or its records did not come back
                if len(chunk) > 1:
                    for job in chunk:
                        send([job])
                    continue
                records = [Unreadable(chunk[0].source, CRASHED)]
            finally:
                f.release()
            emit(len(chunk), records)
            nxt = next(chunks, None)
            if nxt is not None:
                send(nxt)


def _check_workers(client, path: str) -> None:
    from selfeval_xl import __version__

    try:
        seen = client.run(probe, path)
    except Exception as e:  # ModuleNotFoundError from a worker without selfeval-xl, and the like
        raise InputError(f"集群节点无法运行 selfeval-xl（{type(e).__name__}: {str(e)[:60]}），"
                         "请在每个节点安装同一版本：pip install 'selfeval-xl[cluster]'") from None
    if not seen:
        raise InputError("集群调度器上没有可用的计算节点（worker），请先启动：dask worker 调度器地址")
    for worker, (version, exists) in sorted(seen.items()):
        if version != __version__:
            raise InputError(f"集群节点 {worker} 上的 selfeval-xl 是 {version} 版，本机是 {__version__} 版，请统一版本")
        if not exists:
            raise InputError(f"集群节点 {worker} 上找不到 {path}：请把文件放在各节点都能以同一路径访问的共享目录")
