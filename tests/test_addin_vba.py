"""Issue 15: the add-in's VBA, checked without Excel.

- Both modules (macros/RibbonSelfeval.bas and the patched xlwings module) parse with a VBA grammar (antlr4-vba)
  on every conditional-compilation branch (Windows 64/32-bit, VBA6, macOS).
- The guard: the parse tree of SelfevalRun shows that with no workbook open only 新建 and 帮助 go on, that
  RunPython runs only once Python is configured, and that every error ends in one alert; every message decodes
  to its Chinese text and names `selfeval-xl addin doctor` where something must be fixed.
- The config file's encoding, both ways: what Python writes (a path with Chinese characters, UTF-8) is read by
  the VBA's own parser, executed by LibreOffice Basic (VBA mode), and agrees with Python's reader."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from selfeval_xl.addin.confenc import read_conf, render_conf
from selfeval_xl.addin.xlam.build import PROJECT, xlwings_dir, xlwings_module
from selfeval_xl.addin.xlam.vbaproject import module_sources, read_streams, rebuild

RIBBON = (ROOT / "macros" / "RibbonSelfeval.bas").read_text("ascii")
BRANCHES = {
    "Windows 64-bit": {"Mac": False, "Win64": True, "Win32": True, "VBA7": True, "VBA6": True},
    "Windows 32-bit": {"Mac": False, "Win64": False, "Win32": True, "VBA7": True, "VBA6": True},
    "Windows VBA6": {"Mac": False, "Win64": False, "Win32": True, "VBA7": False, "VBA6": True},
    "macOS": {"Mac": True, "Win64": False, "Win32": False, "VBA7": True, "VBA6": True, "MAC_OFFICE_VERSION": 16},
}
DOCTOR = "请在命令提示符（macOS 为终端）中运行 selfeval-xl addin doctor 查看原因。"
MESSAGES = {
    "MsgNoWorkbook": "请先打开工作簿，再点此按钮（“新建”和“帮助”不需要打开工作簿）。",
    "MsgNotConfigured": "还没有为加载项配置 Python。请在命令提示符（macOS 为终端）中运行 selfeval-xl addin install，"
                        "然后重新打开 Excel。\n" + DOCTOR,
    "MsgPythonFailed": "Python 没能运行（可能未安装、已移动，或缺少 selfeval-xl）。\n" + DOCTOR,
    "DoctorHint": DOCTOR,
}


# ---------------------------------------------------------------- conditional compilation, grammar

def _cc_value(expr: str, consts: dict):
    """A conditional-compilation expression of the forms these modules use: X, Not X, X = "s", X >= n."""
    expr = expr.strip()
    if m := re.fullmatch(r"Not\s+(.+)", expr, re.I):
        return not _cc_value(m.group(1), consts)
    if m := re.fullmatch(r'(\w+)\s*=\s*"([^"]*)"', expr):
        return consts.get(m.group(1)) == m.group(2)
    if m := re.fullmatch(r"(\w+)\s*>=\s*(\d+)", expr):
        return (consts.get(m.group(1)) or 0) >= int(m.group(2))
    if m := re.fullmatch(r'"([^"]*)"', expr):
        return m.group(1)
    if re.fullmatch(r"\w+", expr):
        return bool(consts.get(expr, False))
    raise AssertionError(f"conditional-compilation expression not understood: {expr!r}")


def resolve(text: str, consts: dict) -> str:
    """The module as VBA compiles it with these constants: directive lines and excluded lines become blank
    (line numbers kept)."""
    consts, out, stack = dict(consts), [], []  # stack frames: [parent active, a branch taken, this branch active]
    for line in text.replace("\r\n", "\n").split("\n"):
        code = re.sub(r"\s'.*$", "", line).strip()
        active = all(f[2] for f in stack)
        if m := re.match(r"#Const\s+(\w+)\s*=\s*(.+)$", code, re.I):
            if active:
                consts[m.group(1)] = _cc_value(m.group(2), consts)
        elif m := re.match(r"#If\s+(.+?)\s+Then$", code, re.I):
            cond = active and _cc_value(m.group(1), consts)
            stack.append([active, cond, cond])
        elif m := re.match(r"#ElseIf\s+(.+?)\s+Then$", code, re.I):
            parent, taken, _ = stack[-1]
            cond = parent and not taken and _cc_value(m.group(1), consts)
            stack[-1] = [parent, taken or cond, cond]
        elif re.match(r"#Else$", code, re.I):
            parent, taken, _ = stack[-1]
            stack[-1] = [parent, True, parent and not taken]
        elif re.match(r"#End\s*If$", code, re.I):
            stack.pop()
        else:
            out.append(line if active else "")
            continue
        out.append("")
    assert not stack, "unclosed #If"
    return "\n".join(out)


class Parsed:
    """A module parsed with the antlr4-vba grammar; syntax errors collected."""

    def __init__(self, text: str):
        pytest.importorskip("antlr4_vba", reason="the VBA grammar: pip install antlr4-vba (a test extra)")
        import antlr4
        from antlr4.error.ErrorListener import ErrorListener
        from antlr4_vba.vbaLexer import vbaLexer
        from antlr4_vba.vbaParser import vbaParser

        errors = self.errors = []

        class Collect(ErrorListener):
            def syntaxError(self, recognizer, symbol, line, column, msg, e):
                errors.append(f"line {line}:{column} {msg}")

        self.text = text
        lexer = vbaLexer(antlr4.InputStream(text))
        parser = vbaParser(antlr4.CommonTokenStream(lexer))
        for r in (lexer, parser):
            r.removeErrorListeners()
            r.addErrorListener(Collect())
        self.rules = parser.ruleNames
        self.tree = parser.startRule()

    def find(self, node, rule: str) -> list:
        from antlr4.tree.Tree import TerminalNode

        if isinstance(node, TerminalNode):
            return []
        found = [node] if self.rules[node.getRuleIndex()] == rule else []
        for child in node.children or []:
            found += self.find(child, rule)
        return found

    def source(self, node) -> str:
        return self.text[node.start.start:node.stop.stop + 1]

    def procedures(self) -> dict[str, object]:
        out = {}
        for kind, name in (("subroutineDeclaration", "subroutineName"), ("functionDeclaration", "functionName")):
            for node in self.find(self.tree, kind):
                out[self.find(node, name)[0].getText()] = node
        return out

    def condition(self, if_node) -> str:
        return self.source(self.find(if_node, "booleanExpression")[0])


PROCEDURE = re.compile(r"^(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?(?:Sub|Function|Property\s+(?:Get|Let|Set))\s+"
                       r"(\w+).*?^End\s+(?:Sub|Function|Property)\b[^\n]*$", re.M | re.S | re.I)
_parsed: dict[str, list[str]] = {}


def syntax_errors(text: str) -> list[str]:
    """Syntax errors of a module, parsed procedure by procedure (each once per distinct text: the branches share
    most of them). Two-stage, as antlr advises: SLL prediction first, full LL only where SLL gives up."""
    pytest.importorskip("antlr4_vba", reason="the VBA grammar: pip install antlr4-vba (a test extra)")
    import antlr4
    from antlr4.atn.PredictionMode import PredictionMode
    from antlr4.error.ErrorStrategy import BailErrorStrategy
    from antlr4.error.Errors import ParseCancellationException
    from antlr4_vba.vbaLexer import vbaLexer
    from antlr4_vba.vbaParser import vbaParser

    head = PROCEDURE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    chunks = [(0, head)] + [(text.count("\n", 0, m.start()), 'Attribute VB_Name = "m"\n' + m.group(0))
                            for m in PROCEDURE.finditer(text)]
    errors = []
    for first_line, chunk in chunks:
        if chunk not in _parsed:
            parser = vbaParser(antlr4.CommonTokenStream(vbaLexer(antlr4.InputStream(chunk))))
            parser.removeErrorListeners()
            parser._interp.predictionMode = PredictionMode.SLL
            parser._errHandler = BailErrorStrategy()
            try:
                parser.startRule()
                _parsed[chunk] = []
            except ParseCancellationException:
                _parsed[chunk] = Parsed(chunk).errors
        errors += [f"near line {first_line}: {e}" for e in _parsed[chunk]]
    return errors


@pytest.mark.parametrize("branch", sorted(BRANCHES))
@pytest.mark.parametrize("module", ["RibbonSelfeval", "xlwings"])
def test_every_branch_of_both_modules_parses(module, branch):
    text = resolve(RIBBON if module == "RibbonSelfeval" else xlwings_module(), BRANCHES[branch])
    assert len(PROCEDURE.findall(text)) > 8
    assert syntax_errors(text) == []


def procedure(text: str, name: str) -> Parsed:
    """One procedure of a module, parsed on its own."""
    m = next(m for m in PROCEDURE.finditer(text) if m.group(1) == name)
    return Parsed('Attribute VB_Name = "m"\n' + m.group(0))


def test_resolve_takes_the_branch_vba_takes():
    text = "#If Mac Then\nm\n#ElseIf Win64 Then\nw64\n#Else\nw32\n#End If\n#If Not Mac Then\nn\n#End If"
    assert resolve(text, BRANCHES["macOS"]).split() == ["m"]
    assert resolve(text, BRANCHES["Windows 64-bit"]).split() == ["w64", "n"]
    assert resolve(text, BRANCHES["Windows 32-bit"]).split() == ["w32", "n"]


# ---------------------------------------------------------------- the guard

@functools.lru_cache(maxsize=None)
def parsed_ribbon(branch: str) -> Parsed:
    return Parsed(resolve(RIBBON, BRANCHES[branch]))


@pytest.fixture(params=["Windows 64-bit", "macOS"])
def ribbon(request):
    return parsed_ribbon(request.param)


def test_each_button_goes_through_selfevalrun(ribbon):
    procs = ribbon.procedures()
    ui = (ROOT / "addin" / "customUI14.xml").read_text("utf-8")
    callbacks = [a.split(".", 1)[1] for a in re.findall(r'onAction="([^"]+)"', ui)]
    entries = {}
    for name in callbacks:
        body = [ribbon.source(s) for s in ribbon.find(procs[name], "blockStatement")]
        m = re.fullmatch(r'SelfevalRun "(on_\w+)"', body[0].strip())
        assert len(body) == 1 and m, (name, body)
        entries[name] = m.group(1)
    assert len(set(entries.values())) == 9
    run_python = [c for c in ribbon.find(ribbon.tree, "callStatement") if ribbon.source(c).startswith("RunPython")]
    assert len(run_python) == 1, "only SelfevalRun may call RunPython"


def test_with_no_workbook_only_new_and_help_go_on_and_python_runs_only_when_configured(ribbon):
    run = ribbon.procedures()["SelfevalRun"]
    statements = [ribbon.source(s).strip() for s in ribbon.find(run, "blockStatement")]
    statements = [s for s in statements if not s.startswith("Dim ")]
    assert statements[0] == "On Error GoTo Failed"  # before anything that can fail
    ifs = ribbon.find(run, "ifStatement")
    guard, inner, configured = ifs[0], ifs[1], ifs[2]
    assert ribbon.condition(guard) == "ActiveWorkbook Is Nothing"
    assert ribbon.condition(inner) == "Not RunsWithoutWorkbook(EntryPoint)"
    inner_text = ribbon.source(inner)
    assert "Alert MsgNoWorkbook()" in inner_text and re.search(r"Exit Sub\s+End If$", inner_text)
    assert "Set StandIn = Workbooks.Add" in ribbon.source(guard) and 'Args = "stand_in=True"' in ribbon.source(guard)
    assert ribbon.condition(configured) == "PythonConfigured()"
    assert "RunPython ENTRY_POINTS & EntryPoint" in ribbon.source(configured)
    before_guard = ribbon.text[run.start.start:guard.start.start]
    assert "ActiveWorkbook." not in before_guard and "GetConfig" not in before_guard
    # every error, wherever raised below, ends in one alert and the stand-in is closed
    tail = ribbon.text[configured.stop.stop:run.stop.stop]
    assert re.search(r"Done:\s+CloseStandIn StandIn\s+Exit Sub\s+Failed:\s+Alert MsgAddinError\(Err\.Description\), "
                     r"vbCritical\s+Resume Done", tail), tail
    cases = ribbon.source(ribbon.find(ribbon.procedures()["RunsWithoutWorkbook"], "selectCaseStatement")[0])
    assert set(re.findall(r'"(on_\w+)"', cases)) == {"on_new_dept", "on_new_project", "on_help"}


def test_python_configured_checks_the_interpreter_before_runpython():
    win = parsed_ribbon("Windows 64-bit")
    text = win.source(win.procedures()["PythonConfigured"])
    assert 'GetConfig("INTERPRETER_WIN", "")' in text and "FileExists(Interpreter)" in text
    assert "Alert MsgNotConfigured()" in text and "Alert MsgNotFound(Interpreter)" in text
    mac = parsed_ribbon("macOS")
    assert 'GetConfig("INTERPRETER_MAC", "")' in mac.source(mac.procedures()["PythonConfigured"])


def zh_text(expr: str) -> str:
    """The text of a VBA string expression built from Zh("hex ...") and "literals" joined with &."""
    out = []
    for zh, literal, name in re.findall(r'Zh\("([0-9A-F ]+)"\)|"((?:[^"]|"")*)"|\b(vbLf|DoctorHint\(\))', expr):
        if zh:
            out.append("".join(chr(int(c, 16)) for c in zh.split()))
        elif name == "vbLf":
            out.append("\n")
        elif name:
            out.append(MESSAGES["DoctorHint"])
        else:
            out.append(literal.replace('""', '"'))
    return "".join(out)


def test_every_message_decodes_to_its_chinese_text():
    parsed = parsed_ribbon("Windows 64-bit")
    procs = parsed.procedures()
    for name, expected in MESSAGES.items():
        assignment = parsed.find(procs[name], "letStatement")[0]
        assert zh_text(parsed.source(assignment).split("=", 1)[1]) == expected, name
    assert RIBBON.isascii()
    # the patched xlwings module hands a failed Python process to the ribbon's alert, never to ShowError(log)
    xlw = xlwings_module()
    assert xlw.count("Call SelfevalPythonFailed(LOG_FILE)") == 3 and "ShowError(LOG_FILE)" not in xlw
    assert "ShowError (LOG_FILE)" not in xlw


def test_xlwings_reads_machine_settings_only_from_the_user_file():
    """GetConfig touches ActiveWorkbook (sheet and folder layers) only when asked for those layers by name: no
    default lookup reads a workbook's sheet or folder, and none fails with no workbook open."""
    text = resolve(xlwings_module(), BRANCHES["Windows 64-bit"])
    get_config = procedure(text, "GetConfig")
    layers = [n for n in get_config.find(get_config.tree, "ifStatement") if get_config.condition(n).startswith("source")]
    assert [get_config.condition(n) for n in layers] == ['source = "sheet"', 'source = "directory"',
                                                          'source = "" Or source = "user"']
    outside = get_config.text
    for n in layers[:2]:
        outside = outside.replace(get_config.source(n), "")
    assert "ActiveWorkbook" in get_config.text and "ActiveWorkbook" not in outside
    assert "SelfevalConfFromFile(sFile, sName, sValue)" in procedure(text, "GetConfigFromFile").text
    run_python = procedure(text, "RunPython").text
    assert 'GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "false")' in run_python
    assert "wb.Worksheets" not in run_python  # sheets named *.py are not looked for (nor run)
    mac = resolve(xlwings_module(), BRANCHES["macOS"])
    assert "Call SelfevalPythonFailed(LOG_FILE)" in procedure(mac, "ExecuteMac").text
    assert "Call SelfevalPythonFailed(LOG_FILE)" in procedure(text, "ExecuteWindows").text


# ---------------------------------------------------------------- the VBA executed by LibreOffice Basic

_UNO_RUNNER = r'''
import json, os, shutil, subprocess, sys, tempfile, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

doc_path, calls = sys.argv[1], json.loads(open(sys.argv[2], encoding="utf-8").read())
profile = tempfile.mkdtemp(prefix="lo-basic-")
pipe = "selfeval_vba_%d" % os.getpid()
office = subprocess.Popen([sys.argv[3], "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                           "--invisible", "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            time.sleep(0.25)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(doc_path), "_blank", 0, (
        prop("Hidden", True), prop("MacroExecutionMode", 4), prop("FilterName", "Calc MS Excel 2007 VBA XML")))
    provider = doc.getScriptProvider()
    out = []
    for library, module, function, args in calls:
        script = provider.getScript("vnd.sun.star.script:%s.%s.%s?language=Basic&location=document"
                                    % (library, module, function))
        result, _, outs = script.invoke(tuple(args), (), ())
        out.append([result, list(outs)])
    doc.close(True)
    print(json.dumps(out))
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(timeout=60)
    except subprocess.TimeoutExpired:
        office.kill()
    shutil.rmtree(profile, ignore_errors=True)
'''


def uno_python() -> str | None:
    """A Python that has LibreOffice's uno module (Debian's python3-uno goes with the system Python)."""
    for exe in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if Path(exe).exists() and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


def vba_document(path: Path) -> Path:
    """An .xlam whose project holds the ribbon module as built, beside an empty xlwings module: LibreOffice
    compiles a project as a whole, and it cannot compile xlwings' Declare statements."""
    with zipfile.ZipFile(xlwings_dir() / "quickstart_addin_ribbon.xlam") as base:
        parts = {n: base.read(n) for n in base.namelist()}
    blob = parts["xl/vbaProject.bin"]
    dictionary = module_sources(blob)["Dictionary"].split("\n")[0] + "\n"
    parts["xl/vbaProject.bin"] = rebuild(read_streams(blob), {
        "RibbonMyAddin": ("RibbonSelfeval", RIBBON),
        "xlwings": ("xlwings", 'Attribute VB_Name = "xlwings"\nOption Explicit\n'),
        "Dictionary": ("Dictionary", dictionary)}, PROJECT)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def run_vba(tmp_path: Path, calls: list[tuple[str, list]]) -> list:
    """Each (function of RibbonSelfeval, args) run by LibreOffice Basic; [return value, [ByRef args out]]."""
    exe, office = uno_python(), shutil.which("soffice")
    if exe is None or office is None:
        pytest.skip("LibreOffice with python3-uno is needed to run the VBA")
    doc = vba_document(tmp_path / "vba.xlam")
    (tmp_path / "calls.json").write_text(json.dumps([[PROJECT, "RibbonSelfeval", f, a] for f, a in calls]), "utf-8")
    (tmp_path / "runner.py").write_text(_UNO_RUNNER, "utf-8")
    r = subprocess.run([exe, str(tmp_path / "runner.py"), str(doc), str(tmp_path / "calls.json"), office],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


PATH_ZH = r"C:\Users\张三\AppData\Local\Programs\Python\Python311\pythonw.exe"
CASES = [  # (the bytes of a config file, the key looked up)
    (render_conf([("Interpreter_Win", PATH_ZH), ("Mail_To", "czj@futian.example.cn")], "win32"), "INTERPRETER_WIN"),
    (render_conf([("Interpreter_Win", PATH_ZH), ("PYTHONPATH", r"D:\源码\selfeval-xl")], "win32"), "PYTHONPATH"),
    (render_conf([("Interpreter_Mac", "/Users/zhangsan/.venv/bin/python")], "darwin"), "interpreter_mac"),
    (render_conf([("Mail_From", '"张三" <zs@example.cn>')], "win32"), "Mail_From"),
    ('"A","1"\r\n\r\n"B","x, y"\r\n"C",\r\nD,plain value\r\n'.encode(), "B"),
    ('"A","1"\r\n"C",\r\n'.encode(), "C"),
    ('"A","1"\nD,plain value\n'.encode(), "d"),
    ('"A","1"\r\n'.encode(), "missing"),
]


def python_lookup(tmp_path: Path, data: bytes, key: str) -> tuple[bool, str]:
    """What the Python side reads for key (confenc.read_conf, the reader behind the buttons' settings)."""
    path = tmp_path / "selfeval.conf"
    path.write_bytes(data)
    pairs = {k.strip().lower(): v for k, v in read_conf(path).pairs}
    return (key.lower() in pairs), pairs.get(key.lower(), "")


def test_vba_reads_what_python_writes_and_shows_its_messages(tmp_path):
    """ADODB.Stream (Charset utf-8) hands the VBA the file's text; the BOM, if it keeps it, is skipped by the VBA."""
    calls = [("SelfevalConfLookup", [data.decode("utf-8"), key, ""]) for data, key in CASES]
    calls += [(name, []) for name in MESSAGES]
    calls += [("MsgNotFound", [PATH_ZH]),
              ("LastLine", [("Traceback (most recent call last):\r\n  File \"<string>\", line 1\r\n"
                             "ModuleNotFoundError: No module named 'selfeval_xl'\r\n\r\n")]),
              ("LastLine", ["'python' 不是内部或外部命令，也不是可运行的程序\r\n"])]
    got = run_vba(tmp_path, calls)
    for (data, key), (found, outs) in zip(CASES, got):
        assert (found, outs[0] if found else "") == python_lookup(tmp_path, data, key), (data, key)
    assert got[0][0] is True and got[0][1] == [PATH_ZH]  # the Chinese path, exactly, from a file with a BOM
    assert got[3][1] == ['"张三" <zs@example.cn>']
    messages = got[len(CASES):len(CASES) + len(MESSAGES)]
    assert [m[0].replace("\r\n", "\n") for m in messages] == list(MESSAGES.values())
    not_found, traceback, cmd = got[-3:]
    assert not_found[0] == f"找不到配置的 Python：{PATH_ZH}。请重新运行 selfeval-xl addin install。\n{DOCTOR}"
    assert traceback[0] == "ModuleNotFoundError: No module named 'selfeval_xl'"
    assert cmd[0] == "'python' 不是内部或外部命令，也不是可运行的程序"
