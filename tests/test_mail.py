"""Issue 7: the workbook sent through a real SMTP server (aiosmtpd on 127.0.0.1, started here), and as .eml."""

import datetime
import email
import os
import socket
import ssl
import subprocess
import sys
from email import policy
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from golden.update import build

PASSWORD = "Pw-9f2c-绩效-do-not-leak"
USER = "caiwu@futian.example.cn"
EXPORT_NAME = "深圳市福田区投资推广署_2020_绩效自评评分表.xlsx"


class Inbox:
    """aiosmtpd handler that keeps every message and refuses addresses starting with nobody@."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd itself answers 535


@pytest.fixture
def server(request):
    """A running SMTP server; parametrise with a dict of Controller options."""
    inbox = Inbox()
    opts = dict(getattr(request, "param", {}))
    if opts.pop("starttls", False):
        opts.update(tls_context=request.getfixturevalue("tls_files")[1], require_starttls=True)
    c = Controller(inbox, hostname="127.0.0.1", port=free_port(), **opts)
    c.start()
    yield c, inbox
    c.stop()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return build(tmp_path_factory.mktemp("mail"))


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made here."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    d = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    return d / "cert.pem", ctx


def run_mail(workbook, *args, env_extra=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if k != "SELFEVAL_SMTP_PASSWORD"}
    env["SELFEVAL_LOG"] = str(tmp_path / "selfeval.log")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "selfeval_xl", "mail", str(workbook), *args],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)


def assert_carries_the_workbook(raw: bytes, workbook):
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert str(msg["Subject"]) == "深圳市福田区投资推广署2020年度绩效自评评分表"
    body = msg.get_body(("plain",)).get_content()
    assert "95.41" in body and "优" in body and "待处理问题 3 个" in body
    [att] = list(msg.iter_attachments())
    assert att.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert att.get_filename() == EXPORT_NAME  # RFC 2231
    legacy = email.message_from_bytes(raw, policy=policy.compat32).get_payload()[1].get_param("name")
    assert str(make_header(decode_header(legacy))) == EXPORT_NAME  # RFC 2047 fallback
    assert att.get_content() == workbook.read_bytes()
    return msg


def test_plain_smtp(server, workbook, tmp_path):
    c, inbox = server
    before = workbook.read_bytes()
    r = run_mail(workbook, "--to", "czj@futian.example.cn", "--cc", "ks@futian.example.cn",
                 "--smtp", f"127.0.0.1:{c.port}", "--from", USER, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    [raw] = inbox.messages
    msg = assert_carries_the_workbook(raw, workbook)
    assert msg["Cc"] == "ks@futian.example.cn"
    assert workbook.read_bytes() == before


@pytest.mark.parametrize("server", [{"starttls": True}], indirect=True)
def test_starttls_with_a_self_signed_certificate(server, workbook, tls_files, tmp_path):
    c, inbox = server
    cert, _ = tls_files
    r = run_mail(workbook, "--to", "czj@futian.example.cn", "--smtp", f"127.0.0.1:{c.port}", "--starttls",
                 "--cafile", str(cert), "--from", USER, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert_carries_the_workbook(inbox.messages[0], workbook)
    # Without trusting the certificate: a TLS failure, exit 6, one Chinese line.
    r = run_mail(workbook, "--to", "czj@futian.example.cn", "--smtp", f"127.0.0.1:{c.port}", "--starttls",
                 "--from", USER, tmp_path=tmp_path)
    assert r.returncode == 6 and "证书" in r.stderr and "--cafile" in r.stderr and r.stderr.count("\n") == 1
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("server", [{"authenticator": authenticator, "auth_require_tls": False}], indirect=True)
def test_auth_accepted_and_refused_and_the_password_never_leaks(server, workbook, tmp_path):
    c, inbox = server
    common = ["--to", "czj@futian.example.cn", "--smtp", f"127.0.0.1:{c.port}", "--user", USER]
    ok = run_mail(workbook, *common, env_extra={"SELFEVAL_SMTP_PASSWORD": PASSWORD}, tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert_carries_the_workbook(inbox.messages[0], workbook)
    bad = run_mail(workbook, *common, env_extra={"SELFEVAL_SMTP_PASSWORD": PASSWORD + "x"}, tmp_path=tmp_path)
    assert bad.returncode == 4 and "拒绝了用户" in bad.stderr and bad.stderr.count("\n") == 1
    none = run_mail(workbook, *common, tmp_path=tmp_path)  # no password anywhere, no terminal
    assert none.returncode == 4 and "SELFEVAL_SMTP_PASSWORD" in none.stderr
    eml = tmp_path / "out.eml"
    run_mail(workbook, "--to", "czj@futian.example.cn", "--eml", str(eml), env_extra={"SELFEVAL_SMTP_PASSWORD": PASSWORD},
             tmp_path=tmp_path)
    log = (tmp_path / "selfeval.log").read_text("utf-8")
    assert "sent" in log and "拒绝了用户" in log  # the log is real, and it holds neither password
    for text in (ok.stdout, ok.stderr, bad.stdout, bad.stderr, none.stderr, log, eml.read_bytes().decode("latin-1")):
        assert PASSWORD not in text and (PASSWORD + "x") not in text
    for raw in inbox.messages:
        assert PASSWORD.encode() not in raw


def test_rejected_recipient_and_refused_connection(server, workbook, tmp_path):
    c, inbox = server
    before = workbook.read_bytes()
    r = run_mail(workbook, "--to", "nobody@futian.example.cn", "--smtp", f"127.0.0.1:{c.port}", "--from", USER,
                 tmp_path=tmp_path)
    assert r.returncode == 7 and "nobody@futian.example.cn" in r.stderr and not inbox.messages
    r = run_mail(workbook, "--to", "czj@futian.example.cn", "--smtp", f"127.0.0.1:{free_port()}", "--from", USER,
                 tmp_path=tmp_path)
    assert r.returncode == 5 and "无法连接" in r.stderr and "Traceback" not in r.stderr
    assert workbook.read_bytes() == before  # a failed send leaves the file as it was


def test_a_large_attachment_is_sent_with_a_warning(workbook, tmp_path):
    import zipfile

    big = tmp_path / "大文件.xlsx"
    with zipfile.ZipFile(workbook) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/media/scan.bin", os.urandom(21 * 1024 * 1024))
    out = tmp_path / "big.eml"
    r = run_mail(big, "--to", "czj@futian.example.cn", "--eml", str(out), tmp_path=tmp_path)
    assert r.returncode == 0 and "超过 20 MB" in r.stderr
    att = next(email.message_from_bytes(out.read_bytes(), policy=policy.default).iter_attachments())
    assert att.get_content() == big.read_bytes() and att.get_filename() == "大文件.xlsx"


def test_eml_parses_the_same_way(workbook, tmp_path):
    out = tmp_path / "评分表.eml"
    r = run_mail(workbook, "--to", "czj@futian.example.cn", "--eml", str(out), tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert b"\r\n" in raw and email.message_from_bytes(raw)["X-Unsent"] == "1"
    assert_carries_the_workbook(raw, workbook)
    r = run_mail(workbook, "--to", "czj@futian.example.cn", "--eml", str(out), tmp_path=tmp_path)
    assert r.returncode == 3  # exists: not overwritten without --force


def test_bad_addresses_are_refused_before_anything_is_sent(workbook, tmp_path):
    r = run_mail(workbook, "--to", "财政局", "--eml", str(tmp_path / "x.eml"), tmp_path=tmp_path)
    assert r.returncode == 2 and "不是有效的邮箱地址" in r.stderr and not (tmp_path / "x.eml").exists()


def _book_with_conf(example_xlsx, tmp_path, conf: dict):
    """The demo workbook with a selfeval.conf sheet, recalculated by LibreOffice as Excel would save it."""
    import openpyxl

    import lo

    wb = openpyxl.load_workbook(example_xlsx)
    ws = wb.create_sheet("selfeval.conf")
    for k, v in conf.items():
        ws.append([k, v])
    edited = tmp_path / "edited" / "示例.xlsx"
    edited.parent.mkdir(parents=True)
    wb.save(edited)
    return lo.recalc(edited, tmp_path / "book")


def test_the_addin_button_sends_by_smtp_then_falls_back_to_eml(server, example_xlsx, tmp_path, monkeypatch, mock_caller):
    from conftest import needs_lo  # noqa: F401  (LibreOffice gives the edited workbook its figures)
    import lo

    if lo.soffice() is None:
        pytest.skip("LibreOffice is needed to recalculate the edited workbook")
    from selfeval_xl.addin import entry

    c, inbox = server
    monkeypatch.setenv("SELFEVAL_LOG", str(tmp_path / "selfeval.log"))
    book = _book_with_conf(example_xlsx, tmp_path, {"Mail_To": "czj@futian.example.cn; ks@futian.example.cn",
                                                    "Mail_From": USER, "SMTP_Host": "127.0.0.1",
                                                    "SMTP_Port": str(c.port), "SMTP_Security": "plain",
                                                    "Password": PASSWORD})
    mock_caller(book)
    msg = entry.on_mail()
    assert msg.startswith("已发送至 czj@futian.example.cn、ks@futian.example.cn"), msg
    export = book.parent / EXPORT_NAME
    assert_carries_the_workbook(inbox.messages[0], export)
    assert PASSWORD not in (tmp_path / "selfeval.log").read_text("utf-8")  # a Password row is ignored, never used

    book = _book_with_conf(example_xlsx, tmp_path / "eml", {"Mail_To": "czj@futian.example.cn"})
    mock_caller(book)
    msg = entry.on_mail()
    eml = book.parent / EXPORT_NAME.replace(".xlsx", ".eml")
    assert "已保存邮件" in msg and eml.is_file()
    assert_carries_the_workbook(eml.read_bytes(), book.parent / EXPORT_NAME)
