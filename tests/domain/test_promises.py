"""The day a promise names, and whether what came after it came by that day, at real pace."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from journeys.domain.promises import business_day_after, came_by, end_of, promised_day, run_pace_deadline

THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=UTC).timestamp()  # Thursday 26 November 2026


@pytest.mark.parametrize(
    ("words", "day"),
    [
        ("Your refund will reach your card within 5 business days.", date(2026, 12, 3)),
        ("You'll hear from us within 1 business day.", date(2026, 11, 27)),
        ("Delivered within 2 working days", date(2026, 11, 30)),  # the weekend skipped
        ("We will call within 3 days.", date(2026, 11, 29)),  # calendar days
        ("A courier will collect the item on Monday 7 December.", date(2026, 12, 7)),
        ("by Friday 8 January", date(2027, 1, 8)),  # no year said: the next such day
        ("We'll be in touch soon.", None),
    ],
)
def test_the_day_a_promise_names(words: str, day: date | None) -> None:
    assert promised_day(words, THURSDAY) == day


def test_business_days_skip_weekends() -> None:
    assert business_day_after(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday to Monday


def test_by_the_promised_day_at_real_pace() -> None:
    day = date(2026, 11, 27)  # tomorrow: 38 hours left
    assert came_by(day, THURSDAY, THURSDAY + 2 * 3600)
    assert not came_by(day, THURSDAY, THURSDAY + 3 * 86400)
    # a company run 2000 times faster: 3.6 s are two hours, 130 s three days
    assert came_by(day, THURSDAY, THURSDAY + 3.6, time_scale=0.0005)
    assert not came_by(day, THURSDAY, THURSDAY + 130, time_scale=0.0005)
    assert run_pace_deadline(day, THURSDAY, 0.0005) == pytest.approx(THURSDAY + 38 * 3600 * 0.0005)
    assert end_of(day) == datetime(2026, 11, 28, tzinfo=UTC).timestamp()
