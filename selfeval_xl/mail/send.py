"""Three ways out for a built message: SMTP (plain, STARTTLS, SSL), an .eml file, an Outlook draft.

Every failure becomes a one-line Chinese MailError with its own exit code; the workbook is only read."""

from __future__ import annotations

import base64
import logging
from email.header import decode_header, make_header
import smtplib
import socket
import ssl
import sys
from pathlib import Path

from selfeval_xl.core.record import record
from selfeval_xl.errors import MailError
from selfeval_xl.writers.atomic import atomic_path
from selfeval_xl.mail.message import to_bytes

log = logging.getLogger("selfeval_xl.mail")
TIMEOUT = 30


@record(frozen=True)
class SmtpSettings:
    """Where and how to connect; the password is passed separately and never stored here."""

    host: str
    port: int
    security: str = "plain"  # plain, starttls or ssl
    user: str | None = None
    cafile: str | None = None

    @classmethod
    def parse(cls, hostport: str, security: str = "plain", user: str | None = None, cafile: str | None = None):
        host, _, port = hostport.rpartition(":")
        if not host or not port.isdigit():
            raise MailError(f"--smtp 应写成 主机:端口（如 smtp.example.gov.cn:465），而不是 {hostport!r}", code="connect")
        return cls(host.strip("[]"), int(port), security, user or None, cafile)


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if cafile:
        ctx.load_verify_locations(cafile)
    return ctx


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; a non-ASCII password goes as AUTH PLAIN in UTF-8 (RFC 4616)."""
    if user.isascii() and password.isascii():
        server.login(user, password)
        return
    server.ehlo_or_helo_if_needed()
    if "plain" not in server.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN")
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, resp = server.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)


def send_smtp(msg, sender: str, recipients: list[str], s: SmtpSettings, password: str | None) -> None:
    """Deliver msg; raise MailError(auth|connect|tls|refused) with a Chinese message on failure."""
    where = f"{s.host}:{s.port}"
    try:
        if s.security == "ssl":
            server = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=_tls_context(s.cafile))
        else:
            server = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
        with server:
            if s.security == "starttls":
                server.ehlo()
                if not server.has_extn("starttls"):
                    raise MailError(f"邮件服务器 {where} 不支持 STARTTLS：请改用 --ssl（通常端口 465），或询问管理员", code="tls")
                server.starttls(context=_tls_context(s.cafile))
                server.ehlo()
            if s.user:
                _login(server, s.user, password or "")
            # The same bytes as an .eml: smtplib's own generator would refold our headers.
            refused = server.sendmail(sender, recipients, to_bytes(msg))
            if refused:
                raise MailError(f"邮件服务器拒收了部分收件人：{'、'.join(refused)}；其余已发出，请核对地址后单独补发", code="refused")
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as e:
        raise MailError(f"邮件服务器 {where} 拒绝了用户 {s.user} 的登录（{e.smtp_code}）：请核对用户名和密码"
                        f"（很多邮箱要用“授权码”而不是登录密码）", code="auth") from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"邮件服务器 {where} 不支持登录认证：请确认端口和 --ssl/--starttls 选项", code="auth") from None
    except smtplib.SMTPRecipientsRefused as e:
        raise MailError(f"邮件服务器拒收收件人：{'、'.join(e.recipients)}；请核对地址", code="refused") from None
    except smtplib.SMTPSenderRefused as e:
        raise MailError(f"邮件服务器拒收发件人 {e.sender}（{e.smtp_code}）：请用本邮箱的地址作为 --from", code="refused") from None
    except smtplib.SMTPDataError as e:
        raise MailError(f"邮件服务器拒收了邮件（{e.smtp_code}）：可能附件过大或被判为垃圾邮件，请联系管理员", code="refused") from None
    except ssl.SSLCertVerificationError as e:
        raise MailError(f"无法验证邮件服务器 {where} 的证书（{e.verify_message}）：请向管理员索取 CA 证书并用 --cafile 指定", code="tls") from None
    except ssl.SSLError as e:
        raise MailError(f"与邮件服务器 {where} 的加密连接失败（{e.reason or e}）：请确认应使用 --ssl 还是 --starttls", code="tls") from None
    except (ConnectionRefusedError, socket.timeout, TimeoutError) as e:
        kind = "超时" if not isinstance(e, ConnectionRefusedError) else "被拒绝"
        raise MailError(f"无法连接邮件服务器 {where}（连接{kind}）：请确认地址、端口和网络", code="connect") from None
    except socket.gaierror:
        raise MailError(f"找不到邮件服务器 {s.host}：请确认服务器地址", code="connect") from None
    except (smtplib.SMTPException, OSError) as e:
        raise MailError(f"发送到 {where} 失败（{type(e).__name__}）：请稍后重试或联系管理员", code="connect") from None
    subject = str(make_header(decode_header(msg.get("Subject", ""))))
    log.info("sent “%s” to %d recipient(s) via %s (%s)", subject, len(recipients), where, s.security)


def save_eml(msg, out: Path, force: bool = False) -> Path:
    """Write the message as an .eml file (opens in Outlook, Thunderbird, Foxmail)."""
    if "X-Unsent" not in msg:
        msg["X-Unsent"] = "1"  # Outlook opens the file as an editable draft, not as a received mail
    with atomic_path(out, force=force) as tmp:
        Path(tmp).write_bytes(to_bytes(msg))
    log.info("saved %s", out)
    return out


def outlook_draft(attachment: Path, to: list[str], cc: list[str], subject: str, body: str) -> None:
    """Open a draft in Outlook with the workbook attached (Windows, Outlook installed)."""
    if sys.platform != "win32":
        raise MailError("--outlook 仅在装有 Outlook 的 Windows 上可用：请改用 --smtp 或 --eml", code="connect")
    try:
        import win32com.client  # pywin32 comes with xlwings on Windows
    except ImportError:
        raise MailError("找不到 pywin32，无法调用 Outlook：请运行 pip install pywin32，或改用 --eml", code="connect") from None
    try:
        item = win32com.client.Dispatch("Outlook.Application").CreateItem(0)
    except Exception:
        raise MailError("无法启动 Outlook：请确认已安装并配置 Outlook，或改用 --eml", code="connect") from None
    item.To = "; ".join(to)
    item.CC = "; ".join(cc)
    item.Subject = subject
    item.Body = body
    item.Attachments.Add(str(attachment.resolve()))
    item.Display(False)
    log.info("outlook draft for %s", attachment.name)
