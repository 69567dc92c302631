"""What a run writes outside its journey records, scrubbed of the run's secrets.

Journey records are scrubbed as they are written (:class:`~journeys.domain.results.RunDirectory`),
and the reports, exports and history are made from them. The rest passes through here, through
the same one scrub (:meth:`~journeys.domain.secrets.Secrets.scrub`):

- pytest's test reports (:func:`scrub_report`): the failure text and captured output that the
  terminal prints and JUnit XML keeps;
- log records (:func:`scrub_log_records`), whatever handler writes them (a ``--log-file``, the
  live log, the captured log of a report);
- Playwright traces (:func:`keep_scrubbed_trace`).

A trace (``--tracing on``) records everything the browser did: each action's
arguments (the test card typed into a field), the page's DOM before and after it
(the field's value), the requests (the form post), and a film of the screen.
:func:`keep_scrubbed_trace` writes the archive again with every secret replaced by
its ``${NAME}``: the events structurally, so that their numbers and their JSON stay
intact, every other file as bytes.

The film cannot be scrubbed: its frames are pictures, and a frame of a form holds the
typed card as pixels. A trace in which a secret was found therefore loses its film;
the DOM snapshots, which the trace viewer shows for every action, stay.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journeys.domain.secrets import Secrets

EVENT_FILES = (".trace", ".network")
"""Archive members that hold one JSON event per line."""
FILM_FOLDER = "screencast/"
FILM_EVENT = "screencast-frame"


def _scrub_events(data: bytes, secrets: Secrets, drop_film: bool) -> bytes:
    lines = []
    for line in data.decode("utf-8").splitlines():
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:  # not an event after all: scrub it as text
            lines.append(secrets.scrub(line))
            continue
        if drop_film and isinstance(event, dict) and event.get("type") == FILM_EVENT:
            continue
        lines.append(json.dumps(secrets.scrub_data(event), ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n").encode("utf-8")


def keep_scrubbed_trace(source: Path, target: Path, secrets: Secrets) -> None:
    """Move a trace archive to ``target``, scrubbed of ``secrets`` (the source is removed).

    The archive is written beside ``target`` and renamed into place, so a reader never
    sees half a trace, and the unscrubbed source never enters the run folder.
    """
    if not secrets:
        shutil.move(source, target)
        return
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    scrubbed = [secrets.scrub_bytes(data) for _, data in members]
    held = any(clean != data for clean, (_, data) in zip(scrubbed, members, strict=True))
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(descriptor, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as out:
        for (info, data), clean in zip(members, scrubbed, strict=True):
            if held and info.filename.startswith(FILM_FOLDER):
                continue
            if info.filename.endswith(EVENT_FILES):  # structurally, so the events stay valid JSON
                clean = _scrub_events(data, secrets, drop_film=held)
            out.writestr(info.filename, clean)
    os.replace(temporary, target)
    source.unlink()


def scrub_report(report: pytest.TestReport | pytest.CollectReport, secrets: Secrets) -> None:
    """Scrub a test report's failure text and captured output, before the terminal or JUnit reads them.

    A failure's text may quote a secret (a local variable shown with ``--showlocals``, a
    value in an assertion, an error from a page object); it is then kept as plain text,
    scrubbed, instead of pytest's structured representation.
    """
    if not secrets:
        return
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (file, line, reason)
        path, line, reason = longrepr
        report.longrepr = (path, line, secrets.scrub(reason))
    elif longrepr is not None:
        text = str(longrepr) if isinstance(longrepr, str) else report.longreprtext
        if secrets.within(text):
            report.longrepr = secrets.scrub(text)
    report.sections = [(title, secrets.scrub(content)) for title, content in report.sections]


def scrub_log_records(secrets: Secrets) -> Callable[[], None]:
    """From now on, make every log record with the secrets scrubbed from its message and traceback.

    Done where records are made (the record factory), so that every handler, present or
    added later, writes scrubbed text. Returns the function that undoes it.
    """
    previous = logging.getLogRecordFactory()

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it when the record is written
            return record
        if secrets.within(message):
            record.msg, record.args = secrets.scrub(message), None
        if record.exc_info:
            record.exc_text = secrets.scrub(logging.Formatter().formatException(record.exc_info))
        return record

    if secrets:
        logging.setLogRecordFactory(make)
    return lambda: logging.setLogRecordFactory(previous)
