"""Process-level tuning of the command line, kept out of the use cases: the cycle collector while reading."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def no_cycle_collection():
    """Reading makes a few objects per cell and no reference cycles; the cycle collector's repeated passes over
    them cost ~40% of a 20,000-row validate. Paused, then restored (the add-in is long-lived)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def keep_until_exit() -> None:
    """The model lives until the process exits: keep the cycle collector from re-walking it while reports are
    built (command line only)."""
    gc.freeze()
