"""Where the SMTP password comes from: an environment variable, the OS keyring, or a prompt.

Never from argv, a workbook or the config sheet, and never written to a log or a message."""

from __future__ import annotations

import getpass
import os
import sys

from selfeval_xl.errors import MailError

ENV_VAR = "SELFEVAL_SMTP_PASSWORD"
KEYRING_SERVICE = "selfeval-xl"


def _from_keyring(user: str, host: str) -> str | None:
    try:
        import keyring  # optional: only when the user installed it
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, f"{user}@{host}") or keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # a locked or absent backend is not an error: fall through to the prompt
        return None


def smtp_password(user: str, host: str, interactive: bool | None = None) -> str:
    """The password for user at host, looked up in order: $SELFEVAL_SMTP_PASSWORD, keyring, prompt."""
    pw = os.environ.get(ENV_VAR)
    if pw:
        return pw
    pw = _from_keyring(user, host)
    if pw:
        return pw
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if interactive:
        pw = getpass.getpass(f"{user}@{host} 的邮箱密码（不回显）：")
        if pw:
            return pw
    raise MailError(f"需要 {user} 的邮箱密码：请设置环境变量 {ENV_VAR}，或用 keyring 保存"
                    f"（服务名 {KEYRING_SERVICE}，用户名 {user}@{host}），或在终端中运行以输入密码", code="auth")
