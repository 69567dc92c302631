"""Every error the harness raises on purpose, under one root.

::

    MysteryShopperError              root: catch this to catch everything we raise
    ├── ConfigError                  bad input from the user; the message says what and where
    │   ├── CompanyProfileError      a companies/*.toml file is missing, malformed or has a bad key
    │   ├── StepUsageError           a feature file uses a step with a bad value (channel, shipping)
    │   ├── MailLoginRefused         an IMAP or SMTP server refused the mailbox's user or password
    │   └── PhoneLoginRefused        a SIP registrar or proxy refused the phone account (401/403/407)
    ├── SetupError                   the machine cannot run journeys yet
    │   ├── BrowserNotFound          no Chromium could be found; says what to install
    │   ├── CompanyServerError       the company's local server (the sandbox) did not start
    │   └── PhoneUnavailable         the SIP user agent could not start (no free port, no PJSIP)
    ├── JourneyBroken                the harness could not carry out a journey (site down,
    │   │                            locator missing, timeout): not a bad experience, a broken run
    │   ├── MailServerUnreachable    an IMAP or SMTP server did not answer, or broke off
    │   └── CallFailed               a phone call was not answered: busy, 404, timeout...
    ├── PendingStep                  the step's task is not written yet: fails, never passes
    └── ExpectationsNotMet           one or more expectations were unmet (findings); raised at the
                                     end of the scenario so that every step still ran and recorded

The command line turns any of these into one line and an exit code; the pytest
plugin turns configuration errors into ``pytest.UsageError``.
"""

from __future__ import annotations


class MysteryShopperError(Exception):
    """Root of every error the harness raises on purpose."""


class ConfigError(MysteryShopperError):
    """Bad input from the user: the message says what is wrong, where, and how to fix it."""


class CompanyProfileError(ConfigError):
    """A company profile (``companies/*.toml``) is missing, malformed, or has a bad key."""


class StepUsageError(ConfigError):
    """A feature file gave a step a value the harness does not know (a channel, a method)."""


class SetupError(MysteryShopperError):
    """The machine is not ready to run journeys (no browser, a server that will not start)."""


class BrowserNotFound(SetupError):
    """Neither Playwright's bundled Chromium nor a system Chromium could be found."""


class CompanyServerError(SetupError):
    """The company's local server (for example the sandbox) could not be started."""


class JourneyBroken(MysteryShopperError):
    """The harness could not carry out the journey: a broken run, not a bad experience.

    Attributes:
        channel: the channel the journey was using when it broke.
        action: what the harness was trying to do, in the customer's words.
    """

    def __init__(self, message: str, *, channel: str, action: str) -> None:
        super().__init__(message)
        self.channel = channel
        self.action = action


class MailLoginRefused(ConfigError):
    """An IMAP or SMTP server refused the mailbox's user or password (never in the message)."""


class MailServerUnreachable(JourneyBroken):
    """An IMAP or SMTP server could not be reached, or broke off: the e-mail channel is down."""

    def __init__(self, message: str, *, action: str) -> None:
        super().__init__(message, channel="email", action=action)


class PhoneUnavailable(SetupError):
    """The SIP user agent could not start: PJSIP missing, or no transport could be opened."""


class PhoneLoginRefused(ConfigError):
    """A SIP registrar or proxy refused the phone account's user or password (never in the message).

    Attributes:
        status_code: the SIP status (401, 403 or 407).
        reason: the SIP reason phrase.
    """

    def __init__(self, message: str, *, status_code: int, reason: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.reason = reason


class CallFailed(JourneyBroken):
    """A phone call ended before it was answered: busy, not found, refused, or no answer in time.

    Attributes:
        status_code: the SIP status the call ended with (486 busy, 404, 408...); 0 when none came.
        reason: the SIP reason phrase, or what the harness gave up waiting for.
    """

    def __init__(self, message: str, *, action: str, status_code: int, reason: str) -> None:
        super().__init__(message, channel="phone", action=action)
        self.status_code = status_code
        self.reason = reason


class PendingStep(MysteryShopperError):
    """A step whose task is not written yet: it fails as pending, it never passes silently."""


class ExpectationsNotMet(MysteryShopperError, AssertionError):
    """Raised once at the end of a scenario whose expectations were not all met."""


def first_line(error: BaseException, empty: str | None = None) -> str:
    """An error's first line, for a one-line message; ``empty`` (else its type) when it says nothing."""
    text = str(error)
    return text.splitlines()[0] if text else empty or type(error).__name__
