"""Finding a Chromium: the user's choice, Playwright's own, the system's, or a clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeys.errors import BrowserNotFound
from journeys.runner import browser
from journeys.runner.browser import BROWSER_ENV, BrowserChoice, find_chromium


def test_the_user_can_name_a_chromium(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_chromium({BROWSER_ENV: str(fake)}) == BrowserChoice(str(fake), f"${BROWSER_ENV}")


def test_a_named_chromium_that_is_not_there_is_one_clear_line() -> None:
    with pytest.raises(BrowserNotFound) as caught:
        find_chromium({BROWSER_ENV: "/nowhere/chromium"})
    assert "/nowhere/chromium is not an executable file" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_with_no_browser_at_all_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "bundled_chromium", lambda: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    with pytest.raises(BrowserNotFound) as caught:
        find_chromium({})
    message = str(caught.value)
    assert "playwright install chromium" in message and "apt-get install chromium" in message
    assert BROWSER_ENV in message


def test_the_system_chromium_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "bundled_chromium", lambda: None)
    shell = "chromium-headless-shell"
    monkeypatch.setattr(browser.shutil, "which", lambda name: None if name == shell else f"/usr/bin/{name}")
    assert find_chromium({}) == BrowserChoice("/usr/bin/chromium", "system")


def test_a_headless_run_prefers_the_system_headless_shell_and_a_headed_one_the_full_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(browser, "bundled_chromium", lambda: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert find_chromium({}) == BrowserChoice("/usr/bin/chromium-headless-shell", "system headless shell")
    assert find_chromium({}, headed=True) == BrowserChoice("/usr/bin/chromium", "system")


def test_launch_flags_keep_chromium_quiet_and_root_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    launch = BrowserChoice("/usr/bin/chromium", "system").launch_args()
    assert launch["executable_path"] == "/usr/bin/chromium"
    args = launch["args"]
    assert isinstance(args, list)
    for flag in (
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        assert flag in args
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--no-sandbox" not in BrowserChoice(None, "playwright").launch_args()["args"]  # type: ignore[operator]
    assert "executable_path" not in BrowserChoice(None, "playwright").launch_args()
