"""`selfeval-xl addin doctor`: what a support person needs to see why the add-in's buttons do not run.

The checks are declared in order (each a `_check_*`); all of them run and every result is printed, each
problem with what to do. Exit code 0 when nothing failed, 1 otherwise. On Linux everything but Excel is
checked (the config file, the interpreter, the add-in file). Passwords and other secrets are never printed."""

from __future__ import annotations

import sys
from pathlib import Path

from selfeval_xl.addin.confenc import read_conf, shown
from selfeval_xl.addin.config import conf_file
from selfeval_xl.addin.install import ADDIN_NAME, INTERPRETER_KEY, sha256
from selfeval_xl.addin.pythoncheck import interpreter_for, probe
from selfeval_xl.core.record import field, record
from selfeval_xl.errors import EXIT_FINDINGS, EXIT_OK, SelfevalError

OK, INFO, PROBLEM = "正常", "信息", "问题"
PLATFORM_NAME = {"win32": "Windows", "darwin": "macOS"}


@record(frozen=True)
class Line:
    status: str
    text: str
    fix: str = ""


@record
class _Doctor:
    platform: str
    excel: object
    lines: list[Line] = field(default_factory=list)
    source_xlam: Path | None = None
    conf: dict[str, str] = field(default_factory=dict)

    def add(self, status: str, text: str, fix: str = "") -> None:
        self.lines.append(Line(status, text, fix))

    def _check_versions(self) -> None:
        import xlwings

        import selfeval_xl

        self.add(INFO, f"selfeval-xl {selfeval_xl.__version__}：{Path(selfeval_xl.__file__).parent}")
        self.add(INFO, f"本命令的 Python：{sys.executable}（{sys.version.split()[0]}）")
        wanted = _required_xlwings()
        if wanted and wanted != xlwings.__version__:
            self.add(PROBLEM, f"xlwings：本机 {xlwings.__version__}，selfeval-xl 要求 {wanted}",
                     f"运行 {sys.executable} -m pip install xlwings=={wanted}")
        else:
            self.add(OK, f"xlwings：本机 {xlwings.__version__}" + (f"（selfeval-xl 要求 {wanted}）" if wanted else ""))

    def _check_addin_file(self) -> None:
        import xlwings

        from selfeval_xl.addin.xlam.build import repo_root, xlwings_version_of

        try:
            self.source_xlam = repo_root() / "addin" / ADDIN_NAME
        except SelfevalError:
            self.add(INFO, "不在 selfeval-xl 源码目录中：不检查 addin/selfeval.xlam")
            return
        if not self.source_xlam.is_file():
            self.add(PROBLEM, f"加载项文件 {self.source_xlam}：不存在", "运行 selfeval-xl addin build")
            self.source_xlam = None
            return
        built = xlwings_version_of(self.source_xlam)
        if built != xlwings.__version__:
            self.add(PROBLEM, f"加载项文件 {self.source_xlam}：由 xlwings {built} 构建，本机是 {xlwings.__version__}",
                     "运行 selfeval-xl addin build，再运行 selfeval-xl addin install")
        else:
            self.add(OK, f"加载项文件 {self.source_xlam}：由 xlwings {built} 构建")

    def _check_config(self) -> None:
        path = conf_file(self.platform)
        try:
            read = read_conf(path)
        except SelfevalError as e:
            self.add(PROBLEM, f"配置文件 {path}：{e.message}", "删除它，再运行 selfeval-xl addin install")
            return
        if read is None:
            if self.platform in INTERPRETER_KEY:
                self.add(PROBLEM, f"配置文件 {path}：不存在（加载项不知道用哪个 Python）", "运行 selfeval-xl addin install")
            else:
                self.add(INFO, f"配置文件 {path}：不存在（{_platform(self.platform)} 上只用于邮件等设置，可以没有）")
            return
        if read.is_utf8:
            self.add(OK, f"配置文件 {path}：UTF-8{'（带 BOM）' if read.bom else ''}")
        else:
            self.add(PROBLEM, f"配置文件 {path}：{read.encoding} 编码，加载项按 UTF-8 读取，路径中的中文会读错",
                     "运行 selfeval-xl addin install（改写为 UTF-8，其他设置保留）")
        for key, value in read.pairs:
            self.add(INFO, f'  "{key}","{shown(key, value)}"')
            self.conf.setdefault(key.strip().lower(), value.strip())

    def _check_interpreter(self) -> None:
        import xlwings

        import selfeval_xl

        key = INTERPRETER_KEY.get(self.platform)
        if key is None:
            interpreter = interpreter_for(sys.executable, self.platform)
            self.add(INFO, f"{_platform(self.platform)}：加载项不在这里运行；检查 addin install 会配置的 Python：{interpreter}")
        else:
            configured = self.conf.get(key.lower()) or self.conf.get("interpreter")
            if not configured:
                self.add(PROBLEM, f"配置文件中没有 {key}：加载项会运行 PATH 中的 python（可能是别的 Python 或应用商店的占位程序）",
                         "运行 selfeval-xl addin install")
                return
            interpreter = Path(configured)
            if not interpreter.is_file():
                self.add(PROBLEM, f"配置的 Python {interpreter}：不存在", "用装有 selfeval-xl 的 Python 运行 selfeval-xl addin install")
                return
        check = probe(interpreter, xlwings.__version__, selfeval_xl.__version__, self.conf.get("pythonpath", ""))
        if check.ok:
            self.add(OK, f"Python {interpreter}：能导入 selfeval_xl {selfeval_xl.__version__} 和 xlwings {xlwings.__version__}")
        else:
            self.add(PROBLEM, f"Python {interpreter}：{check.problem()}",
                     f"运行 {interpreter} -m pip install <selfeval-xl 源码目录>，或用装有 selfeval-xl 的 Python 运行 selfeval-xl addin install")

    def _check_excel(self) -> None:
        import xlwings

        from selfeval_xl.addin.xlam.build import xlwings_version_of

        if self.platform not in INTERPRETER_KEY:
            self.add(INFO, f"Excel：不适用（{_platform(self.platform)} 上没有 Excel）")
            return
        folder = _addin_dir(self.excel, self.platform)
        if folder is None:
            self.add(PROBLEM, "Excel 的加载项文件夹（XLSTART）：无法询问 Excel", "打开 Excel 后再运行 selfeval-xl addin doctor")
            return
        installed = folder / ADDIN_NAME
        if not installed.is_file():
            self.add(PROBLEM, f"Excel 的加载项文件夹 {folder}：没有 {ADDIN_NAME}", "运行 selfeval-xl addin install")
            return
        built = xlwings_version_of(installed)
        same = self.source_xlam is not None and sha256(installed) == sha256(self.source_xlam)
        if built != xlwings.__version__:
            self.add(PROBLEM, f"已安装的 {installed}：由 xlwings {built} 构建，本机是 {xlwings.__version__}",
                     "运行 selfeval-xl addin install")
        elif self.source_xlam is not None and not same:
            self.add(PROBLEM, f"已安装的 {installed}：与 {self.source_xlam} 不同（旧版本？）", "运行 selfeval-xl addin install")
        else:
            self.add(OK, f"已安装的 {installed}：xlwings {built}" + ("，与源码中的相同" if same else ""))

    def _check_applescript(self) -> None:
        import xlwings

        from selfeval_xl.addin.excel import applescript_path

        if self.platform != "darwin":
            return
        script = applescript_path(xlwings.__version__)
        if script.is_file():
            self.add(OK, f"RunPython 的 AppleScript：{script}")
        else:
            self.add(PROBLEM, f"RunPython 的 AppleScript {script}：不存在", "运行 xlwings runpython install")


def _platform(platform: str) -> str:
    return PLATFORM_NAME.get(platform, "Linux" if platform.startswith("linux") else platform)


def _required_xlwings() -> str | None:
    """The xlwings version selfeval-xl's installed metadata pins (xlwings==X), if any."""
    import re
    from importlib import metadata

    try:
        requires = metadata.requires("selfeval-xl") or []
    except metadata.PackageNotFoundError:
        return None
    for req in requires:
        m = re.match(r"xlwings\s*==\s*([\w.]+)", req)
        if m:
            return m.group(1)
    return None


def _addin_dir(excel, platform: str) -> Path | None:
    """The XLSTART folder: from a running Excel, else from one started unseen, else the default path."""
    from selfeval_xl.addin.excel import default_addin_dir

    for ask in (excel.running_addin_dir, excel.addin_dir):
        try:
            folder = ask()
        except Exception:  # Excel missing, or refusing automation: fall back to the default
            folder = None
        if folder:
            return Path(folder)
    return default_addin_dir(platform)


def doctor(platform: str = sys.platform, excel=None) -> tuple[str, int]:
    """The report to print and the exit code (0: nothing failed, 1: at least one problem)."""
    if excel is None and platform in INTERPRETER_KEY:
        from selfeval_xl.addin.excel import XlwingsExcel

        excel = XlwingsExcel()
    d = _Doctor(platform, excel)
    for check in (d._check_versions, d._check_addin_file, d._check_config, d._check_interpreter, d._check_excel,
                  d._check_applescript):
        check()
    problems = [line for line in d.lines if line.status == PROBLEM]
    out = [f"selfeval-xl 加载项诊断（{_platform(platform)}）"]
    for line in d.lines:
        out.append(f"[{line.status}] {line.text}")
        if line.fix:
            out.append(f"       → {line.fix}")
    out.append(f"结论：发现 {len(problems)} 个问题，请按上面 → 的提示处理。" if problems else "结论：一切正常。")
    return "\n".join(out), EXIT_FINDINGS if problems else EXIT_OK
