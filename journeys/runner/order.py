"""The order a run starts its journeys in: the longest first.

Journeys of a run share a few workers (``-n``). Started in the order of their files, a run's
longest journeys may come last and run on alone while the other workers idle: at the demo's
pace the calls (spoken at their own pace whatever the time scale) took 8 of 10 minutes of a
worker each, and the run's last minutes were its last two calls. Longest first is the classic
rule for this (a list scheduler's "longest processing time"): each journey is expected to
take the longest it took in the latest three runs of the same series that carried it out
(company, service profile and time scale, from the run history: a call is cut short in one
run by a menu option it did not hear, and is long again in the next); a journey the history
does not know yet is expected to be long if it makes a call or writes to the company (tagged
``@phone``, ``@email`` or ``@desk``: a call is spoken at its own pace, a letter waits on the
company's reply, an hour and more at a real company's pace) and as long as the known ones'
median otherwise. Equal expectations keep the files' order.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Mapping, Sequence

from journeys.journey.actor import journey_id_for

LONG_TAGS = frozenset({"phone", "email", "desk"})
"""The tags of journeys that call or write to the company: expected long while their length
is unknown. Measured, one at a time under ``purgatory`` at time scale 0.001: the two e-mail
journeys and the desk's took 107 s of the library's 166 s, and began last in the files' order."""


def longest_first(
    node_ids: Sequence[str], tags: Sequence[Collection[str]], last: Mapping[str, float]
) -> list[int]:
    """The positions of the journeys ``node_ids`` (with their ``tags``) in the order to start them.

    Args:
        node_ids: the journeys' test ids, in the order they were collected.
        tags: each journey's tags, as its markers name them.
        last: seconds each journey is expected to take (the history's recent longest), by journey id.
    """
    known = [last[journey_id_for(node_id)] for node_id in node_ids if journey_id_for(node_id) in last]
    usual = statistics.median(known) if known else 0.0

    def expected(position: int) -> float:
        seconds = last.get(journey_id_for(node_ids[position]))
        if seconds is not None:
            return seconds
        return math.inf if LONG_TAGS & set(tags[position]) else usual

    return sorted(range(len(node_ids)), key=lambda position: -expected(position))
