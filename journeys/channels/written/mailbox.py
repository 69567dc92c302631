"""The customer's mailbox over IMAP: wait for new mail of one thread, with IDLE where offered.

The mailbox is opened read-only (EXAMINE) and bodies are fetched with ``BODY.PEEK``, so a
test mailbox shared by parallel journeys is never changed by reading it: no journey marks
another's mail as seen. Each ``Mailbox`` remembers the UIDs it has looked at and returns only
the mail its ``MailThread`` claims.

Python's ``imaplib`` has no IDLE before 3.14; ``_Idle`` speaks it on imaplib's connection
(RFC 2177: ``IDLE``, ``+ idling``, untagged ``EXISTS`` on new mail, ``DONE``).
"""

from __future__ import annotations

import calendar
import imaplib
import io
import re
import select
import socket
import ssl
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from journeys.channels.written.letters import Letter, MailThread, read_letter
from journeys.company.mail import MailLogin, MailServer
from journeys.errors import MailLoginRefused, MailServerUnreachable

IDLE_RESTART_SECONDS = 25 * 60
"""RFC 2177 asks clients to renew IDLE before 29 minutes, when servers may drop them."""

FETCHED = re.compile(rb'UID (\d+).*INTERNALDATE "([^"]+)"')
INTERNALDATE = re.compile(r"\s*(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)")
MONTHS = {name: index for index, name in enumerate(calendar.month_abbr) if name}


def arrival_time(internaldate: str) -> float:
    """Seconds since the epoch of an IMAP INTERNALDATE (``30-Nov-2026 09:07:26 +0000``)."""
    found = INTERNALDATE.match(internaldate)
    if found is None:
        raise ValueError(f"not an IMAP INTERNALDATE: {internaldate!r}")
    day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = found.groups()
    local = calendar.timegm((int(year), MONTHS[month], int(day), int(hour), int(minute), int(second)))
    offset = (int(zone_hours) * 3600 + int(zone_minutes) * 60) * (1 if sign == "+" else -1)
    return float(local - offset)


class Mailbox:
    """One connection to the customer's mailbox, for one journey at a time.

    Open it before the journey writes, so the first reply cannot slip in before the baseline
    (only mail that arrives after opening is returned).

    Args:
        server: the IMAP server.
        login: the mailbox's user and password.
        poll_seconds: how often to look where the server offers no IDLE.
    """

    def __init__(self, server: MailServer, login: MailLogin, *, poll_seconds: float = 5.0) -> None:
        self.server = server
        self.login = login
        self.poll_seconds = poll_seconds
        self.imap: imaplib.IMAP4 | None = None
        self.next_uid = 1
        self.idle_wakeups = 0

    def __enter__(self) -> Mailbox:
        self.open()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _where(self) -> str:
        return f"the IMAP server {self.server} (mailbox {self.login.user})"

    def open(self) -> None:
        """Connect, log in and examine the INBOX; new mail from now on is this reader's.

        Raises:
            MailServerUnreachable: the server did not answer, or TLS failed.
            MailLoginRefused: the server refused the user or password.
        """
        action = "open the customer's mailbox"
        try:
            imap = self._connect()
        except (OSError, imaplib.IMAP4.error) as error:
            raise MailServerUnreachable(
                f"cannot reach {self._where()}: {error}; check host, port and security "
                "in the company profile's mail section",
                action=action,
            ) from None
        try:
            imap.login(self.login.user, self.login.password)
        except imaplib.IMAP4.error:
            imap.shutdown()
            raise MailLoginRefused(f"{self._where()} refused the login: {self.login.fix()}") from None
        self.imap = imap
        self._command(imap.select, "INBOX", True)  # read-only: EXAMINE, flags untouched
        self.next_uid = int(self._status(imap, "UIDNEXT") or 1)

    def _connect(self) -> imaplib.IMAP4:
        host, port = self.server.host, self.server.port
        if self.server.security == "tls":
            return imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=30)
        imap = imaplib.IMAP4(host, port, timeout=30)
        if self.server.security == "starttls":
            imap.starttls(ssl.create_default_context())
        return imap

    def _status(self, imap: imaplib.IMAP4, item: str) -> str | None:
        _, data = self._command(imap.status, "INBOX", f"({item})")
        answer = data[0].decode() if data and isinstance(data[0], bytes) else ""
        found = re.search(rf"{item} (\d+)", answer)
        return found.group(1) if found else None

    def _command(self, method: Callable[..., tuple[str, list[Any]]], *args: object) -> tuple[str, list[Any]]:
        """Run an imaplib command; a dropped connection becomes the harness's one-line error."""
        try:
            status, data = method(*args)
        except (OSError, imaplib.IMAP4.abort) as error:
            raise MailServerUnreachable(
                f"{self._where()} broke off: {error}", action="read the customer's mailbox"
            ) from None
        if status != "OK":
            raise MailServerUnreachable(
                f"{self._where()} answered {status} {data!r}", action="read the customer's mailbox"
            )
        return status, list(data)

    def close(self) -> None:
        imap, self.imap = self.imap, None
        if imap is None:
            return
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            imap.shutdown()

    def _open_imap(self) -> imaplib.IMAP4:
        if self.imap is None:
            raise MailServerUnreachable(
                f"{self._where()}: the mailbox is not open; call open() first", action="read the mailbox"
            )
        return self.imap

    def new_letters(self, thread: MailThread) -> list[Letter]:
        """Mail of this thread that arrived since the last look, oldest first; never waits."""
        imap = self._open_imap()
        self._command(imap.noop)  # lets the server tell us of mail that arrived meanwhile
        _, data = self._command(imap.uid, "SEARCH", f"UID {self.next_uid}:*")
        found = data[0] if data and isinstance(data[0], bytes) else b""
        uids = sorted(uid for uid in map(int, found.split()) if uid >= self.next_uid)
        if not uids:
            return []
        self.next_uid = uids[-1] + 1
        seen_at = time.time()  # they were there when SEARCH answered
        letters = [letter for letter in self._fetch(imap, uids, seen_at) if thread.claims(letter)]
        return sorted(letters, key=lambda letter: (letter.arrived_at, letter.uid))

    def _fetch(self, imap: imaplib.IMAP4, uids: list[int], seen_at: float) -> list[Letter]:
        """The messages of these UIDs, in one FETCH: a shared mailbox holds other journeys' mail too.

        IMAP gives arrival in whole seconds, so a mail that arrived at 10.9 says 10; it was
        there when we saw it, too. Its time is the earlier of the two bounds' ends, the
        second's end and the moment we saw it: exact to the millisecond when IDLE woke us
        as it arrived, and never more than a second late when we only looked now and then.
        """
        wanted = ",".join(map(str, uids))
        _, data = self._command(imap.uid, "FETCH", wanted, "(UID INTERNALDATE BODY.PEEK[])")
        letters = []
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                found = FETCHED.search(item[0])
                if found is not None:
                    stamped = arrival_time(found.group(2).decode())
                    arrived_at = min(stamped + 1.0, max(stamped, seen_at))
                    letters.append(read_letter(int(found.group(1)), arrived_at, item[1]))
        return letters

    @property
    def idles(self) -> bool:
        """Whether the server offers IDLE (mail is then seen the moment it arrives)."""
        return self.imap is not None and "IDLE" in self.imap.capabilities

    def wait_for(self, thread: MailThread, *, timeout: float) -> list[Letter]:
        """Wait until mail of this thread arrives, or the timeout passes (then: empty list).

        Sleeps in IDLE where the server offers it (woken by the server the moment mail is
        delivered), else looks every ``poll_seconds``.
        """
        deadline = time.monotonic() + timeout
        while True:
            letters = self.new_letters(thread)
            remaining = deadline - time.monotonic()
            if letters or remaining <= 0:
                return letters
            imap = self._open_imap()
            if "IDLE" in imap.capabilities:
                self.idle_wakeups += _Idle(imap, self._where()).wait(min(remaining, IDLE_RESTART_SECONDS))
            else:
                time.sleep(min(self.poll_seconds, remaining))


class _Idle:
    """One IDLE command on an imaplib connection: sleep until the server reports new mail."""

    def __init__(self, imap: imaplib.IMAP4, where: str) -> None:
        self.imap = imap
        self.where = where

    def wait(self, seconds: float) -> int:
        """IDLE for at most ``seconds``; 1 if the server reported new mail, else 0."""
        tag = self.imap._new_tag()
        try:
            self.imap.send(tag + b" IDLE\r\n")
            started = self.imap.readline()
            if not started.startswith(b"+"):
                raise MailServerUnreachable(
                    f"{self.where} refused IDLE: {started.strip().decode(errors='replace')}",
                    action="wait for mail",
                )
            woke = self._until_exists(time.monotonic() + seconds)
            self.imap.send(b"DONE\r\n")
            while not (line := self.imap.readline()).startswith(tag):
                if not line:
                    raise OSError("connection closed during IDLE")
        except OSError as error:
            raise MailServerUnreachable(
                f"{self.where} broke off during IDLE: {error}", action="wait for mail"
            ) from None
        return int(woke)

    def _until_exists(self, deadline: float) -> bool:
        while (remaining := deadline - time.monotonic()) > 0:
            if not self._readable(remaining):
                return False
            line = self.imap.readline()
            if not line:
                raise OSError("connection closed during IDLE")
            if line.rstrip().endswith((b"EXISTS", b"RECENT")):
                return True
        return False

    def _readable(self, seconds: float) -> bool:
        """Whether a line waits, in imaplib's buffer or on the socket, within ``seconds``."""
        sock: socket.socket = self.imap.sock
        timeout = sock.gettimeout()
        sock.setblocking(False)
        try:
            reader = self.imap.file
            assert isinstance(reader, io.BufferedReader)  # imaplib reads through makefile("rb")
            buffered = reader.peek(1)
        except (BlockingIOError, ssl.SSLWantReadError):
            buffered = b""
        finally:
            sock.settimeout(timeout)
        if buffered:
            return True
        readable, _, _ = select.select([sock], [], [], seconds)
        return bool(readable)
