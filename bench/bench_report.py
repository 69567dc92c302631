"""Benchmark the run report at CI scale: what a 10,000-journey run costs to render.

A run folder of synthetic journey records is built in a temporary folder (the same
builder the tests validate against the JSON Schema, ``tests/history/history_records.py``,
with an agent, transfers, info requests and a short transcript added to every problem
contact, so that pages carry a realistic load). A small history of earlier nights of the
same series is recorded first, then the big run, so the summary draws its sparklines.

Then, each timed on its own: scoring, reading the history's trends, the summary page, a
page per journey, ``summary.md``, ``export.json``, and :func:`render_run_report` as the
plugin calls it (all of the above but scoring and the history). Timings use
``time.perf_counter`` with tracemalloc off; peak memory is measured in a second pass of
the whole render under ``tracemalloc`` (Python allocations only), and the process's peak
RSS is printed too. Nothing is asserted: the figures go into docs/benchmarks.md by hand.

Run: ``.venv/bin/python bench/bench_report.py [--journeys 10000] [--nights 29] [--night-size 100]``
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_history import Row, catalogue, night_records, peak_memory, print_table, timed  # noqa: E402
from history_records import write_run_folder  # noqa: E402

from journeys.domain.results import RunDirectory  # noqa: E402
from journeys.history.runs import History  # noqa: E402
from journeys.scoring.rubric import load_rubric  # noqa: E402
from journeys.scoring.scorecard import aggregate, score_journey  # noqa: E402
from reports.export import write_export  # noqa: E402
from reports.formatting import environment  # noqa: E402
from reports.html import render_run_report, run_overview  # noqa: E402
from reports.journey_page import JourneyPages  # noqa: E402
from reports.markdown import write_markdown  # noqa: E402
from reports.trends import look_back  # noqa: E402

AGENTS = (("Gary", "Sales"), ("Sharon", "Orders"), ("Derek", "Returns"), ("Pamela", "Supervisors"))
FIELDS = ("name", "order_number", "email")


def with_conversation(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The record with an agent, its transfers, info requests and a dozen lines of transcript
    in its problem contact, spread over the contact after its hold (metrics are unchanged)."""
    contact = record["contacts"][-1]
    start, end = contact["started_at"], contact["ended_at"]
    begin = start + 1 + contact["metrics"]["hold_time"]
    span = max(end - begin, 1.0)
    events: list[dict[str, Any]] = []
    for index in range(12):
        at = begin + span * index / 13
        kind = "message_sent" if index % 2 else "message_received"
        events.append({"kind": kind, "at": at, "text": f"Line {index} of the conversation about the order."})
        if index % 4 == 0:
            field = FIELDS[rng.randrange(len(FIELDS))]
            events.append({"kind": "info_requested", "at": at, "text": "Your details?", "field_name": field})
    agent, department = AGENTS[0]
    events.append({"kind": "agent_joined", "at": begin, "agent": agent, "department": department})
    for transfer in range(contact["metrics"]["transfers"]):
        at = begin + span * (transfer + 1) / (contact["metrics"]["transfers"] + 2)
        agent, department = AGENTS[(transfer + 1) % len(AGENTS)]
        events.append({"kind": "transferred", "at": at, "department": department})
        events.append({"kind": "agent_joined", "at": at + 0.5, "agent": agent, "department": department})
    contact["events"] = sorted([*contact["events"], *events], key=lambda event: event["at"])
    return record


def folder_size(paths: Sequence[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


def build(folder: Path, journeys: int, nights: int, night_size: int) -> tuple[Path, History]:
    """Earlier nights of the series in a history, then the big run's folder, recorded too."""
    rng = random.Random(5)
    history = History.open(folder / "history.sqlite3")
    small = catalogue(night_size)
    for night in range(nights):
        records, scores = night_records(small, night, rng)
        history.record_run(records, f"night-{night:03d}", scores)
    records, _ = night_records(catalogue(journeys), nights, rng, drift=1.3)
    records = [with_conversation(record, rng) for record in records]
    run_dir = write_run_folder(folder / "results", "big-run", records)
    return run_dir, history


def measure(run_dir: Path, history: History) -> list[Row]:
    rows: list[Row] = []
    seconds, records = timed(lambda: list(RunDirectory(run_dir).records()))
    rows.append(Row(f"read {len(records)} journey records", seconds))
    rubric = load_rubric("default", ROOT)
    seconds, cards = timed(lambda: [score_journey(record, rubric) for record in records])
    scores = aggregate(zip(cards, records, strict=True))
    rows.append(Row("score them (default rubric) and aggregate", seconds))
    history.record_run(run_dir, scores={card.journey_id: card.score for card in cards})
    seconds, looked = timed(lambda: look_back(history, run_dir.name, history.path))
    note = f"{len(looked.trends.run_score) if looked.trends else 0} runs on the sparklines"
    rows.append(Row("history: trends and regressions of the run", seconds, None, note))
    arguments = (records, cards, scores, looked.regressions, looked.sentence)

    seconds, overview = timed(lambda: run_overview(run_dir.name, *arguments, trends=looked.trends))
    rows.append(Row("summary: compute (tiles, sparklines, journeys worst first)", seconds))
    template = environment().get_template("run.html.j2")
    seconds, _ = timed(lambda: (run_dir / "report.html").write_text(template.render(overview)))
    rows.append(
        Row("summary: render report.html", seconds, None, _size((run_dir / "report.html").stat().st_size))
    )
    by_id = {card.journey_id: card for card in cards}
    pages = JourneyPages(environment(), run_dir, run_dir.name)
    seconds, written = timed(lambda: pages.write_all(records, by_id))
    rows.append(
        Row(
            f"journey pages: {len(written)}",
            seconds,
            None,
            f"{seconds / len(written) * 1000:.2f} ms each, {_size(folder_size(written))} in all, "
            f"largest {_size(max(path.stat().st_size for path in written))}",
        )
    )
    seconds, markdown = timed(lambda: write_markdown(run_dir, overview))
    rows.append(Row("summary.md", seconds, None, _size(markdown.stat().st_size)))
    seconds, export = timed(lambda: write_export(run_dir, overview, records, cards, scores))
    rows.append(Row("export.json", seconds, None, _size(export.stat().st_size)))

    def render() -> Path:
        return render_run_report(run_dir, *arguments, trends=looked.trends)

    seconds, _ = timed(render)
    memory = peak_memory(render)
    rows.append(Row("render_run_report: all of the above (as the plugin calls it)", seconds, memory))
    return rows


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--journeys", type=int, default=10_000, help="journeys in the run")
    parser.add_argument("--nights", type=int, default=29, help="earlier runs of the series in the history")
    parser.add_argument("--night-size", type=int, default=100, help="journeys in each earlier run")
    options = parser.parse_args(arguments)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        run_dir, history = build(Path(folder), options.journeys, options.nights, options.night_size)
        with history:
            rows = measure(run_dir, history)
    print(f"{platform.python_implementation()} {platform.python_version()}, ", end="")
    print(f"{platform.machine()}, {_cores()} cores, {time.strftime('%Y-%m-%d')}")
    print_table(rows)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {peak_rss:.0f} MiB; benchmark took {time.perf_counter() - started:.0f} s")


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.0f} KiB"


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
