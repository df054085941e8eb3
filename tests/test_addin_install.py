"""Issue 15: `selfeval-xl addin install` and `addin doctor` on a first run, run here as Windows would see them.

Excel's side (its XLSTART folder, xlwings' installer) is a stand-in that copies files; everything else is real:
the interpreter is this Python, reached through a path holding Chinese characters (C:\\Users\\张三\\... as
symlinks), probed as RunPython will run it; the config file is written and read back by Python and by the
add-in's own VBA (run by LibreOffice Basic, tests/test_addin_vba.py); the add-in is built from the installed
xlwings. Failures end in one Chinese line and an exit code other than 0."""

from __future__ import annotations

import codecs
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from test_addin_vba import run_vba
from selfeval_xl.addin import confenc, entry
from selfeval_xl.addin.confenc import merged, read_conf, render_conf, write_conf
from selfeval_xl.addin.doctor import doctor
from selfeval_xl.addin.install import install
from selfeval_xl.addin.pythoncheck import probe, source_root
from selfeval_xl.addin.xlam import build
from selfeval_xl.addin.xlam.vbaproject import module_sources, read_streams, rebuild
from selfeval_xl.errors import EXIT_FINDINGS, EXIT_OK, SelfevalError

COMMITTED = ROOT / "addin" / "selfeval.xlam"


class StandInExcel:
    """Excel's side of install: its startup folder, and xlwings' installer, which copies the add-in there, or
    fails as that installer does, by printing (and returning normally)."""

    def __init__(self, folder: Path, fail: str | None = None):
        self.folder, self.fail, self.installed = folder, fail, []
        folder.mkdir(parents=True, exist_ok=True)

    def addin_dir(self) -> Path:
        return self.folder

    def running_addin_dir(self) -> Path:
        return self.folder

    def install(self, xlam: Path) -> str:
        self.installed.append(Path(xlam))
        if self.fail == "locked":
            return ("Error: Failed to install the add-in: If Excel is running, quit Excel and try again. If you are "
                    "using the '--glob' option make sure to run this command from an Elevated Command Prompt.\n")
        shutil.copyfile(xlam, self.folder / Path(xlam).name)
        if self.fail == "stale":  # the copy did not take: an older file is left in place
            (self.folder / Path(xlam).name).write_bytes(COMMITTED.read_bytes()[:-10] + b"\0" * 10)
        return "Successfully installed the xlwings add-in! Please restart Excel.\n"


class WindowsUser:
    def __init__(self, root: Path):
        self.profile = root / "Users" / "张三"
        self.python_dir = self.profile / "AppData" / "Local" / "Programs" / "Python" / "Python311"
        self.python_dir.mkdir(parents=True)
        for name in ("python.exe", "pythonw.exe"):  # this Python, under a path with Chinese characters
            (self.python_dir / name).symlink_to(sys.executable)
        self.conf = self.profile / ".selfeval" / "selfeval.conf"
        self.excel = StandInExcel(self.profile / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART")

    @property
    def pythonw(self) -> Path:
        return self.python_dir / "pythonw.exe"


@pytest.fixture
def user(tmp_path, monkeypatch):
    u = WindowsUser(tmp_path)
    monkeypatch.setenv("USERPROFILE", str(u.profile))
    return u


def run_install(user: WindowsUser, **kw) -> str:
    return install(platform="win32", executable=user.python_dir / "python.exe", excel=user.excel, **kw)


# ---------------------------------------------------------------- the config file

def test_config_file_bytes_for_windows_and_macos():
    pairs = [("Interpreter_Win", r"C:\Users\张三\Python311\pythonw.exe"), ("Mail_From", '"张三" <zs@example.cn>')]
    assert render_conf(pairs, "win32") == codecs.BOM_UTF8 + (
        '"Interpreter_Win","C:\\Users\\张三\\Python311\\pythonw.exe"\r\n"Mail_From","""张三"" <zs@example.cn>"\r\n'
    ).encode("utf-8")
    assert render_conf([("Interpreter_Mac", "/Users/zs/.venv/bin/python")], "darwin") == \
        b'"Interpreter_Mac","/Users/zs/.venv/bin/python"\n'  # as xlwings' own Python writes: Mac VBA reads it
    with pytest.raises(SelfevalError):
        render_conf([("Mail_To", "a\nb")], "win32")


def test_config_round_trip_with_chinese_paths_and_legacy_ansi_files(tmp_path, monkeypatch):
    path = tmp_path / "配置" / "selfeval.conf"
    pairs = [("Interpreter_Win", r"C:\Users\张三\pythonw.exe"), ("PYTHONPATH", r"D:\源码"), ("Mail_To", "a@b.cn")]
    write_conf(path, pairs, "win32")
    read = read_conf(path)
    assert (read.pairs, read.encoding, read.bom) == (pairs, "UTF-8", True)
    # what xlwings' VBA (Write #) or an old Notepad leaves: the ANSI code page (GBK on Chinese Windows)
    path.write_bytes('"Interpreter_Win","C:\\Users\\张三\\pythonw.exe"\r\n'.encode("gbk"))
    monkeypatch.setattr(confenc, "ansi_encoding", lambda: "gbk")
    read = read_conf(path)
    assert read.pairs == [("Interpreter_Win", r"C:\Users\张三\pythonw.exe")] and read.encoding == "gbk"
    assert not read.is_utf8
    monkeypatch.setattr(confenc, "ansi_encoding", lambda: "ascii")
    with pytest.raises(SelfevalError) as e:
        read_conf(path)
    assert "既不是 UTF-8 也不是本机 ANSI 编码" in e.value.message


def test_merged_sets_removes_and_keeps_the_rest():
    old = [("Mail_To", "a@b.cn"), ("interpreter_win", "C:\\old\\python.exe"), ("PYTHONPATH", "D:\\old"),
           ("Interpreter_Win", "dup")]
    assert merged(old, {"Interpreter_Win": "C:\\new\\pythonw.exe", "PYTHONPATH": None, "ADD_WORKBOOK_TO_PYTHONPATH": "false"}) \
        == [("Mail_To", "a@b.cn"), ("Interpreter_Win", "C:\\new\\pythonw.exe"), ("ADD_WORKBOOK_TO_PYTHONPATH", "false")]


# ---------------------------------------------------------------- install

def test_install_configures_the_python_running_it_under_a_chinese_path(user, tmp_path, monkeypatch):
    user.conf.parent.mkdir(parents=True)
    legacy = '"Mail_To","czj@futian.example.cn"\r\n"Interpreter_Win","C:\\旧\\python.exe"\r\n"SMTP_Password","hunter2"\r\n'
    user.conf.write_bytes(legacy.encode("gbk"))  # left by an earlier setup, in the ANSI code page
    monkeypatch.setattr(confenc, "ansi_encoding", lambda: "gbk")

    message = run_install(user)

    installed = user.excel.folder / "selfeval.xlam"
    assert message.splitlines() == [f"已安装：{installed}", f"Python：{user.pythonw}（已写入 {user.conf}）",
                                    "重新打开 Excel 后可见“绩效自评”选项卡。按钮无法运行时，请运行 selfeval-xl addin doctor 查看原因。"]
    assert installed.read_bytes() == COMMITTED.read_bytes()  # built from the installed xlwings: taken as it is
    assert user.conf.read_bytes() == codecs.BOM_UTF8 + (
        '"Mail_To","czj@futian.example.cn"\r\n'
        f'"Interpreter_Win","{user.pythonw}"\r\n'
        '"SMTP_Password","hunter2"\r\n'
        '"ADD_WORKBOOK_TO_PYTHONPATH","false"\r\n').encode("utf-8")
    # the add-in's VBA reads the interpreter back, Chinese characters and all (ADODB.Stream decodes UTF-8)
    text = user.conf.read_bytes().decode("utf-8")
    (tmp_path / "vba").mkdir()
    [(found, outs)] = run_vba(tmp_path / "vba", [("SelfevalConfLookup", [text, "INTERPRETER_WIN", ""])])
    assert found is True and outs == [str(user.pythonw)] and "张三" in outs[0]


def test_install_fails_with_one_line_when_the_copy_did_not_take(user):
    for fail, said in (("locked", "（xlwings：Error: Failed to install the add-in"), ("stale", "（xlwings：Successfully")):
        user.excel.fail = fail
        with pytest.raises(SelfevalError) as e:
            run_install(user)
        assert e.value.exit_code != 0 and "\n" not in e.value.message
        assert e.value.message.startswith(f"加载项没有装到 {user.excel.folder / 'selfeval.xlam'}{said}")
        assert e.value.message.endswith("请退出 Excel（任务管理器中也没有 EXCEL.EXE）后重试")


def test_install_refuses_a_python_that_cannot_run_the_buttons(user, tmp_path):
    venv = tmp_path / "空环境"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bare = venv / "bin" / "python"
    with pytest.raises(SelfevalError) as e:
        install(platform="win32", executable=bare, excel=user.excel)
    # selfeval_xl is found through PYTHONPATH (this checkout), xlwings is not there at all
    assert e.value.exit_code != 0 and e.value.message.startswith(f"Python {bare} 不能导入 xlwings，加载项的按钮无法运行")
    assert not user.conf.exists() and user.excel.installed == []
    import selfeval_xl
    import xlwings

    assert probe(bare, xlwings.__version__, selfeval_xl.__version__).code == 10  # selfeval_xl: not installed there
    assert probe(bare, xlwings.__version__, selfeval_xl.__version__, str(source_root())).code == 11


def test_install_refuses_on_linux():
    with pytest.raises(SelfevalError) as e:
        install(platform="linux")
    assert e.value.exit_code == 2 and "Linux" in e.value.message


def old_addin(path: Path, version: str = "0.30.0") -> Path:
    """The committed add-in as if built from another xlwings: its xlwings module says that version."""
    with zipfile.ZipFile(COMMITTED) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    blob = parts["xl/vbaProject.bin"]
    code = module_sources(blob)["xlwings"].replace(
        f'XLWINGS_VERSION As String = "{build.xlwings_version_of(COMMITTED)}"', f'XLWINGS_VERSION As String = "{version}"')
    parts["xl/vbaProject.bin"] = rebuild(read_streams(blob), {"xlwings": ("xlwings", code)}, build.PROJECT)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_install_never_installs_an_addin_built_from_another_xlwings(user, tmp_path, monkeypatch):
    old = tmp_path / "given" / "selfeval.xlam"
    old.parent.mkdir()
    old_addin(old)
    assert build.xlwings_version_of(old) == "0.30.0"
    with pytest.raises(SelfevalError) as e:
        run_install(user, xlam=str(old))
    assert "由 xlwings 0.30.0 构建" in e.value.message and user.excel.installed == []
    # the checkout's add-in is stale: install rebuilds it from the installed xlwings, then installs that
    checkout = tmp_path / "checkout"
    (checkout / "addin").mkdir(parents=True)
    (checkout / "macros").mkdir()
    shutil.copy(ROOT / "addin" / "customUI14.xml", checkout / "addin")
    shutil.copy(ROOT / "macros" / "RibbonSelfeval.bas", checkout / "macros")
    old_addin(checkout / "addin" / "selfeval.xlam")
    monkeypatch.setattr(build, "repo_root", lambda: checkout)
    message = run_install(user)
    assert message.startswith("已用本机 xlwings")
    assert (user.excel.folder / "selfeval.xlam").read_bytes() == COMMITTED.read_bytes()


# ---------------------------------------------------------------- doctor

def test_doctor_after_install_reports_everything_and_no_secret(user, monkeypatch):
    monkeypatch.setattr(confenc, "ansi_encoding", lambda: "gbk")
    user.conf.parent.mkdir(parents=True)
    user.conf.write_bytes('"Interpreter_Win","C:\\旧\\python.exe"\r\n"SMTP_Password","hunter2"\r\n'.encode("gbk"))
    text, code = doctor(platform="win32", excel=user.excel)
    assert code == EXIT_FINDINGS
    assert f"[问题] 配置文件 {user.conf}：gbk 编码" in text and "[问题] 配置的 Python C:\\旧\\python.exe：不存在" in text
    assert f"[问题] Excel 的加载项文件夹 {user.excel.folder}：没有 selfeval.xlam" in text
    assert text.endswith("结论：发现 3 个问题，请按上面 → 的提示处理。")

    run_install(user)
    text, code = doctor(platform="win32", excel=user.excel)
    assert code == EXIT_OK, text
    import xlwings

    for line in (f"[正常] xlwings：本机 {xlwings.__version__}",
                 f"[正常] 加载项文件 {COMMITTED}：由 xlwings {xlwings.__version__} 构建",
                 f"[正常] 配置文件 {user.conf}：UTF-8（带 BOM）",
                 f'[信息]   "Interpreter_Win","{user.pythonw}"',
                 '[信息]   "SMTP_Password","******（已隐藏）"',
                 f"[正常] Python {user.pythonw}：能导入 selfeval_xl",
                 f"[正常] 已安装的 {user.excel.folder / 'selfeval.xlam'}：xlwings {xlwings.__version__}，与源码中的相同"):
        assert line in text, (line, text)
    assert "hunter2" not in text and text.endswith("结论：一切正常。")


def test_doctor_on_linux_checks_all_but_excel(tmp_path, monkeypatch):
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    text, code = doctor(platform="linux")
    assert code == EXIT_OK, text
    assert "[信息] Excel：不适用（Linux 上没有 Excel）" in text
    assert f"[正常] Python {sys.executable}：能导入 selfeval_xl" in text
    assert f"配置文件 {tmp_path / '.selfeval' / 'selfeval.conf'}：不存在" in text


# ---------------------------------------------------------------- 新建 / 帮助 with no workbook open

class StandInApp:
    def __init__(self):
        self.alerts = []

    def alert(self, message, title=""):
        self.alerts.append((title, message))


class StandInBook:
    """The blank workbook the ribbon opens when none is (RunPython needs an active workbook), as xlwings shows it."""

    def __init__(self):
        self.closed, self.app = False, StandInApp()

    def close(self):
        self.closed = True


def test_new_and_help_run_with_the_stand_in_and_close_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(entry, "_open", lambda path: None)
    for call in (entry.on_new_dept, entry.on_help):
        book = StandInBook()
        monkeypatch.setattr(entry, "_caller_book", lambda book=book: book)
        message = call(stand_in=True)
        assert book.app.alerts == [("绩效自评", message)] and book.closed
    assert (tmp_path / "Documents" / "部门整体支出绩效自评_1.xlsx").is_file()
    assert "selfeval-xl addin doctor" in message


def test_settings_sheet_keeps_the_users_file_out_and_does_not_mask_it(example_xlsx, tmp_path, monkeypatch):
    """设置 writes every key with its default into the workbook: the user's own SMTP login must not travel with
    the workbook, and the sheet's empty cells must not hide the values of the user's file."""
    from selfeval_xl.addin import buttons, config
    from selfeval_xl.writers.openpyxl_port import OpenpyxlPort

    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    write_conf(tmp_path / ".selfeval" / "selfeval.conf",
               [("Mail_To", "czj@futian.example.cn"), ("SMTP_User", "zhangsan@futian.example.cn")], "win32")
    book = Path(shutil.copyfile(example_xlsx, tmp_path / "book.xlsx"))
    port = OpenpyxlPort(book)
    buttons.settings_action(port)
    grid = port.source().grid(config.CONF_SHEET)
    written = {r[0]: r[1] for r in grid.rows if r and r[0]}
    assert written["SMTP_User"] in ("", None) and written["Mail_To"] in ("", None)
    assert "Interpreter_Win" not in written  # machine settings are not the workbook's
    conf = config.config(buttons.read_sheets(port))
    assert conf["Mail_To"] == "czj@futian.example.cn" and conf["Threshold"] == "90"
