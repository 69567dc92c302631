"""Reading values out of the history: one query shape per kind of value, shared by trends and regressions.

What a value is (a journey's own metric, a channel's mean over its contacts or over
its journeys; setup contacts, broken and interrupted journeys and unknown values left
out) is documented in :mod:`journeys.history.runs` and decided here, in SQL, once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, Literal

from journeys.history.rules import METRICS, ByChannel, ByJourney, Metric, RunSeries, Subject

USABLE_STATUSES = "('passed', 'findings')"
"""Journeys whose metrics describe the company; broken and interrupted ones describe the harness."""

Measured = dict[tuple[Subject, Metric], list[tuple[float, int, str, float]]]
"""Per (subject, metric): (run started_at, run id, run name, value), one per run that measured it."""

Every = Literal["channels", "journeys"]


def series_condition(series: RunSeries | None) -> tuple[str, tuple[Any, ...]]:
    """A condition on ``runs r`` that keeps one series (or every run)."""
    if series is None:
        return "1", ()
    return "r.company = ? AND r.profile IS ? AND r.time_scale = ?", (
        series.company,
        series.profile,
        series.time_scale,
    )


def measure(
    connection: sqlite3.Connection,
    metrics: Sequence[Metric],
    subject: Subject | Every,
    run_where: str,
    run_params: tuple[Any, ...],
) -> Measured:
    """Each (subject, metric)'s value in every run that ``run_where`` keeps, unordered.

    Args:
        connection: the history.
        metrics: the metrics to read, in as few queries as their kinds allow.
        subject: one channel or journey, or every channel, or every journey.
        run_where: a condition on ``runs r``, with ``?`` placeholders.
        run_params: the values of those placeholders.
    """
    per_journey = isinstance(subject, ByJourney) or subject == "journeys"
    if per_journey:
        groups: list[tuple[list[Metric], str]] = [(list(metrics), "journey")]
    else:
        groups = [
            ([metric for metric in metrics if METRICS[metric].per_contact], "contact"),
            ([metric for metric in metrics if not METRICS[metric].per_contact], "journey_on_channel"),
        ]
    measured: Measured = {}
    for group, source in groups:
        if not group:
            continue
        sql, params = _measure_sql(group, source, subject, run_where, run_params)
        for run_id, run_name, started_at, *key_and_values in connection.execute(sql, params):
            key: Subject
            if per_journey:
                key, values = ByJourney(key_and_values[0], key_and_values[1]), key_and_values[2:]
            else:
                key, values = ByChannel(key_and_values[0]), key_and_values[1:]
            for metric, value in zip(group, values, strict=True):
                if value is not None:
                    measured.setdefault((key, metric), []).append((started_at, run_id, run_name, value))
    return measured


def _measure_sql(
    metrics: Sequence[Metric],
    source: str,
    subject: Subject | Every,
    run_where: str,
    run_params: tuple[Any, ...],
) -> tuple[str, tuple[Any, ...]]:
    """The query for one source of values: journeys, contacts, or journeys by the channels they used."""
    table = "c" if source == "contact" else "j"
    averages = ", ".join(f"AVG({table}.{METRICS[metric].column})" for metric in metrics)
    conditions, params = [f"j.status IN {USABLE_STATUSES}", run_where], list(run_params)
    if source == "journey":
        keys, joins = "j.feature, j.name", ""
        if isinstance(subject, ByJourney):
            conditions.append("j.feature = ? AND j.name = ?")
            params += [subject.feature, subject.name]
    else:
        keys = "c.channel"
        contacts_where, contact_params = "c.setup = 0", []
        if isinstance(subject, ByChannel):
            contacts_where += " AND c.channel = ?"
            contact_params.append(subject.channel)
        if source == "contact":
            joins = "JOIN contacts c ON c.journey_row = j.id"
            conditions.append(contacts_where)
            params += contact_params
        else:  # a journey counts once per channel it used, however many contacts it made there
            joins = (
                f"JOIN (SELECT DISTINCT c.journey_row, c.channel FROM contacts c WHERE {contacts_where}) c"
                " ON c.journey_row = j.id"
            )
            params = contact_params + params
    sql = f"""SELECT r.id, r.name, r.started_at, {keys}, {averages}
              FROM journeys j JOIN runs r ON r.id = j.run_id {joins}
              WHERE {" AND ".join(conditions)}
              GROUP BY r.id, {keys}"""
    return sql, tuple(params)
