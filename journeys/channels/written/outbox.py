"""Writing as the customer: SMTP submission with the mailbox's own login.

Every mail carries the journey's thread: its token in the subject and in the Message-ID, and
its own (plus-)address as From and Reply-To, so the company's answer finds its way back to
this journey and to no other.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate

from journeys.channels.written.letters import Letter, MailThread, SentLetter
from journeys.company.mail import MailLogin, MailServer
from journeys.errors import MailLoginRefused, MailServerUnreachable


class Outbox:
    """The customer's outgoing mail server.

    Args:
        server: the SMTP submission server (587 with STARTTLS, 465 with TLS, as the profile says).
        login: the mailbox's login; None for a server that takes mail without one.
    """

    def __init__(self, server: MailServer, login: MailLogin | None) -> None:
        self.server = server
        self.login = login

    def _where(self) -> str:
        who = f" (mailbox {self.login.user})" if self.login else ""
        return f"the SMTP server {self.server}{who}"

    def send(
        self, thread: MailThread, *, to: str, subject: str, text: str, answering: Letter | None = None
    ) -> SentLetter:
        """Send one mail in the journey's thread; answering a mail keeps its References.

        Raises:
            MailLoginRefused: the server refused the login.
            MailServerUnreachable: the server could not be reached or refused the mail.
        """
        letter = EmailMessage()
        letter["From"] = thread.address
        letter["Reply-To"] = thread.address
        letter["To"] = to
        letter["Subject"] = thread.subject(subject)
        letter["Date"] = formatdate(localtime=True)
        letter["Message-ID"] = thread.message_id(thread.address.rpartition("@")[2])
        if answering is not None and answering.message_id:
            letter["In-Reply-To"] = answering.message_id
            letter["References"] = " ".join([*answering.references, answering.message_id])
        letter.set_content(text)
        self._submit(letter)
        return SentLetter(str(letter["Message-ID"]), str(letter["Subject"]), time.time())

    def _submit(self, letter: EmailMessage) -> None:
        action = "send an e-mail to the company"
        try:
            with self._connect() as smtp:
                if self.login is not None:
                    smtp.ehlo_or_helo_if_needed()
                    if self.server.security == "none" and not smtp.has_extn("auth"):
                        wants_tls = smtp.has_extn("starttls")
                        raise MailServerUnreachable(
                            f"{self._where()} offers no login"
                            + (
                                f" before STARTTLS: write smtp+starttls://{self.server.host}:{self.server.port}"
                                if wants_tls
                                else ""
                            ),
                            action=action,
                        )
                    try:
                        smtp.login(self.login.user, self.login.password)
                    except smtplib.SMTPAuthenticationError:
                        raise MailLoginRefused(
                            f"{self._where()} refused the login: {self.login.fix()}"
                        ) from None
                smtp.send_message(letter)
        except smtplib.SMTPRecipientsRefused as error:
            refused = ", ".join(error.recipients)
            raise MailServerUnreachable(
                f"{self._where()} refused the recipient {refused}: "
                "check the company's address in the profile",
                action=action,
            ) from None
        except smtplib.SMTPResponseException as error:
            said = error.smtp_error
            reason = said.decode(errors="replace") if isinstance(said, bytes) else said
            raise MailServerUnreachable(
                f"{self._where()} refused the mail: {error.smtp_code} {reason}", action=action
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise MailServerUnreachable(
                f"cannot reach {self._where()}: {error}; check host, port and security "
                "in the company profile's mail section",
                action=action,
            ) from None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.server.host, self.server.port
        if self.server.security == "tls":
            return smtplib.SMTP_SSL(host, port, timeout=30, context=ssl.create_default_context())
        smtp = smtplib.SMTP(host, port, timeout=30)
        if self.server.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp
