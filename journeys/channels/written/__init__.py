"""Written channels: the customer's own mailbox, read over IMAP and written to over SMTP.

A real company answers by mail to the address the customer gave, so the harness reads what
arrived in that mailbox (``Mailbox``) and writes with the mailbox's own submission server
(``Outbox``). Several journeys may share one test mailbox; each has a ``MailThread`` and reads
only the mail of its own thread. Times are the server's arrival times (narrowed to the moment
IDLE told us), never merely when we looked.
"""

from __future__ import annotations

from journeys.channels.written.letters import Letter, MailThread, SentLetter
from journeys.channels.written.mailbox import Mailbox
from journeys.channels.written.outbox import Outbox

__all__ = ["Letter", "MailThread", "Mailbox", "Outbox", "SentLetter"]
