"""Progress on stderr when it is a terminal: files done, rate, time left, on one line rewritten in place."""

from __future__ import annotations

import sys
import time


class Progress:
    """Call step(n) as results arrive and close() at the end; silent when not enabled."""

    def __init__(self, total: int, enabled: bool | None = None, stream=None, every: float = 0.2):
        self.stream = stream or sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.total, self.done, self.every = total, 0, every
        self.start = self.last = time.monotonic()
        self.width = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self.last >= self.every or self.done >= self.total):
            self.last = now
            self._show(now)

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0
        return f"已处理 {self.done}/{self.total} 个文件，每秒 {rate:.0f} 个，预计还需 {_clock(left)}"

    def _show(self, now: float) -> None:
        text = self.line(now)
        self.stream.write("\r" + text + " " * max(0, self.width - len(text)))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\n")
            self.stream.flush()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"
