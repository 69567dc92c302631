"""Benchmark the run history at a year's scale: what ingest, trends and regressions cost.

Two histories are built in a temporary folder from synthetic journey records (the
same builder the tests validate against the JSON Schema):

- a year of nights: 365 runs of 27 journeys (about 10,000 journeys, 20,000 contacts),
  each run recorded as the harness would after a night, with a score per journey;
- one big run of 10,000 journeys, recorded from its folder of JSON files (as a sharded
  suite's merged run would be), then recorded again (the idempotent path).

Timings use ``time.perf_counter`` with tracemalloc off; peak memory is measured in a
second pass of the same operation under ``tracemalloc`` (Python allocations only: SQLite's
own page cache is not traced, which is why the process's peak RSS is printed too).
Nothing is asserted: the figures go into docs/benchmarks.md by hand.

Run: ``.venv/bin/python bench/bench_history.py [--nights 365] [--journeys 27] [--big 10000]``
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
# One record builder for the tests and this benchmark (tests/history validates its records).
sys.path.insert(0, str(ROOT / "tests" / "history"))
sys.path.insert(0, str(ROOT))

from history_records import FIRST_NIGHT, NIGHT, journey_record, write_run_folder  # noqa: E402

from journeys.domain.timeline import CHANNELS, Channel  # noqa: E402
from journeys.history.runs import ByChannel, ByJourney, History, Metric  # noqa: E402

TASKS = ("Cancel a web order right away", "Ask for a return", "Claim under warranty", "Ask where an order is")
TYPICAL_HOLD = {"phone": 60.0, "chat": 20.0, "social": 0.0, "email": 0.0, "web": 0.0}
TYPICAL_HANDLE = {"phone": 300.0, "chat": 240.0, "social": 600.0, "email": 3600.0, "web": 40.0}

T = TypeVar("T")


@dataclass(frozen=True)
class Scenario:
    feature: str
    name: str
    channel: Channel


@dataclass(frozen=True)
class Row:
    what: str
    seconds: float
    peak_bytes: int | None = None
    note: str = ""


def catalogue(count: int) -> list[Scenario]:
    """``count`` scenarios spread over the channels, like the shipped feature files."""
    scenarios = []
    for index in range(count):
        channel = CHANNELS[index % len(CHANNELS)]
        task = TASKS[(index // len(CHANNELS)) % len(TASKS)]
        variant = index // (len(CHANNELS) * len(TASKS))
        suffix = f" (variant {variant})" if variant else ""
        scenarios.append(
            Scenario(f"{task.split()[0].lower()}/{channel}.feature", f"{task} by {channel}{suffix}", channel)
        )
    return scenarios


def night_records(
    scenarios: Sequence[Scenario], night: int, rng: random.Random, drift: float = 1.0
) -> tuple[list[dict[str, Any]], dict[str, float | None]]:
    """One night's records and scores: noisy values around each channel's typical ones."""
    records, scores = [], {}
    for index, scenario in enumerate(scenarios):
        journey_id = f"test-journey-{index:05d}"
        hold = TYPICAL_HOLD[scenario.channel] * rng.lognormvariate(0, 0.25) * drift
        broken = rng.random() < 0.02
        records.append(
            journey_record(
                journey_id,
                name=scenario.name,
                feature=scenario.feature,
                channel=scenario.channel,
                started_at=FIRST_NIGHT + night * NIGHT + index * 30.0,
                status="broken" if broken else ("findings" if rng.random() < 0.2 else "passed"),
                hold_time=round(hold, 3),
                transfers=index % 3 // 2 + (rng.random() < 0.05),
                escalations=int(rng.random() < 0.05),
                recaptures=index % 2 + (rng.random() < 0.1),
                ivr_depth=2 + index % 2 if scenario.channel == "phone" else 0,
                time_to_agent=round(hold + rng.uniform(5, 40), 3) if scenario.channel != "web" else None,
                handle_time=round(TYPICAL_HANDLE[scenario.channel] * rng.lognormvariate(0, 0.2), 3),
                first_contact_resolution=rng.random() < 0.7,
                verified_resolved=rng.choice((True, True, True, False, None)),
                tags=(scenario.feature.split("/")[0], scenario.channel, "nightly"),
            )
        )
        scores[journey_id] = None if broken else round(rng.uniform(40, 100), 1)
    return records, scores


def timed(operation: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = operation()
    return time.perf_counter() - started, result


def peak_memory(operation: Callable[[], object]) -> int:
    """The peak of Python allocations while ``operation`` runs (a second pass, not the timed one)."""
    tracemalloc.start()
    try:
        operation()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def median_time(operation: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(operation)[0] for _ in range(repeat))


def database_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.parent.glob(path.name + "*"))


def year_of_nights(folder: Path, nights: int, journeys: int) -> list[Row]:
    """365 nightly runs of ``journeys`` journeys, then the queries a report makes."""
    rng = random.Random(7)
    scenarios = catalogue(journeys)
    path = folder / "year.sqlite3"
    rows: list[Row] = []
    per_run: list[float] = []
    with History.open(path) as history:
        for night in range(nights):
            drift = 1.5 if night == nights - 1 else 1.0  # a bad last night: something to find
            records, scores = night_records(scenarios, night, rng, drift)
            seconds, _ = timed(lambda: history.record_run(records, f"night-{night:03d}", scores))  # noqa: B023
            per_run.append(seconds)
        memory = peak_memory(lambda: history.record_run(records, f"night-{nights - 1:03d}", scores))
        total = sum(per_run)
        quantiles = statistics.quantiles(per_run, n=20)
        rows += [
            Row(f"ingest {nights} runs x {journeys} journeys: total", total),
            Row(
                "ingest: per run (mean)",
                statistics.mean(per_run),
                memory,
                f"median {statistics.median(per_run) * 1000:.1f} ms, p95 {quantiles[18] * 1000:.1f} ms, "
                f"last {per_run[-1] * 1000:.1f} ms",
            ),
        ]
        phone = ByChannel("phone")
        first = ByJourney(scenarios[3].feature, scenarios[3].name)
        for label, metric, subject, last in (
            ("trend: one journey, hold time, last 30", Metric.HOLD_TIME, first, 30),
            ("trend: one journey, score, last 365", Metric.SCORE, first, 365),
            ("trend: phone, hold time, last 30", Metric.HOLD_TIME, phone, 30),
            ("trend: phone, score, last 30", Metric.SCORE, phone, 30),
            ("trend: phone, hold time, last 365", Metric.HOLD_TIME, phone, 365),
        ):
            points = history.trend(metric, subject, last=last)
            seconds = median_time(lambda: history.trend(metric, subject, last=last), 5)  # noqa: B023
            memory = peak_memory(lambda: history.trend(metric, subject, last=last))  # noqa: B023
            rows.append(Row(label, seconds, memory, f"{len(points)} points"))
        every = len(scenarios) + len(CHANNELS)
        seconds = median_time(
            lambda: (
                [history.trend(Metric.HOLD_TIME, ByJourney(s.feature, s.name)) for s in scenarios]
                + [history.trend(Metric.HOLD_TIME, ByChannel(channel)) for channel in CHANNELS]
            ),
            3,
        )
        rows.append(Row(f"trend: all {every} sparklines of a report, last 30", seconds))
        found = history.regressions()
        seconds = median_time(history.regressions, 5)
        memory = peak_memory(history.regressions)
        on_channels = sum(isinstance(regression.subject, ByChannel) for regression in found)
        note = f"{len(found)} found ({on_channels} on channels, {len(found) - on_channels} in journeys)"
        rows.append(Row("regressions: latest run vs previous + median of 7", seconds, memory, note))
    rows.append(Row("database size on disk", 0.0, None, _size(database_size(path))))
    return rows


def one_big_run(folder: Path, journeys: int) -> list[Row]:
    """One run of ``journeys`` journeys, recorded from its folder (JSON parsing included)."""
    rng = random.Random(11)
    records, scores = night_records(catalogue(journeys), 0, rng)
    run_dir = write_run_folder(folder / "results", "big-run", records)
    del records
    path = folder / "big.sqlite3"
    rows: list[Row] = []
    with History.open(path) as history:
        seconds, _ = timed(lambda: history.record_run(run_dir, scores=scores))
        rows.append(Row(f"ingest 1 run x {journeys} journeys (from its folder)", seconds))
        seconds, _ = timed(lambda: history.record_run(run_dir, scores=scores))
        memory = peak_memory(lambda: history.record_run(run_dir, scores=scores))
        rows.append(Row("  the same run again (replaces, no duplicates)", seconds, memory))
        seconds = median_time(lambda: history.trend(Metric.HOLD_TIME, ByChannel("phone")), 5)
        rows.append(Row("  trend: phone, hold time", seconds))
        seconds = median_time(history.regressions, 3)
        memory = peak_memory(history.regressions)
        rows.append(Row("  regressions (every channel and journey, no baseline)", seconds, memory))
    rows.append(Row("  database size on disk", 0.0, None, _size(database_size(path))))
    return rows


def print_table(rows: Sequence[Row]) -> None:
    width = max(len(row.what) for row in rows)
    print(f"{'what':<{width}}  {'time':>10}  {'peak heap':>10}  notes")
    for row in rows:
        time_text = f"{row.seconds * 1000:.1f} ms" if row.seconds < 1 else f"{row.seconds:.2f} s"
        time_text = "" if row.seconds == 0 else time_text
        memory = "" if row.peak_bytes is None else _size(row.peak_bytes)
        print(f"{row.what:<{width}}  {time_text:>10}  {memory:>10}  {row.note}")


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.0f} KiB"


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--journeys", type=int, default=27, help="journeys per nightly run")
    parser.add_argument("--big", type=int, default=10_000, help="journeys in the one big run")
    options = parser.parse_args(arguments)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as folder:
        rows = year_of_nights(Path(folder), options.nights, options.journeys)
        rows += one_big_run(Path(folder), options.big)
    print(
        f"{platform.python_implementation()} {platform.python_version()}, SQLite {_sqlite_version()}, ",
        end="",
    )
    print(f"{platform.machine()}, {_cores()} cores, {time.strftime('%Y-%m-%d')}")
    print_table(rows)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {peak_rss:.0f} MiB; benchmark took {time.perf_counter() - started:.0f} s")


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
