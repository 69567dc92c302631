"""Journeys in flight: how many journeys at the company's real pace one machine holds at once,
what each costs in memory, and how well the waiting overlaps.

For each count N (``--in-flight 1,2,4,8,32``) and each way of giving journeys a browser
(``--browsers own,one``: a Chromium per worker, as a run launches by default, or the run's one
Chromium, ``--one-browser``), the bench runs ``mystery-shopper run FEATURE --repeat N -n N`` at
time scale 1 against the demo company: N copies of one journey (each another customer), all in
flight together. Per run it measures, side by side in the same run:

- **parallel efficiency**: the sum of the journeys' own durations over (N x the span from the
  first journey's start to the last one's end); 1.0 when N journeys take as long together as
  one alone;
- **memory per journey in flight**: the peak, over the run, of the proportional set size (PSS,
  from ``/proc/PID/smaps_rollup``, so pages shared between processes count once) of every
  process the run started on the harness's side (pytest and its workers, Playwright's drivers,
  the browsers, recognisers), divided by N; the demo company's own processes (its web server,
  Dovecot) are measured apart and left out;
- **time to the first click**: from the command to the first journey's first contact starting
  (its first action on a channel);
- the journeys' outcomes: none may be broken by the load.

Journeys begin ``--start-every`` seconds apart (default 1; 0: all at once, which broke most of
32 here: the demo's first pages answered after its 10 s).

Nothing is asserted; the table goes into docs/benchmarks.md by hand.

Run: ``.venv/bin/python bench/in_flight.py [--in-flight 1,2,4,8,32] [--browsers own,one]
[--feature features/returns/chat.feature] [--profile typical] [--out FILE]``
(about 25 minutes for the defaults here: a chat return under ``typical`` lasts about 90 s at
real pace).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 1.0
KINDS = ("harness", "driver", "browser", "recogniser", "company")


def children_of() -> dict[int, list[int]]:
    """Every process's children, from ``/proc/*/stat``."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(root: int) -> list[int]:
    tree = children_of()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def kind_of(pid: int) -> str | None:
    """Which side of the run a process is on, from its command line."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if "dovecot" in command or " -m sandbox" in command or "sandbox.server" in command:
        return "company"
    if "chrom" in command.split(" ", 1)[0] or "chrome_crashpad" in command:
        return "browser"
    if "/node" in command.split(" ", 1)[0] or "playwright/driver" in command:
        return "driver"
    if "hearing" in command or "recogniser" in command:
        return "recogniser"
    return "harness"


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Sampler:
    """Samples the PSS of a run's processes by kind until stopped; keeps the harness side's peak."""

    root: int
    peak_harness_kib: int = 0
    peak_by_kind: dict[str, int] = field(default_factory=dict)
    peak_company_kib: int = 0
    most_processes: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            by_kind = dict.fromkeys(KINDS, 0)
            pids = descendants(self.root)
            for pid in pids:
                kind = kind_of(pid)
                if kind is not None:
                    by_kind[kind] += pss_kib(pid)
            harness = sum(size for kind, size in by_kind.items() if kind != "company")
            self.peak_company_kib = max(self.peak_company_kib, by_kind["company"])
            self.most_processes = max(self.most_processes, len(pids))
            if harness > self.peak_harness_kib:
                self.peak_harness_kib, self.peak_by_kind = harness, by_kind

    def stop(self) -> None:
        self._stop.set()


@dataclass(frozen=True)
class Measured:
    in_flight: int
    browsers: str
    statuses: dict[str, int]
    broken_by: dict[str, int]
    wall_seconds: float
    span_seconds: float
    sum_of_journeys_seconds: float
    longest_journey_seconds: float
    parallel_efficiency: float
    first_click_seconds: float
    peak_harness_mib: float
    mib_per_journey: float
    peak_by_kind_mib: dict[str, float]
    peak_company_mib: float
    most_processes: int
    load_average_after: float


def measure(
    feature: str, profile: str, in_flight: int, browsers: str, time_scale: float, start_every: float
) -> Measured:
    with tempfile.TemporaryDirectory(prefix="bench-in-flight-") as folder:
        results = Path(folder) / "results"
        command = [
            sys.executable, "-m", "journeys.runner.cli", "run", feature,
            "--profile", profile, "--time-scale", str(time_scale),
            "--repeat", str(in_flight), "-n", str(in_flight),
            "--results-dir", str(results), "--run-name", "bench",
            "--history", str(Path(folder) / "h.sqlite3"),
            "-q", "-p", "no:cacheprovider",
            "--start-every", str(start_every),
            *(["--one-browser"] if browsers == "one" else []),
        ]  # fmt: skip
        began = time.time()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        sampler = Sampler(process.pid)
        sampling = threading.Thread(target=sampler.run, daemon=True)
        sampling.start()
        output, _ = process.communicate()
        wall = time.time() - began
        sampler.stop()
        sampling.join()
        records = [json.loads(path.read_text()) for path in (results / "bench" / "journeys").glob("*.json")]
        if len(records) != in_flight:
            raise SystemExit(f"{in_flight} {browsers}: {len(records)} records\n{output[-3000:]}")
    statuses: dict[str, int] = {}
    broken_by: dict[str, int] = {}
    for record in records:
        statuses[record["status"]] = statuses.get(record["status"], 0) + 1
        if record.get("breakage"):
            said = str(record["breakage"].get("message", record["breakage"]))[:160]
            broken_by[said] = broken_by.get(said, 0) + 1
    durations = [record["duration"] for record in records]
    span = max(record["ended_at"] for record in records) - min(record["started_at"] for record in records)
    first_contact = min(
        contact["started_at"]
        for record in records
        for contact in record["contacts"]
        if contact.get("started_at")
    )
    mib = 1024.0
    return Measured(
        in_flight=in_flight,
        browsers=browsers,
        statuses=statuses,
        broken_by=broken_by,
        wall_seconds=round(wall, 1),
        span_seconds=round(span, 1),
        sum_of_journeys_seconds=round(sum(durations), 1),
        longest_journey_seconds=round(max(durations), 1),
        parallel_efficiency=round(sum(durations) / (in_flight * span), 3),
        first_click_seconds=round(first_contact - began, 1),
        peak_harness_mib=round(sampler.peak_harness_kib / mib, 1),
        mib_per_journey=round(sampler.peak_harness_kib / mib / in_flight, 1),
        peak_by_kind_mib={kind: round(size / mib, 1) for kind, size in sampler.peak_by_kind.items()},
        peak_company_mib=round(sampler.peak_company_kib / mib, 1),
        most_processes=sampler.most_processes,
        load_average_after=os.getloadavg()[0],
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--in-flight", default="1,2,4,8,32")
    parser.add_argument("--browsers", default="own,one")
    parser.add_argument("--feature", default="features/returns/chat.feature")
    parser.add_argument("--profile", default="typical")
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--start-every", type=float, default=1.0, help="seconds between journeys' starts")
    parser.add_argument("--out", type=Path, default=None)
    arguments = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for count in (int(part) for part in arguments.in_flight.split(",")):
        for browsers in arguments.browsers.split(","):
            row = asdict(
                measure(
                    arguments.feature,
                    arguments.profile,
                    count,
                    browsers,
                    arguments.time_scale,
                    arguments.start_every,
                )
            )
            rows.append(row)
            print(json.dumps(row), flush=True)
            if arguments.out:
                arguments.out.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
