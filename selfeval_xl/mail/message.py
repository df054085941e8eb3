"""The email that carries the workbook: UTF-8 text, the xlsx attached under its exact Chinese name.

The attachment's name is given twice, as mail clients differ: RFC 2231 (`filename*=utf-8''…`), which
current clients read, and an RFC 2047 encoded-word in `name=` / `filename=`, which old Outlook reads."""

from __future__ import annotations

import base64
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import encoders
from email.policy import compat32
from email.utils import encode_rfc2231, formatdate, make_msgid
from pathlib import Path

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
WARN_BYTES = 20 * 1024 * 1024
MAX_BYTES = 50 * 1024 * 1024
# compat32 keeps our header text verbatim (the newer policies re-fold filename* into continuations that
# old clients drop); CRLF and no header folding for the wire.
WIRE = compat32.clone(linesep="\r\n", max_line_length=0)


def encoded_word(text: str) -> str:
    """RFC 2047 base64 encoded-word; ASCII names stay as they are."""
    if text.isascii():
        return text
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def build_message(attachment: Path, sender: str, to: list[str], cc: list[str], subject: str, body: str) -> MIMEMultipart:
    """A multipart message: the body as UTF-8 text, then the workbook, its bytes untouched (base64)."""
    data = attachment.read_bytes()
    msg = MIMEMultipart()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = Header(subject, "utf-8").encode()
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="selfeval-xl")
    msg.attach(MIMEText(body, "plain", "utf-8"))
    part = MIMEBase(*XLSX_TYPE)
    part.set_payload(data)
    encoders.encode_base64(part)
    legacy = encoded_word(attachment.name)
    part.replace_header("Content-Type", f'{"/".join(XLSX_TYPE)}; name="{legacy}"')
    part["Content-Disposition"] = f"attachment; filename=\"{legacy}\"; filename*={encode_rfc2231(attachment.name, 'utf-8')}"
    msg.attach(part)
    return msg


def to_bytes(msg: MIMEMultipart) -> bytes:
    """The message as sent on the wire (CRLF line ends)."""
    return msg.as_bytes(policy=WIRE)
