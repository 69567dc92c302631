"""Which numbers a run may call: the profile's own, never an emergency or premium-rate one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from journeys.company.phone import PhoneSpec, digits_of, never_dialled
from journeys.domain.results import RunDirectory

LINE = PhoneSpec(number="0800 555 0199", dial="sip:{number}@{server.sip}", numbers=("+44 20 7946 0000",))


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("112", "emergency"),
        ("911", "emergency"),
        ("999", "emergency"),
        ("123", "service code"),
        ("09001 234567", "premium-rate"),
        ("0871 123 4567", "premium-rate"),
        ("1-900-555-0100", "premium-rate"),
        ("+44 9001 234567", "premium-rate"),
        ("+49 900 1234567", "premium-rate"),
        ("0049 900 1234567", "premium-rate"),
    ],
)
def test_emergency_premium_and_service_numbers_are_never_called(number: str, why: str) -> None:
    refused = never_dialled(number)
    assert refused is not None and why in refused
    assert LINE.may_dial(number) == refused  # whatever the allow-list says


@pytest.mark.parametrize("number", ["0800 555 0199", "+44 20 7946 0000", "+1 800 555 0100", "555-0100"])
def test_ordinary_numbers_pass(number: str) -> None:
    assert never_dialled(number) is None


def test_only_the_profiles_numbers_may_be_called() -> None:
    assert LINE.may_dial("0800-555-0199") is None
    assert LINE.may_dial("+44 (0)20 7946 0000") is not None  # a different string of digits
    assert LINE.may_dial("+442079460000") is None
    refused = LINE.may_dial("0800 555 0100")
    assert refused is not None and "not among the numbers" in refused


def test_a_number_becomes_its_sip_address_once_the_server_said_where() -> None:
    started = LINE.started({"sip": "127.0.0.1:5071"})
    assert started.address_of("0800 555 0199") == "sip:08005550199@127.0.0.1:5071"
    assert digits_of("+44 20 7946 0000") == "+442079460000"


def test_a_runs_call_budget_is_shared_by_its_workers(tmp_path: Path) -> None:
    def place(_: int) -> int | None:
        return RunDirectory(tmp_path / "run").take_live_call(budget=5)

    with ThreadPoolExecutor(max_workers=4) as workers:
        taken = list(workers.map(place, range(12)))
    assert sorted(number for number in taken if number is not None) == [1, 2, 3, 4, 5]
    assert taken.count(None) == 7
