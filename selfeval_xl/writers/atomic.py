"""Atomic output: write to a temp file in the target folder, then rename over."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from selfeval_xl.errors import FileError


@contextmanager
def atomic_path(target: str | os.PathLike, force: bool = True):
    """Yield a temp path beside `target`; on success rename it to `target`."""
    target = Path(target)
    if target.exists() and not force:
        raise FileError(f"{target} 已存在，未覆盖；如需覆盖请加 --force")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileError(f"输出目录 {folder} 不存在，请先创建")
    fd, tmp = tempfile.mkstemp(prefix=".~selfeval-", suffix=target.suffix, dir=folder)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    except PermissionError:
        raise FileError(f"无法写入 {target}：文件可能正在 Excel 中打开，请关闭后重试") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
