"""The timeline picture, without a browser: what is drawn where, on hand-built records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "history"))

from history_records import FIRST_NIGHT, journey_record

from reports.formatting import contact_rows
from reports.timeline_svg import Lane, hold_spans, phases, render_timeline_svg, timeline_picture


def phone_call(hold_time: float = 60.0, handle_time: float = 120.0, **changes: Any) -> dict[str, Any]:
    """One phone contact from FIRST_NIGHT, on hold from 1 s for ``hold_time`` seconds."""
    return journey_record(
        "call-1", hold_time=hold_time, handle_time=handle_time, setup_contact=False, **changes
    )


def insert(record: dict[str, Any], *events: dict[str, Any]) -> dict[str, Any]:
    contact = record["contacts"][-1]
    contact["events"] = sorted([*contact["events"], *events], key=lambda event: event["at"])
    return record


def only_lane(record: dict[str, Any]) -> Lane:
    [lane] = timeline_picture(record).lanes
    return lane


def test_a_hold_of_60_s_in_a_120_s_call_takes_half_the_lane() -> None:
    lane = only_lane(phone_call(hold_time=60.0, handle_time=120.0))
    [hold] = lane.holds
    assert hold.width == pytest.approx(lane.background.width / 2)
    assert hold.x - lane.background.x == pytest.approx(lane.background.width / 120)  # it began at 1 s


def test_the_drawn_holds_add_up_to_the_hold_time_the_record_states() -> None:
    record = insert(
        phone_call(hold_time=30.0, handle_time=300.0),
        {"kind": "hold_started", "at": FIRST_NIGHT + 100},
        {"kind": "hold_ended", "at": FIRST_NIGHT + 145},
        {"kind": "hold_started", "at": FIRST_NIGHT + 290},  # still on hold when the last event came
    )
    events = record["contacts"][0]["events"]
    assert sum(end - start for start, end in hold_spans(events)) == pytest.approx(30 + 45 + 10)


def test_a_transfer_is_marked_where_it_happened_and_ends_the_agent() -> None:
    record = insert(
        phone_call(hold_time=0.0, handle_time=100.0),
        {"kind": "agent_joined", "at": FIRST_NIGHT + 10, "agent": "Gary", "department": "Sales"},
        {
            "kind": "transferred",
            "at": FIRST_NIGHT + 50,
            "department": "Orders",
            "text": "Let me transfer you.",
        },
        {"kind": "agent_joined", "at": FIRST_NIGHT + 60, "agent": "Kevin", "department": "Orders"},
    )
    lane = only_lane(record)
    [transfer] = [marker for marker in lane.markers if marker.kind == "transferred"]
    assert transfer.x == pytest.approx(lane.background.x + lane.background.width / 2)
    assert "transferred (Orders)" in transfer.title and "Let me transfer you." in transfer.title
    agents = [(span.title.split(" from ")[0], span.width) for span in lane.spans if span.kind == "agent"]
    per_second = lane.background.width / 100
    assert agents == [
        ("Gary (Sales)", pytest.approx(40 * per_second)),
        ("Kevin (Orders)", pytest.approx(40 * per_second)),
    ]


def test_a_phone_menu_lasts_until_the_queue() -> None:
    events = [
        {"kind": "contact_started", "at": 0.0},
        {"kind": "menu_prompt", "at": 1.0},
        {"kind": "menu_choice", "at": 5.0, "key": "1"},
        {"kind": "menu_prompt", "at": 6.0},
        {"kind": "hold_started", "at": 9.0},
        {"kind": "hold_ended", "at": 30.0},
        {"kind": "agent_joined", "at": 30.0, "agent": "Dana"},
        {"kind": "escalated", "at": 50.0},
    ]
    assert phases(events, 60.0) == [("menu", 1.0, 9.0, "phone menu"), ("agent", 30.0, 50.0, "Dana")]


def test_a_field_asked_again_is_marked_as_a_recapture_even_after_a_transfer() -> None:
    record = insert(
        phone_call(hold_time=0.0),
        {"kind": "info_requested", "at": FIRST_NIGHT + 10, "field_name": "order_number"},
        {"kind": "transferred", "at": FIRST_NIGHT + 20},
        {"kind": "info_requested", "at": FIRST_NIGHT + 30, "field_name": "order_number"},
    )
    kinds = [
        marker.kind for marker in only_lane(record).markers if marker.kind in ("info_requested", "recapture")
    ]
    assert kinds == ["info_requested", "recapture"]


def test_a_sped_up_run_draws_holds_at_the_company_s_real_pace_and_says_so() -> None:
    # 3 s of hold measured on a company run 20 times faster: the customer would have waited 60 s
    picture = timeline_picture(phone_call(hold_time=3.0, handle_time=63.0, time_scale=0.05))
    [lane] = picture.lanes
    [hold] = lane.holds
    assert picture.drawn_seconds == pytest.approx(60 + 60)
    assert hold.width == pytest.approx(lane.background.width / 2)
    assert picture.speedup == pytest.approx(20)
    assert "real pace" in picture.description


def test_contacts_share_one_time_axis() -> None:
    picture = timeline_picture(
        journey_record("two", hold_time=0.0, handle_time=95.0)
    )  # a 5 s web setup first
    setup, problem = picture.lanes
    assert problem.background.x == pytest.approx(setup.background.x + setup.background.width)
    assert [tick.label for tick in picture.ticks][:3] == ["0:00", "0:15", "0:30"]


def test_words_in_the_picture_are_escaped() -> None:
    hostile = '<script>alert("x")</script>'
    record = insert(
        phone_call(hold_time=0.0),
        {"kind": "agent_joined", "at": FIRST_NIGHT + 5, "agent": hostile, "text": hostile},
    )
    record["contacts"][0]["purpose"] = hostile
    svg = render_timeline_svg(record)
    assert svg.startswith("<svg") and "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_each_lane_is_named_by_its_contact_whatever_its_markers_say() -> None:
    record = insert(
        phone_call(hold_time=0.0), {"kind": "reference_given", "at": FIRST_NIGHT + 5, "reference": "R-1"}
    )
    lane = only_lane(record)
    assert lane.title == "phone: cancel (phone)" and lane.channel == "phone"
    assert [marker.kind for marker in lane.markers] == ["reference_given", "resolved"]


def test_asking_who_before_hearing_why_is_marked_on_the_request_and_labelled() -> None:
    record = insert(
        phone_call(hold_time=0.0),
        {"kind": "info_requested", "at": FIRST_NIGHT + 10, "field_name": "email", "text": "Your email?"},
        {"kind": "message_sent", "at": FIRST_NIGHT + 12, "text": "sam@example.com"},
        {"kind": "message_sent", "at": FIRST_NIGHT + 20, "text": "Cancel my order.", "opening": True},
        {"kind": "info_requested", "at": FIRST_NIGHT + 30, "field_name": "order_number"},
    )
    contact = record["contacts"][-1]
    contact["metrics"]["identified_before_heard"] = True
    kinds = [
        marker.kind for marker in only_lane(record).markers if "asked" in marker.kind or "info" in marker.kind
    ]
    assert kinds == ["asked_who_first", "info_requested"]
    labels = [row["label"] for row in contact_rows(contact) if row["kind"] == "info_requested"]
    assert labels == ["asked who, before why", "asked for"]
    assert "asked who before why" in render_timeline_svg(record)
    contact["metrics"].pop("identified_before_heard")  # an older record: nothing to tell by
    assert [row["who_first"] for row in contact_rows(contact)].count(True) == 0


def test_a_policy_recited_is_marked_and_labelled_and_the_legend_stays_in_the_picture() -> None:
    words = "Our policy is that returns must be requested within 30 days of delivery."
    record = insert(
        phone_call(hold_time=0.0),
        {"kind": "message_received", "at": FIRST_NIGHT + 10, "text": words},
        {"kind": "policy_recited", "at": FIRST_NIGHT + 10, "text": words},
    )
    [recited] = [marker for marker in only_lane(record).markers if marker.kind == "policy_recited"]
    assert words in recited.title
    rows = contact_rows(record["contacts"][-1])
    assert [row["label"] for row in rows if row["kind"] == "policy_recited"] == ["policy recited"]
    picture = timeline_picture(record)
    assert all(item.text_x + len(item.text) * 6.4 <= picture.width for item in picture.legend)
    assert max(item.text_y for item in picture.legend) < picture.height
    assert "policy recited" in render_timeline_svg(record)


def test_a_colleague_brought_in_is_marked_below_the_band_and_is_no_transfer() -> None:
    words = "Let me bring Orders into this conversation; I'll stay with you."
    record = insert(
        phone_call(hold_time=0.0),
        {"kind": "message_received", "at": FIRST_NIGHT + 10, "text": words},
        {"kind": "conferenced", "at": FIRST_NIGHT + 10, "text": words, "department": "Orders"},
    )
    kinds = [marker.kind for marker in only_lane(record).markers]
    assert "conferenced" in kinds and "transferred" not in kinds
    rows = contact_rows(record["contacts"][-1])
    assert [(row["label"], row["detail"]) for row in rows if row["kind"] == "conferenced"] == [
        ("colleague brought in", "Orders")
    ]
    assert "colleague brought in" in render_timeline_svg(record)


def test_a_follow_up_after_the_contact_is_marked_and_says_whether_it_came_by_the_promise() -> None:
    words = "Following up as promised: your refund is on track, and we need nothing more from you."
    record = insert(
        phone_call(hold_time=0.0, handle_time=100.0),
        {"kind": "followed_up", "at": FIRST_NIGHT + 400, "text": words, "by_promise": False},
    )
    [marker] = [marker for marker in only_lane(record).markers if marker.kind == "followed_up"]
    assert "after the promised day" in marker.title and words in marker.title
    [row] = [row for row in contact_rows(record["contacts"][-1]) if row["kind"] == "followed_up"]
    assert (row["label"], row["detail"]) == ("followed up", "after the promised day")
    picture = timeline_picture(record)
    assert marker.x <= picture.plot_left + picture.plot_width  # the lane reaches it
    assert "followed up" in render_timeline_svg(record)
