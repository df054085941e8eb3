"""Atomic output: write to a temp file in the target folder, then rename over.

Every failure to write is a FileError (exit 3) naming the path and why (无写入权限, 磁盘已满, 是一个文件夹,
只读文件系统, …). The temp file is made inside the guarded region and removed on every failure; one left by a
run that was killed is removed by the next write into that folder once it is an hour old. A new file gets the
permissions the user's umask gives; a file replaced keeps its own."""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from selfeval_xl.errors import FileError
from selfeval_xl.sources.package import shown

PREFIX = ".~selfeval-"
STALE_AFTER = 3600  # seconds: far longer than any write takes, so a file this old has no writer
_REASONS = {
    errno.EACCES: "无写入权限", errno.EPERM: "无写入权限", errno.ENOSPC: "磁盘已满", errno.EISDIR: "是一个文件夹",
    errno.EROFS: "只读文件系统", errno.ENOENT: "文件夹不存在", errno.ENAMETOOLONG: "文件名过长",
    errno.EFBIG: "文件超过文件系统允许的大小", errno.ENOTDIR: "路径中有一项不是文件夹",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "磁盘配额已满"


@contextmanager
def atomic_path(target: str | os.PathLike, force: bool = True):
    """Yield a temp path beside `target`; on success rename it to `target`."""
    target = Path(target)
    if target.is_dir():
        raise FileError(f"无法写入 {shown(str(target), 200)}：是一个文件夹，请给出文件名")
    if target.exists() and not force:
        raise FileError(f"{shown(str(target), 200)} 已存在，未覆盖；如需覆盖请加 --force")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileError(f"输出目录 {shown(str(folder), 200)} 不存在，请先创建")
    remove_stale(folder)
    tmp = None
    step = "create"
    try:
        fd, tmp = tempfile.mkstemp(prefix=PREFIX, suffix=target.suffix, dir=folder)
        os.close(fd)
        step = "write"
        yield tmp
        step = "replace"
        _give_mode(tmp, target)
        os.replace(tmp, target)
        tmp = None
    except Exception as e:
        cause = os_error(e)
        if cause is None or not _about(cause, folder, target):
            raise
        _release(e)
        raise write_error(target, cause, step) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def os_error(e: BaseException) -> OSError | None:
    """The OSError behind an exception: itself, or one a library wrapped (xlsxwriter's FileCreateError holds
    it in args; `raise … from` chains it). An error raised while handling one is not caused by it."""
    for _ in range(5):
        if e is None or isinstance(e, OSError):
            return e
        e = next((a for a in getattr(e, "args", ()) if isinstance(a, OSError)), None) or e.__cause__
    return None


def _about(e: OSError, folder: Path, target: Path) -> bool:
    """True when the error is about writing the output: it names no file (a write, a full disk), or a file in
    the output's folder (the temp file, the target; a copy names both ends). An input that cannot be read is
    not an output fault."""
    if e.filename is None:
        return True
    for f in (e.filename, e.filename2):
        name = os.path.abspath(os.fsdecode(f)) if f is not None else None
        if name == os.path.abspath(target) or (name and os.path.dirname(name) == os.path.abspath(folder)):
            return True
    return False


def write_error(target: Path, e: OSError, step: str = "write") -> FileError:
    """One line naming the path and the reason."""
    reason = _REASONS.get(e.errno) or (e.strerror or type(e).__name__)
    if os.name == "nt" and step == "replace" and isinstance(e, PermissionError):
        reason = "文件正在被其他程序（如 Excel）打开，请关闭后重试"
    return FileError(f"无法写入 {shown(str(target), 200)}：{reason}")


def _release(e: BaseException) -> None:
    """Close, now and quietly, what the failed writer still holds open on the temp file (xlsxwriter leaves its
    ZipFile in a frame of the traceback): later, at exit, its failure to flush would print a traceback, and
    Windows cannot remove a file that is open."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        while e is not None:
            traceback.clear_frames(e.__traceback__)
            e = e.__cause__ or e.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def remove_stale(folder: Path) -> None:
    """Remove our temp files in folder left by a run that was killed (best effort: another user's stay)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(PREFIX):
            try:
                if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_AFTER:
                    os.unlink(entry.path)
            except OSError:
                pass


def _give_mode(tmp: str, target: Path) -> None:
    """mkstemp makes 0600: give the file what the user's umask gives (or what the file it replaces had)."""
    if os.name == "nt":
        return
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)


def _umask() -> int:
    try:  # Linux says it without changing it
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
