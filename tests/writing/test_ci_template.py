"""The nightly CI template (journeys/runner/templates/github/workflows/mystery-shopper-nightly.yml,
which ``mystery-shopper init`` writes into a team's repository) is valid, complete, and uses only
commands and options that mystery-shopper has: a template copied into a company's CI must not fail
on its first night over an option renamed since it was written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeys.runner.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "journeys" / "runner" / "templates" / "github" / "workflows" / "mystery-shopper-nightly.yml"
TEMPLATE_NAME = str(TEMPLATE.relative_to(ROOT))
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
SHELL_BREAKS = {">", ">>", "<", "|", "||", "&&", ";", "2>", "&"}


def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{TEMPLATE} is not a mapping"
    return loaded


def run_scripts() -> list[tuple[str, str]]:
    """(job, script) for every ``run:`` step."""
    return [
        (job_name, step["run"])
        for job_name, job in workflow()["jobs"].items()
        for step in job["steps"]
        if "run" in step
    ]


def invocations() -> list[tuple[str, str, list[str]]]:
    """(job, subcommand, the options it is given) for every ``mystery-shopper`` command the template runs."""
    found = []
    for job, script in run_scripts():
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            for index, word in enumerate(words):
                if Path(word).name != "mystery-shopper":
                    continue
                rest = words[index + 1 :]
                ended = next((at for at, item in enumerate(rest) if item in SHELL_BREAKS), len(rest))
                arguments = rest[:ended]
                options = [
                    argument.split("=", 1)[0] for argument in arguments[1:] if argument.startswith("-")
                ]
                found.append((job, arguments[0], options))
    return found


def known_options(command: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The options a command's --help lists; ``run`` passes everything to pytest, so ask pytest."""
    if command == "run":
        done = subprocess.run(
            [sys.executable, "-m", "journeys.runner.cli", "run", "--help", "-p", "no:cacheprovider"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        text = done.stdout
    else:
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        text = capsys.readouterr().out
    return set(OPTION.findall(text))


def test_the_template_is_a_nightly_workflow_of_shards_and_one_merge() -> None:
    loaded = workflow()
    triggers = loaded.get("on", loaded.get(True))  # YAML 1.1 reads a bare `on` as true
    assert [entry["cron"] for entry in triggers["schedule"]], "the template runs on a cron schedule"
    jobs = loaded["jobs"]
    assert set(jobs) == {"shard", "merge"}
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) == loaded["env"]["SHARDS"]
    assert jobs["merge"]["needs"] == "shard"
    uses = [step.get("uses", "") for step in jobs["merge"]["steps"]]
    assert any(action.startswith("actions/upload-artifact") for action in uses), "the report is uploaded"
    assert any(action.startswith("actions/cache/save") for action in uses), "the history is kept"
    merge_scripts = "\n".join(step.get("run", "") for step in jobs["merge"]["steps"])
    assert 'summary.md" >> "$GITHUB_STEP_SUMMARY"' in merge_scripts
    assert "MYSTERY_SHOPPER_HISTORY" in jobs["merge"]["env"]


def test_every_shard_runs_its_part_and_the_merge_records_one_run() -> None:
    commands: dict[tuple[str, str], set[str]] = {}
    for job, command, options in invocations():
        commands.setdefault((job, command), set()).update(options)
    assert "--shard" in commands["shard", "run"]
    assert "--record" in commands["merge", "report"] and "--out" in commands["merge", "report"]
    assert ("merge", "compare") in commands
    assert "--fail-under" in commands["merge", "report"], "the merged run is gated on its score"


def test_every_command_and_option_the_template_uses_exists(capsys: pytest.CaptureFixture[str]) -> None:
    used: dict[str, set[str]] = {}
    for _, command, options in invocations():
        assert command in COMMANDS, f"{TEMPLATE.name} runs mystery-shopper {command}, which is no command"
        used.setdefault(command, set()).update(options)
    assert used, f"{TEMPLATE.name} runs no mystery-shopper command"
    for command, options in used.items():
        unknown = options - known_options(command, capsys)
        assert not unknown, (
            f"{TEMPLATE.name}: mystery-shopper {command} has no option {', '.join(sorted(unknown))}"
        )


def test_the_ci_notes_and_the_readme_point_to_the_template() -> None:
    assert TEMPLATE_NAME in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TEMPLATE_NAME in readme and "mystery-shopper compare" in readme
