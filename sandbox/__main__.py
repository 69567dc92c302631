"""Command line: ``python -m sandbox [--host H] [--port P] [--profile NAME|FILE] [--mail] ...``.

A thin layer over the core: it parses options, turns every :class:`SandboxError` into one line
on stderr starting with ``sandbox: `` and exit code 2, prints the contract line
``sandbox listening on http://HOST:PORT`` once the socket is bound, and serves. With ``--mail``
the company's mail servers start first and the line ends with where they listen:
``sandbox listening on http://HOST:PORT (mail: smtp://HOST:PORT, imap://HOST:PORT)``.
With ``--phone`` the company's SIP line starts too and the tail names it, after the mail's:
``(phone: sip:HOST:PORT)`` or ``(mail: smtp://..., imap://..., phone: sip:HOST:PORT)``.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import signal
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

from sandbox.app import SandboxConfig, create_app, stop_streams
from sandbox.contact.mail_desk import MAILBOX_PASSWORD_VARIABLE, TEST_MAILBOX, MailDesk, sandbox_mailboxes
from sandbox.contact.service import SUPPORT_EMAIL
from sandbox.errors import SandboxError
from sandbox.mail import MailEndpoints, MailServers
from sandbox.phone import PhoneLine
from sandbox.phone.speech import DEFAULT_VOICE, VOICES
from sandbox.profiles import load_profile
from sandbox.server import bind_socket, listening_url, serve
from sandbox.shop.storefronts import Storefront

EXIT_BAD_INPUT = 2


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one ``sandbox:`` line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"sandbox: {message} (see python -m sandbox --help)\n")


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(text)
    return value


def _positive_number(text: str) -> float:
    value = float(text)
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(text)
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(text)
    return value


_port.__name__ = "port (0-65535)"
_positive_number.__name__ = "positive number"
_positive_int.__name__ = "process id"


def build_parser() -> argparse.ArgumentParser:
    """The command line's options, each with the default a harness relies on."""
    parser = _OneLineParser(
        prog="python -m sandbox",
        description="Run Brightline Appliances, the demo company mystery-shopper shops at.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=0, help="port; 0 picks a free one")
    parser.add_argument(
        "--profile",
        default="typical",
        help="service profile: a name (advocate, typical, purgatory) or a path to a .toml file",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for everything random")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite file, created and seeded if new (default: a temporary file, removed on exit)",
    )
    parser.add_argument(
        "--time-scale",
        type=_positive_number,
        default=1.0,
        help="multiply the contact centre's waits: queues, holds, e-mail replies (e.g. 0.05 to try by hand);"
        " the shop's cancellation window stays as the profile says",
    )
    parser.add_argument(
        "--variety",
        action="store_true",
        help="each contact meets a company drawn from the profile's [contact_centre.variety], by the"
        " seed, the channel, the customer and the intent (default: the routes as written)",
    )
    parser.add_argument(
        "--storefront",
        choices=[style.value for style in Storefront],
        default=Storefront.CLASSIC.value,
        help="the web shop's style: classic (one-page checkout, card, order pages by cookie) or"
        " steps (checkout over several pages, pay on delivery, order pages by signed link)",
    )
    parser.add_argument(
        "--parent-pid",
        type=_positive_int,
        default=None,
        help="stop when this process exits (the harness passes its own pid)",
    )
    parser.add_argument(
        "--mail",
        action="store_true",
        help=f"answer e-mail by real mail: start Dovecot (IMAP) and an SMTP front end on loopback;"
        f" customers write to {SUPPORT_EMAIL} and read the answers in {TEST_MAILBOX}"
        f" (plus-addresses too; password ${MAILBOX_PASSWORD_VARIABLE}, default brightline-demo)",
    )
    parser.add_argument(
        "--phone",
        action="store_true",
        help="answer real phone calls: a SIP line (UDP and TCP, PCMU/PCMA, RFC 4733 DTMF) on a free"
        " loopback port; any user part reaches it, and the caller's number is the From URI's user part",
    )
    parser.add_argument(
        "--phone-voice",
        choices=VOICES,
        default=DEFAULT_VOICE,
        help="the flite voice the company speaks with on the phone line",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until stopped; return the exit code."""
    options = build_parser().parse_args(argv)
    shutdown = _Shutdown()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, shutdown.on_signal)
    mail_desk: MailDesk | None = None
    mail_servers: MailServers | None = None
    if options.mail:  # the servers start later, once the app is built and the port is bound
        support, customers = sandbox_mailboxes(os.environ)
        mail_desk = MailDesk(support)
        mail_servers = MailServers((support, customers), pipes={SUPPORT_EMAIL: mail_desk.take})
    phone_line: PhoneLine | None = None
    with tempfile.TemporaryDirectory(prefix="sandbox-") as scratch:
        db_path: Path = options.db or Path(scratch) / "shop.sqlite3"
        try:
            try:
                app = create_app(
                    SandboxConfig(
                        profile=load_profile(options.profile),
                        db_path=_checked_db_path(db_path),
                        seed=options.seed,
                        time_scale=options.time_scale,
                        storefront=Storefront(options.storefront),
                        variety=options.variety,
                        mail_desk=mail_desk,
                        phone_line=(phone_line := _start_phone(options)),
                    )
                )
                listener = bind_socket(options.host, options.port)
                if mail_desk is not None:  # its automatic replies link the ticket pages
                    mail_desk.link_tickets(listening_url(listener))
                mail = _start_mail(mail_servers, mail_desk) if mail_servers and mail_desk else ""
            except SandboxError as error:
                print(f"sandbox: {error}", file=sys.stderr)
                return EXIT_BAD_INPUT
            except sqlite3.DatabaseError as error:
                print(f"sandbox: {db_path} is not a usable SQLite database ({error})", file=sys.stderr)
                return EXIT_BAD_INPUT
            tail = ", ".join(
                part for part in (mail, "" if phone_line is None else f"phone: {phone_line.uri}") if part
            )
            try:
                print(
                    f"sandbox listening on {listening_url(listener)}{f' ({tail})' if tail else ''}",
                    flush=True,
                )
                shutdown.serving = True
                serve(
                    app,
                    listener,
                    parent_pid=options.parent_pid,
                    stop_requested=shutdown.requested,
                    before_shutdown=lambda: stop_streams(app),
                )
            finally:
                listener.close()
                app.state.sandbox.db.close()
        finally:
            if phone_line is not None:
                phone_line.stop()  # stopped with the app already; again if the app never served
            if mail_servers is not None:
                mail_servers.stop()  # after the app: its last answers went out through them
    return 0


def _start_mail(servers: MailServers, desk: MailDesk) -> str:
    """Start the mail servers; the contract line's part saying where they listen."""
    endpoints: MailEndpoints = servers.start()
    desk.send_through(endpoints)
    host = endpoints.host
    return f"mail: smtp://{host}:{endpoints.smtp_port}, imap://{host}:{endpoints.imap_port}"


def _start_phone(options: argparse.Namespace) -> PhoneLine | None:
    """Start the SIP line (``--phone``) on the host the web app listens on."""
    if not options.phone:
        return None
    _log_calls()
    line = PhoneLine(options.host, voice=options.phone_voice)
    line.start()
    return line


def _log_calls() -> None:
    """Each call's lines, keys, holds and what the line heard (and how long its ear took), on
    stderr: the harness keeps it as the run's ``server.log``, the line's side of every call."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("sandbox phone: %(asctime)s.%(msecs)03d %(message)s", "%H:%M:%S"))
    calls = logging.getLogger("sandbox.phone")
    calls.addHandler(handler)
    calls.setLevel(logging.INFO)
    calls.propagate = False


def _checked_db_path(path: Path) -> Path:
    """The database path, if its folder exists (sqlite's own error would not say which)."""
    if not path.parent.is_dir():
        raise SandboxError(f"--db {path}: the folder {path.parent} does not exist")
    return path


class _StopRequested(BaseException):
    """Raised by SIGINT/SIGTERM before serving starts, to end ``main`` through its clean-up."""


class _Shutdown:
    """What SIGINT and SIGTERM do, so that the temporary database is always removed.

    Before serving, a stop signal raises :class:`_StopRequested`. While serving, uvicorn
    handles the signal itself, shuts down gracefully, then raises the signal again to our
    handler, which must not raise inside the event loop: it only records the request (which
    also stops a server whose own handlers were not installed yet), and ``main`` returns 0.
    """

    def __init__(self) -> None:
        self.serving = False
        self.requested = threading.Event()

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.requested.set()
        if not self.serving:
            raise _StopRequested(signum)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except _StopRequested:
        sys.exit(0)
