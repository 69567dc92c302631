"""The bad input only the running demo company can reveal: where its server says it listens.

These cases start the demo company's server (a few seconds each), so they are few; every
other case of the suite is refused before any server starts.
"""

from __future__ import annotations

import pytest
from bad_input import A_JOURNEY, NO_SERVER_COMMAND, SERVER_COMMAND, Project


@pytest.fixture
def demo(project: Project) -> Project:
    """The project with the demo company's own server command back, and one clean journey."""
    profile = project.path / "companies" / "sandbox.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(NO_SERVER_COMMAND, SERVER_COMMAND))
    project.feature(A_JOURNEY)
    return project


def test_a_server_outside_the_allowed_hosts_is_refused_as_it_starts(demo: Project) -> None:
    path = demo.company(
        'allowed_hosts = ["127.0.0.1", "localhost"]', 'allowed_hosts = ["localhost"]', "sandbox"
    )

    said = demo.run()

    said.one_line(
        4,
        rf"ERROR: {path}:{demo.line_of(path, 'allowed_hosts =')}: allowed_hosts: the host of base_url "
        r"http://127\.0\.0\.1:\d+ \(127\.0\.0\.1\) is not in allowed_hosts \(now: localhost\); "
        r"add '127\.0\.0\.1' to allowed_hosts, or fix base_url",
    )
    assert not (demo.path / "results").exists()


def test_a_service_profile_the_demo_company_lacks(demo: Project) -> None:
    said = demo.run("--profile", "heaven")

    said.one_line(
        4, r"ERROR: sandbox: unknown service profile 'heaven' \(known: advocate, purgatory, typical\)"
    )
