"""Fixtures the harness's own tests share: demo-company servers per service profile.

Each profile runs in its own sandbox process (a profile is process-wide there);
they start on free loopback ports and stop when the session ends.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from accuracy_coverage import pytest_runtest_logreport, pytest_sessionfinish, pytest_terminal_summary

from journeys.company.profile import CompanyProfile, load_company
from journeys.runner.server import RunningServer, server_command, start_server, stop_process

ROOT = Path(__file__).resolve().parents[1]

pytest_plugins = ["pytester"]
# The accuracy tests' coverage table, printed once the session ends: hooks, kept here so the
# controlling process has them (xdist workers send their reports to it).
__all__ = ["pytest_runtest_logreport", "pytest_sessionfinish", "pytest_terminal_summary"]

# A journey the tests run in a project of their own (test_catalogue_contract.py), not here.
collect_ignore_glob = ["writing/catalogue_only/*"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``long`` first, in their order, then the rest in theirs: started last,
    a four-minute test kept one worker busy long after the other had run out of work."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(scope="session")
def demo_company_file() -> CompanyProfile:
    """The demo company's profile as shipped, before any server is started."""
    return load_company("sandbox", ROOT)


@pytest.fixture(scope="session")
def sandbox_for(
    demo_company_file: CompanyProfile, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., CompanyProfile]]:
    """Start (once per session) a sandbox under a service profile; give its company.

    ``time_scale`` shortens the contact centre's waits, so conversations in tests
    take seconds rather than minutes. ``variety``: each contact meets a company drawn from the
    profile's variety (``--variety``), not the routes as written.
    """
    running: dict[tuple[str, float, bool], RunningServer] = {}

    def start(profile: str, time_scale: float = 1.0, *, variety: bool = False) -> CompanyProfile:
        key = (profile, time_scale, variety)
        if key not in running:
            spec = demo_company_file.server
            assert spec is not None
            command = server_command(spec, profile=profile, seed=0, time_scale=time_scale, parent_pid=_pid())
            command += ["--variety"] if variety else []
            log = tmp_path_factory.mktemp(f"sandbox-{Path(profile).stem}") / "server.log"
            running[key], _process = start_server(spec, command, ROOT, log)
        return demo_company_file.with_base_url(running[key].url, running[key].said)

    yield start
    for server in running.values():
        stop_process(server.pid)


def _pid() -> int:
    import os

    return os.getpid()


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A mystery-shopper project folder: the plugin wiring, the demo company, the rubrics,
    and an empty features/ (a test module may define its own ``project`` instead)."""
    shutil.copy(ROOT / "conftest.py", pytester.path / "conftest.py")
    shutil.copytree(ROOT / "companies", pytester.path / "companies")
    shutil.copytree(ROOT / "rubrics", pytester.path / "rubrics")
    (pytester.path / "features").mkdir()
    return pytester
