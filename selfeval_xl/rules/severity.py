"""How bad a finding is: one vocabulary for validation and scoring, with its Chinese word and its order."""

from __future__ import annotations

from enum import Enum


class Severity(Enum):
    """error: the workbook is wrong; warning: something to explain or complete; info: worth a look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return _ZH[self]

    @property
    def rank(self) -> int:
        """0 for the worst; findings are listed in this order."""
        return _RANK[self]


_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
