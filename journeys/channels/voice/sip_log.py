"""PJSIP's log into Python logging, with credentials taken out.

SIP messages are not logged at all (``msgLogging = 0``), so no ``Authorization`` header is
printed; this writer is the second line of defence: any line naming an authorisation header,
or holding one of the passwords the user agent was given, is replaced before it is logged.
PJSIP calls it from whichever of its threads logged, so it only touches Python ``logging``
(thread-safe) and a set that is only ever added to.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pjsua2 as pj

AUTHORIZATION = re.compile(r"(?im)^((?:proxy-)?authorization\s*:).*$")
REDACTED = "[redacted]"
PJSIP_LEVELS = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO}


def redact(text: str, secrets: set[str]) -> str:
    """``text`` without authorisation headers' values or any of the secrets."""
    text = AUTHORIZATION.sub(rf"\1 {REDACTED}", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class RedactingLog(pj.LogWriter):  # type: ignore[misc]
    """Forwards PJSIP's log entries to a Python logger, redacted."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__()
        self.logger = logger
        self.secrets: set[str] = set()

    def write(self, entry: Any) -> None:
        level = PJSIP_LEVELS.get(int(entry.level), logging.DEBUG)
        if self.logger.isEnabledFor(level):
            self.logger.log(level, "%s", redact(str(entry.msg).rstrip(), set(self.secrets)))
