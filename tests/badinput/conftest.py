"""The bad-input suite's fixture: a project folder whose company server must never start.

See :mod:`bad_input` for what the suite holds each case to.
"""

from __future__ import annotations

import pytest
from bad_input import NO_SERVER_COMMAND, SERVER_COMMAND, Project


@pytest.fixture
def project(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Project:
    """The project folder of ``tests/conftest.py``, its company's server replaced by one that refuses.

    No history of the developer's is read: ``MYSTERY_SHOPPER_HISTORY`` is unset.
    """
    monkeypatch.delenv("MYSTERY_SHOPPER_HISTORY", raising=False)
    profile = project.path / "companies" / "sandbox.toml"
    text = profile.read_text(encoding="utf-8")
    assert SERVER_COMMAND in text
    profile.write_text(text.replace(SERVER_COMMAND, NO_SERVER_COMMAND), encoding="utf-8")
    return Project(project.path, capsys)
