"""Fixtures for the run history's tests: a fresh history file per test, closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys.history.runs import History


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    return tmp_path / "history" / "history.sqlite3"


@pytest.fixture
def history(history_path: Path) -> Iterator[History]:
    with History.open(history_path) as opened:
        yield opened
