"""The 发送邮件 button: export, then an Outlook draft (Windows with Outlook), else SMTP with the settings
in selfeval.conf, else an .eml file saved next to the workbook and opened."""

from __future__ import annotations

import re
import sys

from selfeval_xl.addin.buttons import export_workbook
from selfeval_xl.addin.config import config
from selfeval_xl.errors import ConfigError, MailError
from selfeval_xl.mail.credentials import smtp_password
from selfeval_xl.mail.deliver import MailRequest, mail_eml, mail_outlook, mail_smtp
from selfeval_xl.mail.send import SmtpSettings


def _addresses(text: str) -> list[str]:
    return [a for a in re.split(r"[;,；，\s]+", text or "") if a]


def mail_action(port, open_file) -> str:
    out, sheets, _ = export_workbook(port, draft=False)  # a workbook with errors is not sent
    conf = config(sheets)
    to = _addresses(conf.get("Mail_To", ""))
    if not to:
        raise ConfigError("请先点“设置”，在 selfeval.conf 中填写 Mail_To（收件人）")
    req = MailRequest(out, to, _addresses(conf.get("Mail_Cc", "")), sender=conf.get("Mail_From") or None)
    if sys.platform == "win32" and not conf.get("SMTP_Host"):
        try:
            mail_outlook(req)
            return f"已在 Outlook 中打开草稿（附件：{out.name}），请检查后发送。"
        except MailError:
            pass  # no Outlook: fall through to the .eml
    if conf.get("SMTP_Host"):
        port_no = conf.get("SMTP_Port") or "465"
        settings = SmtpSettings.parse(f"{conf['SMTP_Host']}:{port_no}", (conf.get("SMTP_Security") or "ssl").lower(),
                                      conf.get("SMTP_User") or None)
        mail_smtp(req, settings, password=lambda u, h: smtp_password(u, h, interactive=False))
        return f"已发送至 {'、'.join(req.to + req.cc)}（附件：{out.name}）。"
    eml = mail_eml(req, out.with_suffix(".eml"), force=True)
    open_file(eml)
    return f"已保存邮件 {eml.name}，请在邮件程序中检查后发送。"
