"""Aggregation: a run's scores per channel, journey type and tag, and overall."""

from __future__ import annotations

from pathlib import Path

import pytest
from scoring_records import a_record, a_rubric

from journeys.scoring.scorecard import aggregate, journey_channels, journey_tags, journey_type, score_journey

RUBRIC = """\
name = "transfers only"

[sections.effort]
weight = 1

[sections.effort.criteria.transfers]
metric = "metrics.transfers"
weight = 1
points = { 0 = 100, 1 = 50, "2+" = 0 }
"""


def test_scores_are_summarised_per_channel_type_tag_and_run(tmp_path: Path) -> None:
    rubric = a_rubric(tmp_path, RUBRIC)
    records = [
        a_record(journey_id="chat", channels=("chat",), transfers=0),  # 100; the next one 50
        a_record(journey_id="phone", channels=("phone",), feature="cancellation/phone.feature", transfers=1),
        a_record(  # began in chat, ended on the phone: 0, counted for both channels
            journey_id="both", channels=("chat", "phone", "chat"), tags=("returns", "chat", "phone"),
            feature="returns/chat-then-phone.feature", transfers=2,
        ),
        a_record(  # broke before its first problem contact: counted on the channel it broke on
            journey_id="broken", channels=(), setup=(), feature="ordering/web.feature", status="broken"
        ),
    ]  # fmt: skip
    summary = aggregate((score_journey(record, rubric), record) for record in records)

    assert (summary.run.count, summary.run.unscored, summary.run.mean) == (3, 1, 50.0)
    assert list(summary.by_channel) == ["chat", "phone", "web"]
    assert (summary.by_channel["chat"].count, summary.by_channel["chat"].mean) == (2, 50.0)
    assert (summary.by_channel["phone"].count, summary.by_channel["phone"].mean) == (2, 25.0)
    web = summary.by_channel["web"]
    assert (web.count, web.unscored, web.mean, web.exact_mean) == (0, 1, None, None)
    assert {key: (group.count, group.mean) for key, group in summary.by_type.items()} == {
        "cancellation": (2, 75.0),
        "ordering": (0, None),
        "returns": (1, 0.0),
    }
    assert summary.by_type["ordering"].unscored == 1
    assert summary.by_tag["chat"].count == 2 and summary.by_tag["chat"].mean == 50.0
    assert summary.by_tag["cancellation"].mean == 75.0 and summary.by_tag["returns"].count == 1


def test_means_are_of_exact_scores_then_rounded(tmp_path: Path) -> None:
    rubric = a_rubric(tmp_path, RUBRIC.replace("1 = 50", "1 = 33.33"))
    records = [a_record(transfers=1), a_record(transfers=1), a_record(transfers=0)]
    summary = aggregate((score_journey(record, rubric), record) for record in records)
    assert summary.run.exact_mean == pytest.approx((33.33 * 2 + 100) / 3)
    assert summary.run.mean == 55.6


def test_an_empty_run_has_no_mean() -> None:
    summary = aggregate([])
    assert (summary.run.count, summary.run.unscored, summary.run.mean) == (0, 0, None)
    assert summary.by_channel == summary.by_type == summary.by_tag == {}


@pytest.mark.parametrize(
    ("feature", "kind"),
    [
        ("cancellation/chat.feature", "cancellation"),
        ("returns/warranty/phone.feature", "returns"),
        ("smoke.feature", "smoke"),
    ],
)
def test_the_journey_type_is_the_first_folder_of_the_feature(feature: str, kind: str) -> None:
    assert journey_type({"feature": feature}) == kind


def test_channels_and_tags_of_a_journey() -> None:
    record = a_record(
        channels=("chat", "phone", "chat"), setup=("web",), tags=("@social", "enquiry", "social")
    )
    assert journey_channels(record) == ("chat", "phone")
    assert journey_tags(record) == ("social", "enquiry")
