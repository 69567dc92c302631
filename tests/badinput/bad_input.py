"""The bad-input suite's tools: a project folder to write mistakes into, and one assertion.

The bad-input suite: every mistake a new user makes gets one clear line.

Each case writes one mistake into a fresh project folder (the ``project`` fixture of
``tests/conftest.py``) and runs the real command: ``mystery-shopper run`` as a
subprocess (a pytest session of its own, as a user starts it), the other commands
through the CLI's ``main()`` in this process (the same code, in milliseconds). Every
case asserts the exit code, that no traceback was printed, and that what was said is
one line naming the file:line, the option or the key to fix.

No case here starts the demo company's server or a browser: the project's company
profile has a server command that fails with :data:`NOT_STARTED`, so a check that
ran only after the server would start shows up as that message instead of its own.
The few cases that need the server are in ``test_with_the_demo_company.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "history"))

from history_records import journey_record, write_run_folder

from journeys.runner.cli import main

ROOT = Path(__file__).resolve().parents[2]
MYSTERY_SHOPPER = Path(sys.executable).with_name("mystery-shopper")

NOT_STARTED = "the bad-input suite never starts a company server"
SERVER_COMMAND = 'command = [\n  "{python}", "-m", "sandbox",'
NO_SERVER_COMMAND = f'command = ["{{python}}", "-c", "raise SystemExit(\'{NOT_STARTED}\')",'

A_JOURNEY = """\
@cancellation @web
Feature: Cancelling right after submitting

  @smoke
  Scenario: Cancel a web order right away on the web
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I cancel it right away through the web
    Then my order is cancelled
"""
"""A clean journey: the cases change one thing in it (or write something else)."""


@dataclass(frozen=True)
class Said:
    """What a command said: its exit code and its two streams."""

    code: int
    out: str
    err: str

    def one_line(self, code: int, expected: str, *, stream: str = "err") -> str:
        """Assert the exit code, no traceback, and exactly one line, which matches ``expected``.

        Args:
            code: the exit code.
            expected: a regular expression the whole line must match.
            stream: ``err`` (a refusal) or ``out`` (``check``'s problems, before its summary line).
        """
        assert "Traceback" not in self.out + self.err, self.out + self.err
        assert self.code == code, f"exit code {self.code}, not {code}:\n{self.out}\n{self.err}"
        lines = [line for line in (self.err if stream == "err" else self.out).splitlines() if line.strip()]
        if stream == "out":
            assert lines and lines[-1].startswith("checked "), lines
            lines = lines[:-1]
        assert len(lines) == 1, "not one line:\n" + "\n".join(lines)
        assert re.fullmatch(expected, lines[0]), f"{lines[0]!r}\n does not match\n{expected!r}"
        return lines[0]


class Project:
    """A mystery-shopper project folder that the cases write their mistakes into."""

    def __init__(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self._capsys = capsys

    def feature(self, text: str | bytes, name: str = "journey.feature") -> str:
        """Write a feature file under features/; its path as messages show it."""
        path = self.path / "features" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        return f"features/{name}"

    def company(self, old: str, new: str, name: str = "acme") -> str:
        """A copy of the project's company profile with one change; its path as messages show it."""
        return self._variant("companies", "sandbox.toml", old, new, name)

    def rubric(self, old: str, new: str, name: str = "acme") -> str:
        """A copy of the default rubric with one change; its path as messages show it."""
        return self._variant("rubrics", "default.toml", old, new, name)

    def _variant(self, folder: str, original: str, old: str | bytes, new: str | bytes, name: str) -> str:
        text = (self.path / folder / original).read_bytes()
        old_bytes = old.encode() if isinstance(old, str) else old
        new_bytes = new.encode("latin-1") if isinstance(new, str) else new
        assert old_bytes in text, f"the case's anchor {old!r} is not in {folder}/{original}"
        (self.path / folder / f"{name}.toml").write_bytes(text.replace(old_bytes, new_bytes, 1))
        return f"{folder}/{name}.toml"

    def company_without_server(self, base_url: str, name: str = "acme") -> str:
        """A copy of the company profile that reaches an existing site at ``base_url``; its path."""
        text = (self.path / "companies" / "sandbox.toml").read_text(encoding="utf-8")
        text = re.sub(r"(?ms)^\[server\]\n.*?(?=^\[web\])", "", text)
        text = re.sub(r"(?ms)^\[mail\]\n.*?(?=^\[|\Z)", "", text)  # its servers are the [server]'s
        text = re.sub(r"(?ms)^\[phone(?:\.\w+)?\]\n.*?(?=^\[(?!phone[\].])|\Z)", "", text)  # so is its line
        assert not re.search(r"(?m)^\[(server|mail|phone)\]", text) and 'base_url = "{server_url}"' in text
        text = text.replace('base_url = "{server_url}"', f'base_url = "{base_url}"')
        (self.path / "companies" / f"{name}.toml").write_text(text, encoding="utf-8")
        return f"companies/{name}.toml"

    def stored_run(self, name: str = "night-1", *journey_ids: str) -> str:
        """A run folder under results/ as a run leaves it, with valid journey records; its path."""
        write_run_folder(self.path / "results", name, [journey_record(i) for i in journey_ids or ("a", "b")])
        return f"results/{name}"

    def line_of(self, relative: str, needle: str) -> int:
        """The first line of a project file that holds ``needle``."""
        lines = (self.path / relative).read_bytes().decode("utf-8", "replace").splitlines()
        return next(number for number, line in enumerate(lines, 1) if needle in line)

    def run(self, *arguments: str, env: Mapping[str, str] | None = None) -> Said:
        """``mystery-shopper run ...`` in a process of its own, from the project folder."""
        environment = {**os.environ, **(env or {})}
        done = subprocess.run(
            [str(MYSTERY_SHOPPER), "run", *arguments],
            cwd=self.path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Said(done.returncode, done.stdout, done.stderr)

    def main(self, *arguments: str) -> Said:
        """``mystery-shopper ...`` (not ``run``) through the CLI's ``main()``, in this process."""
        self._capsys.readouterr()
        try:
            code = main(list(arguments))
        except SystemExit as exited:  # argparse's usage errors
            code = int(exited.code or 0)
        captured = self._capsys.readouterr()
        return Said(code, captured.out, captured.err)
