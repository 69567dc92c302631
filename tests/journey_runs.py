"""Running journeys as a user runs them, for the tests that judge whole runs: the
``mystery-shopper run`` command in a subprocess, and the journey records it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_journeys(arguments: list[str], tmp_path: Path, run_name: str) -> tuple[list[dict[str, Any]], str]:
    """Run journeys one at a time (no xdist); their records, by file name, and the output.

    A run may end with findings (exit 1); any other exit code fails the calling test.
    """
    command = [
        sys.executable, "-m", "journeys.runner.cli", "run", *arguments,
        "--results-dir", str(tmp_path / "results"), "--history", str(tmp_path / "history.sqlite3"),
        "--run-name", run_name, "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, env={**os.environ, "NO_COLOR": "1"}
    )
    output = done.stdout + done.stderr
    assert done.returncode in (0, 1), output[-3000:]
    folder = tmp_path / "results" / run_name / "journeys"
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))], output
