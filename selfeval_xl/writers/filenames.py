"""File names made from text read in a workbook (the default export name from 单位名称): valid on Windows,
macOS and Linux whatever the cell held."""

from __future__ import annotations

import re
import unicodedata

MAX_BYTES = 180  # of UTF-8: file systems allow 255; room for ".xlsx", a draft suffix and the temp prefix
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')  # what Windows refuses in a name, and the separators
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_DROPPED = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # control, invisible format (bidi overrides), surrogates, line breaks


def safe_file_name(text: str, max_bytes: int = MAX_BYTES) -> str:
    """text as a file name (without its extension): line breaks and tabs become one space, other control and
    invisible characters are dropped, what Windows forbids becomes "_", no leading or trailing dot or space,
    never a name Windows reserves (CON, COM1, …), at most max_bytes of UTF-8 cut at a character; never empty."""
    s = unicodedata.normalize("NFC", str(text))
    s = "".join(" " if ch.isspace() else "" if unicodedata.category(ch) in _DROPPED else ch for ch in s)
    s = _FORBIDDEN.sub("_", _SPACES.sub(" ", s)).strip(" .")
    if s.split(".", 1)[0].upper() in _RESERVED:
        s = "_" + s
    cut = s.encode("utf-8")[:max_bytes].decode("utf-8", "ignore").rstrip(" .")
    return cut or "_"
