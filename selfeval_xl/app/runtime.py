"""Process-level tuning of the command line, kept out of the use cases: the cycle collector while reading, and
ending a one-shot command without tearing down its model."""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager

ONE_SHOT = False  # set by the command line (never by the add-in, which is long-lived)


def one_shot() -> None:
    """This process runs one command and exits: freeze what reading made instead of collecting it, and skip the
    teardown of the model at exit (see exit_now)."""
    global ONE_SHOT
    ONE_SHOT = True


@contextmanager
def no_cycle_collection():
    """Reading makes a few objects per cell and no reference cycles; the cycle collector's repeated passes over
    them cost ~40% of a 20,000-row validate. Paused, then restored (the add-in is long-lived); in a one-shot
    process the heap is frozen first, so that switching collection back on does not walk the model once more."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if ONE_SHOT:
            gc.freeze()
        if was:
            gc.enable()


def keep_until_exit() -> None:
    """The model lives until the process exits: keep the cycle collector from re-walking it while reports are
    built (command line and batch workers only)."""
    gc.freeze()


def exit_now(code: int) -> None:
    """End a one-shot process once its output is flushed, without freeing the model object by object."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)
