"""`selfeval-xl addin install`: the add-in into Excel, set up so that its buttons work on first use.

Steps, in order (each a `_step_*`): the interpreter (the Python running this command; pythonw.exe beside it on
Windows) and a probe that it runs the buttons as RunPython will, with PYTHONPATH added when selfeval_xl is only
importable from this checkout; the add-in built from the installed xlwings (rebuilt when the committed one is
from another xlwings); the user's config file (UTF-8, confenc.py) with the interpreter and what RunPython needs;
the copy through xlwings' installer, checked by hash (that installer prints its failures and exits 0); on macOS
RunPython's AppleScript. Any failure raises with one Chinese line, so the command exits with its code (≠ 0)."""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

from selfeval_xl.addin.confenc import merged, read_conf, write_conf
from selfeval_xl.addin.config import conf_file
from selfeval_xl.addin.pythoncheck import Probe, interpreter_for, probe, source_root
from selfeval_xl.core.record import field, record
from selfeval_xl.errors import FileError, InputError

ADDIN_NAME = "selfeval.xlam"
INTERPRETER_KEY = {"win32": "Interpreter_Win", "darwin": "Interpreter_Mac"}


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def machine_settings(interpreter: Path, pythonpath: str, platform: str) -> dict[str, str | None]:
    """The keys install writes: the interpreter, PYTHONPATH (removed when not needed) and the workbook's folder
    kept off sys.path (a module beside a workbook from elsewhere must not shadow selfeval_xl)."""
    return {INTERPRETER_KEY[platform]: str(interpreter), "PYTHONPATH": pythonpath or None,
            "ADD_WORKBOOK_TO_PYTHONPATH": "false"}


@record
class _Install:
    platform: str
    executable: Path
    excel: object
    xlam: Path | None = None
    interpreter: Path | None = None
    pythonpath: str = ""
    conf: Path | None = None
    installed: Path | None = None
    notes: list[str] = field(default_factory=list)

    def _step_interpreter(self) -> None:
        import xlwings

        import selfeval_xl

        self.interpreter = interpreter_for(self.executable, self.platform)
        check = probe(self.interpreter, xlwings.__version__, selfeval_xl.__version__)
        if check.code == 10:  # selfeval_xl only importable from this checkout: put it on the add-in's PYTHONPATH
            check = probe(self.interpreter, xlwings.__version__, selfeval_xl.__version__, str(source_root()))
        if not check.ok:
            raise InputError(_probe_failure(check))
        self.pythonpath = check.pythonpath
        if self.platform == "darwin" and not (str(self.interpreter) + self.pythonpath).isascii():
            raise InputError(f"macOS 版 Excel 读取设置时不支持路径中的中文：{self.interpreter}。"
                             "请把 Python（或虚拟环境）放在只含英文字母的路径下，再用它运行 selfeval-xl addin install")

    def _step_addin_file(self, given: str | None) -> None:
        import xlwings

        from selfeval_xl.addin.xlam.build import build_xlam, repo_root, xlwings_version_of

        if given is None:
            path = repo_root() / "addin" / ADDIN_NAME
        else:
            path = Path(given)
        if not path.is_file():
            raise FileError(f"找不到 {path}：请先运行 selfeval-xl addin build")
        built_with = xlwings_version_of(path)
        if built_with != xlwings.__version__:
            if given is not None:
                raise FileError(f"{path} 由 xlwings {built_with} 构建，本机是 xlwings {xlwings.__version__}：按钮会找不到 "
                                "RunPython 的组件。请运行 selfeval-xl addin build 后重试")
            path = build_xlam(Path(tempfile.mkdtemp(prefix="selfeval-xlam-")) / ADDIN_NAME)
            self.notes.append(f"已用本机 xlwings {xlwings.__version__} 重新生成加载项（仓库中的由 {built_with} 构建）")
        if path.name != ADDIN_NAME:  # Excel knows the add-in by its file name
            raise FileError(f"加载项文件应名为 {ADDIN_NAME}，而不是 {path.name}")
        self.xlam = path

    def _step_config(self) -> None:
        self.conf = conf_file(self.platform)
        old = read_conf(self.conf)
        pairs = merged(old.pairs if old else [], machine_settings(self.interpreter, self.pythonpath, self.platform))
        write_conf(self.conf, pairs, self.platform)

    def _step_copy(self) -> None:
        output = self.excel.install(self.xlam)
        target = Path(self.excel.addin_dir()) / ADDIN_NAME
        if not target.is_file() or sha256(target) != sha256(self.xlam):
            said = [line.strip() for line in output.splitlines() if line.strip()]
            detail = f"（xlwings：{said[-1]}）" if said else ""
            raise FileError(f"加载项没有装到 {target}{detail}：请退出 Excel（任务管理器中也没有 EXCEL.EXE）后重试")
        self.installed = target

    def _step_applescript(self) -> None:
        import xlwings

        from selfeval_xl.addin.excel import applescript_path

        script = applescript_path(xlwings.__version__)
        if self.platform == "darwin" and not script.is_file():
            raise FileError(f"缺少 RunPython 所需的 {script}：请运行 xlwings runpython install 后重试")


def _probe_failure(check: Probe) -> str:
    return (f"Python {check.interpreter} {check.problem()}，加载项的按钮无法运行。请用装有 selfeval-xl 的 Python 运行本命令"
            f"（例如 {check.interpreter} -m selfeval_xl addin install）")


def install(xlam: str | None = None, *, platform: str = sys.platform, executable: str | Path = sys.executable,
            excel=None) -> str:
    """Install the add-in for the Excel of this user; the lines to print. Raises with one line on any failure."""
    if platform not in INTERPRETER_KEY:
        raise InputError("这台电脑上没有 Excel（Linux）：加载项只能装在 Windows 或 macOS 的 Excel 中。"
                         "在这里可直接用命令行：selfeval-xl validate / score / export / mail")
    if excel is None:
        from selfeval_xl.addin.excel import XlwingsExcel

        excel = XlwingsExcel()
    run = _Install(platform, Path(executable), excel)
    run._step_interpreter()
    run._step_addin_file(xlam)
    run._step_config()
    run._step_copy()
    run._step_applescript()
    return "\n".join([*run.notes,
                      f"已安装：{run.installed}",
                      f"Python：{run.interpreter}（已写入 {run.conf}）",
                      "重新打开 Excel 后可见“绩效自评”选项卡。按钮无法运行时，请运行 selfeval-xl addin doctor 查看原因。"])
