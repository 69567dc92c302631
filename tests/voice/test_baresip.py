"""The harness calls baresip, a user agent nobody here wrote, hears its prompt and presses a key."""

from __future__ import annotations

from pathlib import Path

import pytest
from peers import PROMPT, baresip, first_sound, require, synthesise

from conftest import Transcriber, all_speech, listen, utterances
from journeys.channels.voice.call import PhoneAccount
from journeys.channels.voice.sip import UserAgent

pytestmark = pytest.mark.calls


def test_a_direct_call_hears_the_prompt_at_its_time_and_presses_a_key(
    agent: UserAgent, transcriber: Transcriber, tmp_path: Path
) -> None:
    require("flite", "sox")
    prompt = synthesise(PROMPT, tmp_path)
    with baresip(tmp_path / "baresip", prompt) as peer:
        call = agent.place_call(peer.uri)
        answered_at = call.wait_answered(15)
        heard = listen(call, seconds=first_sound(prompt) + 6.0)
        assert call.press("1") == "rfc4733"
        peer.output.wait_for("received event: '1'")
        call.hang_up()
        end = call.wait_ended(10)
    assert end is not None and end.answered
    spoken = utterances(heard)
    assert spoken, f"heard no speech: {heard}"
    assert abs(spoken[0].start - answered_at - first_sound(prompt)) < 0.3, spoken[0].start - answered_at
    words = transcriber.transcribe(all_speech(heard)).split()
    # The wideband model hears 8 kHz G.711 only in part, the call or the prompt file alike
    # ("and if we're calling guideline a blanket..."): "calling" is the word it always finds.
    assert "calling" in words and len(words) >= 6, words


def test_a_number_nobody_answers_to_fails_with_the_status(agent: UserAgent, tmp_path: Path) -> None:
    require("flite", "sox")
    prompt = synthesise("Hello.", tmp_path)
    with baresip(tmp_path / "baresip", prompt) as peer:
        call = agent.place_call(f"sip:nobody-here@127.0.0.1:{peer.port}")
        end = call.wait_ended(15)
    assert end is not None and not end.answered
    assert end.status_code >= 400, end


def test_many_callers_one_after_another_do_not_exhaust_the_accounts(agent: UserAgent, tmp_path: Path) -> None:
    """A direct call's account is the customer's own number, so a run of many customers makes
    many: PJSIP holds 8 and aborts the process at the 9th, unless idle ones are let go. Each
    call is dialled the moment the last ended, so PJSIP hands it the last one's slot: freeing
    the last one's call object after that dial hung the new call up (1 run in 3 failed so)."""
    require("flite", "sox")
    prompt = synthesise("Hello.", tmp_path)
    with baresip(tmp_path / "baresip", prompt) as peer:
        for customer in range(12):
            caller = PhoneAccount(user=f"55501{customer:06d}")
            call = agent.place_call(f"sip:nobody-here@127.0.0.1:{peer.port}", account=caller)
            end = call.wait_ended(15)
            assert end is not None and end.status_code >= 400, (customer, end)


def test_calls_one_after_another_use_one_bridge_port(agent: UserAgent, tmp_path: Path) -> None:
    """PJSIP 2.15.1 frees a port's memory before its bridge has removed it, and the bridge then
    writes into it: freeing a port per call crashed a test worker. A port serves call after call."""
    require("flite", "sox")
    prompt = synthesise("Hello.", tmp_path)
    before = agent.media_ports
    with baresip(tmp_path / "baresip", prompt) as peer:
        for _ in range(3):
            call = agent.place_call(peer.uri)
            call.wait_answered(15)
            assert call.received.read(10), "no audio came"
            call.hang_up()
            assert call.wait_ended(10) is not None
    assert agent.media_ports <= max(before, 1)
