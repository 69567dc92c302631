"""Fixtures for the sandbox's own tests: in-process shops on a clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sandbox_client import FakeClock, MakeShop, Shop, TestClient

from sandbox.app import SandboxConfig, create_app
from sandbox.profiles import load_profile


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def profile_name() -> str:
    """The profile of the ``shop`` fixture; a test module overrides it to change profile."""
    return "typical"


@pytest.fixture
def make_shop(tmp_path: Path, clock: FakeClock) -> Iterator[MakeShop]:
    """Build shops on fresh databases: ``make_shop(profile="purgatory", name="a")``."""
    with ExitStack() as running:

        def make(
            profile: str = "typical", seed: int = 7, name: str = "shop", time_scale: float = 1.0
        ) -> Shop:
            db_path = tmp_path / f"{name}.sqlite3"
            config = SandboxConfig(
                profile=load_profile(profile), db_path=db_path, seed=seed,
                time_scale=time_scale, clock=clock,
            )
            client = running.enter_context(TestClient(create_app(config)))
            return Shop(client, db_path, clock)

        yield make


@pytest.fixture
def shop(make_shop: MakeShop, profile_name: str) -> Shop:
    """A shop under ``profile_name`` (override that fixture to change the profile)."""
    return make_shop(profile=profile_name)
