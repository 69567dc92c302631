"""The phone as a customer uses it: a real call to the company's line, heard and answered aloud.

:class:`PhoneCall` is the page object :func:`~journeys.channels.conversational.converse` talks
through, like the chat widget's: it dials the company's number over SIP (only a number the
profile allows, and never an emergency or premium one), hears the company through the
listener (speech, hold music, silence) and the recogniser, speaks the customer's answers with
a synthetic voice and presses menu keys as DTMF. A line it hears is stamped with the audio's
own time: when the company began to say it, not when the recogniser finished.

Listening runs on a thread of its own for the whole call, so recognition keeps pace with the
audio while the conversation thinks, speaks or waits; :meth:`PhoneCall.new_lines` hands over
what was heard since it last looked. Hold music becomes the wordless lines
``MUSIC_STARTED``/``MUSIC_STOPPED``: a hold is heard, whatever was or was not said about it.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from journeys.channels.conversational import HUNG_UP, MUSIC_STARTED, MUSIC_STOPPED, Line, Opening
from journeys.channels.voice.call import Call, PhoneAccount
from journeys.channels.voice.hearing import RecogniserProcess
from journeys.channels.voice.lines import HeldLine, hold_a_line
from journeys.channels.voice.listening import Listener, Music, MusicStarted, Segment, Utterance
from journeys.channels.voice.sip import UserAgent, user_agent
from journeys.channels.voice.speech import Recogniser, Voice
from journeys.channels.voice.spoken import CODE_FIELDS, spoken_form, written_form
from journeys.company.phone import PhoneSpec, digits_of
from journeys.company.profile import ConversationSpec
from journeys.errors import JourneyBroken

RING_SECONDS = 30.0
"""How long the customer lets the line ring before giving up (a finding for the company's line)."""
PHONE_LOOK_SECONDS = 0.05
SPEAK_SECONDS_PER_CHARACTER = 0.2
"""A generous bound on how long a sentence takes to say, for waiting on the playback."""


class PhoneCall:
    """One call to the company's line: dial, listen, speak, press keys, hang up.

    Args:
        spec: the profile's ``[phone]``, started (its ``{server.…}`` filled).
        recogniser: what turns the company's speech into words.
        voice: the customer's synthetic voice.
        names: written forms the recogniser's words are restored to (agents, departments).
        record_to: where to keep the call's recording; None unless the profile allows it.
        agent: the SIP user agent (the process's own by default).
    """

    channel = "phone"
    opening: Opening = "after_pause"
    written = False
    hears_holds = True
    settle_floor = 2.0  # seconds of silence: speech is never sped up

    def __init__(
        self,
        spec: PhoneSpec,
        *,
        recogniser: Recogniser,
        voice: Voice,
        names: Sequence[str] = (),
        record_to: Path | None = None,
        agent: UserAgent | None = None,
    ) -> None:
        self.spec = spec
        self.answer_timeout = spec.answer_timeout
        self.recogniser = recogniser
        self.voice = voice
        self.names = tuple(names)
        self.record_to = record_to
        self._agent = agent
        self.call: Call | None = None
        self.caller = ""
        """Who the company sees calling: the user part of the call's From address."""
        self._heard: queue.Queue[Line] = queue.Queue()
        self._listening: threading.Thread | None = None
        self._leaving = False
        self._listener = Listener()
        self._recognising = False
        self._line: HeldLine | None = None

    def start(self, caller_number: str) -> None:
        """Dial the company's number and wait for an answer; then listen for the whole call.

        Raises:
            JourneyBroken: the number may not be called, or nobody answered (``CallFailed``).
        """
        refused = self.spec.may_dial(self.spec.number)
        if refused is not None:
            raise JourneyBroken(f"phone: {refused}", channel="phone", action="call the company")
        agent = self._agent or user_agent()
        account = self._account(caller_number)
        self.caller = account.user
        self._line = hold_a_line()  # the run's calls at once (--calls-at-once): wait for a line
        try:
            self.call = agent.place_call(
                self.spec.address_of(self.spec.number), account=account, record_to=self.record_to
            )
            self.call.wait_answered(RING_SECONDS)
        except BaseException:
            self._free_line()
            raise
        self._listening = threading.Thread(target=self._listen, name="phone-listener", daemon=True)
        self._listening.start()

    def _account(self, caller_number: str) -> PhoneAccount:
        login = self.spec.login
        if login is None:  # a direct call, from the customer's own number
            caller = self.spec.caller or digits_of(caller_number) or "customer"
            return PhoneAccount(user=caller, domain="127.0.0.1")
        return PhoneAccount(
            user=login.user,
            domain=login.domain,
            registrar=login.registrar,
            password=login.password,
            register=login.register,
        )

    def _listen(self) -> None:
        """Classify and recognise what the company sends, until the call ends."""
        assert self.call is not None
        listener = self._listener
        while True:
            frames = self.call.received.read(timeout=0.2)
            for frame in frames:
                for segment in listener.feed(frame):
                    self._hear(segment)
            if not frames and self.call.ended is not None:
                break
        self._free_line()  # the call has ended: another journey's call may have the line
        for segment in listener.finish():
            self._hear(segment)
        if not self._leaving and self.call.ended is not None:  # the company put the phone down
            self._heard.put(Line(self.call.ended.at, HUNG_UP, ""))

    def _hear(self, segment: Segment) -> None:
        if isinstance(segment, MusicStarted):
            self._heard.put(Line(segment.start, MUSIC_STARTED, ""))
        elif isinstance(segment, Music):
            self._heard.put(Line(segment.end, MUSIC_STOPPED, ""))
        elif isinstance(segment, Utterance):
            self._recognising = True
            try:
                words = self.recogniser.transcribe(segment.samples)
                if words:
                    self._heard.put(Line(segment.start, "company", written_form(words, self.names)))
            finally:
                self._recognising = False

    def quiet_for(self) -> float:
        """Seconds the line has made no sound, by the audio's clock, once all it said is handed
        over (0 before)."""
        if self._recognising or not self._heard.empty() or self.call is None:
            return 0.0
        return self._listener.quiet_for()

    def new_lines(self) -> list[Line]:
        """What was heard since the last look, in the order it was said."""
        lines: list[Line] = []
        while True:
            try:
                lines.append(self._heard.get_nowait())
            except queue.Empty:
                return lines

    def say(self, text: str, *, field: str | None = None) -> bool:
        """Say the customer's words (codes spelled, addresses with "at" and "dot"; the answer to a
        question as that field is said: a postcode digit by digit, never "sixty six thousand");
        False once the company has hung up."""
        call = self.call
        if call is None or call.ended is not None:
            return False
        said = said_for(text, field, phonetic_email=self.spec.email_spelling == "phonetic")
        samples = self.voice.say(said)  # a spelt address is three times as long as written
        call.play(samples).wait(SPEAK_SECONDS_PER_CHARACTER * len(said) + 5.0)
        return call.ended is None

    def press(self, key: str) -> float | None:
        """Press a key of the phone's keypad (RFC 4733, or tones where the line has none);
        the moment it went, on the audio's clock. A menu stops at a key and the next begins
        at once: what is heard from then on is a new utterance, never the old menu's words
        run into the new one's."""
        call = self.call
        if call is None or call.ended is not None:
            return None
        at = call.received.position
        call.press(key)
        if at is not None:
            self._listener.cut(at)
        return at

    @property
    def heard_from(self) -> float | None:
        """When the call's audio was connected: the first sample heard, and recorded; None before."""
        return None if self.call is None else self.call.received.origin

    def leave(self) -> None:
        """Hang up (if the company has not), and hear the call out."""
        call = self.call
        if call is None:
            return
        self._leaving = True
        call.hang_up()
        call.wait_ended(10.0)
        if self._listening is not None:
            self._listening.join(timeout=30.0)
        self._free_line()

    def _free_line(self) -> None:
        line, self._line = self._line, None
        if line is not None:
            line.release()

    def pause(self, seconds: float) -> None:
        """Look again within 50 ms: the ear reports silence as it happens, and what a caller
        does after one (speak after a greeting, press after a menu) is due at a talker's pace."""
        time.sleep(min(seconds, PHONE_LOOK_SECONDS))

    def screenshot(self, path: str) -> bool:
        """A call has no screen to show where it broke."""
        return False


def said_for(text: str, field: str | None, *, phonetic_email: bool = False) -> str:
    """How a caller says ``text``: as the answer to ``field`` where it is one that is read
    character by character (a code, a postcode, a phone number, an address spelt), else each
    word as it looks (:func:`speakable`). flite reads "66526" as "sixty six thousand five
    hundred twenty six", which the demo's line, listening for a postcode's five digits, never
    made out: asked four times, the caller gave up (a phone order lost so in the demo at 70f35de)."""
    if field in CODE_FIELDS or field == "email":
        return spoken_form(field, text, phonetic_email=phonetic_email)
    return speakable(text, phonetic_email=phonetic_email)


def speakable(text: str, *, phonetic_email: bool = False) -> str:
    """The customer's words as a careful caller says them: codes spelled, addresses read out
    (spelt with the phonetic alphabet where the profile says the company wants them so),
    phone numbers digit by digit."""
    return " ".join(
        spoken_form(_field_of(word.rstrip(".,")), word.rstrip(".,"), phonetic_email=phonetic_email)
        + word[len(word.rstrip(".,")) :]
        for word in text.split()
    )


def _field_of(word: str) -> str | None:
    """What a word of the customer's is, where that changes how it is said."""
    if "@" in word:
        return "email"
    if re.fullmatch(r"\+?\d[\d().-]*", word) and sum(char.isdigit() for char in word) >= 7:
        return "phone"
    return None


_recognisers: dict[tuple[str | None, tuple[str, ...], Path | None, tuple[str, ...]], Recogniser] = {}
_recognisers_lock = threading.Lock()


def phone_call(
    spec: PhoneSpec, conversation: ConversationSpec | None, *, record_to: Path | None = None
) -> PhoneCall:
    """A call for a journey, with the recogniser the profile names (started once per process,
    in a process of its own, with the company's words, lines and reference patterns) and the
    customer's voice."""
    vocabulary = (*spec.words, *(conversation.fields if conversation else ()))
    given = conversation.patterns.get("reference_given", ()) if conversation else ()
    references = tuple(pattern.pattern for pattern in given)
    key = (spec.recogniser, tuple(vocabulary), spec.phrases, references)
    with _recognisers_lock:
        if key not in _recognisers:
            _recognisers[key] = RecogniserProcess(spec.recogniser, vocabulary, spec.lines(), references)
        recogniser = _recognisers[key]
    return PhoneCall(
        spec, recogniser=recogniser, voice=Voice(spec.voice), names=spec.words, record_to=record_to
    )


def started_recognisers() -> list[Recogniser]:
    """The recognisers :func:`phone_call` started in this process (what the benchmarks read
    their real-time factor from)."""
    with _recognisers_lock:
        return list(_recognisers.values())
