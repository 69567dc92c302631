"""How a journey tells the live view what it is doing, across the processes of a run.

Under pytest-xdist a worker cannot send the controller a message in the middle of a
test, so each journey keeps a feed file in the run's shared folder
(``<shared>/live/<journey_id>.jsonl``) and the controller reads the feeds (without
xdist, the same process writes and reads them: one path for both).

A feed is a file of JSON lines, appended to, never rewritten: one line when the
journey starts, and one each time what it is doing changes (:class:`~journeys.domain.
progress.Doing`). Appending rather than replacing one state file means a reader that
looks every half second still sees every state a journey went through (a demo hold of
a third of a second too), which the plain lines of a CI log promise. Each line is one
``write`` to a file opened for appending, so lines of a feed never interleave; a reader
takes only lines that end in a newline, and reads the rest on its next look.

Every text is scrubbed of the company's secrets before it is written: the feed lives on
disk, and the live view shows what it holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeys.domain.progress import Doing
from journeys.domain.secrets import Secrets
from journeys.journey.actor import Journey

LIVE_FOLDER = "live"
"""The feeds' folder, inside the run's shared folder."""


@dataclass(frozen=True)
class FeedEntry:
    """One line of a journey's feed: it started (``doing`` None), or it is doing something new."""

    journey_id: str
    name: str
    at: float
    doing: Doing | None = None


class LiveFeed:
    """The feed one journey writes; watch the journey with it (:meth:`Journey.watch`)."""

    def __init__(self, folder: Path, journey_id: str, name: str, secrets: Secrets) -> None:
        self.path = folder / f"{journey_id}.jsonl"
        self.journey_id = journey_id
        self.name = secrets.scrub(name)
        self.secrets = secrets
        self._last: Doing | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def started(self, at: float) -> None:
        """Say the journey started (before its first contact)."""
        self._append({"name": self.name, "at": at})

    def __call__(self, journey: Journey) -> None:
        """Write what the journey is doing, when it changed since the last line."""
        doing = journey.doing()
        if doing is None or doing == self._last:
            return
        self._last = doing
        self._append(
            {
                "name": self.name,
                "at": doing.since,
                "channel": doing.channel,
                "words": self.secrets.scrub(doing.words),
                "waiting": doing.waiting,
            }
        )

    def _append(self, entry: dict[str, Any]) -> None:
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)


class FeedReader:
    """Reads every journey's feed in a folder, each line once, in the order it was written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._read_up_to: dict[Path, int] = {}

    def new_entries(self) -> list[FeedEntry]:
        """The lines written since the last call; a line still being written waits for the next."""
        if not self.folder.is_dir():
            return []
        entries: list[FeedEntry] = []
        for path in sorted(self.folder.glob("*.jsonl")):
            offset = self._read_up_to.get(path, 0)
            try:
                with path.open("rb") as stream:
                    stream.seek(offset)
                    data = stream.read()
            except OSError:
                continue
            complete = data[: data.rfind(b"\n") + 1]
            self._read_up_to[path] = offset + len(complete)
            for line in complete.splitlines():
                entry = _entry(path.stem, line)
                if entry is not None:
                    entries.append(entry)
        return entries


def _entry(journey_id: str, line: bytes) -> FeedEntry | None:
    """One feed line as an entry; a line that is not one is skipped (a view must not fail a run)."""
    try:
        data = json.loads(line)
        doing = None
        if "channel" in data:
            doing = Doing(
                channel=data["channel"],
                words=str(data["words"]),
                since=float(data["at"]),
                waiting=bool(data["waiting"]),
            )
        return FeedEntry(journey_id=journey_id, name=str(data["name"]), at=float(data["at"]), doing=doing)
    except (ValueError, KeyError, TypeError):
        return None
