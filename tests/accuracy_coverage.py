"""How many true values the accuracy tests proved each metric on, printed after the run.

A harness right only for 0 and 1 transfer would pass accuracy tests whose companies all do
the same; so each journey of ``tests/harness/test_accuracy.py`` records the truth's counts of
the company it met (drawn per customer from the profile's variety), and once the session
ends this plugin prints, per metric, the distinct true values the passing journeys were
measured exactly on. When the whole matrix ran and a metric has fewer than
:data:`DISTINCT_VALUES_WANTED`, the session fails. Hooks run in the controlling process:
under pytest-xdist the records travel with each test's report (``user_properties``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

PROPERTY = "accuracy_truth"
"""The ``record_property`` name a journey's true counts travel under."""
DISTINCT_VALUES_WANTED = 4
METRICS = {
    "transfers": "transfer_count",
    "escalations": "escalation_count",
    "recaptures": "recaptures",
    "conferences": "conference_count",
    "policy recitals": "policy_recitals",
    "hold time (30 s buckets, profile seconds)": "hold_bucket",
}
REPORTED_ONLY = {"menu depth (calls only; see docs/benchmarks.md)": "ivr_depth"}
_records: list[dict[str, Any]] = []
_result: dict[str, Any] = {}


def record(truth: dict[str, Any], time_scale: float, cells: int) -> dict[str, Any]:
    """What a journey records (``record_property(PROPERTY, ...)``): the truth's counts, its hold
    time in the profile's own seconds bucketed by 30, and how many journeys make the matrix."""
    counts: dict[str, Any] = {key: truth[key] for key in METRICS.values() if key in truth}
    if truth.get("channel") == "phone":  # a menu is the phone's; elsewhere its depth is no value
        counts["ivr_depth"] = truth["ivr_depth"]
    counts["hold_bucket"] = int(truth["hold_time"] / time_scale // 30 * 30)
    counts["cells"] = cells
    return counts


def coverage(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Each metric's distinct true values over the records, sorted."""
    seen: dict[str, set[Any]] = defaultdict(set)
    for counts in records:
        for metric, key in (*METRICS.items(), *REPORTED_ONLY.items()):
            if key in counts:
                seen[metric].add(counts[key])
    return {metric: sorted(values) for metric, values in seen.items()}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" or not report.passed:
        return
    for name, value in report.user_properties:
        if name == PROPERTY and isinstance(value, dict):
            _records.append(value)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput") or not _records:
        return
    table = coverage(_records)
    complete = len(_records) >= max(counts["cells"] for counts in _records)
    short = [metric for metric in METRICS if len(table.get(metric, [])) < DISTINCT_VALUES_WANTED]
    _result.update(table=table, complete=complete, short=short, journeys=len(_records))
    if complete and short and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _result:
        return
    write = terminalreporter.write_line
    terminalreporter.section("accuracy coverage: distinct true values measured exactly")
    write(f"over {_result['journeys']} passing journeys of tests/harness/test_accuracy.py")
    for metric, values in _result["table"].items():
        write(f"  {metric:<45} {len(values):>2}  {', '.join(str(value) for value in values)}")
    if _result["complete"] and _result["short"]:
        names = ", ".join(_result["short"])
        write(f"FAILED: fewer than {DISTINCT_VALUES_WANTED} distinct true values: {names}", red=True)
    elif not _result["complete"]:
        write(
            f"(part of the matrix ran: at least {DISTINCT_VALUES_WANTED} values each is checked on the whole)"
        )
