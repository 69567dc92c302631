"""The run's secrets: one scrub, which finds a value in every form a browser or a file gives it."""

from __future__ import annotations

import json

from journeys.domain.secrets import Secrets

CARD = "4242-4242 4242&4242"
SECRETS = Secrets({"TEST_CARD": CARD, "PASSWORD": 'p"w<d>\\ü'})


def test_a_secret_is_shown_as_the_name_it_was_written_with() -> None:
    assert SECRETS.scrub(f"paid with {CARD}.") == "paid with ${TEST_CARD}."
    assert "4242" not in repr(SECRETS) and "TEST_CARD" in repr(SECRETS)


def test_every_form_of_a_secret_is_scrubbed() -> None:
    from html import escape
    from urllib.parse import quote, quote_plus

    password = SECRETS.values["PASSWORD"]
    forms = [
        quote_plus(CARD),  # a form post
        quote(CARD, safe=""),  # a URL
        escape(password),  # a page
        json.dumps(password)[1:-1],  # a trace event
        json.dumps(password, ensure_ascii=False)[1:-1],
    ]
    for form in forms:
        assert SECRETS.scrub(f"<{form}>") in ("<${TEST_CARD}>", "<${PASSWORD}>"), form
        assert SECRETS.scrub_bytes(f"<{form}>".encode()) in (b"<${TEST_CARD}>", b"<${PASSWORD}>"), form


def test_a_secret_inside_another_is_replaced_whole() -> None:
    secrets = Secrets({"SHORT": "hunter2", "LONG": "hunter2-token"})
    assert secrets.scrub("hunter2-token and hunter2") == "${LONG} and ${SHORT}"


def test_data_keeps_its_shape_and_numbers() -> None:
    secrets = Secrets({"CVC": "123"})
    event = {"value": "123", "at": 1123.5, "params": ["x123", {"n": 123}]}
    assert secrets.scrub_data(event) == {"value": "${CVC}", "at": 1123.5, "params": ["x${CVC}", {"n": 123}]}


def test_no_secrets_change_nothing() -> None:
    assert not Secrets() and not Secrets({"EMPTY": ""})
    assert Secrets().scrub("4242") == "4242" and not Secrets().within("4242")
    assert SECRETS.within(f"card {CARD}") and not SECRETS.within("card 4242")
