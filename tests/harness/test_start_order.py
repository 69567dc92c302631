"""The order a run starts its journeys in: the longest first, so no long journey runs on alone at the end."""

from __future__ import annotations

from journeys.journey.actor import journey_id_for
from journeys.runner.order import longest_first

IDS = ["web.feature::order", "phone.feature::cancel", "chat.feature::ask", "phone.feature::order"]
TAGS = [{"web"}, {"phone", "cancellation"}, {"chat"}, {"phone", "ordering"}]


def test_without_a_history_the_calls_start_first_and_the_rest_keep_their_order() -> None:
    assert longest_first(IDS, TAGS, {}) == [1, 3, 0, 2]


def test_without_a_history_letters_to_the_company_start_first_too() -> None:
    """An e-mail or a desk ticket waits on the company's reply: an hour and more at a real pace."""
    ids = ["web.feature::order", "email.feature::return", "chat.feature::ask", "desk.feature::repair"]
    tags = [{"web"}, {"email", "returns"}, {"chat"}, {"desk"}]
    assert longest_first(ids, tags, {}) == [1, 3, 0, 2]


def test_with_a_history_the_longest_last_time_starts_first() -> None:
    seconds = [30.0, 90.0, 200.0, 60.0]
    last = {journey_id_for(node_id): took for node_id, took in zip(IDS, seconds, strict=True)}
    assert longest_first(IDS, TAGS, last) == [2, 1, 3, 0]


def test_a_journey_the_history_does_not_know_is_long_if_it_calls_and_usual_if_not() -> None:
    last = {journey_id_for(IDS[0]): 10.0, journey_id_for(IDS[1]): 90.0, journey_id_for(IDS[2]): 20.0}
    # the new call comes first; the chat (20 s, the median of 10, 20 and 90) keeps its place
    assert longest_first([*IDS, "chat.feature::new"], [*TAGS, {"chat"}], last) == [3, 1, 2, 4, 0]
