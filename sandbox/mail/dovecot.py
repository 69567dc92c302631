"""Dovecot run standalone: a generated config in a temporary folder, in its starter's group.

The system's Dovecot package is used as a program only: ``dovecot -c FILE -F`` with a config
written here, so nothing under ``/etc`` is read or changed and a system-wide instance, if any,
is left alone. Users come from a passwd-file; mail is kept as Maildir in the folder. IMAP (with
IDLE) and LMTP listen on loopback. Run as root, Dovecot's own users do the work its design
asks for (``dovenull`` for logins, ``dovecot`` for internal services) and mail is owned by
``nobody``; run as anyone else, every process is that user.

Dovecot stays in the process group of whoever starts it (the sandbox): a harness that ends the
sandbox with ``killpg`` (SIGTERM, then SIGKILL when it hangs) reaches every Dovecot process
too, and a SIGKILL cannot be caught, so sharing the group is the only way nothing survives it.
A stop from inside (``Dovecot.stop``) cannot signal its own group, so it stops the master and
then kills what is left of the master's family, which it notes before the master goes.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sandbox.errors import MailServerError
from sandbox.mail.accounts import MailAccount

START_SECONDS = 15.0
SOCKET_FOLDER_LIMIT = 60
"""Dovecot's sockets live under its base_dir, the longest some 40 characters below it, and a
Unix socket's path has at most 107: a longer folder (a deep ``TMPDIR``) gets a short one in
``/tmp`` for them, or Dovecot would not start ("File name too long")."""
STOP_GRACE_SECONDS = 1.0
"""Dovecot's master may sit some 5 s waiting for its children after SIGTERM; every message it
accepted over LMTP is already on disk, and the folder is deleted anyway, so past this grace the
master and its children are killed rather than waited for."""


@dataclass(frozen=True)
class DovecotPorts:
    """Where this Dovecot listens, on loopback (``imaps``: 0 without a certificate)."""

    imap: int
    lmtp: int
    imaps: int = 0


@dataclass(frozen=True)
class ServerCertificate:
    """A certificate and its private key (PEM files) for serving IMAP and SMTP over TLS.

    With one, the servers speak as a real provider's do: IMAP takes logins only after
    STARTTLS, IMAPS and SMTPS speak TLS from the first byte, SMTP requires STARTTLS.
    """

    cert: Path
    key: Path


def dovecot_program() -> str:
    """The ``dovecot`` binary, or a one-line error saying what to install."""
    found = shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(path, os.X_OK)),
        None,
    )
    if found is None:
        raise MailServerError(
            "dovecot is not installed: run scripts/install-system-packages "
            "(Debian/Ubuntu: apt-get install dovecot-imapd dovecot-lmtpd)"
        )
    return found


def _users() -> tuple[str, str, str, str]:
    """Internal user, login user, and the mail owner's user and group, for this process."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return me, me, str(os.geteuid()), str(os.getegid())
    for name in ("dovecot", "dovenull"):
        try:
            pwd.getpwnam(name)
        except KeyError as error:
            raise MailServerError(
                f"user {name!r} is missing; reinstall dovecot-core, which creates it"
            ) from error
    nobody = pwd.getpwnam("nobody")
    return "dovecot", "dovenull", str(nobody.pw_uid), str(nobody.pw_gid)


def write_config(
    folder: Path,
    ports: DovecotPorts,
    accounts: tuple[MailAccount, ...],
    sockets: Path | None = None,
    tls: ServerCertificate | None = None,
) -> Path:
    """Write ``dovecot.conf`` and its passwd-file into ``folder``; return the config's path.

    Mail for ``ann+anything@domain`` goes to ann's INBOX (``recipient_delimiter``), which is
    what lets parallel journeys each have their own address in one shared test mailbox.
    """
    internal, login, mail_uid, mail_gid = _users()
    mail = folder / "mail"
    mail.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        folder.chmod(0o711)  # the mail owner must reach its Maildir; nothing here is listable
        os.chown(mail, int(mail_uid), int(mail_gid))
    users = folder / "users"
    users.write_text(
        "".join(f"{account.address.lower()}:{{PLAIN}}{account.password}::::::\n" for account in accounts),
        encoding="utf-8",
    )
    users.chmod(0o640)
    if os.geteuid() == 0:  # Dovecot's auth process reads it as the internal user
        os.chown(users, 0, pwd.getpwnam(internal).pw_gid)
    if tls is None:
        security = "ssl = no\ndisable_plaintext_auth = no"
    else:  # no login before TLS, as on a real provider's server
        security = (
            f"ssl = required\nssl_cert = <{tls.cert}\nssl_key = <{tls.key}\ndisable_plaintext_auth = yes"
        )
    config = folder / "dovecot.conf"
    config.write_text(
        f"""# Generated by sandbox.mail for one run of the demo company; deleted on stop.
instance_name = mystery-shopper-{folder.name}
base_dir = {sockets or folder / "run"}
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
shutdown_clients = yes
{security}
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:~/Maildir
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {users}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={mail}/%d/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {ports.imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ports.imaps}
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {ports.lmtp}
  }}
}}
""",
        encoding="utf-8",
    )
    return config


def free_port() -> int:
    """A loopback port free at this moment (Dovecot binds it itself, so it needs a number)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def accepts_connections(port: int) -> bool:
    """Whether something listens on this loopback port (readiness, and proof of a stop)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Dovecot:
    """One standalone Dovecot, in its starter's process group; stopping it leaves nothing."""

    def __init__(
        self, folder: Path, accounts: tuple[MailAccount, ...], tls: ServerCertificate | None = None
    ) -> None:
        self.folder = folder
        self.accounts = accounts
        self.tls = tls
        self.sockets = folder / "run"
        if len(str(self.sockets)) > SOCKET_FOLDER_LIMIT:
            self.sockets = Path(tempfile.mkdtemp(prefix="dovecot-", dir="/tmp"))
        self.ports = DovecotPorts(imap=free_port(), lmtp=free_port(), imaps=free_port() if tls else 0)
        self.process: subprocess.Popen[bytes] | None = None

    def log_tail(self, lines: int = 3) -> str:
        """The last lines of Dovecot's log, joined into one line for an error message."""
        log = self.folder / "dovecot.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def processes(self) -> list[int]:
        """The live processes of this Dovecot: the master and its descendants (empty once stopped)."""
        if self.process is None or not process_alive(self.process.pid):
            return []
        return [self.process.pid, *descendants(self.process.pid)]

    def start(self) -> None:
        """Start Dovecot and return once IMAP and LMTP accept connections.

        Raises:
            MailServerError: dovecot is missing, exits, or does not listen within the deadline.
        """
        config = write_config(self.folder, self.ports, self.accounts, self.sockets, self.tls)
        with (self.folder / "dovecot.stderr").open("wb") as stderr_file:  # Dovecot keeps its own copy
            self.process = subprocess.Popen(
                [dovecot_program(), "-c", str(config), "-F"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr_file,
            )
        deadline = time.monotonic() + START_SECONDS
        listening = [port for port in (self.ports.imap, self.ports.lmtp, self.ports.imaps) if port]
        while not all(accepts_connections(port) for port in listening):
            if self.process.poll() is not None or time.monotonic() > deadline:
                stderr = (self.folder / "dovecot.stderr").read_text(errors="replace").strip()
                self.stop()
                raise MailServerError(
                    f"dovecot did not start on 127.0.0.1 (IMAP {self.ports.imap}, LMTP "
                    f"{self.ports.lmtp}): {stderr or self.log_tail() or 'no log'}"
                )
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the master, then kill whatever of its family is still running; reap the master.

        The family is noted before the master is signalled: once the master is gone, its
        children belong to init and nothing links them to this Dovecot any more.
        """
        process, self.process = self.process, None
        try:
            if process is not None:
                _stop_family(process)
        finally:
            if not self.sockets.is_relative_to(self.folder):  # the short folder for its sockets
                shutil.rmtree(self.sockets, ignore_errors=True)


def _stop_family(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the master, SIGKILL it past the grace, then SIGKILL its children still alive."""
    family = descendants(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _kill(process.pid)
            process.wait()
    own_group = os.getpgrp()
    leftovers = [pid for pid in family if process_alive(pid) and _group_of(pid) == own_group]
    for pid in leftovers:  # only ours: a pid reused since is not in this group
        _kill(pid)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while any(process_alive(pid) for pid in leftovers) and time.monotonic() < deadline:
        time.sleep(0.01)  # SIGKILL is delivered at once; this only waits for the kernel


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command (state, ppid, pgrp, ...), if it exists."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None


def process_alive(pid: int) -> bool:
    """Whether a process runs (a zombie, exited but not yet reaped, does not)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _group_of(pid: int) -> int | None:
    fields = _stat(pid)
    return None if fields is None else int(fields[2])


def descendants(root: int) -> list[int]:
    """The live descendants of a process, read from ``/proc`` (children before grandchildren)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and fields[0] not in ("Z", "X"):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    waiting = [root]
    while waiting:
        for child in children.get(waiting.pop(0), []):
            found.append(child)
            waiting.append(child)
    return found


def group_members(group: int) -> list[int]:
    """The live processes of a process group, read from ``/proc`` (zombies are not alive)."""
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _group_of(int(entry.name)) == group and process_alive(int(entry.name))
    ]


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
