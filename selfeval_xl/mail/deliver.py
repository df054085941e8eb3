"""The `mail` use case shared by the command line and the add-in's 发送邮件 button."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from selfeval_xl.core.record import field, record, replace
from selfeval_xl.errors import InputError
from selfeval_xl.sources.sniff import check_readable
from selfeval_xl.mail.compose import summarise
from selfeval_xl.mail.credentials import smtp_password
from selfeval_xl.mail.message import WARN_BYTES, build_message
from selfeval_xl.mail.send import SmtpSettings, outlook_draft, save_eml, send_smtp

PLACEHOLDER_SENDER = "selfeval-xl <noreply@localhost>"  # .eml and Outlook only: the mail program sets the real one
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@record
class MailRequest:
    """What to send and to whom; subject and body default to ones read from the workbook."""

    file: Path
    to: list[str]
    cc: list[str] = field(default_factory=list)
    subject: str | None = None
    body: str | None = None
    sender: str | None = None


def _check_addresses(addrs: list[str], what: str) -> None:
    for a in addrs:
        if not _ADDRESS.match(a.strip()):
            raise InputError(f"{what} 地址 {a!r} 不是有效的邮箱地址，请写成 name@example.gov.cn")


def prepare(req: MailRequest, warn: Callable[[str], None] = lambda m: None) -> MailRequest:
    """The request checked (file, addresses, size) and completed: subject and body from the workbook when not
    given, a placeholder sender for drafts."""
    path = check_readable(req.file)
    if not req.to:
        raise InputError("至少需要一个收件人：用 --to 指定")
    _check_addresses(req.to, "收件人")
    _check_addresses(req.cc, "抄送")
    if req.sender:
        _check_addresses([req.sender], "发件人")
    size = path.stat().st_size
    if size > WARN_BYTES:
        warn(f"附件 {size / 1024 / 1024:.1f} MB，超过 20 MB，部分邮箱可能拒收")
    subject, body = req.subject, req.body
    if subject is None or body is None:
        s = summarise(path)
        subject = s.subject() if subject is None else subject
        body = s.body(path.name) if body is None else body
    return replace(req, file=path, subject=subject, body=body, sender=req.sender or PLACEHOLDER_SENDER)


def _message(r: MailRequest):
    return build_message(r.file, r.sender, r.to, r.cc, r.subject, r.body)


def mail_smtp(req: MailRequest, settings: SmtpSettings, warn=lambda m: None,
              password: Callable[[str, str], str] = smtp_password) -> None:
    """Send by SMTP; the sender defaults to the login name when it is an address."""
    if req.sender is None and settings.user and "@" in settings.user:
        req = replace(req, sender=settings.user)
    if req.sender is None:
        raise InputError("通过 SMTP 发送需要发件人：用 --from 指定，或用邮箱地址作为 --user")
    r = prepare(req, warn)
    pw = password(settings.user, settings.host) if settings.user else None
    send_smtp(_message(r), r.sender, r.to + r.cc, settings, pw)


def mail_eml(req: MailRequest, out: Path, force: bool = False, warn=lambda m: None) -> Path:
    """Save the message as an .eml draft."""
    return save_eml(_message(prepare(req, warn)), out, force=force)


def mail_outlook(req: MailRequest, warn=lambda m: None) -> None:
    """Open an Outlook draft (Outlook attaches the file itself)."""
    r = prepare(req, warn)
    outlook_draft(r.file, r.to, r.cc, r.subject, r.body)
