"""One call on the SIP line: the company's mouth and ear on a real call.

Everything here runs on the line's endpoint thread (PJSIP's objects are touched there only),
except :meth:`_Ear.onFrameReceived`, which PJSIP calls on its media clock thread and which
only cuts audio into utterances. The conversation's hub lives on the web app's event loop:
what the caller does reaches it through ``loop.call_soon_threadsafe``.

Pacing, and so the ground truth: the line :meth:`CallDesk.tick`\\ s every few milliseconds.
When its speaker is free (the last clip and a short pause are over) and the next output is
due, it takes the output from the engine and starts its audio in the same moment, so the
truth is stamped when the caller starts hearing it. A hold starts when the music starts (the
speaker being free) and ends when it stops; a line said during a hold pauses the music. The
next output's clip is synthesised ahead, while the current one plays, and an output is not
taken before its clip is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import Callable
from enum import Enum

import pjsua2 as pj

from sandbox.contact.hub import CALL_ENDED, CONNECTED, ON_HOLD, LiveConversation, entry_for
from sandbox.phone.listening import Heard, Recogniser, Segmenter, log
from sandbox.phone.speech import SAMPLE_RATE, Clip, Voice

PAUSE_SECONDS = 0.4
"""Silence between two things the company says."""
LONG_HEARING_SECONDS = 30.0
"""Hearing the caller (speaking, or words not yet recognised) this long without an end is
logged once, with the ear's state: a call of the demo at 70f35de waited 300 s on an answer
its ear never handed over, and nothing said why."""

Clock = Callable[[], float]


class CallState(Enum):
    """Where a call is, as the line sees it."""

    RINGING = "ringing"
    TALKING = "talking"
    OVER = "over"


def caller_number(remote_uri: str) -> str:
    """The user part of the caller's From URI (``"Ann" <sip:0700123@host>`` gives 0700123)."""
    match = re.search(r"sips?:([^@;>]+)@", remote_uri)
    return match.group(1) if match else remote_uri


class _Ear(pj.AudioMediaPort):  # type: ignore[misc]
    """A bridge port that receives a caller's audio and cuts it into utterances.

    Ears are never freed while the endpoint lives: the wheel's PJSIP (2.15.1) frees a port's
    memory when its object goes but removes it from the bridge later, on the clock thread,
    which then writes into freed memory (pjproject #4200). :class:`Ears` lends an idle ear to
    the next call instead."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._segmenter = Segmenter()
        self._heard: Callable[[bytes], None] | None = None
        self.frames = 0
        """Frames received since it was lent (the line's log tells a silent bridge by it)."""
        audio_format = pj.MediaFormatAudio()
        audio_format.type = pj.PJMEDIA_TYPE_AUDIO
        audio_format.clockRate = SAMPLE_RATE
        audio_format.channelCount = 1
        audio_format.bitsPerSample = 16
        audio_format.frameTimeUsec = 20000
        self.createPort(name, audio_format)

    @property
    def speaking(self) -> bool:
        """Whether the caller is in the middle of an utterance."""
        return self._segmenter.speaking

    def listen(self, heard: Callable[[bytes], None] | None) -> None:
        """Hand what is said from now on to ``heard`` (None: to nobody), from a fresh start."""
        self._heard = None
        self._segmenter = Segmenter()
        self.frames = 0
        self._heard = heard

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        heard = self._heard
        if heard is None:
            return
        self.frames += 1
        if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO or frame.size == 0:
            audio = bytes(640)
        else:
            audio = bytes(frame.buf)
        utterance = self._segmenter.feed(audio)
        if utterance is not None:
            heard(utterance)


class Ears:
    """The line's ears: one per call at once, each lent again once its call is over."""

    def __init__(self) -> None:
        self._every: list[_Ear] = []
        self._idle: list[_Ear] = []

    def lend(self, heard: Callable[[bytes], None]) -> _Ear:
        ear = self._idle.pop() if self._idle else self._make()
        ear.listen(heard)
        return ear

    def give_back(self, ear: _Ear) -> None:
        ear.listen(None)
        self._idle.append(ear)

    def after_destroy(self) -> None:
        """Once the endpoint is destroyed: drop the ears without freeing them (their destructor
        would ask the destroyed bridge to remove them, and PJSIP asserts)."""
        for ear in self._every:
            ear.listen(None)
            ear.thisown = False
        self._every.clear()
        self._idle.clear()

    def __len__(self) -> int:
        return len(self._every)

    def _make(self) -> _Ear:
        ear = _Ear(f"ear-{len(self._every)}")
        self._every.append(ear)
        return ear


class LineCall(pj.Call):  # type: ignore[misc]
    """PJSIP's call, reporting what happens to its desk."""

    def __init__(self, account: pj.Account, call_id: int, desk: CallDesk) -> None:
        super().__init__(account, call_id)
        self.desk = desk

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        if self.getInfo().state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.desk.disconnected()
            # Let go of this object now, in its last callback, as pjsua2 allows: PJSIP gives
            # the slot to the next caller at once (even within this poll), and a pjsua2 Call
            # freed later clears and hangs up whatever call holds its slot by then.
            self.desk.call = None

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        info = self.getInfo()  # kept: its media vector dies with it
        for index, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.desk.media_ready(self.getAudioMedia(index))

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        self.desk.pressed(prm.digit)


class CallDesk:
    """The company's side of one call: what it plays, what it hears, and when it hangs up."""

    def __init__(self, *, voice: Voice, music: Clip, recogniser: Recogniser, ears: Ears) -> None:
        self._voice = voice
        self._ears = ears
        self._music = music
        self._recogniser = recogniser
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clock: Clock = lambda: 0.0
        self.live: LiveConversation | None = None
        self.call: LineCall | None = None
        self.state = CallState.RINGING
        self._audio: pj.AudioMedia | None = None
        self._ear: _Ear | None = None
        self._speech: pj.AudioMediaPlayer | None = None
        self._hold_music: pj.AudioMediaPlayer | None = None
        self._on_hold = False
        self._speaker_free_at = 0.0
        self._company_ended = False
        self._recognising = 0  # utterances heard whose words have not reached the hub yet
        self._recognising_lock = threading.Lock()
        self.name = "call"
        """The call in the line's log: its contact's id and the caller's number."""
        self._hearing_since: float | None = None

    def attach(self, live: LiveConversation, loop: asyncio.AbstractEventLoop, clock: Clock) -> None:
        """The conversation the call opened in the hub, the hub's loop, and its clock."""
        self.live, self._loop, self._clock = live, loop, clock
        live.conversation.hearing = self.hearing
        self.name = f"{live.conversation.contact_id} from {live.conversation.customer}"
        log.info("%s: answered", self.name)

    def hearing(self) -> bool:
        """Whether the caller is speaking, or their last words are still being recognised."""
        ear = self._ear
        return (ear is not None and ear.speaking) or self._recognising > 0

    def _to_hub(self, action: Callable[[], object]) -> None:
        """Run ``action`` on the hub's loop (where conversations live); dropped if it is gone."""
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the server is gone
                self._loop.call_soon_threadsafe(action)

    # -- PJSIP's callbacks (endpoint thread) ------------------------------------------

    def media_ready(self, audio: pj.AudioMedia) -> None:
        if self._audio is not None:
            return
        self._audio = audio
        self._ear = self._ears.lend(self._utterance)
        audio.startTransmit(self._ear)
        self.state = CallState.TALKING
        self._speaker_free_at = self._clock()

    def pressed(self, key: str) -> None:
        """A key: the hub hears it; a menu that awaits keys stops talking (barge-in)."""
        live = self.live
        if live is None or live.finished or len(key) != 1:
            return
        log.info("%s: key %s", self.name, key)
        if "key" in live.conversation.accepting() and self._speech is not None:
            self._stop(self._speech)
            self._speech = None
            self._speaker_free_at = self._clock()
        self._to_hub(lambda: live.press(key))

    def disconnected(self) -> None:
        """The call is over (either side hung up): the caller has left, if the company had not."""
        self.state = CallState.OVER
        live = self.live
        if live is not None and not live.finished:
            log.info("%s: the caller hung up", self.name)
            self._to_hub(live.leave)

    # -- the ear (media clock thread, then the recogniser's) ----------------------------

    def _utterance(self, audio: bytes) -> None:
        live = self.live
        if live is None or live.finished:
            return
        self._count_recognising(1)
        self._recogniser.recognise(audio, live.conversation.awaited, self._heard, call=self.name)

    def _heard(self, heard: Heard | None) -> None:
        live = self.live
        if live is None or live.finished or heard is None or self.state is not CallState.TALKING:
            self._count_recognising(-1)
            return

        def say() -> None:
            try:
                live.say(heard.text)
            finally:
                self._count_recognising(-1)  # counted once the hub has the words, never before

        self._to_hub(say)

    def _count_recognising(self, change: int) -> None:
        with self._recognising_lock:
            self._recognising += change

    # -- the mouth (endpoint thread) --------------------------------------------------

    def tick(self) -> None:
        """Play the next output if the speaker is free and it is due; hang up at the end."""
        live, call = self.live, self.call
        if live is None or call is None or self.state is not CallState.TALKING:
            return
        conversation = live.conversation
        now = self._clock()
        self._watch_hearing()
        if now < self._speaker_free_at:
            return
        if self._speech is not None:  # the last line is over
            self._stop(self._speech)
            self._speech = None
            if self._on_hold:
                self._start_music()
        if self._company_ended or conversation.finished:
            self.hang_up()
            return
        upcoming = conversation.upcoming()
        if upcoming is None:
            return
        entry = entry_for(upcoming, 0)
        speaks = bool(upcoming.text) and entry.call_status is None and not entry.transient
        clip = self._voice.ready(upcoming.text) if speaks else None
        if speaks and clip is None:
            self._voice.prepare(upcoming.text)
            return
        output = conversation.take_next(now)
        if output is None:
            return
        self._to_hub(lambda: live.shown(output))
        if entry.call_status == ON_HOLD:
            log.info("%s: on hold", self.name)
            self._on_hold = True
            self._start_music()
        elif entry.call_status == CONNECTED:
            log.info("%s: off hold", self.name)
            self._on_hold = False
            self._stop_music()
        elif entry.call_status == CALL_ENDED or entry.ended:
            self._company_ended = True
        elif clip is not None:
            log.info("%s: says %r", self.name, upcoming.text)
            self._stop_music()
            self._speech = self._play(clip.path, loop=False)
            self._speaker_free_at = now + clip.seconds + PAUSE_SECONDS
        following = conversation.upcoming()
        if following is not None and following.text:
            self._voice.prepare(following.text)

    def _watch_hearing(self) -> None:
        if not self.hearing():
            self._hearing_since = None
            return
        now = time.monotonic()
        if self._hearing_since is None:
            self._hearing_since = now
        elif now - self._hearing_since > LONG_HEARING_SECONDS:
            ear = self._ear
            log.warning(
                "%s: has heard the caller for %.0f s without an end (ear speaking: %s, frames"
                " received: %s, utterances being recognised: %d)",
                self.name,
                now - self._hearing_since,
                ear is not None and ear.speaking,
                ear.frames if ear is not None else "no ear",
                self._recognising,
            )
            self._hearing_since = float("inf")  # told once, until the hearing ends

    def _start_music(self) -> None:
        if self._hold_music is None:
            self._hold_music = self._play(self._music.path, loop=True)

    def _stop_music(self) -> None:
        if self._hold_music is not None:
            self._stop(self._hold_music)
            self._hold_music = None

    def _play(self, path: object, *, loop: bool) -> pj.AudioMediaPlayer:
        player = pj.AudioMediaPlayer()
        player.createPlayer(str(path), 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
        if self._audio is not None:
            player.startTransmit(self._audio)
        return player

    def _stop(self, player: pj.AudioMediaPlayer) -> None:
        if self._audio is not None:
            with contextlib.suppress(pj.Error):  # the call's media is already gone
                player.stopTransmit(self._audio)

    def hang_up(self) -> None:
        """End the call from the company's side (after its goodbye, or at shutdown)."""
        if self.call is not None and self.state is not CallState.OVER:
            log.info("%s: the company hung up", self.name)
            self.state = CallState.OVER
            with contextlib.suppress(pj.Error):  # already disconnected
                self.call.hangup(pj.CallOpParam(True))
        self.release()

    def release(self) -> None:
        """Drop the players and the ear (endpoint thread, once the call is over)."""
        for player in (self._speech, self._hold_music):
            if player is not None:
                self._stop(player)
        self._speech = self._hold_music = None
        if self._ear is not None:
            if self._audio is not None:
                with contextlib.suppress(pj.Error):
                    self._audio.stopTransmit(self._ear)
            self._ears.give_back(self._ear)
        self._ear = None
        self._audio = None
