"""How many calls a run holds at once, across all its processes.

A journey at the company's real pace is mostly waiting, so a run holds many at once; a call is
not waiting: both its ends turn audio into words as it is spoken, and this machine was measured
to carry 8 calls at once with both ends on it (docs/benchmarks.md, "Calls at once"). A run's
workers are separate processes, so the run's line slots are lock files in a folder they share:
a call holds one (an exclusive ``flock``) from dialling to hanging up, and the kernel frees it
when the process ends however it ends, so a crashed worker never keeps a line.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.25
"""How often a call that found every line busy looks again (a call lasts minutes)."""


@dataclass(frozen=True)
class CallSlots:
    """``count`` lines shared through lock files in ``folder``."""

    folder: Path
    count: int

    def hold(self) -> HeldLine:
        """Wait for a free line and hold it until :meth:`HeldLine.release`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            for index in range(self.count):
                descriptor = os.open(self.folder / f"line-{index}.lock", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(descriptor)
                    continue
                return HeldLine(descriptor, index)
            time.sleep(POLL_SECONDS)


class HeldLine:
    """One held line; released once, however often :meth:`release` is called."""

    def __init__(self, descriptor: int, index: int) -> None:
        self.index = index
        self._descriptor: int | None = descriptor
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            descriptor, self._descriptor = self._descriptor, None
        if descriptor is not None:
            os.close(descriptor)  # closing the last descriptor drops the flock


_slots: CallSlots | None = None


def share_lines(slots: CallSlots | None) -> None:
    """Say how many calls this process's run may hold at once (the plugin, per process)."""
    global _slots
    _slots = slots


def hold_a_line() -> HeldLine | None:
    """A line for a call about to be dialled; None when the run sets no limit."""
    return None if _slots is None else _slots.hold()
