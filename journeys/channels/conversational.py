"""Carrying on a conversation with a company toward a goal, on any channel.

A channel's page object only knows how to read new lines and how to type, press
or leave; :func:`converse` does the rest the same way everywhere: it records
what the customer sees as events (timestamped when the page showed each line),
answers questions from the persona and the journey's facts, picks menu options
that fit the goal, answers the survey, and leaves once the company has answered
and gone quiet. A company that stops answering breaks the journey.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from playwright.sync_api import Locator

from journeys.channels.recognition import HoldState, Recogniser
from journeys.company.profile import ConversationSpec
from journeys.domain.goals import (
    Intent,
    MenuOption,
    answer_for,
    choose_option,
    clearly_fits,
    opening_line,
    repeat_option,
)
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind
from journeys.errors import JourneyBroken

# Installed on a transcript element: stamps each new line with the time the page showed it,
# and keeps what says who wrote it (an attribute, or the class) and when (an attribute).
OBSERVER_SCRIPT = """
(element, config) => {
  if (element.__mysteryShopper) return;
  element.__mysteryShopper = true;
  const view = element.ownerDocument.defaultView;
  view.__mysteryShopperLines = view.__mysteryShopperLines || [];
  const read = (node, at) => {
    if (!(node instanceof view.Element) || !node.matches(config.entry)) return;
    const words = node.querySelector(config.text);
    const stamp = config.timeAttribute
      ? (config.time ? node.querySelector(config.time) : node) : null;
    view.__mysteryShopperLines.push({
      at: at,
      speaker: config.speaker ? node.getAttribute(config.speaker) || "" : node.className || "",
      text: (words ? words.textContent : node.textContent).trim(),
      written: stamp ? stamp.getAttribute(config.timeAttribute) || "" : "",
    });
    if (view.__mysteryShopperWake) view.__mysteryShopperWake();
  };
  element.querySelectorAll(config.entry).forEach((node) => read(node, Date.now() / 1000));
  new view.MutationObserver((mutations) => {
    const at = Date.now() / 1000;
    for (const mutation of mutations) mutation.addedNodes.forEach((node) => read(node, at));
  }).observe(element, { childList: true, subtree: true });
}
"""
DRAIN_SCRIPT = "(element) => (element.ownerDocument.defaultView.__mysteryShopperLines || []).splice(0)"
"""Run on the transcript, so a widget inside an iframe is drained in its own window."""
WAIT_SCRIPT = """
(element, milliseconds) => {
  const view = element.ownerDocument.defaultView;
  const drain = () => (view.__mysteryShopperLines || []).splice(0);
  if ((view.__mysteryShopperLines || []).length) return drain();
  return new Promise((resolve) => {
    const done = () => { view.__mysteryShopperWake = null; clearTimeout(timer); resolve(drain()); };
    const timer = setTimeout(done, milliseconds);
    view.__mysteryShopperWake = done;
  });
}
"""
"""Wait in the page until the transcript shows a line, or the time is up, and hand over the lines
shown: one round trip to the browser per line or per look, where looking every 50 ms (a drain
and a wait each time) took forty a second per journey, and 32 journeys at once broke on a
browser and drivers kept busy by it."""
LOOK_SECONDS = 0.5
"""The longest the conversation waits before it looks again when the company shows nothing new
(a page wakes it at once when a line appears): a customer's own pace for what is due after a
silence (the goal after a pause, leaving once the company has settled)."""


@dataclass(frozen=True)
class Line:
    """One line the page showed: when, who, and the words."""

    at: float
    speaker: str
    text: str


AUTOMATIC = "automatic"
"""The speaker of a line no person wrote: an automatic acknowledgement, by the profile's patterns."""
HOLD_WORDS = (EventKind.HOLD_STARTED, EventKind.HOLD_ENDED)
MUSIC_STARTED = "hold music"
MUSIC_STOPPED = "hold music stopped"
"""The speakers of a phone's wordless lines: hold music began, and stopped (heard, not said)."""
HUNG_UP = "hung up"
"""The speaker of the line a call ends with when the company hung up."""

Opening = Literal["after_greeting", "after_pause", "at_once", "never"]
"""When the customer states their goal: once the company greets them (chat), once it has
said its piece and paused (a phone line: a menu may follow its greeting), straight away
(social), or never (a form already said it); a spoken menu always replaces the opening.
A company that asks who the customer is first is answered first: the goal waits for its
words after the last answer ("How can we help?"), never interrupting its next question."""
SAY_AGAIN = "Sorry, could you say that again?"
SAY_AGAIN_SECONDS = 5.0
"""A call silent this long after the company spoke: it waits for something the customer did
not make out (a question misheard), so the customer asks, as a caller would. Silence after
the customer's own words is the company's to break ("are you still there?"): asked to say
it again, a line that had not heard the answer took the request for one."""
MENU_REPLAYS = 2
"""Times a customer asks to hear a menu again when no option heard fits, before giving up
(once when an option is close but none names the goal, before taking the closest)."""
MENU_SAID_SECONDS = 1.5
"""A pause this long after the company's last words means it has finished its greeting or
its menu: then a caller speaks, or presses the best option heard."""


class ConversationPage(Protocol):
    """What :func:`converse` needs from a channel's page object."""

    channel: str
    opening: Opening
    answer_timeout: float | None
    """Seconds the company may stay silent on this channel; None: the company's default."""
    written: bool
    """A written channel (e-mail): a company that never answers has failed the customer (the
    journey goes on to its expectations), where a live channel that goes quiet is broken."""
    hears_holds: bool
    """Holds are heard (hold music on a real call: lines from ``MUSIC_STARTED`` to
    ``MUSIC_STOPPED``), so words about holding are not taken for one; otherwise they are read."""
    settle_floor: float
    """The least a customer waits for more after an answer, however fast the company is run:
    a browser's own latency on a page; on a call, seconds of silence, since speech is never
    sped up and an agent pauses between two sentences ("All done." ... "Your reference is ...")."""

    def new_lines(self) -> list[Line]: ...

    def quiet_for(self) -> float | None:
        """Seconds the company has been quiet, every line it said handed over; None where the
        channel cannot tell (a page shows lines, not silences), so lines' arrival times tell."""
        ...

    def say(self, text: str, *, field: str | None = None) -> bool:
        """Send the customer's words (``field``: the answer to that question, which a voice says
        as that field is said: a postcode digit by digit); False when the company had already
        closed the contact."""
        ...

    def press(self, key: str) -> float | None:
        """Press a key; the moment it went on the lines' clock, where the page knows it (a
        line that began before it belongs to the menu the key answered)."""
        ...

    def leave(self) -> None: ...

    def pause(self, seconds: float) -> None:
        """Wait until the company shows something new, at most ``seconds`` (a page that cannot
        tell waits them out)."""
        ...


def observe_transcript(transcript: Locator, spec: ConversationSpec) -> None:
    """Start stamping the transcript's lines as the page shows them."""
    transcript.evaluate(
        OBSERVER_SCRIPT,
        {
            "entry": spec.entry,
            "speaker": spec.speaker_attribute,
            "text": spec.text,
            "time": spec.time,
            "timeAttribute": spec.time_attribute,
        },
    )


def drain_lines(transcript: Locator, spec: ConversationSpec) -> list[Line]:
    """The lines shown since the last call, with their speaker and time as the profile reads them."""
    raw: list[dict[str, object]] = transcript.evaluate(DRAIN_SCRIPT)
    return [read_line(item, spec) for item in raw]


def await_lines(transcript: Locator, spec: ConversationSpec, seconds: float) -> list[Line]:
    """The lines shown since the last call, once there is one or ``seconds`` have passed."""
    raw: list[dict[str, object]] = transcript.evaluate(WAIT_SCRIPT, round(seconds * 1000))
    return [read_line(item, spec) for item in raw]


def read_line(item: Mapping[str, object], spec: ConversationSpec) -> Line:
    """One stamped line: its speaker from the attribute, class or text; its time from the page's
    own stamp when the profile names one (and it parses), else when the page showed it."""
    speaker, text = str(item["speaker"]), str(item["text"])
    if spec.speaker_class is not None:
        found = spec.speaker_class.search(speaker)
        speaker = found.group("speaker") if found else ""
    elif spec.speaker_pattern is not None:
        found = spec.speaker_pattern.search(text)
        speaker = found.group("speaker").strip() if found else ""
        text = text[found.end() :].strip() if found else text
    at = float(str(item["at"]))
    written = str(item.get("written") or "")
    if written and spec.time_format:
        try:
            stamp = dt.datetime.strptime(written, spec.time_format)
        except ValueError:
            stamp = None
        if stamp is not None:
            at = (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).timestamp()
    return Line(at, speaker, text)


@dataclass(frozen=True)
class ConversationEnd:
    """How a conversation ended, from the customer's side."""

    resolved: bool | None
    ended_by: str
    last_words: str
    claim: str = ""
    """The company's own words about the outcome ("I've cancelled your order"), if any."""

    def words(self) -> str:
        """Who ended it, and why when it says: "the company ended it: it refused ..."."""
        who, _, why = self.ended_by.partition(": ")
        return f"the {who} ended it" + (f": {why}" if why else "")


def converse(
    page: ConversationPage,
    contact: Contact,
    spec: ConversationSpec,
    *,
    intent: Intent,
    shopper: Shopper,
    facts: Mapping[str, str],
    clock: Callable[[], float] = time.time,
) -> ConversationEnd:
    """Carry on the conversation until the company has answered, or closed it."""
    recogniser = Recogniser(spec)
    answer_timeout = page.answer_timeout or spec.answer_timeout
    holds = HoldState()
    answers_given: dict[str, int] = {}
    pending_field: str | None = None
    pending_field_asked = False
    survey_pending = False
    opening_due = page.opening != "never"
    resolved: bool | None = None
    claim = ""
    last_words = ""
    waiting_since = clock()
    company_spoke = False
    spoke_since_customer = False  # the company said something since the customer last did

    refused = False
    pardons = 0
    menu_heard: list[MenuOption] = []  # the options of the menu being said, none fitting yet
    menu_replays = 0  # times the customer asked to hear a menu again, none fitting
    # in a menu until someone answers; a transfer or an escalation may lead to another. An
    # agent's garbled line ("sorry that has look like a valid press 2 current") is no menu:
    # read as one, the customer hung up on the agent, no option fitting
    in_menu = True
    pressed_in_batch = False  # a key went out while the lines in hand were read
    pressed_at: float | None = None  # when the last key went, on the lines' clock (a call's audio)
    previous_text = ""

    def quiet() -> float:
        heard = page.quiet_for()
        return clock() - waiting_since if heard is None else heard

    def hears_silence() -> bool:
        """A call gone quiet after the company spoke last, as if it waited for the customer."""
        heard = page.quiet_for()
        return (
            heard is not None
            and company_spoke
            and spoke_since_customer
            and heard > SAY_AGAIN_SECONDS
            and clock() - waiting_since > SAY_AGAIN_SECONDS
        )

    def press(choice: MenuOption, *, replay: bool = False) -> None:
        nonlocal menu_heard, previous_text, waiting_since, menu_replays, pressed_in_batch, pressed_at
        menu_replays = menu_replays + 1 if replay else 0  # another menu may follow a choice
        contact.note(EventKind.MENU_CHOICE, key=choice.key, text=choice.label)
        pressed_at = page.press(choice.key)
        menu_heard, previous_text, waiting_since = [], "", clock()
        pressed_in_batch = True

    def say(text: str, *, opening: bool = False, field: str | None = None) -> None:
        nonlocal waiting_since, refused, spoke_since_customer
        if page.say(text, field=field):
            contact.note(EventKind.MESSAGE_SENT, text=text, opening=opening or None)
        elif page.written:
            refused = True  # a desk that would not take the answer: the customer cannot go on
        waiting_since = clock()
        spoke_since_customer = False

    on_music = False  # hold music is the company's, not silence
    music_stopped_at: float | None = None  # a heard hold's music stopped: see hold_over
    announced = False  # since the music stopped, the queue said the wait goes on

    def hold_over(speaking_from: float | None = None) -> None:
        """The hold ended when its music stopped, unless the music came back before anything
        but an announcement was said ("You are next in line", inside a queue). When the queue
        announced more waiting and no music followed, nobody had answered until the line that
        ends the hold (``speaking_from``) began."""
        nonlocal music_stopped_at, announced
        if music_stopped_at is not None and holds.accept(EventKind.HOLD_ENDED):
            ended = speaking_from if announced and speaking_from is not None else music_stopped_at
            contact.note(EventKind.HOLD_ENDED, at=ended, text=MUSIC_STOPPED)
        music_stopped_at, announced = None, False

    try:
        while True:
            if refused:
                page.leave()
                return ConversationEnd(resolved, "company: refused the customer's answer", last_words, claim)
            pressed_in_batch = False
            for line in page.new_lines():
                if line.speaker in (MUSIC_STARTED, MUSIC_STOPPED):
                    on_music = line.speaker == MUSIC_STARTED
                    if not on_music and holds.on_hold:
                        music_stopped_at = line.at
                    elif on_music and music_stopped_at is not None:
                        music_stopped_at, announced = None, False  # only an announcement between: one hold
                    elif on_music and holds.accept(EventKind.HOLD_STARTED):
                        contact.note(EventKind.HOLD_STARTED, at=line.at, text=line.speaker)
                    waiting_since = clock()
                    continue
                if line.speaker == HUNG_UP:
                    return ConversationEnd(resolved, "company: hung up", last_words, claim)
                if line.speaker == spec.customer_speaker or not line.text:
                    continue
                events = recogniser.events_in(line.text)
                if any(heard.kind not in HOLD_WORDS for heard in events):
                    if on_music and holds.on_hold:  # its end went unheard: it ended as this began
                        music_stopped_at, on_music = line.at, False
                    hold_over(line.at)  # someone speaks to the customer: the music had stopped for good
                elif music_stopped_at is not None and any(
                    heard.kind is EventKind.HOLD_STARTED for heard in events
                ):
                    announced = True  # "You are next in line": still waiting, music or not
                if line.speaker == AUTOMATIC:
                    # words, and perhaps a reference, but nobody has answered yet: the wait goes on
                    contact.note(EventKind.ACKNOWLEDGED, at=line.at, text=line.text)
                else:
                    company_spoke = spoke_since_customer = True
                    waiting_since = clock()
                    last_words = line.text
                    contact.note(EventKind.MESSAGE_RECEIVED, at=line.at, text=line.text)
                for heard in events:
                    is_hold = heard.kind in HOLD_WORDS
                    if is_hold and (page.hears_holds or not holds.accept(heard.kind)):
                        continue
                    contact.note(
                        heard.kind,
                        at=line.at,
                        text=line.text,
                        agent=heard.agent,
                        department=heard.department,
                        field_name=heard.field_name,
                        reference=heard.reference,
                        resolved=heard.resolved,
                    )
                    if heard.kind is EventKind.INFO_REQUESTED:
                        pending_field, pending_field_asked = heard.field_name, True
                    elif heard.kind is EventKind.SATISFACTION_CHECK:
                        survey_pending = True
                    elif heard.kind is EventKind.OUTCOME:
                        resolved, claim = heard.resolved, line.text
                    if heard.kind is EventKind.AGENT_JOINED:
                        in_menu, menu_heard, menu_replays = False, [], 0
                    elif heard.kind in (EventKind.TRANSFERRED, EventKind.ESCALATED):
                        in_menu = True
                # an option may be heard across two lines ("...cancelling an order" | "press 3..."),
                # or only in its own (the line before ended in a word that spoils the joined one)
                joined = f"{previous_text} {line.text}".strip()
                options = []
                # the rest of a menu already answered, handed over with the line a key was pressed
                # on (a recogniser's backlog), is no new menu; nor is a line said before the key
                # went, by the lines' own clock (the wall clock, which a busy machine leaves the
                # audio behind, would not tell): "press 2 for" cut off by the key, heard after it,
                # read with the next menu's first words as an option under 2
                answered = (
                    pressed_in_batch or not in_menu or (pressed_at is not None and line.at < pressed_at)
                )
                read = (
                    []
                    if answered
                    else [*recogniser.menu_options(joined), *recogniser.menu_options(line.text)]
                )
                for option in read:
                    if option not in menu_heard and option not in options:
                        options.append(option)
                previous_text = "" if answered else line.text
                if options:
                    opening_due = False  # the menu asks instead
                    menu_heard += options
                    choice = choose_option(menu_heard, intent)
                    waiting_since = clock()
                    if choice is not None and clearly_fits(choice, intent):  # pressed as soon as heard
                        press(choice)
                if recogniser.ended(line.text):
                    return ConversationEnd(resolved, "company", line.text, claim)

            if pending_field_asked:
                pending_field_asked = False
                key = pending_field or "?"
                answers_given[key] = answers_given.get(key, 0) + 1
                answer = answer_for(pending_field, shopper, facts)
                if answer is None or answers_given[key] > spec.max_answers:
                    page.leave()
                    why = "cannot answer" if answer is None else "asked too often"
                    return ConversationEnd(resolved, f"customer: {why} ({key})", last_words, claim)
                say(answer, field=pending_field)
            elif survey_pending:
                survey_pending = False
                say("Yes, thank you.")
            elif opening_due and (
                page.opening == "at_once"
                or (page.opening == "after_greeting" and spoke_since_customer)
                or (page.opening == "after_pause" and spoke_since_customer and quiet() > MENU_SAID_SECONDS)
            ):
                opening_due = False
                say(opening_line(intent, facts), opening=True)
            elif menu_heard and quiet() > MENU_SAID_SECONDS:
                choice = choose_option(menu_heard, intent)  # the whole menu was said: the best there is
                again = repeat_option(menu_heard)
                # unsure (nothing names the goal): theirs may have been garbled, so hear it again,
                # once when something is close, a few times when nothing is
                replays = MENU_REPLAYS if choice is None else 0 if clearly_fits(choice, intent) else 1
                if again is not None and menu_replays < replays:
                    press(again, replay=True)
                elif choice is None:
                    page.leave()
                    return ConversationEnd(None, "customer: no menu option fits", last_words, claim)
                else:
                    press(choice)
            elif resolved is not None and quiet() > spec.settle_seconds:  # on a call: while it speaks, never
                page.leave()
                return ConversationEnd(resolved, "customer", last_words, claim)
            elif on_music:
                waiting_since = clock()  # on hold: the wait is measured, never a silence
            elif hears_silence() and pardons < spec.max_answers:
                pardons += 1  # the line went quiet after words the customer did not make out
                say(SAY_AGAIN)
            elif clock() - waiting_since > answer_timeout and page.written:
                page.leave()
                return ConversationEnd(
                    resolved, f"company: no answer within {answer_timeout:g} s", last_words, claim
                )
            elif clock() - waiting_since > answer_timeout:
                raise JourneyBroken(
                    f"{page.channel}: the company stopped answering: nothing for "
                    f"{answer_timeout:g} s after {last_words or 'the start'!r}",
                    channel=page.channel,
                    action="wait for an answer",
                )
            page.pause(LOOK_SECONDS)
    finally:
        hold_over()  # a call that ended on hold, or just after one
