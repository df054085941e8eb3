"""The one error check-report raises for a report it cannot read (exit 2, like every InputError)."""

from __future__ import annotations

from selfeval_xl.errors import InputError


class ReportReadError(InputError):
    """The report file is missing, too large, of an unsupported kind, damaged, encrypted or holds no text."""
