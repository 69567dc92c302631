"""A real sandbox server for the contact centre's tests, and a customer who talks to it.

The event streams need a real server (Starlette's TestClient buffers whole responses), so
:class:`LiveSandbox` serves the app with uvicorn on port 0 in a thread, through the same
``serve`` the command line uses. :class:`Transcript` follows one conversation's stream and
notes when each line arrived; :class:`ScriptedCustomer` answers what the company asks, as
the harness will: from the words alone (the engine's recognisers), never from event kinds.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from sandbox.app import SandboxConfig, create_app, stop_streams
from sandbox.contact_centre.recognisers import events_in, menu_options
from sandbox.server import bind_socket, listening_url, serve

EMAIL = "ann.lee@example.com"

ANSWERS: Mapping[str, str] = {
    "full name": "Ann Lee",
    "email address": EMAIL,
    "phone number": "07700 900123",
    "postcode": "SW1A 1AA",
    "serial number": "SN-778812",
    "purchase date": "2 March 2025",
    "product": "Kettle Pro",
    "shipping method": "Express",
    "delivery address": "1 High Street, London",
}

OPENERS: Mapping[str, str] = {
    "order": "Hi, I'd like to buy a kettle please",
    "cancel": "I need to cancel my order",
    "return": "I want to return a toaster",
    "repair": "My dishwasher stopped working",
    "warranty": "I'd like to make a warranty claim",
    "enquiry": "Where is my order?",
}

MENU_WORDS: Mapping[str, str] = {
    "order": r"\b(?:buy|new order|placing)",
    "cancel": r"\bcancel",
    "return": r"\breturn",
    "repair": r"\brepair",
    "warranty": r"\bwarranty",
    "enquiry": r"\b(?:status|track)",
}

CHECKOUT: dict[str, str] = {
    "full_name": "Ann Lee",
    "email": EMAIL,
    "phone": "07700 900123",
    "street_address": "1 High Street",
    "city": "London",
    "postcode": "SW1A 1AA",
    "country": "United Kingdom",
    "shipping_method": "standard",
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/34",
    "card_cvc": "123",
}


def eventually(condition: Callable[[], Any], what: str, timeout: float = 15) -> Any:
    """Wait for a condition to hold (its value, once truthy), however busy the machine is."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.02)
    return value


class LiveSandbox:
    """The sandbox app served for real on 127.0.0.1, in a thread."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.app = create_app(config)
        self.listener = bind_socket("127.0.0.1", 0)
        self.url = listening_url(self.listener)
        self._stop = threading.Event()
        self.thread = threading.Thread(
            target=serve,
            args=(self.app, self.listener),
            kwargs={
                "parent_pid": None,
                "stop_requested": self._stop,
                "before_shutdown": lambda: stop_streams(self.app),
            },
            daemon=True,
        )
        self.thread.start()
        self.client = httpx.Client(base_url=self.url, timeout=10)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.02)

    @property
    def service(self) -> Any:
        return self.app.state.sandbox.contact_centre

    def stop(self) -> float:
        """Stop the server; return how long it took."""
        started = time.monotonic()
        self._stop.set()
        self.thread.join(15)
        self.client.close()
        self.listener.close()
        return time.monotonic() - started

    def truth(self, customer: str | None = None) -> list[dict[str, Any]]:
        params = {} if customer is None else {"customer": customer}
        response = self.client.get("/__sandbox__/truth/contacts", params=params)
        response.raise_for_status()
        contacts: list[dict[str, Any]] = response.json()
        return contacts

    def query(self, sql: str, *parameters: object) -> list[sqlite3.Row]:
        connection = sqlite3.connect(self.config.db_path)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    def place_web_order(self, email: str = EMAIL, slug: str = "toaster-duo") -> str:
        """An order placed through the web shop, as a customer would; its number."""
        with httpx.Client(base_url=self.url, timeout=10, follow_redirects=True) as browser:
            browser.post("/cart/items", data={"product": slug, "quantity": "1"})
            response = browser.post("/checkout", data={**CHECKOUT, "email": email})
        match = re.search(r"/orders/(BL-\d{6})/confirmation$", str(response.url))
        assert match, response.text[:500]
        return match.group(1)


def ticket_form(
    email: str, subject: str, message: str, topic: str = "other", **identifiers: str
) -> dict[str, str]:
    """The support desk's form as a customer fills it (``order_number=``, ``serial_number=``)."""
    return {"email": email, "topic": topic, "subject": subject, "message": message, **identifiers}


TICKET_PATH = re.compile(r"^/tickets/[A-Za-z0-9_-]{16,}$")
"""Where a sent form leads: a ticket page under an unguessable key."""


MakeLiveSandbox = Callable[..., LiveSandbox]
"""The ``live_sandbox`` fixture: ``live_sandbox("advocate", time_scale=0.02)``."""


@dataclass(frozen=True)
class Received:
    """One line of the stream and when it arrived (epoch seconds)."""

    arrived: float
    event_id: int
    entry: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.entry["text"])

    @property
    def late(self) -> float:
        """Seconds between its due time and its arrival."""
        return self.arrived - float(self.entry["at"])


class Transcript:
    """One conversation's event stream, read in a thread as it arrives."""

    def __init__(self, base_url: str, events_url: str, last_event_id: int | None = None) -> None:
        self.lines: list[Received] = []
        self.ended = threading.Event()
        self.connected = threading.Event()
        self.opened_at = time.time()
        self._changed = threading.Condition()
        headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
        self._thread = threading.Thread(target=self._read, args=(base_url + events_url, headers), daemon=True)
        self._thread.start()
        assert self.connected.wait(10), f"no event stream at {events_url}"

    def _read(self, url: str, headers: dict[str, str]) -> None:
        timeout = httpx.Timeout(10, read=None)
        with httpx.stream("GET", url, headers=headers, timeout=timeout) as response:
            event_id, data, name = 0, "", "message"
            for line in response.iter_lines():
                if not self.connected.is_set():
                    self.opened_at = time.time()  # the stream's first line: "retry:"
                    self.connected.set()
                if line.startswith("id:"):
                    event_id = int(line[3:])
                elif line.startswith("data:"):
                    data = line[5:].strip()
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line == "" and data:
                    if name == "end":
                        break
                    with self._changed:
                        self.lines.append(Received(time.time(), event_id, json.loads(data)))
                        self._changed.notify_all()
                    data, name = "", "message"
        with self._changed:
            self.ended.set()
            self._changed.notify_all()

    def wait_until(self, predicate: Callable[[list[Received]], bool], timeout: float = 10) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self.lines) or self.ended.is_set(), timeout):
                raise AssertionError(f"waited {timeout} s; got {self.texts()}")

    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    def company_lines(self) -> list[Received]:
        return [line for line in self.lines if line.entry["speaker"] != "customer"]


@dataclass
class ScriptedCustomer:
    """Answers the company from its words: field requests, menus and the survey."""

    intent: str
    answers: dict[str, str] = field(default_factory=lambda: dict(ANSWERS))
    survey_answer: str = "Yes, thank you"

    def reply_to(self, text: str, channel: str) -> tuple[str, str] | None:
        """What to do about one line: ``("say", words)``, ``("press", key)`` or nothing."""
        if channel == "phone" and menu_options(text):
            return "press", self.menu_key(text)
        events = events_in(text)
        if "info_requested" in events:
            return "say", self.answers[events["info_requested"].group("field")]
        if "satisfaction_check" in events and channel != "email":
            return "say", self.survey_answer
        return None

    def menu_key(self, prompt: str) -> str:
        for key, label in menu_options(prompt):
            if re.search(MENU_WORDS[self.intent], label):
                return key
        raise AssertionError(f"no option for {self.intent} in: {prompt}")

    def converse(
        self,
        sandbox: LiveSandbox,
        urls: Mapping[str, str],
        transcript: Transcript,
        channel: str,
        *,
        timeout: float = 20,
        say: Callable[[str], object] | None = None,
    ) -> None:
        """Answer every line until the company ends the conversation."""
        speak = say or (lambda text: _post(sandbox, urls["messages"], {"text": text}))
        handled = 0
        deadline = time.monotonic() + timeout
        while True:
            transcript.wait_until(_longer_than(handled), deadline - time.monotonic())
            if handled == len(transcript.lines) and transcript.ended.is_set():
                return
            line = transcript.lines[handled]
            handled += 1
            if line.entry["speaker"] == "customer" or line.entry["transient"]:
                continue
            if line.entry["ended"]:
                transcript.wait_until(lambda lines: False, 5)  # until the stream ends
                return
            action = self.reply_to(line.text, channel)
            if action is not None and action[0] == "press":
                _post(sandbox, urls["keys"], {"key": action[1]})
            elif action is not None:
                speak(action[1])


def _longer_than(count: int) -> Callable[[list[Received]], bool]:
    return lambda lines: len(lines) > count


def _post(sandbox: LiveSandbox, url: str, body: Mapping[str, str]) -> None:
    response = sandbox.client.post(url, json=dict(body))
    assert response.status_code == 202, response.text


def observed_holds(lines: list[Received]) -> float:
    """Hold time as a customer measures it: from each hold's first words to its end."""
    total, started = 0.0, None
    for line in lines:
        events = events_in(line.text)
        if "hold_started" in events and started is None:
            started = line.arrived
        elif "hold_ended" in events and started is not None:
            total += line.arrived - started
            started = None
    return total
