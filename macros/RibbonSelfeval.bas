Attribute VB_Name = "RibbonSelfeval"
' Ribbon callbacks of the selfeval add-in (its tab is defined in addin/customUI14.xml).
' One Public Sub per button; each hands over to a Python entry point in selfeval_xl.addin.entry
' through xlwings' RunPython. Errors are shown by Python as an Excel alert and logged to a file.
' Kept ASCII-only: the VBA project's code page is 1252; the Chinese labels live in the ribbon XML.
Option Explicit

Public Sub OnNewDept(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_new_dept()"
End Sub

Public Sub OnNewProject(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_new_project()"
End Sub

Public Sub OnValidate(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_validate()"
End Sub

Public Sub OnScore(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_score()"
End Sub

Public Sub OnExport(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_export()"
End Sub

Public Sub OnMail(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_mail()"
End Sub

Public Sub OnClear(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_clear()"
End Sub

Public Sub OnSettings(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_settings()"
End Sub

Public Sub OnHelp(control As IRibbonControl)
    RunPython "from selfeval_xl.addin import entry; entry.on_help()"
End Sub
