"""Ctrl-C during a run: said in a few words, not as a traceback.

A terminal's Ctrl-C reaches every process of the run: the harness, its xdist workers,
and Playwright's driver, which closes the browser under the journey in flight. The
plugin keeps what that journey saw (its record says ``interrupted``), renders the
report once the last journey is torn down, records the run as interrupted, and ends
with :func:`summary_line`; :class:`CtrlCInWords` turns pytest's own Ctrl-C banner
into words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

NOTHING_ENDED = "stopped by Ctrl-C before any journey ended: no report was written"


def summary_line(journeys: int, cut_short: Sequence[str]) -> str:
    """What a Ctrl-C left: how many journeys finished, and which were cut short.

    Args:
        journeys: the journeys in the report (finished and cut short).
        cut_short: each journey cut short, as ``name (feature:line)``.
    """
    finished = journeys - len(cut_short)
    names = f": {'; '.join(cut_short)}" if cut_short else ""
    return (
        f"stopped by Ctrl-C: {finished} journey{'' if finished == 1 else 's'} finished, "
        f"{len(cut_short)} interrupted{names}; journeys not yet started are not in the report"
    )


class CtrlCInWords:
    """Makes pytest's Ctrl-C banner one line of words.

    pytest follows it with the file and line Python happened to be running when Ctrl-C
    came: a line of traceback that tells the person who pressed it nothing (the summary
    says what finished and where the report is). Its banner prints that line only for a
    message naming KeyboardInterrupt, so the message is replaced; ``--full-trace`` keeps
    it. This reaches into pytest's terminal reporter (``_keyboardinterrupt_memo``), so it
    does nothing unless the memo looks as expected.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(trylast=True)  # after the terminal reporter has kept the memo
    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        memo: Any = getattr(reporter, "_keyboardinterrupt_memo", None)
        crash: Any = getattr(memo, "reprcrash", None)
        usual = dataclasses.is_dataclass(crash) and not isinstance(crash, type)
        if usual and not self.config.option.fulltrace:
            memo.reprcrash = dataclasses.replace(crash, message="stopped by Ctrl-C")
