Attribute VB_Name = "RibbonSelfeval"
' Ribbon callbacks of the selfeval add-in (its tab is defined in addin/customUI14.xml).
' Every button goes through SelfevalRun, which hands over to a Python entry point in
' selfeval_xl.addin.entry through xlwings' RunPython, after two guards:
'   - a workbook is open. Only New and Help run without one: RunPython needs an active workbook, so a
'     blank stand-in is opened for them, and Python closes it when done;
'   - Python is configured (`selfeval-xl addin install` writes it into the user's config file).
' Whatever still fails ends in one Chinese alert that says to run `selfeval-xl addin doctor`: never a
' run-time error dialog, never a traceback.
' The build (selfeval_xl/addin/xlam/build.py) patches xlwings' module to call SelfevalConfFromFile
' (the config file is UTF-8) and SelfevalPythonFailed (the Python process failed).
' Kept ASCII-only: the project's code page is 1252. Chinese text is written Zh("8BF7 5148"), the UTF-16
' code units of its characters in hex; tests/test_addin_vba.py decodes and checks every message.
Option Explicit

Private Const ENTRY_POINTS As String = "from selfeval_xl.addin import entry; entry."

Public Sub OnNewDept(control As IRibbonControl)
    SelfevalRun "on_new_dept"
End Sub

Public Sub OnNewProject(control As IRibbonControl)
    SelfevalRun "on_new_project"
End Sub

Public Sub OnValidate(control As IRibbonControl)
    SelfevalRun "on_validate"
End Sub

Public Sub OnScore(control As IRibbonControl)
    SelfevalRun "on_score"
End Sub

Public Sub OnExport(control As IRibbonControl)
    SelfevalRun "on_export"
End Sub

Public Sub OnMail(control As IRibbonControl)
    SelfevalRun "on_mail"
End Sub

Public Sub OnClear(control As IRibbonControl)
    SelfevalRun "on_clear"
End Sub

Public Sub OnSettings(control As IRibbonControl)
    SelfevalRun "on_settings"
End Sub

Public Sub OnHelp(control As IRibbonControl)
    SelfevalRun "on_help"
End Sub

' Press the button whose Python entry point is EntryPoint. Public, so that scripts/windows_smoke.py
' can press the buttons with Application.Run "selfeval.xlam!SelfevalRun", "on_validate".
Public Sub SelfevalRun(ByVal EntryPoint As String)
    Dim StandIn As Workbook
    Dim Args As String
    On Error GoTo Failed
    If ActiveWorkbook Is Nothing Then
        If Not RunsWithoutWorkbook(EntryPoint) Then
            Alert MsgNoWorkbook(), vbInformation
            Exit Sub
        End If
        Set StandIn = Workbooks.Add
        Args = "stand_in=True"
    End If
    If PythonConfigured() Then
        RunPython ENTRY_POINTS & EntryPoint & "(" & Args & ")"
        #If Mac Then
            Set StandIn = Nothing ' RunPython returns at once on macOS: Python closes the stand-in itself
        #End If
    End If
Done:
    CloseStandIn StandIn
    Exit Sub
Failed:
    Alert MsgAddinError(Err.Description), vbCritical
    Resume Done
End Sub

Private Function RunsWithoutWorkbook(ByVal EntryPoint As String) As Boolean
    Select Case EntryPoint
        Case "on_new_dept", "on_new_project", "on_help"
            RunsWithoutWorkbook = True
    End Select
End Function

Private Sub CloseStandIn(ByVal StandIn As Workbook)
    If StandIn Is Nothing Then Exit Sub
    On Error Resume Next ' Python has closed it already when it ran
    StandIn.Close SaveChanges:=False
End Sub

' The interpreter xlwings will run is set and, on Windows, exists; else an alert says what to do.
Private Function PythonConfigured() As Boolean
    Dim Interpreter As String
    #If Mac Then
        Interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        Interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If Interpreter = "" Then Interpreter = GetConfig("INTERPRETER", "")
    If Interpreter = "" Then
        Alert MsgNotConfigured(), vbExclamation
        Exit Function
    End If
    #If Not Mac Then
        If Interpreter <> "python" And Interpreter <> "pythonw" And Not FileExists(Interpreter) Then
            Alert MsgNotFound(Interpreter), vbExclamation
            Exit Function
        End If
    #End If
    PythonConfigured = True
End Function

' Called instead of xlwings' ShowError when the Python process failed (not installed, moved, or
' without selfeval-xl): what to do, and the last line of the log (the error, not the traceback).
Public Sub SelfevalPythonFailed(ByVal LogFile As String)
    Dim Detail As String
    On Error Resume Next
    Detail = LastLine(ReadFile(LogFile))
    On Error GoTo 0
    If Detail <> "" Then Detail = vbLf & Zh("8BE6 60C5 FF1A") & Detail
    Alert MsgPythonFailed() & Detail, vbCritical
End Sub

Private Function LastLine(ByVal Text As String) As String
    Dim Lines() As String
    Dim i As Long
    Lines = Split(Replace(Text, vbCr, vbLf), vbLf)
    For i = UBound(Lines) To LBound(Lines) Step -1
        If Trim$(Lines(i)) <> "" Then
            LastLine = Left$(Trim$(Lines(i)), 300)
            Exit Function
        End If
    Next i
End Function

' ---------------------------------------------------------------- the user's config file

' xlwings' GetConfigFromFile on Windows (the build patches it to call this). `selfeval-xl addin install`
' writes the file in UTF-8; Input # would read it in the ANSI code page, so ADODB.Stream decodes it.
' True, with Value set, when Key is in the file.
Public Function SelfevalConfFromFile(ByVal FileName As String, ByVal Key As String, ByRef Value As String) As Boolean
    Dim Stream As Object
    Set Stream = CreateObject("ADODB.Stream")
    Stream.Type = 2 ' adTypeText
    Stream.Charset = "utf-8"
    Stream.Open
    Stream.LoadFromFile FileName
    SelfevalConfFromFile = SelfevalConfLookup(Stream.ReadText(-1), Key, Value) ' -1: adReadAll
    Stream.Close
End Function

' The value of Key in the text of a config file: one "KEY","VALUE" pair a line, as xlwings (Write #)
' and `selfeval-xl addin install` (csv) write them. Keys compare case-blind; a leading BOM is skipped.
Public Function SelfevalConfLookup(ByVal Text As String, ByVal Key As String, ByRef Value As String) As Boolean
    Dim Lines() As String
    Dim Fields As Collection
    Dim i As Long
    If Left$(Text, 1) = ChrW(&HFEFF) Then Text = Mid$(Text, 2)
    Lines = Split(Replace(Text, vbCr, vbLf), vbLf)
    For i = LBound(Lines) To UBound(Lines)
        Set Fields = CsvFields(Lines(i))
        If Fields.Count >= 2 Then
            If LCase$(Fields(1)) = LCase$(Key) Then
                Value = Fields(2)
                SelfevalConfLookup = True
                Exit Function
            End If
        End If
    Next i
End Function

' The fields of one CSV line, each quoted ("" stands for a quote) or bare (trimmed). Hand-written:
' VBA has no CSV reader for a string, and Input # only reads files, in the ANSI code page.
Private Function CsvFields(ByVal Line As String) As Collection
    Dim Fields As New Collection
    Dim Pos As Long
    Dim Field As String
    Pos = 1
    Do While Pos <= Len(Line)
        Do While Mid$(Line, Pos, 1) = " "
            Pos = Pos + 1
        Loop
        Field = ""
        If Mid$(Line, Pos, 1) = """" Then
            Pos = Pos + 1
            Do While Pos <= Len(Line)
                If Mid$(Line, Pos, 1) <> """" Then
                    Field = Field & Mid$(Line, Pos, 1)
                    Pos = Pos + 1
                ElseIf Mid$(Line, Pos + 1, 1) = """" Then
                    Field = Field & """"
                    Pos = Pos + 2
                Else
                    Pos = Pos + 1
                    Exit Do
                End If
            Loop
            Do While Pos <= Len(Line) And Mid$(Line, Pos, 1) <> ","
                Pos = Pos + 1
            Loop
        Else
            Do While Pos <= Len(Line) And Mid$(Line, Pos, 1) <> ","
                Field = Field & Mid$(Line, Pos, 1)
                Pos = Pos + 1
            Loop
            Field = Trim$(Field)
        End If
        Fields.Add Field
        If Pos = Len(Line) Then Fields.Add "" ' the line ends with a comma: an empty last field
        Pos = Pos + 1
    Loop
    Set CsvFields = Fields
End Function

' ---------------------------------------------------------------- messages

Private Sub Alert(ByVal Text As String, ByVal Style As Long)
    MsgBox Text, Style, Zh("7EE9 6548 81EA 8BC4")
End Sub

' Text from the UTF-16 code units of its characters, in hex and separated by spaces.
Private Function Zh(ByVal Codes As String) As String
    Dim Code As Variant
    For Each Code In Split(Codes, " ")
        Zh = Zh & ChrW(CLng("&H" & Code))
    Next Code
End Function

Private Function DoctorHint() As String
    DoctorHint = Zh("8BF7 5728 547D 4EE4 63D0 793A 7B26 FF08") & "macOS " & Zh("4E3A 7EC8 7AEF FF09 4E2D 8FD0 884C") _
        & " selfeval-xl addin doctor " & Zh("67E5 770B 539F 56E0 3002")
End Function

Private Function MsgNoWorkbook() As String
    MsgNoWorkbook = Zh("8BF7 5148 6253 5F00 5DE5 4F5C 7C3F FF0C 518D 70B9 6B64 6309 94AE FF08 201C 65B0 5EFA 201D 548C 201C") _
        & Zh("5E2E 52A9 201D 4E0D 9700 8981 6253 5F00 5DE5 4F5C 7C3F FF09 3002")
End Function

Private Function MsgNotConfigured() As String
    MsgNotConfigured = Zh("8FD8 6CA1 6709 4E3A 52A0 8F7D 9879 914D 7F6E") & " Python" _
        & Zh("3002 8BF7 5728 547D 4EE4 63D0 793A 7B26 FF08") & "macOS " & Zh("4E3A 7EC8 7AEF FF09 4E2D 8FD0 884C") _
        & " selfeval-xl addin install" & Zh("FF0C 7136 540E 91CD 65B0 6253 5F00") & " Excel" & Zh("3002") & vbLf & DoctorHint()
End Function

Private Function MsgNotFound(ByVal Interpreter As String) As String
    MsgNotFound = Zh("627E 4E0D 5230 914D 7F6E 7684") & " Python" & Zh("FF1A") & Interpreter _
        & Zh("3002 8BF7 91CD 65B0 8FD0 884C") & " selfeval-xl addin install" & Zh("3002") & vbLf & DoctorHint()
End Function

Private Function MsgPythonFailed() As String
    MsgPythonFailed = "Python " & Zh("6CA1 80FD 8FD0 884C FF08 53EF 80FD 672A 5B89 88C5 3001 5DF2 79FB 52A8 FF0C 6216 7F3A 5C11") _
        & " selfeval-xl" & Zh("FF09 3002") & vbLf & DoctorHint()
End Function

Private Function MsgAddinError(ByVal Description As String) As String
    MsgAddinError = Zh("52A0 8F7D 9879 51FA 9519 FF1A") & Description & Zh("3002") & vbLf & DoctorHint()
End Function
