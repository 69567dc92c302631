"""The ``mystery-shopper`` command: a thin layer over pytest and the core.

Commands:
    run       run journeys (all arguments go on to pytest; default: features/)
    sandbox   serve the demo company so a person can browse it
    report    render a run's report again (shards of one run merge into one report)
    steps     print the step vocabulary (``--markdown``: as docs/steps.md)
    check     check feature files without running them (exit 1 when problems were found)
    try       play a company profile's web flows step by step, to write and mend them
    history   list the recorded runs with their scores
    compare   what changed between two runs, per channel and per journey
    init      start a repository of journeys: an example, a profile, a rubric, steps, CI

Errors from the core become one line on standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from journeys.company.profile import CompanyProfile, load_company
from journeys.errors import ConfigError, MysteryShopperError

USAGE = """usage: mystery-shopper COMMAND [ARGS...]

commands:
  run [PYTEST ARGS...]     run journeys; default features/. Options: --company, --profile,
                           --seed, --results-dir, --headed, -n 2 (parallel), -m smoke,
                           --repeat N, --one-browser, --browser-endpoint URL ...
  sandbox [OPTIONS]        serve the demo company: --profile NAME, --port N, --seed N,
                           --storefront classic|steps
  report RUN_DIR [...]     render the report again from journey records: report.html, a page per
                           journey, summary.md, export.json. Several folders (shards of one run)
                           merge into one report. Options: --out DIR, --rubric NAME, --history PATH,
                           --record, --fail-under SCORE (exit 1 under it: a sharded run's gate)
  steps [--markdown]       print the step phrases feature files can use, by keyword
  check [PATHS...]         check feature files (default features/) for unknown steps, bad
                           channels, shipping methods and tags, syntax errors: --company NAME
  try TASK [TASK...]       play a company's web flows step by step, e.g. try place_order open_order
                           --with product="Kettle Pro" --with shipping_method=Standard. Options:
                           --company NAME, --headed, --profile NAME, --seed N
  history [--last N]       the recorded runs, oldest first, with score and outcomes.
                           Options: --history PATH (default: results/history.sqlite3)
  compare RUN_A RUN_B      what changed from run A to run B (run folders, or names from history):
                           scores, holds, transfers, findings new and gone, per channel and journey,
                           as Markdown. Options: --html FILE, --rubric NAME, --history PATH
  init [FOLDER]            start a repository of journeys in FOLDER (default: here): features/
                           with an example, companies/, rubrics/, steps/ and a nightly CI
                           workflow; never overwrites a file unless --force
"""


# Options of ours that take a value. Given as "--profile path/x.toml", pytest would take
# the value for a path to collect and choose its root folder from it; "--profile=..." is safe.
VALUE_OPTIONS = (
    "--company",
    "--profile",
    "--seed",
    "--time-scale",
    "--results-dir",
    "--run-name",
    "--shard",
    "--history",
    "--rubric",
    "--repeat",
    "--calls-at-once",
    "--start-every",
    "--browser-endpoint",
    "--live",
)


class CommandParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (a :class:`ConfigError`), not the usage text."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog.removeprefix('mystery-shopper ')}: {message} (see {self.prog} --help)")


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

    # A feature file that is not there is named by pytest in one line; it does not add the default.
    paths = [
        argument
        for argument in arguments
        if not argument.startswith("-")
        and (Path(argument.split("::")[0]).exists() or argument.split("::")[0].endswith(".feature"))
    ]
    if not paths:
        if not Path("features").is_dir():
            raise MysteryShopperError(
                "run mystery-shopper from a project folder (one with features/; mystery-shopper init "
                f"makes one), or name the feature files; {Path.cwd()} has no features/"
            )
        arguments = [*arguments, "features"]
    # The plugin by name as well as by its entry point (same name: registered once), so that a
    # run needs neither a conftest.py nor pytest's automatic loading of installed plugins.
    return int(pytest.main(["-p", "journeys.plugin", *arguments]))


def _sandbox(arguments: list[str]) -> int:
    # The harness never imports the sandbox: it runs it like any company's server.
    try:
        return subprocess.call([sys.executable, "-m", "sandbox", *arguments])
    except KeyboardInterrupt:
        return 0


def _report(arguments: list[str]) -> int:
    from journeys.domain.results import refuse_unwritable_folder
    from journeys.history.runs import History, history_location
    from journeys.history.store import refuse_unusable
    from journeys.runner.preflight import run_numbers
    from journeys.scoring.rubric import load_rubric
    from journeys.scoring.scorecard import aggregate, score_journey
    from reports.export import EXPORT_NAME
    from reports.html import render_run_report
    from reports.markdown import SUMMARY_NAME
    from reports.merge import copy_into, gather, refuse_stale_output
    from reports.trends import look_back_at

    parser = CommandParser(
        prog="mystery-shopper report",
        description="Render a run's report again from its journey records: report.html, a page per "
        "journey, summary.md and export.json. Several folders (shards of one run) merge into one report.",
    )
    parser.add_argument("run_dirs", nargs="+", type=Path, metavar="RUN_DIR", help="run folders to read")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder that receives the report, and the other folders' records and artifacts "
        "(default: the first RUN_DIR)",
    )
    parser.add_argument("--rubric", default="default", help="a name under rubrics/ or a .toml path")
    parser.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="PATH",
        help="run history to read trends and regressions from, written only with --record "
        "(default: $MYSTERY_SHOPPER_HISTORY, else history.sqlite3 beside the output folder, if there)",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="record the (merged) run in the history: the shards of a --shard run are not recorded alone",
    )
    parser.add_argument(
        "--fail-under",
        default=None,
        metavar="SCORE",
        help="exit 1 when the (merged) run's mean score (0-100) is below SCORE: the gate of a sharded run",
    )
    options = parser.parse_args(arguments)
    gate = None
    if options.fail_under is not None:
        gate = run_numbers(seed="0", time_scale="1", fail_under=options.fail_under).fail_under
    out: Path = options.out or options.run_dirs[0]
    if options.out is not None:
        refuse_unwritable_folder(options.out, f"--out {options.out}")
    history_path, named = history_location(options.history, out.resolve().parent)
    refuse_unusable(history_path, named, writing=options.record)
    if options.history is not None and not options.record and not options.history.is_file():
        raise MysteryShopperError(f"--history {options.history}: no such run history")
    stored = gather(options.run_dirs)
    refuse_stale_output(out, options.run_dirs, stored)
    rubric = load_rubric(options.rubric, Path.cwd())
    out.mkdir(parents=True, exist_ok=True)
    copy_into(out, stored)
    records = [item.record for item in sorted(stored, key=lambda item: item.path.name)]
    scorecards = [score_journey(record, rubric) for record in records]
    scores = aggregate(zip(scorecards, records, strict=True))
    if options.record:
        history_path.parent.mkdir(parents=True, exist_ok=True)
        with History.open(history_path) as history:
            scored = {card.journey_id: card.score for card in scorecards}
            history.record_run(out, name=out.name, scores=scored)
        print(f"history: recorded {out.name} in {history_path}")
    looked = look_back_at(history_path, out.name)
    path = render_run_report(
        out,
        records,
        scorecards,
        scores,
        looked.regressions if looked else (),
        looked.sentence if looked else None,
        trends=looked.trends if looked else None,
    )
    print(f"report: {path}")
    print(f"exports: {out / SUMMARY_NAME} {out / EXPORT_NAME}")
    if gate is not None:
        mean = scores.run.mean
        if mean is None or mean < gate:
            shown = "no journey was scored" if mean is None else f"the mean score is {mean:g}"
            print(f"FAILED the score gate: {shown}, under --fail-under {gate:g}")
            return 1
        print(f"score gate: {mean:g}, at least --fail-under {gate:g}")
    return 0


def _steps(arguments: list[str]) -> int:
    from journeys.authoring.catalogue import load_catalogue, render_markdown, render_text
    from journeys.authoring.project_steps import vocabulary

    parser = CommandParser(prog="mystery-shopper steps")
    parser.add_argument("--markdown", action="store_true", help="print Markdown (as in docs/steps.md)")
    options = parser.parse_args(arguments)
    entries = load_catalogue(vocabulary(Path.cwd()))
    print(render_markdown(entries) if options.markdown else render_text(entries), end="")
    return 0


def _check(arguments: list[str]) -> int:
    from journeys.authoring.catalogue import load_catalogue
    from journeys.authoring.check import check_against
    from journeys.authoring.project_steps import vocabulary

    parser = CommandParser(prog="mystery-shopper check")
    parser.add_argument("paths", nargs="*", type=Path, help="feature files or folders (default: features)")
    parser.add_argument(
        "--company",
        default=None,
        help="company profile whose shipping methods and returning customers to check against: a name"
        " under companies/ or a .toml path (default: sandbox, when companies/sandbox.toml is here)",
    )
    options = parser.parse_args(arguments)
    result = check_against(
        options.paths or [Path("features")],
        _company_to_check(options.company),
        catalogue=load_catalogue(vocabulary(Path.cwd())),
    )
    for problem in result.problems:
        print(problem)
    print(result.summary())
    return 1 if result.problems else 0


def _company_to_check(company_name: str | None) -> CompanyProfile | None:
    """The company named; else the demo company when the folder has its profile, else none."""
    if company_name is None and not Path("companies", "sandbox.toml").is_file():
        return None
    return load_company(company_name or "sandbox", Path.cwd())


def _try(arguments: list[str]) -> int:
    from journeys.runner.trying import command

    return command(arguments, CommandParser)


def _history(arguments: list[str]) -> int:
    from journeys.history.runs import History, history_location
    from journeys.history.store import refuse_unusable
    from journeys.history.view import runs_table

    parser = CommandParser(prog="mystery-shopper history")
    parser.add_argument("--last", type=int, default=20, metavar="N", help="how many runs (default 20)")
    parser.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="PATH",
        help="the run history (default: $MYSTERY_SHOPPER_HISTORY, else results/history.sqlite3)",
    )
    options = parser.parse_args(arguments)
    if options.last < 1:
        raise ConfigError(f"--last {options.last}: give how many runs to list, 1 or more (e.g. --last 7)")
    path, named = history_location(options.history, Path("results"))
    refuse_unusable(path, named, writing=False)
    if not path.is_file():
        raise MysteryShopperError(f"{named}: no run history yet; it is written at the end of every run")
    with History.open(path) as history:
        print(runs_table(history, options.last))
    return 0


def _compare(arguments: list[str]) -> int:
    from journeys.domain.results import refuse_unwritable_folder
    from journeys.history.runs import history_location
    from journeys.scoring.rubric import load_rubric
    from reports.compare import compare_runs, load_run, render_html, render_markdown

    parser = CommandParser(
        prog="mystery-shopper compare",
        description="What changed from one run to another, per channel and per journey, biggest first: "
        "scores, holds (at the company's real pace), transfers, outcomes, findings new and gone.",
    )
    parser.add_argument("run_a", metavar="RUN_A", help="the earlier run: a run folder, or a name in history")
    parser.add_argument("run_b", metavar="RUN_B", help="the later run: a run folder, or a name in history")
    parser.add_argument(
        "--html", type=Path, default=None, metavar="FILE", help="also write the comparison as a page"
    )
    parser.add_argument("--rubric", default="default", help="a name under rubrics/ or a .toml path")
    parser.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="PATH",
        help="the run history that run names are looked up in "
        "(default: $MYSTERY_SHOPPER_HISTORY, else results/history.sqlite3)",
    )
    options = parser.parse_args(arguments)
    history_path, named = history_location(options.history, Path("results"))
    before = load_run(options.run_a, history_path, named)
    after = load_run(options.run_b, history_path, named)
    if options.html is not None:
        if options.html.is_dir():
            raise ConfigError(f"--html {options.html}: is a folder; give a file to write, e.g. compare.html")
        refuse_unwritable_folder(options.html.parent, f"--html {options.html}")
    comparison = compare_runs(before, after, load_rubric(options.rubric, Path.cwd()))
    print(render_markdown(comparison), end="")
    if options.html is not None:
        options.html.parent.mkdir(parents=True, exist_ok=True)
        options.html.write_text(render_html(comparison), encoding="utf-8")
        print(f"compare: wrote {options.html}", file=sys.stderr)
    return 0


def _init(arguments: list[str]) -> int:
    from journeys.runner.scaffold import scaffold

    parser = CommandParser(
        prog="mystery-shopper init",
        description="Start a repository of journeys for a QA team: an example journey that runs "
        "against the demo company, a commented company profile, a rubric, steps/ of your own and a "
        "nightly CI workflow.",
    )
    parser.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="FOLDER")
    parser.add_argument("--force", action="store_true", help="overwrite files that are already there")
    options = parser.parse_args(arguments)
    written = scaffold(options.folder, force=options.force)
    for path in written:
        print(f"wrote {options.folder / path}")
    go_there = "" if options.folder.resolve() == Path.cwd() else f"cd {options.folder} && "
    print(f"next: {go_there}mystery-shopper run --time-scale 0.05   (runs the example on the demo company)")
    return 0


COMMANDS = {
    "run": _run,
    "sandbox": _sandbox,
    "report": _report,
    "steps": _steps,
    "check": _check,
    "try": _try,
    "history": _history,
    "compare": _compare,
    "init": _init,
}


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if not arguments or arguments[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0
    command = COMMANDS.get(arguments[0])
    if command is None:
        close = difflib.get_close_matches(arguments[0], COMMANDS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        print(
            f"mystery-shopper: unknown command {arguments[0]!r}: {hint}commands: {', '.join(COMMANDS)} "
            "(mystery-shopper --help)",
            file=sys.stderr,
        )
        return 2
    try:
        return command(arguments[1:])
    except MysteryShopperError as error:
        print(f"mystery-shopper: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
