"""The demo company's phone lines, as its profile gives them to the recogniser, are the lines
its contact centre says now (``scripts/demo-phone-lines`` writes them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_phone_lines_are_up_to_date() -> None:
    written = (ROOT / "companies" / "sandbox-phone-lines.txt").read_text(encoding="utf-8")
    now = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo-phone-lines")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fix = "run: .venv/bin/python scripts/demo-phone-lines > companies/sandbox-phone-lines.txt"
    assert written == now, fix
    assert "If you are calling about cancelling an order, press 3." in written.splitlines()
