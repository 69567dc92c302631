"""A QA team's repository with mystery-shopper installed as a package, end to end.

A wheel is built from this checkout and installed in a fresh virtual environment; in an
empty folder, ``mystery-shopper init`` writes a project, and ``mystery-shopper run`` runs its
example journey against the demo company, with a step of the team's own from its
``steps/`` folder. Nothing of the checkout may leak in: the package is imported from the
new environment, and the project has no ``conftest.py``.

The wheel's dependencies are not downloaded again: a ``.pth`` file makes this environment's
site-packages visible to the new one (a ``.pth`` line adds a folder to ``sys.path`` and runs
none of the ``.pth`` files in it, so the editable install of the checkout stays out). Building
the wheel installs the build backend the project asks for (setuptools) from the package
index, as ``pip install`` of the project would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NOT_PACKAGED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".cache",
    "results",
    "test-results",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "tests",
)
"""What the copy of the checkout that the wheel is built from leaves out (none of it is packaged)."""

NOTED_STEP = '''\
"""A second step of the team's own, that leaves a mark in the journey's record."""

from pytest_bdd import then

from journeys.journey.actor import Journey


@then("I note the order number for our team")
def note_order_number(journey: Journey) -> None:
    """Keep the order number under a name of ours.

    Example: Then I note the order number for our team
    """
    journey.facts["noted_by_our_step"] = journey.facts["order_number"]
'''


@dataclass(frozen=True)
class Installed:
    """A virtual environment with the wheel installed, and the wheel's file names."""

    bin: Path
    site_packages: Path
    wheel_names: tuple[str, ...]

    def run(
        self, command: str, *arguments: str, cwd: Path, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / command), *arguments],
            cwd=cwd,
            env=clean_environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def clean_environment() -> Mapping[str, str]:
    """This process's environment without what would import the checkout or change pytest."""
    dropped = {
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTEST_ADDOPTS",
        "PYTEST_PLUGINS",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
    }
    return {
        name: value
        for name, value in os.environ.items()
        if name not in dropped and not name.startswith("PYTEST_XDIST")
    }


def build_wheel(into: Path) -> Path:
    source = into / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_PACKAGED)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(into / "dist"),
            str(source),
        ],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (into / "dist").glob("mystery_shopper-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("package")
    wheel = build_wheel(work)
    environment = work / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    bin_folder = environment / "bin"
    purelib = sysconfig.get_path("purelib", vars={"base": str(environment), "platbase": str(environment)})
    site_packages = Path(purelib)
    (site_packages / "dependencies-of-the-test.pth").write_text(sysconfig.get_path("purelib") + "\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(bin_folder / "python"),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(wheel) as archive:
        names = tuple(archive.namelist())
    return Installed(bin_folder, site_packages, names)


def test_the_wheel_carries_what_a_run_needs_outside_this_repository(installed: Installed) -> None:
    names = set(installed.wheel_names)
    needed = {
        "journeys/plugin.py",
        "journeys/steps/ordering.py",
        "journeys/schema/journey-result.schema.json",
        "journeys/company/builtin/sandbox.toml",
        "journeys/company/builtin/sandbox-steps.toml",
        "journeys/company/builtin/sandbox-phone-lines.txt",
        "journeys/scoring/builtin/default.toml",
        "journeys/runner/templates/features/example.feature",
        "journeys/runner/templates/github/workflows/mystery-shopper-nightly.yml",
        "reports/templates/run.html.j2",
        "sandbox/profiles/typical.toml",
        "sandbox/templates/base.html",
        "sandbox/static/chat.js",
    }
    assert needed <= names, sorted(needed - names)
    assert not [name for name in names if name.split("/")[0] in {"steps", "tests", "companies", "rubrics"}]
    for name in ("journeys/company/builtin/sandbox.toml", "journeys/scoring/builtin/default.toml"):
        shipped = (installed.site_packages / name).read_bytes()
        source = ROOT / ("companies" if "company" in name else "rubrics") / Path(name).name
        assert shipped == source.read_bytes(), f"{name} is not the file it links to"
    [entry_points] = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    assert (
        installed.site_packages.joinpath(entry_points).read_text().count("journeys.plugin = journeys.plugin")
        == 1
    )


@pytest.mark.long
def test_a_teams_repository_runs_a_journey_with_its_own_steps(installed: Installed, tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()

    where = installed.run("python", "-c", "import journeys; print(journeys.__file__)", cwd=team)
    assert Path(where.stdout.strip()).is_relative_to(installed.site_packages), where.stdout + where.stderr

    plugins = installed.run("python", "-m", "pytest", "-VV", cwd=team)
    assert (
        f"mystery-shopper-0.1.0 at {installed.site_packages / 'journeys' / 'plugin.py'}" in plugins.stdout
    ), "pytest does not load the plugin by its entry point:\n" + plugins.stdout + plugins.stderr

    older = tmp_path / "older"  # a repository whose conftest.py lists the plugin, as ours does
    older.mkdir()
    (older / "conftest.py").write_text('pytest_plugins = ["journeys.plugin"]\n')
    twice = installed.run("python", "-m", "pytest", "-VV", cwd=older)
    assert twice.returncode == 0 and "mystery-shopper-0.1.0 at" in twice.stdout, twice.stdout + twice.stderr

    init = installed.run("mystery-shopper", "init", cwd=team)
    assert init.returncode == 0, init.stdout + init.stderr
    assert not (team / "conftest.py").exists()
    (team / "steps" / "noted.py").write_text(NOTED_STEP, encoding="utf-8")
    feature = team / "features" / "example.feature"
    feature.write_text(
        feature.read_text() + "    And I note the order number for our team\n", encoding="utf-8"
    )

    catalogue = installed.run("mystery-shopper", "steps", "--markdown", cwd=team)
    assert "Defined in `steps.example.order_number_to_quote`." in catalogue.stdout, catalogue.stderr
    assert "Defined in `steps.noted.note_order_number`." in catalogue.stdout

    run = installed.run(
        "mystery-shopper",
        "run",
        "--time-scale",
        "0.002",
        "--run-name",
        "packaged",
        "-p",
        "no:cacheprovider",
        cwd=team,
        timeout=300,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    [record] = [
        json.loads(path.read_text()) for path in (team / "results" / "packaged" / "journeys").glob("*.json")
    ]
    assert record["status"] == "passed" and record["company"] == "sandbox"
    assert record["facts"]["noted_by_our_step"] == record["facts"]["order_number"]
    assert record["facts"]["order_number"].startswith("BL-")
    assert (team / "results" / "packaged" / "report.html").is_file()
