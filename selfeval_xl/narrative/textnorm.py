"""Width folding that keeps every character at its offset, so locations found in folded text stay true.

unicodedata's NFKC (the standard library's, maintained with Unicode) turns full-width digits and punctuation
(０-９ ． ， ％ （ ： －) into ASCII. It is applied one character at a time and only where the result is one
character, so offsets never move; circled numbers (①) stay, they are list markers, not the digit 1.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    out = unicodedata.normalize("NFKC", ch)
    if len(out) != 1:
        return ch
    if "CIRCLED" in unicodedata.name(ch, "") or "PARENTHESIZED" in unicodedata.name(ch, ""):
        return ch
    if out == "\u3000":
        return " "
    return out


def fold(text: str) -> str:
    """text with full-width forms made ASCII, same length, same offsets."""
    return "".join(_fold_char(c) for c in text)


CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))


def cjk_count(text: str) -> int:
    """How many CJK ideographs text holds."""
    return sum(1 for c in text if any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES))
