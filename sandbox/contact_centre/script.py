"""The company's side of one contact, written as a script that reads top to bottom.

Menu (phone) or opening question, queue, then each leg of the route: an agent
joins, asks their fields, maybe puts the customer on hold, asks again, and hands
over or concludes; then the survey and goodbye. Timing and output plumbing live
in :mod:`.stage`; what is said comes from :mod:`.phrasing`; what really happens
comes from :mod:`.outcomes` and the shop's actions.
"""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Literal

from sandbox.contact_centre import outcomes
from sandbox.contact_centre.actions import ServiceActions
from sandbox.contact_centre.customers import CustomerRecords
from sandbox.contact_centre.model import (
    HANDOVER_ENDINGS,
    IDENTIFYING_FIELDS,
    Channel,
    Department,
    FieldName,
    HoldKind,
    Intent,
    Output,
    OutputKind,
)
from sandbox.contact_centre.phrasing import (
    FOLLOW_UP_TOPICS,
    PhraseKind,
    department_name,
    field_words,
    ivr_prompt,
    policy_phrase,
    say,
    speaking_seconds,
)
from sandbox.contact_centre.profile import ContactCentreProfile, IvrMenu, Leg, Route
from sandbox.contact_centre.stage import (
    KEY,
    NOTHING,
    TEXT,
    CustomerText,
    KeyPress,
    Stage,
    Step,
    WaitForCustomer,
)
from sandbox.contact_centre.truth import (
    AgentJoined,
    Conference,
    ContactRecord,
    FollowUp,
    Handoff,
    IvrChoice,
    PolicyRecited,
    PromiseMade,
    ReferenceGiven,
)
from sandbox.contact_centre.understanding import field_value, recognise_intent
from sandbox.contact_centre.variety import Variant, company_met

ASKED_ON_A_CALL: dict[FieldName, FieldName] = {"email": "phone"}
"""What an agent on a call asks for instead, where the field only says who the customer is
(every intent but a new order, whose e-mail address is where its confirmation goes): an
address is spelt letter by letter, which a telephone line garbles, so a caller is found by
the order's phone number, said as digits, as contact centres do."""


NO_ANSWER_LIMIT = 3
"""Questions in a row a caller may leave unanswered (``no_answer_seconds`` each) before the
agent says goodbye and hangs up, as an agent does on a silent line."""


class _CallerSilent(Exception):
    """The caller left ``NO_ANSWER_LIMIT`` questions in a row unanswered: the call ends."""


class CompanyScript(Stage):
    """Everything the company does in one contact, from greeting to goodbye."""

    def __init__(
        self,
        *,
        profile: ContactCentreProfile,
        channel: Channel,
        customer: str,
        rng: Random,
        started_at: float,
        actions: ServiceActions,
        record: ContactRecord,
        customers: CustomerRecords | None = None,
        seed: int | str = 0,
    ) -> None:
        super().__init__(profile=profile, channel=channel, rng=rng, started_at=started_at, record=record)
        self.customer = customer
        self.actions = actions
        self.customers = customers
        self.contact_id = record.snapshot().contact_id
        self.looks_back: bool | None = None  # drawn when there is first something to remember
        self.known: dict[FieldName, str] = {}
        self.identified = False  # a bot took who the customer is before the first agent
        self.heard_problem = False  # the customer has said why they came (in words, or by the menu)
        self.agents_met: set[str] = set()
        self.concluded = False
        self.promised: tuple[date, float] | None = None  # the promise's day, and when it was made
        self.seed = seed
        self.variants: dict[Intent, Variant] = {}

    def run(self) -> Step[None]:
        """The whole contact; a call whose caller has gone silent is ended by the agent."""
        try:
            yield from self._serve()
        except _CallerSilent:
            yield from self._says(PhraseKind.NO_ANSWER_GOODBYE)
            yield from self.end()

    def _serve(self) -> Step[None]:
        """The whole contact, from the menu or the greeting to the goodbye."""
        if self.channel == "phone" and self.profile.ivr is not None:
            chosen = yield from self._phone_menu()
            if chosen is None:
                return
            intent, problem = chosen
            self.heard_problem = True  # the menu's choice said why the customer called
        else:
            intent, problem = yield from self._opening()
        self.record.update(intent=intent)
        route = self._variant(intent).route
        previous: Leg | None = None
        for index, leg in enumerate(route.legs):
            held = yield from self._wait_for_agent(route, index)
            yield from self._join(leg, index, right_away=held)
            # the bot hands the customer to the first agent with what it took, as a warm handover
            warm = previous.handover == "warm" if previous is not None else self.identified
            for name in self._fields(leg.asks, intent):
                if not (warm and name in self.known) and not self._remembers(name):
                    yield from self._ask(name, again=False)
            if leg.hold_seconds > 0 and self.channel != "email":
                yield from self._hold(leg.hold_seconds)
            for name in self._fields(leg.reask, intent):
                yield from self._ask(name, again=True)
            for department in leg.conferences:
                yield from self._conference(leg, department, index)
            for _ in range(leg.policy_recitals):
                yield from self._recite_policy(intent)
            if leg.ends in HANDOVER_ENDINGS:
                yield from self._hand_over(leg, route.legs[index + 1])
                previous = leg
                continue
            if leg.ends == "go_silent":
                self.record.update(claimed_outcome="silent")
                yield WaitForCustomer(NOTHING)  # never resumed: the agent is gone
                return
            yield from self._conclude(leg, intent, problem)
            yield from self._close(route)
            yield from self._follow_up(route, intent)
            return

    def _variant(self, intent: Intent) -> Variant:
        """The company this contact meets for ``intent``, drawn once (:mod:`.variety`)."""
        if intent not in self.variants:
            self.variants[intent] = company_met(self.profile, self.channel, self.customer, intent, self.seed)
        return self.variants[intent]

    def _opening(self) -> Step[tuple[Intent, str]]:
        """Greet (chat, phone without a menu) and find out what the customer wants.

        A profile that ``identifies_first`` opens with its questions instead of a welcome (a
        greeting before them would invite the customer to say why they came), and asks what
        the customer wants once it has the answers.
        """
        if self.channel in ("chat", "phone") and self.profile.identifies_first:
            opens = True  # the first question opens the contact, as the welcome would
            for name in self._fields(self.profile.identifies_first, None):
                if not self._remembers(name):
                    yield from self._ask(name, again=False, at=self.clock if opens else None)
                    opens = False
            self.identified = True
            yield from self.system_says(PhraseKind.IDENTIFIED)
        elif self.channel in ("chat", "phone"):
            yield from self.system_says(PhraseKind.WELCOME, at=self.clock)
        while True:
            message = yield from self._wait_for_message("problem")
            self.heard_problem = True
            intent = recognise_intent(message.text)
            if intent is not None:
                return intent, message.text
            yield from self.system_says(PhraseKind.CLARIFY)

    def _phone_menu(self) -> Step[tuple[Intent, str] | None]:
        """Walk the caller through the menu tree; None when they ran out of valid keys."""
        ivr = self.profile.ivr
        assert ivr is not None
        menu, first, invalid = ivr.menus[ivr.start], True, 0
        confirming: list[IvrMenu] | None = None  # the drawn menus after the choice, once chosen
        while True:
            options = [(option.key, option.label) for option in menu.options]
            prompt = ivr_prompt(self.rng, first=first, options=options, repeat_key=ivr.repeat_key)
            at = self.clock if first else None  # the line opens on the menu
            first = False
            said = yield from self.show(OutputKind.IVR_PROMPT, prompt, "ivr_prompt", at=at)
            # counted from the menu's end: six options take a voice 24 to 28 s to say
            spoken = said.due + speaking_seconds(prompt)
            press = yield from self.wait_for_key(deadline=spoken + ivr.no_input_seconds)
            if press is None:  # no key: as a real line does, say so and play the menu again
                invalid += 1
                if not (yield from self._missed(invalid, PhraseKind.IVR_NO_INPUT)):
                    return None
                continue
            option = menu.option(press.key)
            if press.key == ivr.repeat_key or option is None:
                result: Literal["repeat", "invalid"] = "repeat" if press.key == ivr.repeat_key else "invalid"
                self.record.append("ivr_choices", IvrChoice(press.at, menu.name, press.key, result))
                if result == "invalid":
                    invalid += 1
                    if not (yield from self._missed(invalid, PhraseKind.IVR_INVALID)):
                        return None
                continue
            invalid = 0
            leads: Literal["menu", "route"] = "menu" if option.menu is not None else "route"
            choice = IvrChoice(press.at, menu.name, press.key, leads, option.label)
            self.record.append("ivr_choices", choice)
            if option.menu is not None:
                menu = ivr.menus[option.menu]
                continue
            assert option.intent is not None
            if confirming is None:
                confirming = [
                    IvrMenu(f"{menu.name}-again-{n}", (option,))  # the choice alone, under its own key
                    for n in range(1, self._variant(option.intent).menus + 1)
                ]
            if confirming:
                menu = confirming.pop(0)
                continue
            return option.intent, option.label

    def _wait_for_agent(self, route: Route, index: int) -> Step[bool]:
        """The queue before the first agent, or the hold after a handover; True if held."""
        if self.channel == "email":
            self.answering = self.answering or index > 0  # a new agent writes a new email
            return False
        seconds = route.queue_seconds if index == 0 else route.transfer_hold_seconds
        if seconds <= 0:
            return False
        duration = self.profile.seconds(seconds)
        kind: HoldKind = "queue" if index == 0 else "transfer"
        if kind == "queue":
            line = say(PhraseKind.QUEUE, self.rng, position=route.queue_position)
            queued = yield from self.show(OutputKind.QUEUE_POSITION, line, PhraseKind.QUEUE)
            started = yield from self.status(OutputKind.HOLD_STARTED, at=queued.due)
        else:
            started = yield from self.status(OutputKind.HOLD_STARTED)
        self.record.hold_started(kind, started.due)
        if kind == "queue" and route.queue_position > 1:
            share = (route.queue_position - 1) / route.queue_position
            line = say(PhraseKind.QUEUE_NEXT, self.rng)
            at = started.due + duration * share
            yield from self.show(OutputKind.QUEUE_POSITION, line, PhraseKind.QUEUE_NEXT, at=at)
        ended = yield from self.status(OutputKind.HOLD_ENDED, at=started.due + duration)
        self.record.hold_ended(ended.due)
        return True

    def _join(self, leg: Leg, index: int, *, right_away: bool) -> Step[None]:
        """A named agent takes the contact (as the hold ends, if there was one)."""
        self.agent = self._pick_agent(leg.department, index)
        self.department = leg.department
        self.agents_met.add(self.agent)
        values = {"agent": self.agent, "department": department_name(leg.department)}
        at = self.clock if right_away else None
        if self.channel == "chat":
            text = say(PhraseKind.AGENT_JOINED_CHAT, self.rng, **values)
            joined = yield from self.show(
                OutputKind.SYSTEM, text, PhraseKind.AGENT_JOINED_CHAT, at=at, speaker=True
            )
            self.record.append("agents", AgentJoined(joined.due, self.agent, leg.department))
            yield from self.agent_says(PhraseKind.CHAT_GREETING)
        else:
            joined = yield from self.agent_says(PhraseKind.AGENT_GREETING, at=at, **values)
            self.record.append("agents", AgentJoined(joined.due, self.agent, leg.department))

    def _missed(self, misses: int, phrase: PhraseKind) -> Step[bool]:
        """Say the key was wrong (or none came); after ``invalid_limit`` misses in a row, say
        goodbye and end the call instead (False)."""
        ivr = self.profile.ivr
        assert ivr is not None
        if misses >= ivr.invalid_limit:
            yield from self.system_says(PhraseKind.IVR_GIVE_UP)
            yield from self.end()
            return False
        yield from self.system_says(phrase)
        return True

    def _fields(self, names: tuple[FieldName, ...], intent: Intent | None) -> tuple[FieldName, ...]:
        """The fields a leg asks for, as this channel asks them (``intent`` None: not known yet,
        so the customer is only being found)."""
        if self.channel != "phone" or intent == "order":
            return names
        return tuple(ASKED_ON_A_CALL.get(name, name) for name in names)

    def _remembers(self, name: FieldName) -> bool:
        """Whether the agent takes a field from the customer's earlier contacts, not asking.

        Whether this contact's agent looks back at all is drawn once, the first time an
        earlier contact holds something it is about to ask (so a contact with nothing to
        remember draws nothing, and its phrasing is what it always was).
        """
        if self.customers is None:
            return False
        value = self.customers.remembered(self.contact_id, name)
        if value is None:
            return False
        if self.looks_back is None:
            chance = self.profile.remembers_across_channels
            self.looks_back = chance >= 1 or (chance > 0 and self.rng.random() < chance)
        if not self.looks_back:
            return False
        self.known[name] = value
        self.record.append("remembered", name)
        return True

    def _ask(self, name: FieldName, *, again: bool, at: float | None = None) -> Step[None]:
        """Ask for a field until the answer has the right shape; every request counts.

        On a call, a question met with silence is followed by "Are you still there?" and
        asked again (a request like any other); after ``NO_ANSWER_LIMIT`` in a row the agent
        hangs up (:class:`_CallerSilent`).
        """
        words = field_words(name)
        silences = 0
        while True:
            asked = yield from self._says(PhraseKind.REASK if again else PhraseKind.ASK, at=at, field=words)
            at = None
            self.record.field_asked(name)
            if name in IDENTIFYING_FIELDS and not self.heard_problem:
                self.record.update(identified_before_heard=True)
            if self.customers is not None and self.customers.asked(self.contact_id, name):
                self.record.append("recaptured_across_contacts", name)
            answer = yield from self._answer_to(name, asked)
            if answer is None:
                silences += 1
                if silences >= NO_ANSWER_LIMIT:
                    raise _CallerSilent
                yield from self._says(PhraseKind.NO_ANSWER)
                again = True
                continue
            silences = 0
            value = field_value(name, answer.text)
            if value is not None:
                self.known[name] = value
                if self.customers is not None:
                    self.customers.told(self.contact_id, name, value)
                return
            yield from self._says(PhraseKind.INVALID_VALUE, field=words)
            again = True

    def _answer_to(self, name: FieldName, asked: Output) -> Step[CustomerText | None]:
        """The customer's answer to the question ``asked``; None when a caller said nothing for
        the phone's ``no_answer_seconds`` after it was said (the line waits while it hears
        the caller speak, and while their words are being recognised)."""
        silence = self.settings.no_answer_seconds if self.channel == "phone" else 0.0
        if silence <= 0:
            return (yield from self._wait_for_message(name))
        return (yield from self.text_by(asked.due + speaking_seconds(asked.text) + silence, name))

    def _says(self, phrase: PhraseKind, *, at: float | None = None, **values: str) -> Step[Output]:
        """The agent says it, or the company's bot before anyone has joined."""
        if self.agent is None:
            return (yield from self.system_says(phrase, at=at, **values))
        return (yield from self.agent_says(phrase, at=at, **values))

    def _hold(self, seconds: float) -> Step[None]:
        """ "Please hold": on hold from that sentence until "thank you for holding"."""
        asked = yield from self.agent_says(PhraseKind.PLEASE_HOLD)
        started = yield from self.status(OutputKind.HOLD_STARTED, at=asked.due)
        self.record.hold_started("mid_conversation", started.due)
        end = started.due + self.profile.seconds(seconds)
        ended = yield from self.status(OutputKind.HOLD_ENDED, at=end)
        self.record.hold_ended(ended.due)
        yield from self.agent_says(PhraseKind.THANKS_FOR_HOLDING, at=ended.due)

    def _conference(self, leg: Leg, department: Department, index: int) -> Step[None]:
        """The agent brings a colleague from ``department`` into the contact and stays: the
        colleague says a word as themselves and leaves, and the agent goes on with the leg.
        The customer is handed to nobody, so it is no transfer and the colleague takes no
        contact (not one of the truth's ``agents``)."""
        colleague = self._pick_agent(department, index)
        named = department_name(department)
        said = yield from self.agent_says(PhraseKind.CONFERENCE_INVITE, department=named)
        self.record.append("conferences", Conference(said.due, leg.department, department, colleague))
        host = (self.agent, self.department)
        self.agent, self.department = colleague, department
        yield from self.agent_says(PhraseKind.CONFERENCE_GREETING, agent=colleague)
        self.agent, self.department = host
        yield from self.agent_says(PhraseKind.CONFERENCE_LEFT, agent=colleague)

    def _recite_policy(self, intent: Intent) -> Step[None]:
        """The agent states the company's policy on the customer's problem, and goes on to end
        the leg as it would have: the policy solves nothing."""
        said = yield from self.agent_says(policy_phrase(intent))
        self.record.append("policies_recited", PolicyRecited(said.due, said.text))

    def _hand_over(self, leg: Leg, following: Leg) -> Step[None]:
        """Transfer to another department, or escalate to a supervisor."""
        if leg.ends == "transfer":
            cold = leg.handover == "cold"
            phrase = PhraseKind.COLD_TRANSFER if cold else PhraseKind.WARM_TRANSFER
            to = department_name(following.department)
            said = yield from self.agent_says(phrase, department=to)
            handoff = Handoff(said.due, leg.handover, leg.department, following.department)
            self.record.append("transfers", handoff)
        else:
            said = yield from self.agent_says(PhraseKind.ESCALATION)
            handoff = Handoff(said.due, leg.handover, leg.department, following.department)
            self.record.append("escalations", handoff)

    def _conclude(self, leg: Leg, intent: Intent, problem: str) -> Step[None]:
        """Act (or pretend to), then say so: claim, reference, promise."""
        today = datetime.fromtimestamp(self.clock, tz=UTC).date()
        conclusion = self._decide(leg, intent, problem, today)
        self.concluded = True
        self.record.update(
            action=conclusion.action,
            action_performed=conclusion.action_performed,
            action_result=conclusion.action_result,
        )
        for line in conclusion.lines:
            text = say(line.phrase, self.rng, **line.values)
            said = yield from self.show(OutputKind.AGENT, text, line.phrase, speaker=True)
            if line.role == "claim":
                self.record.update(claimed_outcome=conclusion.outcome, claimed_at=said.due)
            elif line.role == "reference" and line.reference is not None:
                given = ReferenceGiven(said.due, line.reference, conclusion.action_performed)
                self.record.append("references", given)
                if self.channel == "phone":  # said twice, as a number read out on a call is
                    yield from self.agent_says(PhraseKind.REFERENCE_AGAIN, reference=line.reference)
            else:
                promise = PromiseMade(said.due, said.text, conclusion.action_performed)
                self.record.append("promises", promise)
                if line.day is not None:
                    self.promised = (line.day, said.due)

    def _decide(self, leg: Leg, intent: Intent, problem: str, today: date) -> outcomes.Conclusion:
        if leg.ends == "resolve":
            return outcomes.resolve(intent, leg, self.known, problem, self.actions, today)
        if leg.ends == "false_resolve":
            return outcomes.false_resolve(intent, leg, self.known, self.rng, today)
        if leg.ends == "refuse":
            return outcomes.refusal(leg.refusal)
        return outcomes.unresolved()

    def _close(self, route: Route) -> Step[None]:
        """The survey (waiting a while for an answer), goodbye, and the end."""
        if route.survey:
            asked = yield from self.agent_says(PhraseKind.SURVEY)
            self.record.update(satisfaction_asked=True)
            wait = self.profile.seconds(self.settings.survey_wait_seconds)
            if wait > 0:
                deadline = asked.due + wait
                answer = yield WaitForCustomer(TEXT | KEY, deadline=deadline, about="survey")
                if isinstance(answer, CustomerText | KeyPress):
                    typed = isinstance(answer, CustomerText)
                    self.heard(answer.at, typed=typed)
                    said = answer.text if isinstance(answer, CustomerText) else answer.key
                    self.record.update(satisfaction_answer=said)
                    yield from self.agent_says(PhraseKind.SURVEY_THANKS)
                elif answer is not None:
                    self.clock = max(self.clock, answer.at)
        yield from self.agent_says(PhraseKind.CLOSING)
        yield from self.end()

    def _follow_up(self, route: Route, intent: Intent) -> Step[None]:
        """On email, the company writes again on its own once the contact has closed, the
        route's ``follows_up_after_seconds`` after its promise: it closes the loop. Whether
        that was by the promised day is judged at the company's real pace (the delay before
        the time scale), as a customer's calendar would."""
        wait = route.follows_up_after_seconds
        if self.channel != "email" or wait <= 0 or self.promised is None:
            return
        day, promised_at = self.promised
        at = max(self.clock, promised_at + self.profile.seconds(wait))
        self.answering = False
        said = yield from self.agent_says(PhraseKind.FOLLOW_UP, at=at, topic=FOLLOW_UP_TOPICS[intent])
        came_on = (datetime.fromtimestamp(promised_at, tz=UTC) + timedelta(seconds=wait)).date()
        self.record.append("follow_ups", FollowUp(said.due, said.text, day.isoformat(), came_on <= day))

    def _wait_for_message(self, about: str) -> Step[CustomerText]:
        """The customer's next message; on social, the rule of three may follow it."""
        message = yield from self.wait_for_text(about)
        switch_after = self.settings.switch_to_phone_after
        offered = self.record.snapshot().channel_switch_offered_at is not None
        due_for_switch = (
            self.channel == "social"
            and switch_after is not None
            and self.exchanges >= switch_after
            and not offered
            and not self.concluded
        )
        if due_for_switch:
            line = say(PhraseKind.SWITCH_OFFER, self.rng, phone=self.profile.phone_number)
            kind = OutputKind.AGENT if self.agent is not None else OutputKind.SYSTEM
            said = yield from self.show(kind, line, PhraseKind.SWITCH_OFFER, speaker=True)
            self.record.update(
                channel_switch_offered_at=said.due, channel_switch_offered_after=self.exchanges
            )
        return message

    def _pick_agent(self, department: Department, index: int) -> str:
        """The same agent for the same customer and leg, whatever the seed (phrasing varies)."""
        names = self.profile.agents[department]
        fresh = [name for name in names if name not in self.agents_met] or list(names)
        slot = zlib.crc32(f"{self.customer}|{department}|{index}".encode())
        return fresh[slot % len(fresh)]
