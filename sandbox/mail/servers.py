"""Both mail servers as one object: start, use, stop, and nothing left running."""

from __future__ import annotations

import shutil
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sandbox.errors import MailServerError
from sandbox.mail.accounts import MailAccount
from sandbox.mail.dovecot import Dovecot, ServerCertificate
from sandbox.mail.smtp import LmtpDelivery, MailPipe, SmtpFrontEnd
from sandbox.server import bind_socket

HOST = "127.0.0.1"


@dataclass(frozen=True)
class MailEndpoints:
    """Where the running servers listen: what a company profile's mail section points at."""

    host: str
    smtp_port: int
    imap_port: int
    lmtp_port: int
    smtps_port: int = 0
    imaps_port: int = 0
    """TLS from the first byte; 0 when the servers run without a certificate."""


class MailServers:
    """Dovecot (IMAP with IDLE, LMTP) and the SMTP front end, on free loopback ports.

    Use as a context manager, or call ``start()`` and ``stop()``; ``stop()`` reaps every
    process and deletes the temporary folder with the mail in it.

    Args:
        accounts: the mailboxes to create (the support address, customers' test mailboxes).
        pipes: by address, what each message delivered to that mailbox is also handed to
            (:data:`sandbox.mail.smtp.MailPipe`): how the company's help desk reads its mail.
        tls: a certificate: then logins need TLS (STARTTLS on IMAP and SMTP), and IMAPS and
            SMTPS listen too, as on a real provider; without, plain loopback only.
    """

    def __init__(
        self,
        accounts: tuple[MailAccount, ...] | list[MailAccount],
        *,
        pipes: Mapping[str, MailPipe] | None = None,
        tls: ServerCertificate | None = None,
    ) -> None:
        if not accounts:
            raise MailServerError("give the mail servers at least one account (address and password)")
        self.accounts = tuple(accounts)
        self.pipes = dict(pipes or {})
        self.tls = tls
        self.folder: Path | None = None
        self.dovecot: Dovecot | None = None
        self.smtp: SmtpFrontEnd | None = None

    @property
    def endpoints(self) -> MailEndpoints:
        if self.dovecot is None or self.smtp is None:
            raise MailServerError("the mail servers are not running: call start() first")
        ports = self.dovecot.ports
        return MailEndpoints(HOST, self.smtp.port, ports.imap, ports.lmtp, self.smtp.tls_port, ports.imaps)

    def processes(self) -> list[int]:
        """Dovecot's live processes (master and children); empty once stopped."""
        return self.dovecot.processes() if self.dovecot else []

    def start(self) -> MailEndpoints:
        """Start Dovecot, then the SMTP front end that delivers to it.

        Raises:
            MailServerError: either server could not start (and nothing is left running).
        """
        self.folder = Path(tempfile.mkdtemp(prefix="sandbox-mail-"))
        try:
            self.dovecot = Dovecot(self.folder, self.accounts, self.tls)
            self.dovecot.start()
            delivery = LmtpDelivery(self.dovecot.ports.lmtp, self.accounts, self.pipes)
            context = None
            if self.tls is not None:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(self.tls.cert, self.tls.key)
            self.smtp = SmtpFrontEnd(
                bind_socket(HOST, 0),
                delivery,
                self.accounts,
                tls=context,
                tls_listener=bind_socket(HOST, 0) if context else None,
            )
            self.smtp.start()
        except BaseException:
            self.stop()
            raise
        return self.endpoints

    def stop(self) -> None:
        """Stop the SMTP front end and Dovecot, reap their processes, delete the mail folder."""
        smtp, self.smtp = self.smtp, None
        dovecot, self.dovecot = self.dovecot, None
        folder, self.folder = self.folder, None
        if smtp is not None:
            smtp.stop()
        if dovecot is not None:
            dovecot.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> MailEndpoints:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
