"""``mystery-shopper init``: a team's repository of journeys, sound from its first minute.

What it writes is checked here without a browser: the example passes ``check`` with the
team's own step, the profile and the rubric load, the workflow is the CI template. That the
example runs, from an installed wheel, is ``tests/packaging``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from journeys.company.profile import load_company
from journeys.runner.cli import main
from journeys.runner.scaffold import TEMPLATES
from journeys.scoring.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[2]
MYSTERY_SHOPPER = Path(sys.executable).with_name("mystery-shopper")

WRITTEN = [
    "companies/our-company.toml",
    "features/example.feature",
    ".github/workflows/mystery-shopper-nightly.yml",
    "steps/__init__.py",
    "steps/example.py",
    "rubrics/our-rubric.toml",
]


def init(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str], list[str]]:
    code = main(["init", *arguments])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_init_writes_a_project_and_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "journeys-of-acme"

    code, out, err = init(capsys, str(folder))

    assert (code, err) == (0, [])
    assert out == [
        *(f"wrote {folder / name}" for name in WRITTEN),
        f"next: cd {folder} && mystery-shopper run --time-scale 0.05   "
        "(runs the example on the demo company)",
    ]
    assert sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()) == sorted(
        WRITTEN
    )


def test_init_never_overwrites_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "example.feature").write_text("ours")
    (tmp_path / "README.md").write_text("ours")  # a file init does not write is never a conflict

    code, out, err = init(capsys, str(tmp_path))

    assert (code, out) == (2, [])
    assert err == [
        f"mystery-shopper: init: {tmp_path} already has features/example.feature: nothing written "
        "(--force overwrites them)"
    ]
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["README.md", "example.feature", "features"]

    code, _, _ = init(capsys, str(tmp_path), "--force")

    assert code == 0 and (tmp_path / "features" / "example.feature").read_text() != "ours"
    assert (tmp_path / "README.md").read_text() == "ours"


def test_init_into_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("")

    assert init(capsys, str(tmp_path / "notes.txt")) == (
        2,
        [],
        [f"mystery-shopper: init: {tmp_path / 'notes.txt'} is a file; give a folder for the project"],
    )


def test_what_init_writes_is_sound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The profile starts as the demo company, the rubric is the default renamed, the workflow is
    the CI template, and the example passes check with the team's own step."""
    assert init(capsys, str(tmp_path))[0] == 0

    company = load_company("our-company", tmp_path)
    demo = load_company("sandbox", ROOT)
    assert company.name == "Our company (for now, the demo company)"
    assert company.server == demo.server and company.web == demo.web
    rubric, default = load_rubric("our-rubric", tmp_path), load_rubric("default", ROOT)
    assert rubric.name == "our-rubric" and rubric.sections == default.sections
    workflow = tmp_path / ".github" / "workflows" / "mystery-shopper-nightly.yml"
    template = TEMPLATES / "github" / "workflows" / "mystery-shopper-nightly.yml"
    assert workflow.read_text() == template.read_text() and yaml.safe_load(workflow.read_text())["jobs"]

    for company_name in ("our-company", "sandbox"):  # in a process of its own: it imports steps/
        done = subprocess.run(
            [str(MYSTERY_SHOPPER), "check", "--company", company_name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.splitlines() == [
            "checked 1 feature file, 1 scenario (outlines expanded), 4 steps: no problems"
        ]
