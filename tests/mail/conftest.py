"""Real mail servers for the mail tests: Dovecot and the SMTP front end, once per session.

Skipped only where Dovecot is missing and cannot be installed here (not root); as root a
missing Dovecot fails, because ``make test`` installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from sandbox.mail import MailAccount, MailEndpoints, MailServers

SUPPORT = MailAccount("support@brightline.test", "support-pass-1")
ANN = MailAccount("ann@customers.test", "ann-pass-2")
BOB = MailAccount("bob@customers.test", "bob-pass-3")
ACCOUNTS = (SUPPORT, ANN, BOB)


def needs_dovecot() -> None:
    """Skip, with one line, where Dovecot is missing and this user could not install it."""
    if shutil.which("dovecot") is None and not os.path.exists("/usr/sbin/dovecot") and os.geteuid() != 0:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd, as root)")


@pytest.fixture(scope="session")
def mail_servers() -> Iterator[MailServers]:
    """The demo company's mail servers, running for the whole session."""
    needs_dovecot()
    servers = MailServers(ACCOUNTS)
    servers.start()
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def mail(mail_servers: MailServers) -> MailEndpoints:
    """Where the session's mail servers listen."""
    return mail_servers.endpoints
