"""Calls at once: how many real calls the harness holds on this machine with its ear keeping up.

For each count N (``--calls 1,2,4,8,12,16``) the harness places N calls to the demo company at
the same moment, each as ``bench/phone_accuracy.py`` places one: an order in the demo shop
first (in a browser, one at a time, before the calls), then a call that hears the greeting and
the menu, presses its key, holds, answers the agent and ends. Per N it measures:

- the recogniser's real-time factor: the CPU seconds of the harness's recogniser processes
  (:class:`~journeys.channels.voice.hearing.RecogniserProcess`, one per harness process,
  shared by its calls) per second of speech they were given, and the wall seconds from an
  utterance sent to its words back, per second of speech;
- the company's RTP as the harness received it (PJSIP's stream statistics at each call's end,
  :class:`~journeys.channels.voice.call.ReceivedRtp`): packets lost or thrown away by the
  jitter buffer, and the interarrival jitter;
- whether each call's menu depth and the department its keys reached equal the demo's ground
  truth (``right``), and whether every measure phone_accuracy compares does (``all right``);
- the machine's CPU over the calls (``/proc/stat``, both cores), and the CPU seconds of each
  side: the harness's processes, and the demo companies' processes with their own recognisers.

PJSIP bounds the calls: the pjsua2 wheel is built with ``PJSUA_MAX_CALLS`` 4, so one process
holds 4 calls at most, on either end (:data:`sandbox.phone.line.CAPACITY`). The harness's calls
are therefore spread over ``ceil(N / 4)`` processes of 4 calls each (as a run's xdist workers
would hold them), and the demo company is started ``ceil(max N / 4)`` times, once, for the
whole run; call ``i`` rings company ``i // 4``. Nothing is asserted: the table goes into
docs/benchmarks.md by hand.

Run: ``.venv/bin/python bench/phone_concurrency.py [--calls 1,2,4,8,12,16] [--profile advocate]
[--intent cancel] [--time-scale 0.3] [--out FILE]`` (about 20 minutes for the defaults here).
"""

from __future__ import annotations

import argparse
import json
import math
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
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.phone_accuracy import against_truth, compare  # noqa: E402
from journeys.channels.voice.call import Call  # noqa: E402
from journeys.channels.voice.hearing import RecogniserProcess  # noqa: E402
from journeys.channels.voice.phone import started_recognisers  # noqa: E402
from journeys.channels.voice.sip import shut_down_user_agent, user_agent  # noqa: E402
from journeys.company.profile import CompanyProfile, load_company  # noqa: E402
from journeys.domain.results import RunDirectory  # noqa: E402
from journeys.domain.shopper import Shopper  # noqa: E402
from journeys.journey import tasks  # noqa: E402
from journeys.journey.actor import Journey, JourneyIdentity  # noqa: E402
from journeys.runner.browser import find_chromium  # noqa: E402
from journeys.runner.server import RunningServer, server_command, start_server, stop_process  # noqa: E402
from sandbox.phone.line import CAPACITY  # noqa: E402

CALLS_PER_PROCESS = CAPACITY
"""Calls one harness process holds: PJSIP's compiled bound, the same as the line's."""
LOSS_LIMIT = 0.01
"""RTP loss under which a count of calls still counts as kept up with."""


@dataclass
class CallFigures:
    """One call of a round: right or not, and what its stream and its ear cost."""

    key: str
    company: int
    seconds: float
    right: bool
    all_right: bool
    wrong: list[str]
    broken: str | None = None
    rtp: dict[str, Any] | None = None
    heard: list[str] = field(default_factory=list)


@dataclass
class Round:
    """N calls at once, and what the machine did meanwhile."""

    calls: int
    processes: int
    seconds: float
    right: int
    all_right: int
    rtf_cpu: float
    rtf_wall: float
    speech_seconds: float
    loss_max: float
    loss_mean: float
    jitter_ms: float
    jitter_max_ms: float
    cpu_busy: float
    cpu_busy_peak: float
    load_1min: float
    harness_cpu_seconds: float
    company_cpu_seconds: float
    each: list[CallFigures]


# -- a harness process: its share of a round's calls ------------------------------------------


def _journey(
    company: CompanyProfile, key: str, seed: int, time_scale: float, folder: Path, browser_context: Any = None
) -> Journey:
    identity = JourneyIdentity(key, key, "phone concurrency", 0, (), "sandbox", None, seed, time_scale)

    def context() -> Any:
        if browser_context is None:
            raise RuntimeError("the calls of phone_concurrency need no browser")
        return browser_context

    return Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(seed, key),
        browser_context=context,
        run_dir=RunDirectory(folder / key),
    )


def worker(order: dict[str, Any]) -> dict[str, Any]:
    """Place this process's calls at once (one thread each); their figures and the ear's cost."""
    demo = load_company("sandbox", ROOT)
    agent = user_agent()
    placed: dict[int, Call] = {}
    place_call = agent.place_call

    def recorded_place_call(uri: str, **options: Any) -> Call:  # which call is which thread's
        call = place_call(uri, **options)
        placed[threading.get_ident()] = call
        return call

    agent.place_call = recorded_place_call  # type: ignore[method-assign]
    results: list[dict[str, Any]] = []

    def one(call: dict[str, Any], folder: Path) -> None:
        company = demo.with_base_url(call["url"], call["said"])
        journey = _journey(company, call["key"], call["seed"], order["time_scale"], folder)
        journey.facts.update(call["facts"])
        started = time.monotonic()
        figures = CallFigures(call["key"], call["company"], 0.0, False, False, ["broken"])
        try:
            tasks.get_in_touch(journey, channel="phone", intent=call["intent"])
            measured, truth, _ = against_truth(company, journey.contacts[-1], call["intent"])
            wrong = compare(measured, truth)
            figures.wrong = wrong
            figures.right = not {"intent", "ivr_depth"} & set(wrong)
            figures.all_right = not wrong
            if wrong:
                figures.heard = [f"{e.kind.value}: {e.text}" for e in journey.contacts[-1].timeline.events]
        except Exception as error:  # a broken call is a figure too
            figures.broken = f"{type(error).__name__}: {error}"
        figures.seconds = time.monotonic() - started
        rtp = placed.get(threading.get_ident())
        if rtp is not None and rtp.received_rtp is not None:
            figures.rtp = {**asdict(rtp.received_rtp), "loss": rtp.received_rtp.loss}
        results.append(asdict(figures))

    with tempfile.TemporaryDirectory(prefix="phone-concurrency-") as scratch:
        threads = [
            threading.Thread(target=one, args=(call, Path(scratch)), name=call["key"])
            for call in order["calls"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    ears = [ear for ear in started_recognisers() if isinstance(ear, RecogniserProcess)]
    ear_cpu = sum(ear.cpu_seconds() or 0.0 for ear in ears)
    figures = {
        "calls": results,
        "speech_seconds": sum(ear.heard_seconds for ear in ears),
        "decoding_seconds": sum(ear.decoding_seconds for ear in ears),
        "ear_cpu_seconds": ear_cpu,
        "own_cpu_seconds": sum(os.times()[:2]),
    }
    shut_down_user_agent()
    for ear in ears:
        ear.close()
    return figures


# -- the machine: CPU as /proc counts it --------------------------------------------------------


def _cpu_times() -> tuple[int, int]:
    """Busy and total jiffies of all cores since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process and everything it started (still running)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # it ended meanwhile
            continue
    return total


class CpuWatch:
    """Samples the machine's busy share every second on a thread, until stopped."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        busy, total = _cpu_times()
        while not self._stop.wait(1.0):
            now_busy, now_total = _cpu_times()
            if now_total > total:
                self.samples.append((now_busy - busy) / (now_total - total))
            busy, total = now_busy, now_total

    def stop(self) -> tuple[float, float]:
        """Mean and peak busy share (1.0: both cores busy)."""
        self._stop.set()
        self._thread.join()
        return (sum(self.samples) / max(len(self.samples), 1), max(self.samples, default=0.0))


# -- the bench ----------------------------------------------------------------------------------


def place_orders(
    browser: Any, companies: list[CompanyProfile], count: int, seed: int, time_scale: float, folder: Path
) -> list[dict[str, str]]:
    """One order per call, placed in the shop of the company it will ring, before the calls."""
    facts = []
    for index in range(count):
        key = f"calls{count}-{index}"
        context = browser.new_context()
        journey = _journey(companies[index // CALLS_PER_PROCESS], key, seed, time_scale, folder, context)
        try:
            tasks.place_order(
                journey, product="Kettle Pro", shipping_method="Standard", channel="web", setup=True
            )
        finally:
            context.close()
        facts.append(dict(journey.facts))
    return facts


def one_round(
    count: int,
    servers: list[RunningServer],
    facts: list[dict[str, str]],
    options: argparse.Namespace,
) -> Round:
    """``count`` calls at once, over ``ceil(count / 4)`` harness processes."""
    calls = [
        {
            "key": f"calls{count}-{index}",
            "company": index // CALLS_PER_PROCESS,
            "url": servers[index // CALLS_PER_PROCESS].url,
            "said": servers[index // CALLS_PER_PROCESS].said,
            "seed": options.seed,
            "intent": options.intent,
            "facts": facts[index],
        }
        for index in range(count)
    ]
    shares = [calls[at : at + CALLS_PER_PROCESS] for at in range(0, count, CALLS_PER_PROCESS)]
    company_cpu = sum(tree_cpu_seconds(server.pid) for server in servers)
    watch, started = CpuWatch(), time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in shares
    ]
    for process, share in zip(processes, shares, strict=True):
        assert process.stdin is not None
        process.stdin.write(json.dumps({"time_scale": options.time_scale, "calls": share}))
        process.stdin.close()
    reports: list[dict[str, Any]] = []
    for process in processes:
        assert process.stdout is not None
        output = process.stdout.read()
        process.wait(timeout=60)
        lines = [line for line in output.splitlines() if line.startswith("{")]  # PJSIP's banner first
        reports.append(json.loads(lines[-1]) if lines else {"calls": [], "broken": output[-2000:]})
    seconds = time.monotonic() - started
    busy, peak = watch.stop()
    company_cpu = sum(tree_cpu_seconds(server.pid) for server in servers) - company_cpu
    each = [CallFigures(**call) for report in reports for call in report["calls"]]
    speech = sum(report.get("speech_seconds", 0.0) for report in reports)
    losses = [call.rtp["loss"] for call in each if call.rtp]
    jitters = [call.rtp["jitter_ms"] for call in each if call.rtp]
    return Round(
        calls=count,
        processes=len(shares),
        seconds=seconds,
        right=sum(call.right for call in each),
        all_right=sum(call.all_right for call in each),
        rtf_cpu=sum(report.get("ear_cpu_seconds", 0.0) for report in reports) / max(speech, 1e-9),
        rtf_wall=sum(report.get("decoding_seconds", 0.0) for report in reports) / max(speech, 1e-9),
        speech_seconds=speech,
        loss_max=max(losses, default=math.nan) if len(losses) == count else math.nan,
        loss_mean=sum(losses) / len(losses) if losses else math.nan,
        jitter_ms=sum(jitters) / len(jitters) if jitters else math.nan,
        jitter_max_ms=max((call.rtp["jitter_max_ms"] for call in each if call.rtp), default=math.nan),
        cpu_busy=busy,
        cpu_busy_peak=peak,
        load_1min=os.getloadavg()[0],
        harness_cpu_seconds=sum(
            report.get("own_cpu_seconds", 0.0) + report.get("ear_cpu_seconds", 0.0) for report in reports
        ),
        company_cpu_seconds=company_cpu,
        each=each,
    )


def kept_up(round_: Round) -> bool:
    """Every call right, the ear faster than speech, and the stream all but whole."""
    return round_.right == round_.calls and round_.rtf_wall < 1 and round_.loss_max < LOSS_LIMIT


HEADER = (
    f"{'calls':>5} {'procs':>5} {'right':>6} {'all':>5} {'RTF cpu':>7} {'RTF wall':>8} {'speech s':>8}"
    f" {'loss max':>8} {'jitter ms':>9} {'CPU busy':>8} {'peak':>5} {'load':>5}"
    f" {'harness s':>9} {'company s':>9} {'wall s':>6}"
)


def row(round_: Round) -> str:
    return (
        f"{round_.calls:>5} {round_.processes:>5} {round_.right:>3}/{round_.calls:<2} {round_.all_right:>5}"
        f" {round_.rtf_cpu:>7.3f} {round_.rtf_wall:>8.3f} {round_.speech_seconds:>8.0f}"
        f" {100 * round_.loss_max:>7.2f}% {round_.jitter_ms:>4.1f}/{round_.jitter_max_ms:<4.0f}"
        f" {100 * round_.cpu_busy:>7.0f}% {100 * round_.cpu_busy_peak:>4.0f}% {round_.load_1min:>5.1f}"
        f" {round_.harness_cpu_seconds:>9.0f} {round_.company_cpu_seconds:>9.0f} {round_.seconds:>6.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", default="1,2,4,8,12,16", help="counts of calls at once, in order")
    parser.add_argument("--profile", default="advocate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--intent", default="cancel")
    parser.add_argument("--time-scale", type=float, default=0.3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--logs", type=Path, help="keep the demo companies' logs here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(worker(json.loads(sys.stdin.read()))), flush=True)
        return 0
    counts = [int(count) for count in options.calls.split(",")]
    demo = load_company("sandbox", ROOT)
    spec = demo.server
    assert spec is not None
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory(prefix="phone-concurrency-") as scratch, sync_playwright() as playwright:
        servers: list[RunningServer] = []
        logs = options.logs or Path(scratch)
        logs.mkdir(parents=True, exist_ok=True)

        def start(index: int) -> RunningServer:
            command = server_command(
                spec,
                profile=options.profile,
                seed=options.seed,
                time_scale=options.time_scale,
                parent_pid=os.getpid(),
            )
            return start_server(spec, command, ROOT, logs / f"server-{index}.log")[0]

        companies: list[CompanyProfile] = []
        try:
            for index in range(math.ceil(max(counts) / CAPACITY)):
                servers.append(start(index))
                companies.append(demo.with_base_url(servers[-1].url, servers[-1].said))
            browser = playwright.chromium.launch(**find_chromium().launch_args())  # type: ignore[arg-type]
            print(
                f"{len(companies)} demo companies ({options.profile}, seed {options.seed}, time scale"
                f" {options.time_scale}); {CALLS_PER_PROCESS} calls per harness process\n{HEADER}",
                flush=True,
            )
            for count in counts:
                for index, server in enumerate(servers):  # a company that died is started again
                    try:
                        httpx.get(f"{server.url}/healthz", timeout=5).raise_for_status()
                    except httpx.HTTPError:
                        kept = logs / f"server-{index}-died-before-{count}.log"
                        (logs / f"server-{index}.log").rename(kept)
                        print(f"      demo company {index} died; started again (its log: {kept})", flush=True)
                        stop_process(server.pid)
                        servers[index] = start(index)
                        companies[index] = demo.with_base_url(servers[index].url, servers[index].said)
                facts = place_orders(
                    browser, companies, count, options.seed, options.time_scale, Path(scratch)
                )
                round_ = one_round(count, servers, facts, options)
                rounds.append(round_)
                print(row(round_), flush=True)
                for call in round_.each:
                    if not call.right or call.broken:
                        print(f"      {call.key}: wrong {call.wrong} {call.broken or ''}", flush=True)
            browser.close()
        finally:
            for server in servers:
                stop_process(server.pid)
    good = [round_.calls for round_ in rounds if kept_up(round_)]
    print(f"\nkept up (every call right, RTF < 1, loss < {LOSS_LIMIT:.0%}): {good or 'none'}")
    if options.out:
        options.out.write_text(json.dumps([asdict(round_) for round_ in rounds], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
