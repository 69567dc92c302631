"""The company's phone line, as a company profile's ``[phone]`` table describes it.

A customer calls a number. The harness calls it over SIP, so the profile says how a number
becomes a SIP address (``dial = "sip:{number}@sip.example.com"``: a trunk provider's gateway,
or the company's own PBX), which numbers a run may call at all (a test line, never a person's),
how many live calls one run may place, whether calls may be recorded (consent: off unless the
profile says the company agreed), and who the harness calls as: a direct call from a SIP
address, or an account registered with a provider, whose password comes from ``${NAME}``.
Emergency and premium-rate numbers are refused whatever the profile says.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from journeys.company.mail import server_said
from journeys.errors import CompanyProfileError

Transport = Literal["udp", "tcp"]
EmailSpelling = Literal["words", "phonetic"]

EMERGENCY = frozenset({"000", "100", "101", "102", "108", "110", "111", "112", "118", "119", "911", "999"})
"""Emergency numbers of many countries: never dialled, even from a profile's allow-list."""
PREMIUM_NATIONAL: tuple[str, ...] = ("09", "0871", "0872", "0873", "089", "1900", "1976", "900", "976")
"""Premium-rate ranges as dialled at home: UK, Germany, the Netherlands 09.., UK 0871-3, France
089, North America (1-)900 and (1-)976: a test must not cost anyone money by the minute."""
PREMIUM_INTERNATIONAL: tuple[str, ...] = (
    *("1900", "1976", "449", "44871", "44872", "44873", "49900", "31900", "3389"),
)
"""The same ranges after a country code (``+44 9..``, ``+49 900``...)."""
SHORT_CODE_DIGITS = 4
"""Numbers this short are service codes (emergency, operator, voicemail): never dialled."""


@dataclass(frozen=True)
class SipLogin:
    """An account with a SIP provider or PBX: who the harness calls as.

    Attributes:
        user: the account's user (often a number).
        domain: its SIP domain (``sip.provider.example``).
        registrar: where it registers and sends every call (``sip:sip.provider.example:5060``).
        password: from the profile's ``${NAME}``; never in a repr, a message or a log.
        secret_name: that ``NAME``, so that an error can say which variable to fix.
        register: whether to REGISTER before calling (providers that only challenge each
            INVITE need not).
    """

    user: str
    domain: str
    registrar: str
    password: str = field(repr=False)
    secret_name: str = ""
    register: bool = True

    def fix(self) -> str:
        """How to fix a refused login, naming the variable rather than the password."""
        where = f" (${{{self.secret_name}}})" if self.secret_name else ""
        return f"check the SIP user {self.user!r} at {self.domain} and its password{where}"


@dataclass(frozen=True)
class PhoneSpec:
    """``[phone]``: the company's line and how the harness reaches it.

    Attributes:
        number: the number customers call, as the company prints it ("0800 555 0199").
        dial: the SIP address a number is called at; ``{number}`` is its digits (a leading
            ``+`` kept), ``{server.NAME}`` what the company's local server said.
        numbers: every number a run may call (the allow-list); ``number`` is always one.
        transport: SIP over ``udp`` or ``tcp``.
        login: the account to call as; None: a direct call, from ``caller``'s address.
        caller: the user part the harness calls from when it has no account (the persona's
            number when empty), on its own host.
        call_budget: live calls one run may place; the next is refused before dialling.
        record: record each call for the report's player. Recording a call needs the
            consent the law of the company's country asks for: off unless the profile says so.
        voice: the synthetic voice the customer speaks with (a ``flite`` voice).
        email_spelling: how the customer says an e-mail address: ``words`` (the parts that are
            words said whole, the rest letter by letter) or ``phonetic`` (every letter before
            the "@" with the phonetic alphabet, "alpha bravo", as agents ask to hear it spelt).
        answer_timeout: seconds the line may stay silent while the customer waits (hold
            music is not silence); None: the conversation's default.
        words: words and phrases the company says (menu words, names) that help the recogniser.
        recogniser: a local speech model's folder, or ``module:Class``; None: the bundled one.
        phrases: the file of the lines the company's menu and agents say (``[phone] phrases``,
            one per line), read when a call needs them (:meth:`lines`): the recogniser expects
            those words in that order, which is what makes a telephone line's speech readable.
        patterns: ``[phone.patterns]``: how the line's words read once heard, where they differ
            from ``[conversation.patterns]`` (speech has no punctuation and no capitals: these
            match regardless of case).
    """

    number: str
    dial: str
    numbers: tuple[str, ...] = ()
    transport: Transport = "udp"
    login: SipLogin | None = None
    caller: str = ""
    call_budget: int = 20
    record: bool = False
    voice: str = "slt"
    email_spelling: EmailSpelling = "words"
    answer_timeout: float | None = None
    words: tuple[str, ...] = ()
    recogniser: str | None = None
    phrases: Path | None = None
    patterns: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    written_at: str = ""

    def started(self, said: Mapping[str, str]) -> PhoneSpec:
        """The table once the company's local server said where its line listens."""
        return dataclasses.replace(self, dial=server_said(self.dial, said))

    def lines(self) -> tuple[str, ...]:
        """The company's lines from the ``phrases`` file (none without one).

        Raises:
            CompanyProfileError: the file cannot be read (named with where the profile says it).
        """
        if self.phrases is None:
            return ()
        try:
            text = self.phrases.read_text(encoding="utf-8")
        except OSError as error:
            raise CompanyProfileError(
                f"{self.written_at}: phone.phrases: cannot read {self.phrases} ({error.strerror}):"
                " a text file beside the profile, one line the company says per line"
            ) from None
        return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))

    def address_of(self, number: str) -> str:
        """The SIP address a number is called at."""
        return self.dial.replace("{number}", digits_of(number))

    def may_dial(self, number: str) -> str | None:
        """Why the number must not be called, or None when it may be."""
        refused = never_dialled(number)
        if refused is not None:
            return refused
        allowed = {digits_of(known) for known in (self.number, *self.numbers)}
        if digits_of(number) not in allowed:
            return f"{number} is not among the numbers [phone] lets a run call ({', '.join(sorted(allowed))})"
        return None


def digits_of(number: str) -> str:
    """A number as dialled: its digits, with a leading ``+`` kept ("+44 20 7946 0000" -> "+442079460000")."""
    digits = re.sub(r"\D", "", number)
    return "+" + digits if number.strip().startswith("+") else digits


def never_dialled(number: str) -> str | None:
    """Why a number is never called (emergency, premium rate, a service code), or None."""
    dialled = digits_of(number)
    international = dialled.startswith("+") or dialled.startswith("00")
    bare = dialled.lstrip("+").removeprefix("00") if international else dialled
    if bare in EMERGENCY:
        return f"{number} is an emergency number: never called"
    if len(bare) <= SHORT_CODE_DIGITS:
        return f"{number} is a service code, not a company's line: never called"
    if bare.startswith(PREMIUM_INTERNATIONAL if international else PREMIUM_NATIONAL):
        return f"{number} is a premium-rate number: never called"
    return None
