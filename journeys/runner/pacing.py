"""When each journey of a run may begin: ``--start-every SECONDS`` spreads their starts.

A run of many journeys at once starts every worker at the same moment; their first clicks
then arrive together, with every browser context, page and Playwright driver starting on the
same cores, and a company's pages (the demo's too, on this machine) answer the first of them
late. Load tools ramp up for this reason. Here successive journeys, across all the run's
workers, begin at least ``interval`` seconds apart: each takes the next start time from a
file the workers share, under an exclusive lock, and waits for it. A journey's own clock
starts when it begins, so the wait is the harness's, never counted as the company's.
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StartPacing:
    """Starts at least ``interval`` seconds apart, through ``path`` (shared by the workers)."""

    path: Path
    interval: float

    def next_start(self, now: float) -> float:
        """Take the next start time (wall clock), at ``now`` or later."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            said = os.read(descriptor, 64).decode(errors="replace").strip()
            start = max(now, float(said) if said else now)
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.ftruncate(descriptor, 0)
            os.write(descriptor, repr(start + self.interval).encode())
        finally:
            os.close(descriptor)  # and with it the lock
        return start

    def wait_for_turn(self) -> float:
        """Wait until this journey's start time; the seconds waited."""
        if self.interval <= 0:
            return 0.0
        now = time.time()
        start = self.next_start(now)
        if start > now:
            time.sleep(start - now)
        return max(0.0, start - now)
