"""The day a promise names, read from its words, and whether something came by it.

A company promises in one of two ways: a span ("within 5 business days") or a day ("on
Thursday 26 November", "by Friday 4 December"). Either way the promise falls due at the end
of a day, on the customer's calendar (UTC here, as the harness stamps every event). On a
company run faster than real time (the demo's time scale), what happened after a promise is
put back at its real pace before it is held to that day: ``seconds_later / time_scale``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

WITHIN = re.compile(r"(?i)\bwithin (\d+) (business|working)? ?days?\b")
_DAY = (
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? (\d{1,2}) "
    r"(january|february|march|april|may|june|july|august|september|october|november|december)\b"
)
NAMED_DAY = re.compile(_DAY, re.IGNORECASE)
"""A day as a company says it: "Thursday 26 November" (its day of the month, then its month)."""
ON_DAY = re.compile(r"\b(?:on|by) " + _DAY, re.IGNORECASE)
"""A promise's day: "by Friday 4 December"."""
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def business_day_after(start: date, count: int) -> date:
    """The day ``count`` business days after ``start`` (weekends skipped)."""
    day, remaining = start, count
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def promised_day(text: str, at: float) -> date | None:
    """The day a promise made at ``at`` names, or None when its words name none the harness reads.

    A day without a year is the first such day on or after the promise (a promise made on
    30 December "by 4 January" means the next year's).
    """
    made_on = datetime.fromtimestamp(at, tz=UTC).date()
    within = WITHIN.search(text)
    if within is not None:
        days = int(within.group(1))
        return business_day_after(made_on, days) if within.group(2) else made_on + timedelta(days=days)
    on_day = ON_DAY.search(text)
    if on_day is None:
        return None
    month, day_of_month = MONTHS.index(on_day.group(2).lower()) + 1, int(on_day.group(1))
    for year in (made_on.year, made_on.year + 1):
        try:
            day = date(year, month, day_of_month)
        except ValueError:
            continue
        if day >= made_on:
            return day
    return None


def end_of(day: date) -> float:
    """The last moment of ``day`` (UTC), in seconds since the epoch."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC).timestamp()


def came_by(day: date, promised_at: float, came_at: float, time_scale: float = 1.0) -> bool:
    """Whether something that came at ``came_at`` was there by the promise's day, at real pace."""
    real = promised_at + (came_at - promised_at) / time_scale
    return real < end_of(day)


def run_pace_deadline(day: date, promised_at: float, time_scale: float = 1.0) -> float:
    """When the promise's day ends on a company run ``time_scale`` times real time."""
    return promised_at + (end_of(day) - promised_at) * time_scale
