"""The changes the build makes to xlwings' own VBA (xlwings_custom_addin.bas of the installed xlwings), as data.

Each patch names why, what it matches and how often: if the installed xlwings' text differs, the build
stops with a message instead of producing an add-in that half works. The VBA they call lives in
macros/RibbonSelfeval.bas (SelfevalConfFromFile, SelfevalPythonFailed)."""

from __future__ import annotations

import re

from selfeval_xl.core.record import record
from selfeval_xl.errors import BuildError


@record(frozen=True)
class Patch:
    why: str
    pattern: str
    replacement: str
    count: int = 1


def patches(project: str) -> list[Patch]:
    """The patches, in the order they apply; project is the VBA project's (and config file's) name."""
    machine_only = ("machine settings (interpreter, PYTHONPATH, conda) come only from the user's config file, "
                    "never from a workbook's sheet or folder: a workbook from elsewhere must not choose what runs; "
                    "and GetFullName(ActiveWorkbook) fails with no workbook open")
    return [
        Patch("the add-in's name: its config file is ~/.selfeval/selfeval.conf",
              r'^(Public Const PROJECT_NAME As String = )"[^"]*"', rf'\1"{project}"'),
        Patch(machine_only, r'If source = "" Or source = "sheet" Then', 'If source = "sheet" Then'),
        Patch(machine_only, r'If source = "" Or source = "directory" Then', 'If source = "directory" Then'),
        Patch("the user's config file is UTF-8 on Windows (macOS paths are ASCII: Input # reads them as they are)",
              r"^(Function GetConfigFromFile\(sFile As String, sName As String, Optional sValue As String\) As Boolean\n)",
              "\\1    #If Not Mac Then\n"
              "        GetConfigFromFile = SelfevalConfFromFile(sFile, sName, sValue) ' selfeval: UTF-8\n"
              "        Exit Function\n"
              "    #End If\n"),
        Patch("a sheet named *.py in the user's workbook is never run as code (and ActiveWorkbook may be Nothing)",
              r"^(    ' Check for embedded Python code\n    uses_embedded_code = False\n)    For i = 1 To 2\n.*?^    Next i\n",
              "\\1    ' selfeval: sheets named *.py are not looked for\n"),
        Patch("the workbook's folder is not put on sys.path: a module beside a workbook from elsewhere must not "
              "shadow selfeval_xl", r'GetConfig\("ADD_WORKBOOK_TO_PYTHONPATH", "true"\)',
              'GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "false")', count=2),
        Patch("a failed Python process ends in one Chinese alert, not in its traceback",
              r"(?:Call )?ShowError ?\(LOG_FILE\)", "Call SelfevalPythonFailed(LOG_FILE)", count=3),
    ]


def patch_xlwings_module(text: str, project: str) -> str:
    """xlwings' custom add-in module with every patch applied (line ends normalised to LF)."""
    text = text.replace("\r\n", "\n")
    for p in patches(project):
        text, n = re.subn(p.pattern, p.replacement, text, flags=re.M | re.S)
        if n != p.count:
            raise BuildError(f"xlwings_custom_addin.bas 与预期不同（{p.why}：找到 {n} 处，应为 {p.count} 处）："
                             "请安装 setup.cfg 中固定的 xlwings 版本")
    return text
