"""Issue 15: 导出评分表 and 发送邮件 give the command line's answers. The export written by the button, through the
xlwings adapter (over the recording fake) and through the openpyxl adapter, holds the same cells as the one
`selfeval-xl export` writes (`--draft` for a workbook with errors, which the button exports as a draft too); the
message 发送邮件 sends through a real SMTP server (aiosmtpd) carries the same subject, text and attachment as
`selfeval-xl mail` does with that export. (校验 and 计分 parity: tests/test_parity.py.)"""

from __future__ import annotations

import email
import shutil
import socket
import subprocess
import sys
from email import policy
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller

import lo
from fake_xlwings import FakeBook
from test_parity import WORKBOOKS
from selfeval_xl.addin import buttons
from selfeval_xl.addin.mailing import mail_action
from selfeval_xl.addin.xlwings_port import XlwingsPort
from selfeval_xl.errors import EXIT_FINDINGS, SelfevalError
from selfeval_xl.writers.openpyxl_port import OpenpyxlPort


def cells(path) -> dict[str, list[list]]:
    """Every sheet's cells, values and formulas as written."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "selfeval_xl", *map(str, args)], capture_output=True, text=True,
                          env=env)


def example_with_an_error(example_xlsx, folder: Path) -> Path:
    """The demo with 基本支出小计's 支出数 typed over as 500.35 (an error), recalculated by LibreOffice so that
    every figure has its cached result, as after saving in Excel."""
    if lo.soffice() is None:
        pytest.skip("LibreOffice is needed to give the changed workbook its figures")
    wb = openpyxl.load_workbook(example_xlsx)
    wb["表5"]["H11"] = 500.35
    wb.save(folder / "edited.xlsx")
    out = lo.recalc(folder / "edited.xlsx", folder / "lo")
    return Path(shutil.move(out, folder / "example-error.xlsx"))


@pytest.fixture(params=["example", "example-error", "planted", "project"])
def workbook(request, tmp_path, example_xlsx):
    """A workbook by itself in a folder (the button writes its export beside it)."""
    folder = tmp_path / "src"
    folder.mkdir()
    if request.param == "example":
        return Path(shutil.copyfile(example_xlsx, folder / "example.xlsx"))
    if request.param == "example-error":
        return example_with_an_error(example_xlsx, folder)
    return WORKBOOKS[request.param](folder / f"{request.param}.xlsx")


def copy_alone(path: Path, folder: Path) -> Path:
    folder.mkdir()
    return Path(shutil.copyfile(path, folder / path.name))


def test_export_button_writes_what_the_command_line_exports(workbook, tmp_path):
    plain = cli("export", workbook, "-o", tmp_path / "plain.xlsx")
    r = cli("export", workbook, "--draft", "-o", tmp_path / "cli.xlsx")
    fake = copy_alone(workbook, tmp_path / "fake")
    port = copy_alone(workbook, tmp_path / "port")
    if r.returncode != 0:  # refused (no 评分表, say): the button refuses with the same line and exit code
        for p in (XlwingsPort(FakeBook(fake)), OpenpyxlPort(port)):
            with pytest.raises(SelfevalError) as e:
                buttons.export_action(p)
            assert (e.value.exit_code, f"selfeval-xl: {e.value.message}") == (r.returncode, r.stderr.strip())
        return
    drafted = plain.returncode == EXIT_FINDINGS  # the command line refuses a workbook with errors without --draft
    assert plain.returncode in (0, EXIT_FINDINGS) and drafted == ("草稿" in r.stderr)
    expected = cells(tmp_path / "cli.xlsx")

    out, errors = buttons.export_action(XlwingsPort(FakeBook(fake)))
    assert cells(out) == expected
    assert bool(errors) == drafted and (f"草稿（{errors}个错误）" in out.name) == drafted

    out2, errors2 = buttons.export_action(OpenpyxlPort(port))
    assert cells(out2) == expected and errors2 == errors and out2.name == out.name
    assert len(expected) >= 3 and any(v is not None for rows in expected.values() for row in rows for v in row)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def parts(raw: bytes) -> tuple[str, str, str, bytes]:
    """(subject, text, attachment name, attachment bytes) of a received message."""
    msg = email.message_from_bytes(raw, policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    (attachment,) = list(msg.iter_attachments())
    return msg["Subject"], body, attachment.get_filename(), attachment.get_content()


def test_mail_button_sends_what_the_command_line_sends(example_xlsx, tmp_path, smtp, monkeypatch):
    inbox, port = smtp
    profile = tmp_path / "用户" / "张三"
    (profile / ".selfeval").mkdir(parents=True)
    (profile / ".selfeval" / "selfeval.conf").write_bytes(
        ('\ufeff"Mail_To","czj@futian.example.cn"\r\n"Mail_From","caiwu@futian.example.cn"\r\n'
         f'"SMTP_Host","127.0.0.1"\r\n"SMTP_Port","{port}"\r\n"SMTP_Security","plain"\r\n').encode("utf-8"))
    monkeypatch.setenv("USERPROFILE", str(profile))

    book = copy_alone(Path(example_xlsx), tmp_path / "button")
    message = mail_action(XlwingsPort(FakeBook(book)), open_file=lambda p: None)
    assert message.startswith("已发送至 czj@futian.example.cn")

    src = copy_alone(Path(example_xlsx), tmp_path / "cli")
    r = cli("export", src)
    assert r.returncode == 0, r.stderr
    export = next(p for p in src.parent.iterdir() if p.name.endswith("绩效自评评分表.xlsx"))
    r = cli("mail", export, "--to", "czj@futian.example.cn", "--from", "caiwu@futian.example.cn",
            "--smtp", f"127.0.0.1:{port}")
    assert r.returncode == 0, r.stderr

    (b_subject, b_text, b_name, b_data), (c_subject, c_text, c_name, c_data) = map(parts, inbox.messages)
    assert (b_subject, b_text, b_name) == (c_subject, c_text, c_name)
    assert "95.41" in b_text and b_name == export.name
    (tmp_path / "b.xlsx").write_bytes(b_data)
    (tmp_path / "c.xlsx").write_bytes(c_data)
    assert cells(tmp_path / "b.xlsx") == cells(tmp_path / "c.xlsx") == cells(export)


def test_mail_button_refuses_a_workbook_with_errors(example_xlsx, tmp_path, monkeypatch):
    """`selfeval-xl export` refuses it without --draft; the button does not send a draft to the finance bureau."""
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    book = example_with_an_error(example_xlsx, tmp_path)
    fake = FakeBook(book)
    port = XlwingsPort(fake)
    port.add_sheet("selfeval.conf")
    port.write("selfeval.conf", 1, 1, [["Mail_To", "czj@futian.example.cn"]], text=True)
    with pytest.raises(SelfevalError) as e:
        mail_action(port, open_file=lambda p: None)
    assert e.value.exit_code == EXIT_FINDINGS and e.value.message.startswith("工作簿有 3 个错误，未发送（第一个：表5!H11 基本支出小计 支出数 500.35 ≠ 本类明细合计 496.35")
    assert not list(tmp_path.glob("*.eml")) and not list(tmp_path.glob("*评分表*.xlsx"))
