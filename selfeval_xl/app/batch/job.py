"""The per-file job: read, check, score and summarise one workbook (or every workbook in a mail or an archive
member). It runs in a long-lived worker (a process of the pool, or a Dask worker) that imports once and serves
many files, and it never raises: a file that cannot be read comes back as its one-line reason."""

from __future__ import annotations

import io
import os
import re
import threading
import zipfile
import zlib

from selfeval_xl.app.batch.inputs import (
    ARROW,
    MAIL,
    MAX_DEPTH,
    MAX_MAIL_BYTES,
    OTHER_ARCHIVES,
    ZIP,
    Job,
    basename,
    mail_attachments,
    member_name,
    members,
    suffix,
)
from selfeval_xl.app.batch.records import Source, Unreadable
from selfeval_xl.errors import ConfigError, InputError

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def init_worker() -> None:
    """Once per worker: what was imported stays out of the cycle collector's passes (as the CLI does)."""
    from selfeval_xl.app.runtime import keep_until_exit

    keep_until_exit()


def run_chunk(jobs: list[Job]) -> list:
    """The records of a few jobs (sent together to save round trips)."""
    out: list = []
    for job in jobs:
        out += run_job(job)
    return out


def run_job(job: Job) -> list:
    """The records of one job: one per workbook it holds, or its reason for not being read."""
    try:
        if job.member:
            return _zip_member(job)
        s = suffix(job.path)
        if s == MAIL:
            size = os.path.getsize(job.path)
            if size > MAX_MAIL_BYTES:
                return [Unreadable(job.source, f"{basename(job.display)} 有 {size / 1048576:.0f} MB，超过邮件大小上限，已拒绝读取")]
            with open(job.path, "rb") as f:
                return expand(basename(job.path), f.read(), job.source, 0)
        if s in OTHER_ARCHIVES:
            return expand(basename(job.path), b"", job.source, 0)
        return [review_path(job.path, job.source)]
    except Exception as e:  # one bad file never stops the batch; the traceback goes to the log
        return [_internal(job.source, e)]


def _internal(source: Source, e: Exception) -> Unreadable:
    from selfeval_xl.logs import log_internal_error

    where = log_internal_error(f"batch {source.display}")
    log = f"详情已写入日志 {where}" if where else "日志无法写入"
    return Unreadable(source, f"内部错误（{type(e).__name__}），{log}，请将日志与此文件一并反馈")


def review_path(path: str, source: Source, data: bytes | None = None):
    """Reviewed, or Unreadable with the reader's one line; a workbook without an indicator system is reviewed
    without a rule total (its note says why). data: the workbook held in memory (path then only names it)."""
    from selfeval_xl.app.batch.facts import review
    from selfeval_xl.app.score import score
    from selfeval_xl.app.validate import validate

    try:
        checked = validate(path, data=data)
    except InputError as e:
        return Unreadable(source, e.message)
    checked.wb.path = source.display
    try:
        result, note = score(checked), ""
    except ConfigError as e:
        result, note = None, f"未计分：{e.message}"
    except Exception as e:  # a scoring bug: the checks still count; the traceback goes to the log
        result, note = None, "未计分：" + _internal(source, e).reason
    return review(checked, result, source, note)


def review_bytes(data: bytes, name: str, source: Source):
    """review_path for a workbook held in memory (a mail attachment, an archive member): read from the bytes,
    named by its own (safe) name in the reader's messages; nothing is written to disk."""
    return review_path(safe_name(name), source, data)


def safe_name(name: str) -> str:
    """A file name every OS accepts, keeping the sender's words and the suffix."""
    base = _UNSAFE.sub("_", basename(name)).strip(" .") or "附件.xlsx"
    stem, dot, ext = base.rpartition(".")
    return (stem[:100] + dot + ext[:10]) if dot and stem else base[:110]


def expand(name: str, data: bytes, source: Source, depth: int) -> list:
    """The records of one file held in memory: a workbook, or every workbook in a zip or a mail."""
    s = suffix(name)
    if s in OTHER_ARCHIVES:
        return [Unreadable(source, f"{basename(name)} 是 {s[1:].upper()} 压缩包，请解压后把文件夹交给本工具，或重新打包为 .zip")]
    if s in (ZIP, MAIL) and depth >= MAX_DEPTH:
        return [Unreadable(source, f"{basename(name)} 嵌套过深（压缩包或邮件套了 {MAX_DEPTH} 层以上），请解开后再试")]
    if s == ZIP:
        return _zip_bytes(data, source, depth)
    if s == MAIL:
        received, ours, others = mail_attachments(data, source.received)
        if not ours:
            what = f"（附件：{'、'.join(others)}）" if others else "（没有附件）"
            return [Unreadable(source, f"{basename(source.display)} 中没有 Excel 工作簿附件{what}，请联系发件单位补发 .xlsx")]
        out: list = []
        for att, payload in ours:
            out += expand(att, payload, Source(source.display + ARROW + att, source.link, received), depth + 1)
        return out
    return [review_bytes(data, name, source)]


def _zip_bytes(data: bytes, source: Source, depth: int) -> list:
    out: list = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info, name, where in members(z, source, out):
                out += _read_member(z, info, name, where, depth + 1)
    except zipfile.BadZipFile:
        out.append(Unreadable(source, f"{basename(source.display)} 不是有效的 zip 压缩包（可能已损坏），请重新打包"))
    return out


def _zip_member(job: Job) -> list:
    z = _archive(job.path)
    info = z.getinfo(job.member)
    return _read_member(z, info, member_name(info), job.source, 1)


_last = threading.local()


def _archive(path: str) -> zipfile.ZipFile:
    """The archive, kept open for the next member this worker (thread) reads from it: opening a zip reads its whole
    central directory, and an archive of 5,000 workbooks would otherwise be read 5,000 times."""
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)  # a Dask worker outlives the batch: a replaced archive is reopened
    if getattr(_last, "key", None) != key:
        if getattr(_last, "zip", None) is not None:
            _last.zip.close()
        _last.zip, _last.key = zipfile.ZipFile(path), key
    return _last.zip


def _read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, source: Source, depth: int) -> list:
    try:
        data = z.read(info)  # bounded: members() refused entries larger than the limits
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return [Unreadable(source, f"{basename(name)} 在压缩包中已损坏（校验失败），请重新打包")]
    except NotImplementedError:
        return [Unreadable(source, f"{basename(name)} 的压缩方式不受支持，请用常见的 zip 格式重新打包")]
    return expand(name, data, source, depth)
