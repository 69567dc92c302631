"""Fixtures for the sandbox's own tests: in-process shops on a clock the tests move, and real
servers for the contact centre's event streams."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from contact_client import LiveSandbox, MakeLiveSandbox
from sandbox_client import FakeClock, MakeShop, Shop, TestClient

from sandbox.app import SandboxConfig, create_app
from sandbox.contact.mail_desk import MailDesk
from sandbox.profiles import load_profile
from sandbox.shop.storefronts import Storefront


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def profile_name() -> str:
    """The profile of the ``shop`` fixture; a test module overrides it to change profile."""
    return "typical"


@pytest.fixture
def make_shop(tmp_path: Path, clock: FakeClock) -> Iterator[MakeShop]:
    """Build shops on fresh databases: ``make_shop(profile="purgatory", name="a")``.

    Their order tables start empty unless ``returning_customers=True`` asks for the
    staff's seeded customers (the real server always has them). ``storefront="steps"``
    builds the other storefront style.
    """
    with ExitStack() as running:

        def make(
            profile: str = "typical",
            seed: int = 7,
            name: str = "shop",
            time_scale: float = 1.0,
            returning_customers: bool = False,
            storefront: str = "classic",
        ) -> Shop:
            db_path = tmp_path / f"{name}.sqlite3"
            config = SandboxConfig(
                profile=load_profile(profile),
                db_path=db_path,
                seed=seed,
                time_scale=time_scale,
                clock=clock,
                returning_customers=returning_customers,
                storefront=Storefront(storefront),
            )
            client = running.enter_context(TestClient(create_app(config)))
            return Shop(client, db_path, clock)

        yield make


@pytest.fixture
def shop(make_shop: MakeShop, profile_name: str) -> Shop:
    """A shop under ``profile_name`` (override that fixture to change the profile)."""
    return make_shop(profile=profile_name)


@pytest.fixture
def live_sandbox(tmp_path: Path) -> Iterator[MakeLiveSandbox]:
    """Real servers on port 0 (event streams need one), each stopped after the test."""
    started: list[LiveSandbox] = []

    def make(
        profile: str = "typical",
        *,
        time_scale: float = 0.02,
        seed: int = 7,
        abandon_after_seconds: float = 300.0,
        storefront: str = "classic",
        mail_desk: MailDesk | None = None,
    ) -> LiveSandbox:
        config = SandboxConfig(
            profile=load_profile(profile),
            db_path=tmp_path / f"live-{len(started)}.sqlite3",
            seed=seed,
            time_scale=time_scale,
            abandon_after_seconds=abandon_after_seconds,
            storefront=Storefront(storefront),
            mail_desk=mail_desk,
        )
        sandbox = LiveSandbox(config)
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        if sandbox.thread.is_alive():
            sandbox.stop()
