"""The demo company's mail: real servers on loopback, as a real company has.

Dovecot (from the system's packages) keeps the mailboxes and serves them over IMAP with IDLE;
it takes delivery over LMTP. The SMTP front end (aiosmtpd) is where the company and its
customers submit mail: it authenticates them and hands each message to Dovecot over LMTP.
``MailServers`` starts both on free loopback ports and stops them leaving nothing running.
"""

from __future__ import annotations

from sandbox.mail.accounts import MailAccount
from sandbox.mail.dovecot import ServerCertificate
from sandbox.mail.servers import MailEndpoints, MailServers
from sandbox.mail.smtp import MailPipe

__all__ = ["MailAccount", "MailEndpoints", "MailPipe", "MailServers", "ServerCertificate"]
