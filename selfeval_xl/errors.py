"""One exception root; every message is Chinese, one line, and says what to do.

Exit codes (documented in docs/cli.md):
  0   no errors (warnings allowed)
  1   the workbook has errors
  2   the input cannot be read, or holds no recognisable table
  3   an output could not be written (or the add-in could not be built)
  4   mail: authentication refused or no password
  5   mail: cannot connect to the server
  6   mail: TLS failed (certificate, handshake, STARTTLS not offered)
  7   mail: a recipient or the message was refused
  64  the command line itself is wrong (unknown option, missing argument, bad value)
  70  internal error: a bug; the traceback is in the log file
"""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_OUTPUT = 3
EXIT_MAIL = 4
MAIL_EXIT = {"auth": 4, "connect": 5, "tls": 6, "refused": 7}
EXIT_USAGE = 64  # sysexits.h EX_USAGE
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE


class SelfevalError(Exception):
    """Root of every error the tool reports to the user."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SelfevalError):
    """The user's workbook is not usable (exit 2)."""

    exit_code = EXIT_INPUT


class UsageError(SelfevalError):
    """The command line is wrong: an unknown option, a missing or malformed argument (exit 64)."""

    exit_code = EXIT_USAGE


class FileError(SelfevalError):
    """An output file cannot be written, or would overwrite (exit 3)."""

    exit_code = EXIT_OUTPUT


class ConfigError(InputError):
    """An indicator system or method definition is malformed (exit 2)."""


class BuildError(SelfevalError):
    """The add-in (.xlam) cannot be built: its base file or a VBA module is not as MS-OVBA/MS-CFB expect (exit 3)."""

    exit_code = EXIT_OUTPUT


class MailError(SelfevalError):
    """Sending the workbook failed; code is auth, connect, tls or refused (exit 4-7)."""

    exit_code = EXIT_MAIL

    def __init__(self, message: str, code: str = "auth"):
        super().__init__(message)
        self.code = code
        self.exit_code = MAIL_EXIT[code]
