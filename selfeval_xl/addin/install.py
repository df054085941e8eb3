"""`selfeval-xl addin install`: hand the built add-in to xlwings' own installer (Windows, macOS)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from selfeval_xl.errors import FileError, InputError


def install(xlam: str | None = None) -> str:
    """Install the add-in into Excel's XLSTART folder through `xlwings addin install --file`."""
    if sys.platform not in ("win32", "darwin"):
        raise InputError("这台电脑上没有 Excel（Linux）：加载项只能装在 Windows 或 macOS 的 Excel 中。"
                         "在这里可直接用命令行：selfeval-xl validate / score / export / mail")
    if xlam is None:
        from selfeval_xl.addin.xlam.build import repo_root

        path = repo_root() / "addin" / "selfeval.xlam"
    else:
        path = Path(xlam)
    if not path.is_file():
        raise FileError(f"找不到 {path}：请先运行 selfeval-xl addin build")
    exe = shutil.which("xlwings")
    cmd = [exe] if exe else [sys.executable, "-m", "xlwings.cli"]
    r = subprocess.run(cmd + ["addin", "install", "--file", str(path)], capture_output=True, text=True)
    if r.returncode != 0:
        raise FileError(f"xlwings 安装加载项失败：{(r.stderr or r.stdout).strip().splitlines()[-1:]}；请关闭 Excel 后重试")
    return f"已安装 {path.name}。重新打开 Excel 后可见“绩效自评”选项卡；Python 路径在“设置”中填写。"
