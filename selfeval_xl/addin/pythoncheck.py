"""The Python the add-in runs: which interpreter `addin install` configures, and whether it can run the buttons.

The probe runs the interpreter as xlwings' RunPython will (another process, another working directory, no
PYTHONPATH from this shell, the configured PYTHONPATH put first on sys.path) and reports by exit code only:
pythonw.exe has no console, so its exit code is the one channel that always works."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from selfeval_xl.core.record import record

_PROBE = """import sys
sys.path[0:0] = [p for p in sys.argv[1].split(';') if p]
try:
    import selfeval_xl
except Exception:
    sys.exit(10)
try:
    import xlwings
except Exception:
    sys.exit(11)
if xlwings.__version__ != sys.argv[2]:
    sys.exit(12)
sys.exit(0 if selfeval_xl.__version__ == sys.argv[3] else 13)
"""

PROBLEMS = {
    10: "不能导入 selfeval_xl（这个 Python 里没有安装 selfeval-xl）",
    11: "不能导入 xlwings",
    12: "其中的 xlwings 版本与加载项不同",
    13: "其中的 selfeval-xl 版本与本命令不同",
}


@record(frozen=True)
class Probe:
    """What running the interpreter told: code 0 is fine; 10-13 as in PROBLEMS; anything else, it did not run."""

    interpreter: Path
    code: int | None  # None: could not be started at all
    pythonpath: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0

    def problem(self) -> str:
        if self.code is None:
            return "无法启动"
        return PROBLEMS.get(self.code, f"运行失败（退出码 {self.code}）")


def interpreter_for(executable: str | Path, platform: str) -> Path:
    """The interpreter the add-in should run: pythonw.exe beside this one on Windows (no console window),
    this one elsewhere."""
    exe = Path(executable)
    if platform == "win32":
        windowless = exe.with_name("pythonw.exe")
        if windowless.is_file():
            return windowless
    return exe


def probe(interpreter: Path, xlwings_version: str, selfeval_version: str, pythonpath: str = "",
          timeout: float = 120) -> Probe:
    """Run interpreter as RunPython will, and say whether it imports selfeval_xl and the right xlwings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    with tempfile.TemporaryDirectory(prefix="selfeval-probe-") as cwd:
        try:
            r = subprocess.run([str(interpreter), "-B", "-c", _PROBE, pythonpath, xlwings_version, selfeval_version],
                               cwd=cwd, env=env, capture_output=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            return Probe(interpreter, None, pythonpath)
    return Probe(interpreter, r.returncode, pythonpath)


def source_root() -> Path:
    """The folder that holds the selfeval_xl package this command runs from (a PYTHONPATH entry for it)."""
    import selfeval_xl

    return Path(selfeval_xl.__file__).resolve().parent.parent
