"""The run history's SQLite file: its schema, its migrations, and how a process opens it.

A database's ``PRAGMA user_version`` is the number of migrations applied to it.
``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``; to change the
schema, append a migration and never edit a released one, so that a history kept
for a year in a CI cache upgrades in place the first time a newer harness opens it.

Several processes (CI shards, xdist workers) may open one file at once: the
database runs in WAL mode (readers never block the writer), every connection
waits up to :data:`BUSY_TIMEOUT` seconds for a lock instead of failing, and every
write takes the write lock up front (``BEGIN IMMEDIATE``) so that two writers
never deadlock upgrading a read lock. WAL needs a local file system: keep a
team-wide history on a CI cache or artifact, not on a network share.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from journeys.domain.results import refuse_unwritable_folder
from journeys.errors import ConfigError, MysteryShopperError

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file (an empty file is a database yet to be written)."""

BUSY_TIMEOUT = 60.0
"""Seconds a process waits for another's write to finish; a night's ingest takes well under one."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        # One row per run, keyed by its name (the run folder's name), so ingesting a
        # run again updates it in place; the counts and times are recomputed from
        # its journeys after every ingest, so shards of one run merge into one row.
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            folder TEXT,
            company TEXT NOT NULL,
            profile TEXT,
            time_scale REAL NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL NOT NULL,
            journeys INTEGER NOT NULL DEFAULT 0,
            passed INTEGER NOT NULL DEFAULT 0,
            findings INTEGER NOT NULL DEFAULT 0,
            broken INTEGER NOT NULL DEFAULT 0,
            interrupted INTEGER NOT NULL DEFAULT 0,
            recorded_at REAL NOT NULL
        )""",
        # Trends and regressions walk one series (company, profile, time scale) in time order.
        "CREATE INDEX runs_by_series ON runs (company, profile, time_scale, started_at)",
        "CREATE INDEX runs_by_start ON runs (started_at)",
        # One row per journey of a run, with the journey's metrics as columns (booleans
        # as 0/1, so that AVG gives a rate and ignores the NULLs of "not known").
        """CREATE TABLE journeys (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            journey_id TEXT NOT NULL,
            name TEXT NOT NULL,
            feature TEXT NOT NULL,
            line INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('passed', 'findings', 'broken', 'interrupted')),
            score REAL CHECK (score IS NULL OR score BETWEEN 0 AND 100),
            seed INTEGER NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL NOT NULL,
            duration REAL NOT NULL,
            findings INTEGER NOT NULL,
            contacts INTEGER NOT NULL,
            transfers INTEGER NOT NULL,
            escalations INTEGER NOT NULL,
            hold_time REAL NOT NULL,
            time_to_agent REAL,
            ivr_depth INTEGER NOT NULL,
            recaptures INTEGER NOT NULL,
            handle_time REAL NOT NULL,
            time_to_resolution REAL,
            first_contact_resolution INTEGER NOT NULL,
            claimed_resolved INTEGER,
            verified_resolved INTEGER,
            reference_given INTEGER NOT NULL,
            promise_made INTEGER NOT NULL,
            satisfaction_checked INTEGER,
            channel_switch_offered INTEGER,
            UNIQUE (run_id, journey_id)
        )""",
        "CREATE INDEX journeys_by_scenario ON journeys (feature, name, run_id)",
        """CREATE TABLE journey_tags (
            journey_row INTEGER NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (journey_row, tag)
        ) WITHOUT ROWID""",
        "CREATE INDEX journey_tags_by_tag ON journey_tags (tag, journey_row)",
        # One row per contact; run_id is repeated from the journey so that a channel's
        # trend reads one index range instead of joining every journey of every run.
        """CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            journey_row INTEGER NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            channel TEXT NOT NULL,
            purpose TEXT NOT NULL,
            setup INTEGER NOT NULL,
            started_at REAL,
            ended_at REAL,
            transfers INTEGER NOT NULL,
            escalations INTEGER NOT NULL,
            hold_time REAL NOT NULL,
            time_to_agent REAL,
            ivr_depth INTEGER NOT NULL,
            recaptures INTEGER NOT NULL,
            handle_time REAL,
            references_given INTEGER NOT NULL,
            promises_made INTEGER NOT NULL,
            satisfaction_checked INTEGER,
            channel_switch_offered INTEGER,
            claimed_resolved INTEGER,
            UNIQUE (journey_row, position)
        )""",
        "CREATE INDEX contacts_by_channel ON contacts (channel, run_id, journey_row) WHERE setup = 0",
        "CREATE INDEX contacts_by_run ON contacts (run_id)",
    ),
    (
        # Whether the run ran to its end, or was cut short (Ctrl-C, a CI job cancelled): an
        # interrupted run is shown as such and never judged against as a baseline. Runs
        # recorded before this column are interrupted when one of their journeys was.
        """ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'
            CHECK (status IN ('complete', 'interrupted'))""",
        "UPDATE runs SET status = 'interrupted' WHERE interrupted > 0",
    ),
    (
        # What the customer ended up with (the honest outcome) and the metrics issue #15 added,
        # per journey. Journeys recorded before these columns hold NULL, "not recorded": their
        # run folders, recorded again, fill them in (ingest replaces a run's journeys).
        """ALTER TABLE journeys ADD COLUMN outcome TEXT CHECK (outcome IS NULL
            OR outcome IN ('resolved', 'answered_honestly', 'misinformed', 'unresolved'))""",
        "ALTER TABLE journeys ADD COLUMN policy_recitals INTEGER",
        "ALTER TABLE journeys ADD COLUMN conferences INTEGER",
        "ALTER TABLE journeys ADD COLUMN identified_before_heard INTEGER",
        "ALTER TABLE journeys ADD COLUMN followed_up INTEGER",
        "ALTER TABLE journeys ADD COLUMN followed_up_by_promise INTEGER",
        # The outcome as rates a trend can average (NULL where the outcome is not known).
        """ALTER TABLE journeys ADD COLUMN settled INTEGER GENERATED ALWAYS AS
            (CASE WHEN outcome IS NULL THEN NULL ELSE outcome IN ('resolved', 'answered_honestly') END)
            VIRTUAL""",
        """ALTER TABLE journeys ADD COLUMN misinformed INTEGER GENERATED ALWAYS AS
            (CASE WHEN outcome IS NULL THEN NULL ELSE outcome = 'misinformed' END) VIRTUAL""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(MysteryShopperError):
    """The run history cannot do what was asked: a bad input, a damaged or foreign file."""


class HistoryVersionError(HistoryError):
    """The history file was written by a newer mystery-shopper, with a schema this one does not know."""


def refuse_unusable(path: Path, named: str, *, writing: bool) -> None:
    """Refuse a history path that cannot be a run history, without creating or opening it.

    A run records its history at its end; it checks the path before its first journey.

    Args:
        path: where the history is, or is to be.
        named: how the user gave it, to start the message (``--history x.sqlite3``).
        writing: whether it will be written (else only read, if it is there).

    Raises:
        HistoryError: the path is a folder, or a file that is not a SQLite database, or
            cannot be written (when ``writing``).
    """
    if path.is_dir():
        raise HistoryError(f"{named}: is a folder, not a run history; give a file such as history.sqlite3")
    if path.is_file():
        try:
            with path.open("rb") as stream:
                head = stream.read(len(SQLITE_HEADER))
        except OSError as error:
            raise HistoryError(f"{named}: cannot read the run history ({error.strerror})") from error
        if head and head != SQLITE_HEADER:
            raise HistoryError(
                f"{named}: not a run history (not a SQLite database); move it away, or give another path"
            )
        if writing and not os.access(path, os.W_OK):
            raise HistoryError(f"{named}: the run history is read-only; make it writable, or give another")
    elif writing:
        try:
            refuse_unwritable_folder(path.parent, f"{named}: its folder {path.parent}")
        except ConfigError as error:
            raise HistoryError(str(error)) from error


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the history at ``path`` and bring its schema up to date.

    Raises:
        HistoryVersionError: the file has a newer schema; it is left untouched.
        HistoryError: the file is not a SQLite database, or stayed locked too long.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, see the module docstring.
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        _while_locked(lambda: _check_version(connection, path))
        _while_locked(lambda: connection.execute("PRAGMA journal_mode = WAL"))
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commit,
        # which the next ingest of that run puts back.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        _migrate(connection, path)
    except sqlite3.OperationalError as error:  # still locked after BUSY_TIMEOUT, read-only, disk full
        connection.close()
        raise HistoryError(f"{path}: cannot open the run history: {error}") from error
    except sqlite3.DatabaseError as error:  # "file is not a database"
        connection.close()
        raise HistoryError(f"{path}: not a mystery-shopper history database ({error})") from error
    except BaseException:
        connection.close()
        raise
    return connection


def _while_locked(step: Callable[[], object]) -> None:
    """Run a step of opening the file, again while another process holds it, up to BUSY_TIMEOUT.

    SQLite answers "database is locked" at once, without waiting, to a connection that
    reads a new file or turns on WAL while another process is turning WAL on: the busy
    timeout covers transactions, not this hand-over. Seen with two CI shards creating
    one history together.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _user_version(connection: sqlite3.Connection) -> int:
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def _check_version(connection: sqlite3.Connection, path: Path) -> None:
    version = _user_version(connection)
    if version > SCHEMA_VERSION:
        raise HistoryVersionError(
            f"{path}: history schema version {version} is newer than this mystery-shopper knows "
            f"({SCHEMA_VERSION}); upgrade mystery-shopper, or set MYSTERY_SHOPPER_HISTORY to another file"
        )


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    if _user_version(connection) == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another process may have migrated meanwhile.
        _check_version(connection, path)
        for migration in MIGRATIONS[_user_version(connection) :]:
            for statement in migration:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: take the write lock first, so concurrent writers queue.

    Raises:
        HistoryError: another process held the lock for more than :data:`BUSY_TIMEOUT` seconds.
    """
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        path = connection.execute("PRAGMA database_list").fetchone()[2]
        raise HistoryError(
            f"{path}: another process kept the run history locked for over {BUSY_TIMEOUT:.0f} s ({error})"
        ) from error
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
