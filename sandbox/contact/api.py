"""The conversations' wire: starting a chat or a call, speaking, and the event streams.

Pages (plain scripts in ``sandbox/static/``) start a conversation with a POST, follow it
with ``EventSource`` on ``/conversations/{key}/events`` and speak with POSTs. Every request
body may be JSON or a form. Endpoints::

    POST /chat/conversations            name, email -> the new chat's URLs
    POST /phone/calls                   number -> the new call's URLs
    GET  /conversations/{key}/events    text/event-stream: history, then live lines
    POST /conversations/{key}/messages  text (a chat or DM message, or words said on a call)
    POST /conversations/{key}/keys      key (a keypad press on a call)
    POST /conversations/{key}/end       the customer ends the chat or hangs up

The stream replays the transcript first (after ``Last-Event-ID`` when reconnecting, or
``?after=N``, so nothing is shown twice), then pushes each line the moment it is due. Each event is ``id:``
(the entry's position) and ``data:`` (the entry as JSON); ``event: end`` says the
conversation is over and the page should stop listening. Lines never carry the engine's
event kinds: the page shows words, and the harness reads words.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from sandbox.contact.hub import LiveConversation, StreamEnd, TranscriptEntry
from sandbox.contact.service import ContactCentreService
from sandbox.web import state_of

KEEP_ALIVE_SECONDS = 15.0
"""A comment line this often keeps proxies from closing a quiet stream."""

RECONNECT_MILLISECONDS = 1000
KEYPAD_LAYOUT = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
"""The softphone's keys, in the order a keypad shows them."""
KEYPAD_KEYS = frozenset(KEYPAD_LAYOUT)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

UNAVAILABLE_MESSAGE = "Sorry, our contact centre is not available right now."
ENDED_MESSAGE = "This conversation has ended."


def routes() -> list[BaseRoute]:
    """The conversations' endpoints, for :func:`sandbox.app.create_app`."""
    return [
        Route("/chat/conversations", start_chat, methods=["POST"]),
        Route("/phone/calls", start_call, methods=["POST"]),
        Route("/conversations/{key}/events", events, methods=["GET"]),
        Route("/conversations/{key}/messages", send_message, methods=["POST"]),
        Route("/conversations/{key}/keys", press_key, methods=["POST"]),
        Route("/conversations/{key}/end", end_conversation, methods=["POST"]),
    ]


def contact_centre_of(request: Request) -> ContactCentreService | None:
    """The app's contact centre, or None when the profile has none."""
    return state_of(request).contact_centre


def conversation_urls(live: LiveConversation) -> dict[str, str]:
    """Where a page follows and speaks in a conversation."""
    base = f"/conversations/{live.key}"
    return {
        "conversation": live.key,
        "events": f"{base}/events",
        "messages": f"{base}/messages",
        "keys": f"{base}/keys",
        "end": f"{base}/end",
    }


async def read_fields(request: Request) -> dict[str, str]:
    """A JSON object's or a form's text fields, trimmed; anything else reads as empty."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body: Any = await request.json()
        except ValueError:
            return {}
        items = body.items() if isinstance(body, Mapping) else []
    else:
        items = (await request.form()).items()
    return {str(name): value.strip() for name, value in items if isinstance(value, str)}


def problem(message: str, status_code: int) -> JSONResponse:
    """An error the page shows as it is."""
    return JSONResponse({"error": message}, status_code=status_code)


async def start_chat(request: Request) -> Response:
    """Open a chat for the customer's email (their identity in the truth)."""
    service = contact_centre_of(request)
    if service is None:
        return problem(UNAVAILABLE_MESSAGE, 503)
    fields = await read_fields(request)
    if not fields.get("name"):
        return problem("Please enter your name.", 422)
    if not _EMAIL.match(fields.get("email", "")):
        return problem("Please enter a valid email address.", 422)
    live = service.open("chat", fields["email"])
    return JSONResponse(conversation_urls(live), status_code=201)


async def start_call(request: Request) -> Response:
    """Place a call from the customer's number (their identity in the truth)."""
    service = contact_centre_of(request)
    if service is None:
        return problem(UNAVAILABLE_MESSAGE, 503)
    fields = await read_fields(request)
    if not re.search(r"\d", fields.get("number", "")):
        return problem("Please enter your phone number.", 422)
    live = service.open("phone", fields["number"])
    return JSONResponse(conversation_urls(live), status_code=201)


async def events(request: Request) -> Response:
    """The conversation as server-sent events: history after ``Last-Event-ID``, then live."""
    live = _conversation(request)
    if live is None:
        return problem("No such conversation.", 404)
    after = request.headers.get("last-event-id") or request.query_params.get("after", "0")
    start = int(after) if after.isdigit() else 0
    return StreamingResponse(
        event_stream(live, start),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def event_stream(live: LiveConversation, after: int) -> AsyncIterator[str]:
    """Replay, then push; returns once the conversation is over or the server stops."""
    replay, subscription = live.subscribe(after)
    try:
        yield f"retry: {RECONNECT_MILLISECONDS}\n\n"
        for entry in replay:
            yield format_event(entry)
        if subscription is None:
            yield "event: end\ndata: {}\n\n"
            return
        while True:
            try:
                async with asyncio.timeout(KEEP_ALIVE_SECONDS):
                    item = await subscription.get()
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if item is StreamEnd.SHUTDOWN:
                return
            if item is StreamEnd.CLOSED:
                yield "event: end\ndata: {}\n\n"
                return
            yield format_event(item)
    finally:
        if subscription is not None:
            live.unsubscribe(subscription)


def format_event(entry: TranscriptEntry) -> str:
    """One entry as an event: its id (for ``Last-Event-ID``) and its JSON."""
    return f"id: {entry.id}\ndata: {json.dumps(entry.to_json())}\n\n"


async def send_message(request: Request) -> Response:
    """The customer's words; echoed into the stream whether or not the company listens."""
    live = _conversation(request)
    if live is None:
        return problem("No such conversation.", 404)
    text = (await read_fields(request)).get("text", "")
    if not text:
        return problem("Please write a message.", 422)
    if live.finished:
        return problem(ENDED_MESSAGE, 409)
    return JSONResponse({"accepted": live.say(text)}, status_code=202)


async def press_key(request: Request) -> Response:
    """A keypad press on a call, echoed as ``Pressed 2``."""
    live = _conversation(request)
    if live is None:
        return problem("No such conversation.", 404)
    key = (await read_fields(request)).get("key", "")
    if live.channel != "phone" or key not in KEYPAD_KEYS or len(key) != 1:
        return problem("Press one of 0-9, * or #.", 422)
    if live.finished:
        return problem(ENDED_MESSAGE, 409)
    return JSONResponse({"accepted": live.press(key)}, status_code=202)


async def end_conversation(request: Request) -> Response:
    """The customer ends the chat or hangs up; ending twice is harmless."""
    live = _conversation(request)
    if live is None:
        return problem("No such conversation.", 404)
    if not live.finished:
        live.leave()
    return JSONResponse({"ended": True})


def _conversation(request: Request) -> LiveConversation | None:
    service = contact_centre_of(request)
    return None if service is None else service.hub.get(request.path_params["key"])
