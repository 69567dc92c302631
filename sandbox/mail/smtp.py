"""The company's SMTP front end: aiosmtpd taking submissions, Dovecot's LMTP delivering them.

Senders authenticate (AUTH PLAIN or LOGIN) with their mailbox's address and password, as at a
real provider's submission port. Only the domains the servers host are accepted as recipients:
this is a loopback company, it relays nowhere. Each message is handed to Dovecot over LMTP and
its answer (delivered, or unknown user) becomes the SMTP answer, so a sender learns at once
that an address does not exist.

A mailbox may also have a *pipe*, as a help desk's address has at a real mail server: once a
message is in the mailbox, the pipe is handed its bytes, and the sender's ``250`` waits for it,
so that when a customer's send returns, the company has taken the message.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import socket
import ssl
import sys
import threading
import warnings
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from sandbox.mail.accounts import MailAccount, base_address

MailPipe = Callable[[bytes], Awaitable[None]]
"""What a piped mailbox does with each message delivered to it (awaited on the SMTP loop)."""

PIPE_SECONDS = 10.0
"""How long the sender's answer waits for a pipe; the message is in the mailbox either way."""


class LmtpDelivery:
    """aiosmtpd handler: accept local recipients, deliver each message to Dovecot over LMTP.

    Args:
        pipes: By mailbox address (lower case), what to hand each message delivered there.
    """

    def __init__(
        self, lmtp_port: int, accounts: tuple[MailAccount, ...], pipes: Mapping[str, MailPipe] | None = None
    ) -> None:
        self.lmtp_port = lmtp_port
        self.domains = {account.domain for account in accounts}
        self.pipes = {address.lower(): pipe for address, pipe in (pipes or {}).items()}

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.rpartition("@")[2].lower() not in self.domains:
            hosted = ", ".join(sorted(self.domains))
            return f"550 5.7.1 relaying denied: this server delivers only to {hosted}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content, sender = envelope.original_content or b"", envelope.mail_from or ""
        try:
            refused = await asyncio.to_thread(self._deliver, sender, envelope.rcpt_tos, content)
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            return f"{code} {reason.decode(errors='replace')}"
        except (OSError, smtplib.SMTPException) as error:
            return f"451 4.3.0 delivery to the mailboxes failed, try again later: {error}"
        if refused:
            address, (code, reason) = next(iter(refused.items()))
            return f"{code} {address}: {reason.decode(errors='replace')}"
        await self._pipe(envelope.rcpt_tos, content)
        return "250 OK delivered"

    async def _pipe(self, recipients: list[str], content: bytes) -> None:
        """Hand the message to the pipe of each piped mailbox among the recipients, once each."""
        for mailbox in dict.fromkeys(base_address(recipient) for recipient in recipients):
            pipe = self.pipes.get(mailbox)
            if pipe is None:
                continue
            try:
                await asyncio.wait_for(pipe(content), PIPE_SECONDS)
            except Exception as error:  # the mail is delivered: a failing pipe must not bounce it
                print(f"sandbox: the pipe of {mailbox} failed: {error!r}", file=sys.stderr, flush=True)

    def _deliver(self, sender: str, recipients: list[str], content: bytes) -> dict[str, tuple[int, bytes]]:
        with smtplib.LMTP("127.0.0.1", self.lmtp_port) as lmtp:
            return lmtp.sendmail(sender, recipients, content)


class PasswordCheck:
    """aiosmtpd authenticator: the mailbox's own address and password, as Dovecot knows them."""

    def __init__(self, accounts: tuple[MailAccount, ...]) -> None:
        self.passwords = {account.address.lower(): account.password for account in accounts}

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = data.login.decode(errors="replace").lower()
        known = self.passwords.get(base_address(login) if "+" in login else login)
        matches = known is not None and known == data.password.decode(errors="replace")
        # handled=False: aiosmtpd answers (235, or 535), which a refusal needs to reach the client.
        return AuthResult(success=matches, handled=False)


class SmtpFrontEnd:
    """The SMTP server on its own event loop in a thread, on a socket bound beforehand."""

    def __init__(
        self,
        listener: socket.socket,
        delivery: LmtpDelivery,
        accounts: tuple[MailAccount, ...],
        *,
        tls: ssl.SSLContext | None = None,
        tls_listener: socket.socket | None = None,
    ) -> None:
        self.listener = listener
        self.port = int(listener.getsockname()[1])
        self.tls = tls
        """With a context: STARTTLS is required on ``listener``, and ``tls_listener`` is SMTPS."""
        self.tls_listener = tls_listener if tls is not None else None
        self.tls_port = 0 if self.tls_listener is None else int(self.tls_listener.getsockname()[1])
        self.delivery = delivery
        self.authenticator = PasswordCheck(accounts)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="sandbox-smtp", daemon=True)
        self.server: asyncio.base_events.Server | None = None
        self.tls_server: asyncio.base_events.Server | None = None

    def _protocol(self) -> SMTP:
        if self.tls is not None:  # a login only after STARTTLS, as a provider's submission port
            return SMTP(
                self.delivery,
                hostname="mail.sandbox.localhost",
                authenticator=self.authenticator,
                auth_required=True,
                tls_context=self.tls,
                require_starttls=True,
            )
        return self._plain_protocol()

    def _plain_protocol(self) -> SMTP:
        """Logins without STARTTLS: on loopback, or inside SMTPS, whose TLS aiosmtpd cannot see."""
        with warnings.catch_warnings():
            # aiosmtpd warns that AUTH without TLS is unsafe: true off loopback, where we are not.
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
            return SMTP(
                self.delivery,
                hostname="mail.sandbox.localhost",
                authenticator=self.authenticator,
                auth_required=True,
                auth_require_tls=False,
            )

    def start(self) -> None:
        """Start the loop's thread, then open the server on it.

        The server is created on the loop's own thread: the calling thread may already run an
        event loop of its own (Playwright's sync API does, in a test process), and a second
        loop cannot be run there.
        """
        # aiosmtpd logs a warning per session (AUTH without TLS, its own deprecated login_data):
        # on loopback both are expected, and the sandbox's stderr is the harness's log of it.
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        self.thread.start()

        async def serve() -> asyncio.base_events.Server:
            return await self.loop.create_server(self._protocol, sock=self.listener)

        async def serve_tls(listener: socket.socket) -> asyncio.base_events.Server:
            return await self.loop.create_server(self._plain_protocol, sock=listener, ssl=self.tls)

        self.server = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(timeout=10)
        if self.tls_listener is not None:
            self.tls_server = asyncio.run_coroutine_threadsafe(
                serve_tls(self.tls_listener), self.loop
            ).result(timeout=10)

    def stop(self) -> None:
        """Close the listener and open sessions, stop the loop, and join its thread."""
        if self.server is None:
            self.listener.close()
            if self.tls_listener is not None:
                self.tls_listener.close()
            if self.thread.is_alive():
                self.loop.call_soon_threadsafe(self.loop.stop)
                self.thread.join(timeout=10)
            return

        async def close(server: asyncio.base_events.Server) -> None:
            server.close()
            await server.wait_closed()
            sessions = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in sessions:
                task.cancel()
            await asyncio.gather(*sessions, return_exceptions=True)

        if self.tls_server is not None:
            tls_server, self.tls_server = self.tls_server, None
            tls_server.close()  # its sessions are cancelled with the others below
        asyncio.run_coroutine_threadsafe(close(self.server), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
        self.server = None
