"""Which Chromium to launch, and with which flags.

Order of preference: ``MYSTERY_SHOPPER_CHROMIUM`` (a path, when the user says so),
then Playwright's bundled Chromium (the normal case on a laptop), then a system
Chromium (Debian's ``chromium`` on machines where Playwright cannot download
its own). When none is there, :class:`~journeys.errors.BrowserNotFound` says
what to install.

A headless run on the system's browsers prefers Chromium's headless shell
(Debian's ``chromium-headless-shell``) where it is installed, as Playwright's own
download does: the full browser run headless draws its pages as a window would,
and the web order journeys cost 10.9 CPU-seconds in it against 7.8 in the shell.
A headed run (``--headed``) needs the full browser.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from journeys.errors import BrowserNotFound

BROWSER_ENV = "MYSTERY_SHOPPER_CHROMIUM"
SYSTEM_CHROMIUMS: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
)
# Chromium built without a window, for headless runs: Debian's package of Chromium's old headless mode.
SYSTEM_HEADLESS_SHELLS: tuple[str, ...] = ("chromium-headless-shell",)
# Without these, Chromium reaches out to Google's hosts at every start.
QUIET_FLAGS: tuple[str, ...] = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
)
# What ``--version`` prints for a browser of the Chromium family ("Chromium 156.0.8078.108 ...").
BROWSER_VERSION = re.compile(r"(?i)\b(chromium|chrome|headlesschrome|edge|brave|opera|vivaldi)\b.*?\d+\.\d+")
VERSION_TIMEOUT = 30.0
INSTALL_HINT = (
    "install one: `python -m playwright install chromium`, or a system Chromium "
    "(Debian/Ubuntu: `apt-get install chromium`), or set "
    f"{BROWSER_ENV} to a Chromium executable"
)


@dataclass(frozen=True)
class BrowserChoice:
    """A Chromium to launch: ``executable`` is None for Playwright's bundled one."""

    executable: str | None
    source: str

    def launch_args(self) -> dict[str, object]:
        """Keyword arguments for ``BrowserType.launch``."""
        args = list(QUIET_FLAGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to start as root otherwise
        launch: dict[str, object] = {"args": args}
        if self.executable:
            launch["executable_path"] = self.executable
        return launch


def refuse_non_browser(choice: BrowserChoice) -> None:
    """Refuse an executable that is not a Chromium, before any journey tries to launch it.

    Otherwise Playwright fails to launch it in the first journey's first step, with a
    page of its own output, and again in every journey after. ``--version`` answers in
    a fraction of a second and starts no browser window.

    Raises:
        BrowserNotFound: the executable does not run, or does not say it is a Chromium.
    """
    if choice.executable is None:
        return  # Playwright's own, which Playwright found
    named = f"{BROWSER_ENV}={choice.executable}" if choice.source.startswith("$") else choice.executable
    try:
        answer = subprocess.run(
            [choice.executable, "--version"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        reason = error.strerror if isinstance(error, OSError) else f"no answer within {VERSION_TIMEOUT:.0f} s"
        raise BrowserNotFound(f"{named}: does not run as a browser ({reason}); {INSTALL_HINT}") from error
    said = next((line.strip() for line in answer.stdout.splitlines() if line.strip()), "")
    if answer.returncode != 0 or not BROWSER_VERSION.search(said):
        shown = f"said {said[:80]!r}" if said else "said nothing"
        raise BrowserNotFound(f"{named}: not a Chromium (`--version` {shown}); {INSTALL_HINT}")


@functools.cache
def bundled_chromium() -> str | None:
    """The path of Playwright's own Chromium if it has been downloaded.

    Asking starts Playwright's driver (a few tenths of a second); a run asks before its first
    journey and again as its browser launches, so the answer is kept for the process.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:
        return None
    return path if path and Path(path).is_file() else None


def find_chromium(environ: dict[str, str] | None = None, *, headed: bool = False) -> BrowserChoice:
    """Pick the Chromium to use, or say what to install.

    ``headed``: the browser will show its window, so a headless shell will not do.
    """
    environ = dict(os.environ) if environ is None else environ
    chosen = environ.get(BROWSER_ENV)
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return BrowserChoice(chosen, f"${BROWSER_ENV}")
        raise BrowserNotFound(f"{BROWSER_ENV}={chosen} is not an executable file; {INSTALL_HINT}")
    if bundled_chromium():
        return BrowserChoice(None, "playwright")
    for name in () if headed else SYSTEM_HEADLESS_SHELLS:
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system headless shell")
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system")
    raise BrowserNotFound(f"no Chromium found; {INSTALL_HINT}")


def main() -> int:
    """``python -m journeys.runner.browser``: print the Chromium that will be used (set-up checks it)."""
    try:
        choice = find_chromium()
    except BrowserNotFound as error:
        print(f"mystery-shopper: {error}")
        return 1
    print(f"{choice.source}: {choice.executable or 'bundled Chromium'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
