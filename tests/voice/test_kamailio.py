"""The harness authenticates to Kamailio, a registrar and proxy nobody here wrote, and calls through it."""

from __future__ import annotations

from pathlib import Path

import pytest
from peers import PROMPT, baresip, first_sound, kamailio, require, synthesise

from conftest import Transcriber, all_speech, listen
from journeys.channels.voice.call import PhoneAccount
from journeys.channels.voice.sip import UserAgent
from journeys.errors import PhoneLoginRefused

pytestmark = pytest.mark.calls

PASSWORD = "correct-horse-battery"


def test_a_call_through_an_authenticating_proxy_reaches_a_registered_phone(
    agent: UserAgent, transcriber: Transcriber, tmp_path: Path
) -> None:
    require("flite", "sox")
    prompt = synthesise(PROMPT, tmp_path)
    with kamailio(tmp_path / "kamailio", PASSWORD) as (registrar, proxy_log):
        with baresip(
            tmp_path / "baresip", prompt, user="brightline", registrar=registrar, password=PASSWORD
        ) as peer:
            peer.output.wait_for("200 OK")
            account = PhoneAccount(user="shopper", registrar=registrar, password=PASSWORD)
            call = agent.place_call(f"sip:brightline@{registrar.removeprefix('sip:')}", account=account)
            answered_at = call.wait_answered(15)
            heard = listen(call, seconds=first_sound(prompt) + 6.0)
            call.hang_up()
            call.wait_ended(10)
        proxy_log.wait_for("routing INVITE from sip:shopper@127.0.0.1")
    assert heard and heard[0].start - answered_at > 0.5
    assert "calling" in transcriber.transcribe(all_speech(heard)).split()


def test_a_wrong_password_is_refused_with_the_reason_not_a_hang(agent: UserAgent, tmp_path: Path) -> None:
    with kamailio(tmp_path / "kamailio", PASSWORD) as (registrar, _log):
        account = PhoneAccount(user="shopper", registrar=registrar, password="wrong-password")
        call = agent.place_call(f"sip:brightline@{registrar.removeprefix('sip:')}", account=account)
        with pytest.raises(PhoneLoginRefused) as refused:
            call.wait_answered(15)
    assert refused.value.status_code in (401, 403, 407)
    assert "wrong-password" not in str(refused.value)
    assert str(refused.value.status_code) in str(refused.value)
