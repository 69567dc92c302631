"""The sandbox's errors: one root, so the command line can turn any of them into one line.

::

    SandboxError                  anything the sandbox refuses to start with
     ├── ProfileError             a service profile is unknown, unreadable or malformed
     ├── PortInUseError           the address to listen on is taken
     ├── MailServerError          the mail servers (Dovecot, the SMTP front end) cannot run
     └── PhoneLineError           the SIP line cannot start (PJSIP, flite, the recogniser)

Messages are a single line that says what failed, where (file and key, or host and port) and
how to fix it; the command line prints them after ``sandbox: ``.
"""

from __future__ import annotations


class SandboxError(Exception):
    """Raised for bad input that stops the sandbox from starting (never for a bug)."""


class ProfileError(SandboxError):
    """Raised when a service profile cannot be found, read or validated."""


class PortInUseError(SandboxError):
    """Raised when the host and port asked for are already bound by another process."""


class MailServerError(SandboxError):
    """Raised when Dovecot is missing, will not start, or the SMTP front end cannot listen."""


class PhoneLineError(SandboxError):
    """Raised when the SIP line cannot listen, or its voice or its recogniser is missing."""
