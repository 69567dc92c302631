"""Company profiles: how the harness reaches and reads one company.

A profile is ``companies/<name>.toml``. It names the company, where it is, which
hosts a journey may touch, how to start a local server for it (the sandbox has
one), and per channel the locators and text patterns that turn what a customer
sees into events. Values may come from the environment as ``${NAME}``; such
values are secrets, gathered in :attr:`CompanyProfile.secrets`, whose
:meth:`~journeys.domain.secrets.Secrets.scrub` removes them from anything the
harness writes. An error about such a value shows ``${NAME}``, never the value.

Every problem is a :class:`~journeys.errors.CompanyProfileError` of one line:
``companies/acme.toml:12: web.locators.checkout: unknown key 'rol' (did you mean 'role'?)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from journeys.company.customers import PURCHASE_AGE_TOLERANCE, PastPurchase, ReturningCustomer
from journeys.company.flows import Flows, read_flows, read_page_objects
from journeys.company.mail import ADDRESS, MailLogin, MailSpec, server_address
from journeys.company.phone import PhoneSpec, SipLogin, never_dialled
from journeys.domain.secrets import NO_SECRETS, Secrets
from journeys.domain.shopper import COUNTRY_LOCALES, Shopper
from journeys.errors import CompanyProfileError
from journeys.tomllines import KeyLines, read_toml, shown_path

SERVER_URL_PLACEHOLDER = "{server_url}"

# Patterns a web task reads what the shop said with, when the profile writes its flow.
WEB_TASK_PATTERNS: dict[str, tuple[str, ...]] = {
    "cancel_order": ("cancel_confirmed",),
}
WRITTEN_PATTERNS: tuple[str, ...] = (
    "agent_joined",
    "transferred",
    "escalated",
    "info_requested",
    "reference_given",
    "promise_made",
    "outcome_resolved",
    "outcome_not_resolved",
    "satisfaction_check",
)
LIVE_PATTERNS: tuple[str, ...] = (*WRITTEN_PATTERNS, "hold_started", "hold_ended", "ended")
CHANNEL_PATTERNS: dict[str, tuple[str, ...]] = {
    "email": WRITTEN_PATTERNS,
    "chat": LIVE_PATTERNS,
    "social": (*LIVE_PATTERNS, "channel_switch_offered"),
    "phone": (*LIVE_PATTERNS, "menu_prompt", "menu_option"),
    "desk": WRITTEN_PATTERNS,
}
"""The ``[conversation.patterns]`` a journey on each channel reads the company with: a mail
has no hold music or keypad menu, and only a social thread is moved to another channel."""
DECLINED_PATTERN = "outcome_declined"
"""Optional, on every channel: the words of a definitive no that states its reason ("the
warranty on this item has expired"), as against a put-off ("please call back"). Only such
a no can be an honest answer; without the pattern, every no the company states counts."""
POLICY_PATTERN = "policy_recited"
"""Optional, on every channel: the words of an agent reciting a policy of the company's ("Our
policy is that returns must be ...") where the customer came to have a problem solved. Without
the pattern no recital is seen: a company that recites policy is not told from one that does
not."""
CONFERENCE_PATTERN = "conferenced"
"""Optional, on every channel, and in ``[phone.patterns]`` too: the words of an agent who brings a
colleague or another department into the contact and stays ("Let me bring Orders into this
conversation; I'll stay with you"), told apart from a transfer. Without it, no conference is
seen."""
FOLLOW_UP_PATTERN = "followed_up"
"""Optional: the words of a mail the company writes on its own after an e-mail contact has
closed, about what it promised ("Following up as promised: your refund is on track"). Read only
when a journey looks for a follow-up; without it none is seen, and the follow-up is not measured."""
MEASURED_BY_OPTIONAL_PATTERN: dict[str, tuple[str, ...]] = {
    POLICY_PATTERN: ("policy_recitals",),
    CONFERENCE_PATTERN: ("conferences",),
}
"""The metrics an optional pattern alone reads: where a profile does not write it, a contact
does not measure them (null, and the rubric's criteria on them drop out), rather than count
none and score the company as if it had been seen doing without. ``followed_up`` is measured
only where a journey looks for a follow-up, which it cannot without the pattern."""


def unmeasured_metrics(patterns: Mapping[str, object]) -> frozenset[str]:
    """The metrics a contact read by these patterns cannot measure: those whose optional
    pattern is missing (:data:`MEASURED_BY_OPTIONAL_PATTERN`)."""
    return frozenset(
        metric
        for pattern, metrics in MEASURED_BY_OPTIONAL_PATTERN.items()
        if pattern not in patterns
        for metric in metrics
    )


CONVERSATION_PATTERNS: tuple[str, ...] = (
    *dict.fromkeys(name for names in CHANNEL_PATTERNS.values() for name in names),
    DECLINED_PATTERN,
    POLICY_PATTERN,
    CONFERENCE_PATTERN,
    FOLLOW_UP_PATTERN,
)
"""Every pattern ``[conversation.patterns]`` may write: those of some channel, and the optional ones."""
# The locators each conversational channel's page object looks up.
CHANNEL_LOCATORS: dict[str, tuple[str, ...]] = {
    "chat": ("open", "name", "email", "start", "transcript", "message", "send", "end"),
    "social": ("handle", "sign_in", "transcript", "message", "send"),
}
CHANNEL_PAGES: dict[str, tuple[str, ...]] = {
    "chat": ("start",),
    "social": ("start", "messages"),
}
LOCATOR_STRATEGIES: tuple[str, ...] = ("role", "label", "text", "placeholder", "test_id", "css")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
"""``${NAME}``, or ``${NAME:-default}`` for a value a demo can do without (still a secret)."""


@dataclass(frozen=True)
class LocatorSpec:
    """How to find one thing on a page; prefer roles and accessible names over CSS.

    ``value`` and ``name`` may hold placeholders such as ``{product}``; with
    ``regex`` the name is a regular expression and substituted values are escaped.
    ``has_text`` keeps only matches that contain a text; ``within`` looks inside
    another locator's first match (a button inside the card whose heading names a
    shipping method); ``frame`` looks inside an iframe (a vendor's chat widget),
    given by a CSS selector.
    """

    strategy: str
    value: str
    name: str | None = None
    exact: bool = False
    regex: bool = False
    include_hidden: bool = False
    has_text: str | None = None
    within: LocatorSpec | None = None
    frame: str | None = None

    def filled(self, **values: str) -> LocatorSpec:
        """This locator with its ``{placeholders}`` replaced."""

        def fill(text: str | None, escape: bool) -> str | None:
            if text is None:
                return None
            for key, value in values.items():
                text = text.replace("{" + key + "}", re.escape(value) if escape else value)
            return text

        return dataclasses.replace(
            self,
            value=fill(self.value, self.regex) or "",
            name=fill(self.name, self.regex),
            has_text=fill(self.has_text, False),
            within=self.within.filled(**values) if self.within else None,
        )

    def describe(self) -> str:
        """The locator as a person reads it: ``role=button name='Place order'``."""
        text = f"{self.strategy}={self.value!r}" + (f" name={self.name!r}" if self.name is not None else "")
        if self.has_text:
            text += f" has_text={self.has_text!r}"
        if self.within:
            text += f" within ({self.within.describe()})"
        if self.frame:
            text += f" in frame {self.frame!r}"
        return text


@dataclass(frozen=True)
class ServerSpec:
    """A local server the harness starts before the journeys (the sandbox has one)."""

    command: tuple[str, ...]
    ready_pattern: re.Pattern[str]
    default_profile: str | None
    startup_timeout: float
    written_at: str = ""
    """Where ``command`` is written (``companies/acme.toml:17``), for a command that will not start."""


@dataclass(frozen=True)
class WebSpec:
    """The web shop: its flows, and the pages, locators and patterns they name.

    Everything is optional but what the journeys use: a task the profile writes no
    flow for is one the company does not offer on the web (``check`` says so before
    a run). ``test_card`` is for shops that take a card; a shop paid on delivery
    writes none.
    """

    timeout: float
    pages: Mapping[str, str]
    locators: Mapping[str, LocatorSpec]
    patterns: Mapping[str, re.Pattern[str]]
    flows: Flows = field(default_factory=Flows)
    test_card: str | None = None
    card_expiry: str = "12/34"
    card_cvc: str = "123"
    shipping_methods: tuple[str, ...] = ()
    """The shop's shipping methods as checkout names them; empty when the profile does not say.

    Only ``mystery-shopper check`` reads them, so a feature file's typo is caught before a run.
    """
    written_at: str = ""
    """Where ``[web]`` is written, for a message about a task it lacks."""


@dataclass(frozen=True)
class ConversationSpec:
    r"""How to read what the company says on its conversational channels.

    Attributes:
        patterns: per event, the regular expressions that recognise it in one line.
        fields: the company's words for each field it asks about -> the field's name.
        answer_timeout: seconds the company may stay silent while the customer waits,
            before the journey is broken.
        settle_seconds: after the outcome, how long the customer waits for more.
        max_answers: how many times the customer answers one question before giving up.
        entry / text / customer_speaker: how one transcript line is marked up (CSS inside
            the transcript; the speaker value of the customer's own lines).
        speaker_attribute / speaker_class / speaker_pattern: where a line's speaker is
            written: an attribute of the line, its class (a pattern whose ``speaker`` group
            is the speaker: ``msg--(?P<speaker>\w+)``), or its text (a pattern at the
            start of the text, removed from the words: ``^(?P<speaker>[^:]+):\s*``).
        time / time_attribute / time_format: when the page says a line was written (CSS
            inside the line, its attribute, a ``strftime`` format); without them, a line's
            time is when the page showed it.
        known_lines: what the company is known to say, a line each (the phone's
            ``phrases`` file): a menu option heard as one of these lines is read as it says.
        order_number: what an order number looks like among the references the company
            gives (``BL-\d{6}``, matched whole); without it, an order placed in a
            conversation is the first reference the company gave there.
    """

    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    fields: Mapping[str, str]
    answer_timeout: float
    settle_seconds: float
    max_answers: int
    entry: str = ""
    speaker_attribute: str | None = None
    text: str = ""
    customer_speaker: str = "customer"
    speaker_class: re.Pattern[str] | None = None
    speaker_pattern: re.Pattern[str] | None = None
    time: str | None = None
    time_attribute: str | None = None
    time_format: str | None = None
    known_lines: tuple[str, ...] = ()
    order_number: re.Pattern[str] | None = None

    def order_number_among(self, references: list[str]) -> str | None:
        """The order number among the references a conversation gave, by the profile's pattern:
        the one given most often, the first of those. A number read out twice on a call and
        heard alike both times is the surer reading; a digit misheard in one leaves the other."""
        pattern = self.order_number
        fitting = [ref for ref in references if pattern is None or pattern.fullmatch(ref)]
        if not fitting:
            return None
        return max(fitting, key=lambda ref: (fitting.count(ref), -fitting.index(ref)))


@dataclass(frozen=True)
class DeskSpec:
    """``[desk]``: a support desk, reached through its form, followed on its ticket page.

    The form and the reply are flows (``write_to_desk``, ``reply_on_desk`` in ``[web.flows]``);
    this table says how the ticket page is read as a transcript and how long to wait.

    Attributes:
        transcript: the ticket page's entries as ``[conversation.transcript]`` reads a chat's
            (``entry``, ``text``, ``customer``, the speaker, the time), applied to it.
        topics: the form's topic (queue) for what the customer wants (``warranty = "Repairs"``).
        answer_timeout: seconds the desk may take to answer; past them, a finding.
        poll_seconds: how often the customer looks at the ticket page again.
    """

    transcript: Mapping[str, Any]
    topics: Mapping[str, str]
    answer_timeout: float = 4 * 3600.0
    poll_seconds: float = 60.0
    written_at: str = ""


@dataclass(frozen=True)
class ChannelSpec:
    """One conversational channel's pages and locators."""

    pages: Mapping[str, str]
    locators: Mapping[str, LocatorSpec]
    timeout: float
    poll_seconds: float
    answer_timeout: float | None = None


@dataclass(frozen=True)
class CompanyProfile:
    """One company, as read from its profile file."""

    key: str
    name: str
    path: Path
    base_url: str
    allowed_hosts: tuple[str, ...]
    server: ServerSpec | None
    web: WebSpec | None
    conversation: ConversationSpec | None = None
    channels: Mapping[str, ChannelSpec] = field(default_factory=dict)
    mail: MailSpec | None = None
    """The customer's test mailbox, for journeys by e-mail."""
    desk: DeskSpec | None = None
    """The support desk's ticket page, for journeys through its form."""
    phone: PhoneSpec | None = None
    """The company's phone line, for journeys by phone."""
    returning_customers: tuple[ReturningCustomer, ...] = ()
    countries: tuple[str, ...] = ("United States",)
    """Where the company's customers live; each journey's persona lives in one of them."""
    purchase_age_tolerance: int = PURCHASE_AGE_TOLERANCE
    """Days a returning customer's purchase "about N days ago" may be off by."""
    secrets: Secrets = NO_SECRETS
    """The values its ``${NAME}`` references took: the one place a run knows its secrets."""
    key_lines: KeyLines | None = field(default=None, repr=False, compare=False)

    def place(self, dotted: str) -> str:
        """Where a key is written, for a message: ``companies/acme.toml:3`` (the file alone if unknown)."""
        return _place(self.path, self.key_lines, dotted)

    def conversation_on(self, channel: str) -> ConversationSpec | None:
        """How a contact on ``channel`` reads the company: ``[conversation]``, and on the phone
        the line's words as heard (``[phone.patterns]`` over its patterns, its known lines)."""
        spec = self.conversation
        if spec is None or channel != "phone" or self.phone is None:
            return spec
        return dataclasses.replace(
            spec, patterns={**spec.patterns, **self.phone.patterns}, known_lines=self.phone.lines()
        )

    def with_base_url(self, url: str, said: Mapping[str, str] | None = None) -> CompanyProfile:
        """The profile once its local server is up and its address known.

        Args:
            url: where the server listens.
            said: what else its ready line said, by named group (``{server.imap}``).

        Raises:
            CompanyProfileError: the server's host is not in ``allowed_hosts``: every
                request of every journey would be blocked.
        """
        started = dataclasses.replace(
            self,
            base_url=self.base_url.replace(SERVER_URL_PLACEHOLDER, url.rstrip("/")),
            mail=self.mail.started(said or {}) if self.mail else None,
            phone=self.phone.started(said or {}) if self.phone else None,
        )
        problem = started.host_not_allowed()
        if problem:
            raise CompanyProfileError(problem)
        return started

    def host_not_allowed(self) -> str | None:
        """Why journeys could not reach ``base_url`` past the allow-list; None when they can.

        A journey's browser blocks every host outside ``allowed_hosts``, so a base_url
        outside it would break every journey at its first page, one by one.
        """
        if SERVER_URL_PLACEHOLDER in self.base_url:
            return None  # known once the server says where it listens
        host = urlsplit(self.base_url).hostname or ""
        if host in self.allowed_hosts:
            return None
        allowed = ", ".join(self.allowed_hosts) or "none"
        return (
            f"{self.place('allowed_hosts')}: allowed_hosts: the host of base_url {self.base_url} ({host}) "
            f"is not in allowed_hosts (now: {allowed}); add {host!r} to allowed_hosts, or fix base_url"
        )


def _place(path: Path, key_lines: KeyLines | None, dotted: str) -> str:
    """Where a dotted key (``web.locators.cart``, ``purchases.0``) is written: ``file:line``,
    or the file alone when the key is not written (nor any parent of it) or none is named."""
    parts = tuple(int(part) if part.isdigit() else part for part in dotted.split("."))
    line = key_lines.line_of(parts) if key_lines is not None and dotted else None
    return f"{shown_path(path)}:{line}" if line else str(shown_path(path))


class _Reader:
    """Walks a parsed profile, checking keys and types, naming file:line on errors."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = shown_path(path)
        self.folder = path.parent
        self.key_lines = KeyLines(text)
        self.secrets = NO_SECRETS

    def place(self, dotted: str) -> str:
        """Where a dotted key (or its nearest written parent) is: ``companies/acme.toml:3``."""
        return _place(self.path, self.key_lines, dotted)

    def fail(self, dotted: str, problem: str) -> CompanyProfileError:
        where = self.place(dotted)
        subject = f" {dotted}:" if dotted else ""
        # A value read from the environment is shown as the ${NAME} it was written as.
        return CompanyProfileError(self.secrets.scrub(f"{where}:{subject} {problem}"))

    def table(
        self,
        data: Mapping[str, Any],
        where: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> None:
        """Check that a table has its required keys and nothing unknown."""
        known = required + optional
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"
                raise self.fail(_join(where, key), f"unknown key '{key}'{hint}")
        for key in required:
            if key not in data:
                target = where or key
                raise self.fail(target, f"missing key '{_join(where, key)}'")

    def string(self, data: Mapping[str, Any], where: str, key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise self.fail(_join(where, key), f"must be a string, not {type(value).__name__}")
        return self.interpolate(value, _join(where, key))

    def patterns(self, data: Mapping[str, Any], where: str, key: str) -> tuple[re.Pattern[str], ...]:
        """One regular expression or a list of them."""
        value = data.get(key)
        texts = [value] if isinstance(value, str) else value
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise self.fail(_join(where, key), "must be a regular expression or a list of them")
        compiled = []
        for index, text in enumerate(texts):
            try:
                compiled.append(re.compile(text))
            except re.error as error:
                which = f" (item {index + 1})" if len(texts) > 1 else ""
                raise self.fail(
                    _join(where, key), f"not a valid regular expression{which} ({error}): {text!r}"
                ) from error
        return tuple(compiled)

    def secret(self, data: Mapping[str, Any], where: str, key: str, example: str) -> tuple[str, str]:
        """A password, which must come from the environment: its value and the variable's name."""
        value = self.string(data, where, key)
        if "${" not in str(data[key]):
            raise self.fail(
                _join(where, key),
                f'must come from the environment, e.g. {key} = "${{{example}}}", never be written here',
            )
        names = [name for name, secret in self.secrets.values.items() if secret == value]
        return value, names[0] if names else ""

    def number(self, data: Mapping[str, Any], where: str, key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.fail(_join(where, key), f"must be a positive number, not {value!r}")
        return float(value)

    def strings(self, data: Mapping[str, Any], where: str, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(_join(where, key), "must be a list of strings")
        return tuple(self.interpolate(item, _join(where, key)) for item in value)

    def pages(self, data: Mapping[str, Any], where: str) -> dict[str, str]:
        """Page paths, which the channels append to ``base_url``: each starts with ``/``."""
        pages = {key: self.string(data, where, key) for key in data}
        for key, path in pages.items():
            if not path.startswith("/"):
                raise self.fail(
                    _join(where, key), f"must be a path on the company's site starting with '/', not {path!r}"
                )
        return pages

    def pattern(self, data: Mapping[str, Any], where: str, key: str) -> re.Pattern[str]:
        text = self.string(data, where, key)
        try:
            return re.compile(text)
        except re.error as error:
            raise self.fail(
                _join(where, key), f"not a valid regular expression ({error}): {text!r}"
            ) from error

    def interpolate(self, value: str, where: str) -> str:
        def substitute(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name not in os.environ and default is None:
                raise self.fail(where, f"uses ${{{name}}}, which is not set; export {name} before running")
            secret = os.environ.get(name) or default or ""  # as a shell's ${NAME:-default}
            if not secret.strip():
                raise self.fail(where, f"uses ${{{name}}}, which is set but empty; give {name} a value")
            self.secrets = self.secrets.with_value(name, secret)
            return secret

        return _ENV_REFERENCE.sub(substitute, value)

    def locator(self, data: Any, where: str) -> LocatorSpec:
        if not isinstance(data, dict):
            raise self.fail(where, 'must be a table such as { role = "button", name = "Buy" }')
        self.table(
            data,
            where,
            (),
            (*LOCATOR_STRATEGIES, "name", "exact", "regex", "include_hidden", "has_text", "within", "frame"),
        )
        strategies = [key for key in LOCATOR_STRATEGIES if key in data]
        if len(strategies) != 1:
            raise self.fail(
                where,
                f"needs exactly one of {', '.join(LOCATOR_STRATEGIES)} (found {len(strategies)})",
            )
        strategy = strategies[0]
        for flag in ("exact", "regex", "include_hidden"):
            if flag in data and not isinstance(data[flag], bool):
                raise self.fail(_join(where, flag), "must be true or false")
        name = self.string(data, where, "name") if "name" in data else None
        if name is not None and strategy != "role":
            raise self.fail(_join(where, "name"), "only goes with 'role'")
        if data.get("regex"):
            for text in (name, data[strategy]):
                try:
                    re.compile(text or "")
                except re.error as error:
                    raise self.fail(where, f"not a valid regular expression ({error})") from error
        return LocatorSpec(
            strategy=strategy,
            value=self.string(data, where, strategy),
            name=name,
            exact=bool(data.get("exact", False)),
            regex=bool(data.get("regex", False)),
            include_hidden=bool(data.get("include_hidden", False)),
            has_text=self.string(data, where, "has_text") if "has_text" in data else None,
            within=self.locator(data["within"], _join(where, "within")) if "within" in data else None,
            frame=self.string(data, where, "frame") if "frame" in data else None,
        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _read_server(reader: _Reader, data: Mapping[str, Any]) -> ServerSpec:
    reader.table(data, "server", ("command", "ready_pattern"), ("default_profile", "startup_timeout"))
    pattern = reader.pattern(data, "server", "ready_pattern")
    if "url" not in pattern.groupindex:
        raise reader.fail("server.ready_pattern", "needs a named group (?P<url>...) for the address")
    return ServerSpec(
        command=reader.strings(data, "server", "command"),
        ready_pattern=pattern,
        default_profile=(
            reader.string(data, "server", "default_profile") if "default_profile" in data else None
        ),
        startup_timeout=reader.number(data, "server", "startup_timeout", 30.0),
        written_at=reader.place("server.command"),
    )


def _read_web(reader: _Reader, data: Mapping[str, Any]) -> WebSpec:
    reader.table(
        data,
        "web",
        (),
        (
            "flows",
            "page_objects",
            "pages",
            "locators",
            "patterns",
            "test_card",
            "card_expiry",
            "card_cvc",
            "timeout",
            "shipping_methods",
        ),
    )
    for section in ("pages", "locators", "patterns"):
        if not isinstance(data.get(section, {}), dict):
            raise reader.fail(f"web.{section}", "must be a table")
    pages = reader.pages(data.get("pages", {}), "web.pages")
    locators = {
        key: reader.locator(value, f"web.locators.{key}") for key, value in data.get("locators", {}).items()
    }
    patterns = {
        key: reader.pattern(data["patterns"], "web.patterns", key) for key in data.get("patterns", {})
    }
    flows = read_flows(
        reader,
        data.get("flows", {}),
        locators=locators,
        patterns=patterns,
        pages=pages,
        has_card="test_card" in data,
    )
    if "page_objects" in data:
        module = Path(reader.string(data, "web", "page_objects"))
        module = module if module.is_absolute() else reader.folder / module
        flows = read_page_objects(reader, module, "web.page_objects", flows)
    elif "flows" not in data:
        raise reader.fail(
            "web",
            "missing key 'web.flows': write what a customer does on the site, e.g."
            ' place_order = [ { go = "/" }, ... ] (see docs/describe-your-company.md)',
        )
    for task, needed in WEB_TASK_PATTERNS.items():
        for name in needed:
            if task in flows and name not in patterns:
                raise reader.fail(
                    "web.patterns",
                    f"missing key 'web.patterns.{name}': the {task} flow's answer is judged by it",
                )
    return WebSpec(
        timeout=reader.number(data, "web", "timeout", 10.0),
        pages=pages,
        locators=locators,
        patterns=patterns,
        flows=flows,
        test_card=reader.string(data, "web", "test_card") if "test_card" in data else None,
        card_expiry=reader.string(data, "web", "card_expiry", "12/34"),
        card_cvc=reader.string(data, "web", "card_cvc", "123"),
        shipping_methods=_read_shipping_methods(reader, data),
        written_at=reader.place("web"),
    )


def _read_tolerance(reader: _Reader, data: Mapping[str, Any]) -> int:
    value = data["purchase_age_tolerance"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise reader.fail("purchase_age_tolerance", f"must be a whole number of days, not {value!r}")
    return value


def _read_countries(reader: _Reader, data: Mapping[str, Any]) -> tuple[str, ...]:
    """``countries``: where personas live, so an address fits the forms (a UK postcode...)."""
    countries = reader.strings(data, "", "countries")
    if not countries:
        raise reader.fail("countries", 'must name at least one country, e.g. ["United States"]')
    for country in countries:
        if country not in COUNTRY_LOCALES:
            close = difflib.get_close_matches(country, COUNTRY_LOCALES, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise reader.fail(
                "countries", f"no persona can live in {country!r}: {hint}known: {', '.join(COUNTRY_LOCALES)}"
            )
    return countries


def _read_shipping_methods(reader: _Reader, data: Mapping[str, Any]) -> tuple[str, ...]:
    if "shipping_methods" not in data:
        return ()
    methods = reader.strings(data, "web", "shipping_methods")
    if not methods or not all(method.strip() for method in methods):
        raise reader.fail("web.shipping_methods", 'must list the method names, e.g. ["Standard", "Express"]')
    repeated = sorted({method for method in methods if methods.count(method) > 1})
    if repeated:
        raise reader.fail("web.shipping_methods", f"lists {', '.join(map(repr, repeated))} more than once")
    return methods


def _read_conversation(reader: _Reader, data: Mapping[str, Any]) -> ConversationSpec:
    reader.table(
        data,
        "conversation",
        ("patterns", "fields"),
        ("transcript", "answer_timeout", "settle_seconds", "max_answers", "order_number"),
    )
    for section in ("patterns", "fields", "transcript"):
        if not isinstance(data.get(section, {}), dict):
            raise reader.fail(f"conversation.{section}", "must be a table")
    patterns, fields = data["patterns"], data["fields"]
    # Only what the journeys use: `check` names a channel's missing pattern before a run.
    reader.table(patterns, "conversation.patterns", (), CONVERSATION_PATTERNS)
    spec = ConversationSpec(
        patterns={key: reader.patterns(patterns, "conversation.patterns", key) for key in patterns},
        fields={words.casefold(): name for words, name in fields.items()},
        answer_timeout=reader.number(data, "conversation", "answer_timeout", 120.0),
        settle_seconds=reader.number(data, "conversation", "settle_seconds", 5.0),
        max_answers=_read_max_answers(reader, data),
        order_number=reader.pattern(data, "conversation", "order_number") if "order_number" in data else None,
    )
    for words, name in fields.items():
        if not isinstance(name, str):
            raise reader.fail(f"conversation.fields.{words}", "must name a field, e.g. order_number")
    if "transcript" not in data:
        return spec
    transcript = _read_transcript(reader, data["transcript"], "conversation.transcript")
    return dataclasses.replace(spec, **transcript)


def _read_transcript(reader: _Reader, transcript: Any, where: str) -> dict[str, Any]:
    """How a page's transcript is marked up: a line, its words, who wrote it, and when."""
    if not isinstance(transcript, dict):
        raise reader.fail(where, "must be a table: entry, text, customer, and where the speaker is written")
    reader.table(
        transcript,
        where,
        ("entry", "text", "customer"),
        ("speaker_attribute", "speaker_class", "speaker_pattern", "time", "time_attribute", "time_format"),
    )
    speakers = [key for key in ("speaker_attribute", "speaker_class", "speaker_pattern") if key in transcript]
    if len(speakers) != 1:
        raise reader.fail(
            where,
            "needs exactly one of speaker_attribute, speaker_class or speaker_pattern"
            f" (found {len(speakers)}): where a line says who wrote it",
        )
    for key in ("speaker_class", "speaker_pattern"):
        if key in transcript and "speaker" not in reader.pattern(transcript, where, key).groupindex:
            raise reader.fail(f"{where}.{key}", "needs a named group (?P<speaker>...)")
    if ("time_attribute" in transcript) != ("time_format" in transcript):
        raise reader.fail(
            where,
            'time_attribute and time_format go together (e.g. "datetime", "%Y-%m-%dT%H:%M:%S%z")',
        )

    def optional(key: str) -> str | None:
        return reader.string(transcript, where, key) if key in transcript else None

    def optional_pattern(key: str) -> re.Pattern[str] | None:
        return reader.pattern(transcript, where, key) if key in transcript else None

    return dict(
        entry=reader.string(transcript, where, "entry"),
        speaker_attribute=optional("speaker_attribute"),
        text=reader.string(transcript, where, "text"),
        customer_speaker=reader.string(transcript, where, "customer"),
        speaker_class=optional_pattern("speaker_class"),
        speaker_pattern=optional_pattern("speaker_pattern"),
        time=optional("time"),
        time_attribute=optional("time_attribute"),
        time_format=optional("time_format"),
    )


def _read_max_answers(reader: _Reader, data: Mapping[str, Any]) -> int:
    max_answers = data.get("max_answers", 4)
    if isinstance(max_answers, bool) or not isinstance(max_answers, int) or max_answers < 1:
        raise reader.fail("conversation.max_answers", "must be a whole number of at least 1")
    return max_answers


def _read_channel(reader: _Reader, name: str, data: Any) -> ChannelSpec:
    if not isinstance(data, dict):
        raise reader.fail(name, "must be a table")
    reader.table(data, name, ("pages", "locators"), ("timeout", "poll_seconds", "answer_timeout"))
    pages, locators = data["pages"], data["locators"]
    for section, value in (("pages", pages), ("locators", locators)):
        if not isinstance(value, dict):
            raise reader.fail(f"{name}.{section}", "must be a table")
    reader.table(pages, f"{name}.pages", CHANNEL_PAGES[name])
    reader.table(locators, f"{name}.locators", CHANNEL_LOCATORS[name])
    return ChannelSpec(
        pages=reader.pages(pages, f"{name}.pages"),
        locators={
            key: reader.locator(locators[key], f"{name}.locators.{key}") for key in CHANNEL_LOCATORS[name]
        },
        timeout=reader.number(data, name, "timeout", 10.0),
        poll_seconds=reader.number(data, name, "poll_seconds", 1.0),
        answer_timeout=(
            reader.number(data, name, "answer_timeout", 1.0) if "answer_timeout" in data else None
        ),
    )


DESK_INTENTS: tuple[str, ...] = ("order", "cancel", "return", "repair", "warranty", "enquiry")


def _read_desk(reader: _Reader, data: Any) -> DeskSpec:
    """``[desk]``: how the ticket page reads, the form's topics, and the waits."""
    if not isinstance(data, dict):
        raise reader.fail("desk", "must be a table: transcript, topics")
    reader.table(data, "desk", ("transcript", "topics"), ("answer_timeout", "poll_seconds"))
    topics = data["topics"]
    if not isinstance(topics, dict) or not topics:
        raise reader.fail("desk.topics", 'must be a table such as { warranty = "Repairs and warranty" }')
    reader.table(topics, "desk.topics", (), DESK_INTENTS)
    return DeskSpec(
        transcript=_read_transcript(reader, data["transcript"], "desk.transcript"),
        topics={intent: reader.string(topics, "desk.topics", intent) for intent in topics},
        answer_timeout=reader.number(data, "desk", "answer_timeout", 4 * 3600.0),
        poll_seconds=reader.number(data, "desk", "poll_seconds", 60.0),
        written_at=reader.place("desk"),
    )


MAIL_KEYS: tuple[str, ...] = (
    "user",
    "plus_addressing",
    "answer_timeout",
    "poll_seconds",
    "automatic",
)


def _read_mail(reader: _Reader, data: Any, has_server: bool) -> MailSpec:
    """``[mail]``: the test mailbox, its servers and the company's address."""
    if not isinstance(data, dict):
        raise reader.fail("mail", "must be a table: company, address, password, imap, smtp")
    reader.table(data, "mail", ("company", "address", "password", "imap", "smtp"), MAIL_KEYS)
    for key in ("company", "address"):
        if not ADDRESS.match(reader.string(data, "mail", key)):
            raise reader.fail(f"mail.{key}", f"must be an e-mail address, not {data[key]!r}")
    password, secret_name = reader.secret(data, "mail", "password", "MAILBOX_PASSWORD")
    servers: dict[str, str] = {}
    for protocol in ("imap", "smtp"):
        written = reader.string(data, "mail", protocol)
        if "{server." in written and not has_server:
            raise reader.fail(f"mail.{protocol}", "uses {server.…} but there is no [server] table")
        found = server_address(written, protocol) if "{server." not in written else None
        if isinstance(found, str):
            raise reader.fail(f"mail.{protocol}", found)
        servers[protocol] = written
    plus = data.get("plus_addressing", True)
    if not isinstance(plus, bool):
        raise reader.fail("mail.plus_addressing", "must be true or false")
    address = reader.string(data, "mail", "address")
    return MailSpec(
        company=reader.string(data, "mail", "company").lower(),
        address=address.lower(),
        login=MailLogin(reader.string(data, "mail", "user", address), password, secret_name),
        imap=servers["imap"],
        smtp=servers["smtp"],
        plus_addressing=plus,
        answer_timeout=reader.number(data, "mail", "answer_timeout", 4 * 3600.0),
        poll_seconds=reader.number(data, "mail", "poll_seconds", 60.0),
        automatic=reader.patterns(data, "mail", "automatic") if "automatic" in data else (),
        written_at=reader.place("mail"),
    )


PHONE_KEYS: tuple[str, ...] = (
    "number",
    "dial",
    "numbers",
    "transport",
    "caller",
    "call_budget",
    "record",
    "voice",
    "email_spelling",
    "answer_timeout",
    "words",
    "recogniser",
    "phrases",
    "account",
    "patterns",
)


def _read_phone(reader: _Reader, data: Any, has_server: bool) -> PhoneSpec:
    """``[phone]``: the company's number, how it is called over SIP, and the guests' rules."""
    if not isinstance(data, dict):
        raise reader.fail("phone", 'must be a table: number = "...", dial = "sip:{number}@..."')
    reader.table(data, "phone", ("number", "dial"), PHONE_KEYS)
    dial = reader.string(data, "phone", "dial")
    if not dial.startswith(("sip:", "sips:")) or "{number}" not in dial:
        raise reader.fail(
            "phone.dial",
            f'must be a SIP address with {{number}} in it ("sip:{{number}}@sip.example.com"), not {dial!r}',
        )
    if "{server." in dial and not has_server:
        raise reader.fail("phone.dial", "uses {server.…} but there is no [server] table")
    number = reader.string(data, "phone", "number")
    refused = never_dialled(number)
    if refused is not None:
        raise reader.fail("phone.number", refused)
    numbers = reader.strings(data, "phone", "numbers") if "numbers" in data else ()
    for index, other in enumerate(numbers):
        refused = never_dialled(other)
        if refused is not None:
            raise reader.fail("phone.numbers", f"item {index + 1}: {refused}")
    transport = reader.string(data, "phone", "transport", "udp")
    if transport not in ("udp", "tcp"):
        raise reader.fail("phone.transport", f'must be "udp" or "tcp", not {transport!r}')
    budget = data.get("call_budget", 20)
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise reader.fail("phone.call_budget", "must be a whole number of live calls, at least 1")
    record = data.get("record", False)
    if not isinstance(record, bool):
        raise reader.fail("phone.record", "must be true or false (true only where the company consented)")
    email_spelling = reader.string(data, "phone", "email_spelling", "words")
    if email_spelling not in ("words", "phonetic"):
        raise reader.fail(
            "phone.email_spelling",
            f'must be "words" (words said whole, the rest letter by letter) or "phonetic"'
            f" (alpha, bravo, charlie ...), not {email_spelling!r}",
        )
    patterns = data.get("patterns", {})
    if not isinstance(patterns, dict):
        raise reader.fail("phone.patterns", "must be a table of patterns, as [conversation.patterns]")
    reader.table(patterns, "phone.patterns", (), (*CHANNEL_PATTERNS["phone"], CONFERENCE_PATTERN))
    return PhoneSpec(
        number=number,
        dial=dial,
        numbers=numbers,
        transport="tcp" if transport == "tcp" else "udp",
        login=_read_sip_login(reader, data["account"]) if "account" in data else None,
        caller=reader.string(data, "phone", "caller", ""),
        call_budget=budget,
        record=record,
        voice=reader.string(data, "phone", "voice", "slt"),
        email_spelling="phonetic" if email_spelling == "phonetic" else "words",
        answer_timeout=reader.number(data, "phone", "answer_timeout", 1.0)
        if "answer_timeout" in data
        else None,
        words=reader.strings(data, "phone", "words") if "words" in data else (),
        recogniser=reader.string(data, "phone", "recogniser") if "recogniser" in data else None,
        phrases=reader.folder / reader.string(data, "phone", "phrases") if "phrases" in data else None,
        patterns={
            name: tuple(
                re.compile(pattern.pattern, re.IGNORECASE)
                for pattern in reader.patterns(patterns, "phone.patterns", name)
            )
            for name in patterns
        },
        written_at=reader.place("phone"),
    )


def _read_sip_login(reader: _Reader, data: Any) -> SipLogin:
    """``[phone.account]``: the SIP account the harness calls as."""
    if not isinstance(data, dict):
        raise reader.fail("phone.account", "must be a table: user, domain, registrar, password")
    reader.table(data, "phone.account", ("user", "domain", "registrar", "password"), ("register",))
    password, secret_name = reader.secret(data, "phone.account", "password", "SIP_PASSWORD")
    registrar = reader.string(data, "phone.account", "registrar")
    if not registrar.startswith(("sip:", "sips:")):
        raise reader.fail(
            "phone.account.registrar", f'must be a SIP address, e.g. "sip:sip.example.com"; not {registrar!r}'
        )
    register = data.get("register", True)
    if not isinstance(register, bool):
        raise reader.fail("phone.account.register", "must be true or false")
    return SipLogin(
        user=reader.string(data, "phone.account", "user"),
        domain=reader.string(data, "phone.account", "domain"),
        registrar=registrar,
        password=password,
        secret_name=secret_name,
        register=register,
    )


CUSTOMER_KEYS: tuple[str, ...] = ("name", "email", "phone", "street", "city", "postcode")
PURCHASE_KEYS: tuple[str, ...] = ("order_number", "product", "serial_number")


def _read_returning_customers(reader: _Reader, data: Any) -> tuple[ReturningCustomer, ...]:
    """``[returning_customers.<key>]``: who they are, and ``purchases`` one per line."""
    if not isinstance(data, dict):
        raise reader.fail(
            "returning_customers", "must be a table of customers, e.g. [returning_customers.morgan]"
        )
    customers = []
    for key, table in data.items():
        where = f"returning_customers.{key}"
        if not isinstance(table, dict):
            raise reader.fail(where, "must be a table: name, email, phone, street, city, postcode, purchases")
        reader.table(table, where, (*CUSTOMER_KEYS, "purchases"), ("country",))
        person = {
            name: reader.string(table, where, name) for name in (*CUSTOMER_KEYS, "country") if name in table
        }
        shopper = Shopper(country=person.pop("country", ""), **person)
        items = table["purchases"]
        if not isinstance(items, list) or not items:
            raise reader.fail(
                f"{where}.purchases", "must list what they bought, e.g. [{ order_number = ... }]"
            )
        purchases = tuple(
            _read_purchase(reader, item, f"{where}.purchases.{index}") for index, item in enumerate(items)
        )
        customers.append(ReturningCustomer(key, shopper, purchases))
    return tuple(customers)


def _read_purchase(reader: _Reader, item: Any, where: str) -> PastPurchase:
    if not isinstance(item, dict):
        raise reader.fail(
            where, "must be an inline table: { order_number, product, serial_number, days_ago }"
        )
    reader.table(item, where, PURCHASE_KEYS, ("days_ago", "bought_on"))
    if ("days_ago" in item) == ("bought_on" in item):
        raise reader.fail(where, "needs exactly one of days_ago (e.g. 400) or bought_on (e.g. 2025-10-19)")
    days_ago, bought_on = item.get("days_ago"), item.get("bought_on")
    if days_ago is not None and (isinstance(days_ago, bool) or not isinstance(days_ago, int) or days_ago < 0):
        raise reader.fail(f"{where}.days_ago", f"must be a whole number of days, not {days_ago!r}")
    if bought_on is not None and not isinstance(bought_on, dt.date):
        raise reader.fail(f"{where}.bought_on", f"must be a date written as 2025-10-19, not {bought_on!r}")
    return PastPurchase(
        order_number=reader.string(item, where, "order_number"),
        product=reader.string(item, where, "product"),
        serial_number=reader.string(item, where, "serial_number"),
        days_ago=days_ago,
        bought_on=bought_on,
    )


def load_company_file(path: Path, _extending: tuple[Path, ...] = ()) -> CompanyProfile:
    """Read and check one company profile file.

    A profile may ``extends = "other.toml"`` (beside it): every table it does not write is
    the other's, read and checked in its own file, so a second storefront of one company
    writes only its ``[server]`` and ``[web]``. A table it writes replaces the other's whole.
    """
    text, data = read_toml(path, "company profile", CompanyProfileError)
    reader = _Reader(path, text)
    base = _read_base(reader, data, path, _extending)
    reader.table(
        data,
        "",
        () if base else ("name", "base_url", "allowed_hosts"),
        (
            "extends",
            "name",
            "base_url",
            "allowed_hosts",
            "server",
            "web",
            "conversation",
            "returning_customers",
            "countries",
            "purchase_age_tolerance",
            "mail",
            "desk",
            "phone",
            *CHANNEL_LOCATORS,
        ),
    )
    # What this file writes; the rest is the base's (or a field's default without one).
    own: dict[str, Any] = {}
    if "name" in data:
        own["name"] = reader.string(data, "", "name")
    if "conversation" in data:
        own["conversation"] = _read_conversation(reader, data["conversation"])
    channels = {name: _read_channel(reader, name, data[name]) for name in CHANNEL_LOCATORS if name in data}
    if "base_url" in data:
        own["base_url"] = reader.string(data, "", "base_url")
    if "server" in data:
        own["server"] = _read_server(reader, data["server"])
    if "allowed_hosts" in data:
        own["allowed_hosts"] = reader.strings(data, "", "allowed_hosts")
    if "web" in data:
        own["web"] = _read_web(reader, data["web"])
    if "mail" in data:
        own["mail"] = _read_mail(reader, data["mail"], "server" in data or bool(base and base.server))
    if "desk" in data:
        own["desk"] = _read_desk(reader, data["desk"])
    if "phone" in data:
        own["phone"] = _read_phone(reader, data["phone"], "server" in data or bool(base and base.server))
    if "returning_customers" in data:
        own["returning_customers"] = _read_returning_customers(reader, data["returning_customers"])
    if "countries" in data:
        own["countries"] = _read_countries(reader, data)
    if "purchase_age_tolerance" in data:
        own["purchase_age_tolerance"] = _read_tolerance(reader, data)
    start = base or CompanyProfile(
        key="", name="", path=path, base_url="", allowed_hosts=(), server=None, web=None
    )
    company = dataclasses.replace(
        start,
        key=path.stem,
        path=path,
        channels={**start.channels, **channels},
        secrets=Secrets({**start.secrets.values, **reader.secrets.values}),
        key_lines=reader.key_lines,
        **own,
    )
    if company.desk and not (company.web and "write_to_desk" in company.web.flows):
        raise reader.fail(
            "desk", "the desk's form is a flow: write write_to_desk (and reply_on_desk) under [web.flows]"
        )
    if (company.channels or company.mail or company.desk) and company.conversation is None:
        raise reader.fail(
            next(iter(company.channels), "mail"), "a conversational channel needs a [conversation] table"
        )
    if company.channels and company.conversation and not company.conversation.entry:
        raise reader.fail(
            "conversation",
            f"missing key 'conversation.transcript': the [{next(iter(company.channels))}] page's transcript"
            " is read by it (entry, text, customer, and where the speaker is written)",
        )
    if SERVER_URL_PLACEHOLDER in company.base_url and company.server is None:
        raise reader.fail("base_url", f"uses {SERVER_URL_PLACEHOLDER} but there is no [server] table")
    if not company.base_url.startswith(("http://", "https://", SERVER_URL_PLACEHOLDER)):
        raise reader.fail("base_url", f"must start with http:// or https://, not {company.base_url!r}")
    if not company.allowed_hosts:
        raise reader.fail(
            "allowed_hosts",
            'lists no host, so a journey could reach nothing; list the site\'s, e.g. ["shop.example.com"]',
        )
    problem = company.host_not_allowed()
    if problem:
        raise CompanyProfileError(problem)
    return company


BUILTIN = Path(__file__).resolve().parent / "builtin"
"""The profiles that ship in the package: the demo company's (``companies/sandbox*.toml`` of
the source tree, linked here so that the wheel carries them), found by name from any folder."""


def _read_base(
    reader: _Reader, data: Mapping[str, Any], path: Path, extending: tuple[Path, ...]
) -> CompanyProfile | None:
    """The profile this one ``extends``, read on its own; None when it extends none.

    The base is beside this profile, else one that ships in the package (:data:`BUILTIN`),
    so that a team's own profile may start as the demo company, table by table its own.
    """
    if "extends" not in data:
        return None
    written = reader.string(data, "", "extends")
    base_path = reader.folder / written
    if not base_path.exists() and written == base_path.name and (BUILTIN / written).is_file():
        base_path = BUILTIN / written
    if base_path.resolve() in (*extending, path.resolve()):
        raise reader.fail(
            "extends", f"{base_path.name} extends this profile again: a profile cannot extend itself"
        )
    if not base_path.is_file():
        raise reader.fail(
            "extends", f"no profile {base_path.name} beside this one ({base_path}), nor one built in"
        )
    return load_company_file(base_path, (*extending, path.resolve()))


def load_company(name_or_path: str, root: Path) -> CompanyProfile:
    """Find a company by name or by file path.

    A name is ``companies/<name>.toml`` under root, else a profile that ships in the package
    (:data:`BUILTIN`: ``sandbox``, the demo company), so that a team's repository runs the
    demo company without a copy of its profile that would age as the package changes.
    """
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or os.sep in name_or_path:
        path = candidate if candidate.is_absolute() else root / candidate
        if path.is_dir():
            raise CompanyProfileError(f"company profile {name_or_path!r} at {path} is a folder, not a file")
        if not path.is_file():
            raise CompanyProfileError(f"company profile {name_or_path!r} not found at {path}")
        return load_company_file(path)
    folder = root / "companies"
    path = folder / f"{name_or_path}.toml"
    if path.is_file():
        return load_company_file(path)
    if (BUILTIN / path.name).is_file():
        return load_company_file(BUILTIN / path.name)
    known = sorted(
        {item.stem for place in (folder, BUILTIN) for item in place.glob("*.toml") if item.is_file()}
    )
    close = difflib.get_close_matches(name_or_path, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise CompanyProfileError(
        f"unknown company {name_or_path!r}: no file {path.relative_to(root)} "
        f"({hint}known: {', '.join(known) or 'none'}); "
        "describe your company by copying companies/sandbox.toml"
    )
