"""The ``mystery-shopper`` command: a thin layer over pytest and the core.

Commands:
    run       run journeys (all arguments go on to pytest; default: features/)
    sandbox   serve the demo company so a person can browse it
    report    render the report of a run folder again

Errors from the core become one line on standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from journeys.errors import MysteryShopperError
from journeys.results import RunDirectory

USAGE = """usage: mystery-shopper COMMAND [ARGS...]

commands:
  run [PYTEST ARGS...]     run journeys; default features/. Options: --company, --profile,
                           --seed, --results-dir, --headed, -n 2 (parallel), -m smoke ...
  sandbox [OPTIONS]        serve the demo company: --profile NAME, --port N, --seed N
  report RUN_DIR           render RUN_DIR/report.html again from its journey records
"""


# Options of ours that take a value. Given as "--profile path/x.toml", pytest would take
# the value for a path to collect and choose its root folder from it; "--profile=..." is safe.
VALUE_OPTIONS = ("--company", "--profile", "--seed", "--time-scale", "--results-dir", "--run-name")


def _glue_values(arguments: list[str]) -> list[str]:
    glued: list[str] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if argument in VALUE_OPTIONS and index + 1 < len(arguments):
            glued.append(f"{argument}={arguments[index + 1]}")
            index += 2
        else:
            glued.append(argument)
            index += 1
    return glued


def _run(arguments: list[str]) -> int:
    import pytest

    arguments = _glue_values(arguments)

    if not Path("conftest.py").is_file() or not Path("companies").is_dir():
        raise MysteryShopperError(
            "run mystery-shopper from a project folder (one with conftest.py and companies/); "
            f"{Path.cwd()} is not one"
        )
    paths = [
        argument
        for argument in arguments
        if not argument.startswith("-") and Path(argument.split("::")[0]).exists()
    ]
    if not paths:
        arguments = [*arguments, "features"]
    return int(pytest.main(arguments))


def _sandbox(arguments: list[str]) -> int:
    # The harness never imports the sandbox: it runs it like any company's server.
    try:
        return subprocess.call([sys.executable, "-m", "sandbox", *arguments])
    except KeyboardInterrupt:
        return 0


def _report(arguments: list[str]) -> int:
    from reports.html import render_run_report

    parser = argparse.ArgumentParser(prog="mystery-shopper report")
    parser.add_argument("run_dir", type=Path)
    options = parser.parse_args(arguments)
    records = list(RunDirectory(options.run_dir).records())
    if not records:
        raise MysteryShopperError(f"{options.run_dir}: no journey records (expected journeys/*.json)")
    print(f"report: {render_run_report(options.run_dir, records)}")
    return 0


COMMANDS = {"run": _run, "sandbox": _sandbox, "report": _report}


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if not arguments or arguments[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0
    command = COMMANDS.get(arguments[0])
    if command is None:
        print(f"mystery-shopper: unknown command {arguments[0]!r}\n{USAGE}", end="", file=sys.stderr)
        return 2
    try:
        return command(arguments[1:])
    except MysteryShopperError as error:
        print(f"mystery-shopper: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
