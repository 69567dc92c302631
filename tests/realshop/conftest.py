"""The real shop (EverShop) for the tests that need it: installed once, as make setup does.

Skipped, with the install script's own line, only where it cannot be installed here (no
Node.js 20+, or no PostgreSQL and not root); a failing install fails.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from realshops.evershop import serve

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "realshops" / "evershop" / "install"


@pytest.fixture(scope="session")
def evershop_installed() -> Path:
    """The EverShop install folder, after running the (idempotent) install script."""
    done = subprocess.run([str(INSTALL)], cwd=ROOT, capture_output=True, text=True, check=False)
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        pytest.fail(f"realshops/evershop/install failed:\n{said}")
    if not serve.STAMP.is_file():
        pytest.skip(said.splitlines()[-1] if said else "EverShop could not be installed here")
    return serve.INSTALL_DIR
