"""Journey records gathered from one or more run folders, for rendering a report again.

CI shards one run across machines (``--shard i/n``); each shard leaves a run folder.
:func:`gather` reads the records of every folder given and refuses a journey recorded
twice (two shards that ran the same scenario, or the same folder under two names would
count it twice in every score); :func:`copy_into` then makes the output folder a run
folder like any other, with every record and every journey's evidence, so the merged
report's links work wherever the folder is copied and the folder can be recorded in the
run history.

Nothing is taken on trust: a record or evidence that is a link, or that leaves its
folder, is refused before anything is copied (:mod:`reports.folder_safety`).

Errors: :class:`MergeError` and :class:`~reports.folder_safety.UnsafeRunFolder` (both
:class:`~journeys.errors.MysteryShopperError`), one line each, naming the folder or the files.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeys.domain.results import RunDirectory, record_problem
from journeys.errors import MysteryShopperError
from reports.folder_safety import check_evidence, check_record_file, copy_plain_files


class MergeError(MysteryShopperError):
    """A run folder is missing, holds no records, or two folders recorded the same journey."""


@dataclass(frozen=True)
class StoredRecord:
    """A journey record and the file it was read from."""

    path: Path
    folder: Path
    record: dict[str, Any]

    @property
    def journey_id(self) -> str:
        return str(self.record.get("journey_id", ""))


def _read(path: Path) -> dict[str, Any]:
    """A stored record, held to the results format before anything scores or renders it."""
    try:
        with path.open(encoding="utf-8") as stream:
            record = json.load(stream)
    except (OSError, ValueError) as error:  # ValueError: not JSON, or not UTF-8
        raise MergeError(f"{path}: not a readable journey record ({error})") from error
    problem = record_problem(record)
    if problem is not None:
        raise MergeError(f"{path}: {problem}")
    assert isinstance(record, dict)
    return record


def records_of(folder: Path) -> list[StoredRecord]:
    """The journey records of one run folder, in file-name order.

    Raises:
        MergeError: the folder is missing, or holds no ``journeys/*.json``.
        UnsafeRunFolder: a record or its evidence is a link, or leaves the folder
            (:mod:`reports.folder_safety`).
    """
    if folder.exists() and not folder.is_dir():
        raise MergeError(f"{folder}: is a file, not a run folder; give the folder that holds journeys/")
    if not folder.is_dir():
        raise MergeError(f"{folder}: no such run folder")
    paths = sorted(RunDirectory(folder).journeys_dir.glob("*.json"))
    if not paths:
        raise MergeError(f"{folder}: no journey records (expected {folder / 'journeys'}/*.json)")
    stored = []
    for path in paths:
        check_record_file(folder, path)
        stored.append(StoredRecord(path, folder, _read(path)))
        check_evidence(folder, path, stored[-1].record)
    return stored


def gather(folders: Sequence[Path]) -> list[StoredRecord]:
    """Every record of the folders, each journey once.

    A file met twice (the same folder given twice) is read once; the same
    ``journey_id`` in two different files is an error.

    Raises:
        MergeError: a folder is missing or empty, or a journey is recorded in two files.
    """
    seen: dict[str, StoredRecord] = {}
    files: set[Path] = set()
    for folder in folders:
        for stored in records_of(folder):
            real = stored.path.resolve()
            if real in files:
                continue
            files.add(real)
            earlier = seen.get(stored.journey_id)
            if earlier is not None:
                raise MergeError(
                    f"journey {stored.journey_id} is recorded twice, in {earlier.path} and {stored.path}: "
                    "give each shard's folder once, and shards that ran different journeys"
                )
            seen[stored.journey_id] = stored
    return list(seen.values())


def copy_into(out: Path, stored: Sequence[StoredRecord]) -> None:
    """Copy the records (and their ``artifacts/<journey_id>/``) of other folders into ``out``."""
    target = RunDirectory(out)
    for item in stored:
        if item.folder.resolve() == out.resolve():
            continue
        target.journeys_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item.path, target.journeys_dir / item.path.name)
        evidence = RunDirectory(item.folder).artifacts_dir / item.journey_id
        if evidence.is_dir():
            copy_plain_files(evidence, target.artifacts_dir / item.journey_id)


def refuse_stale_output(out: Path, run_dirs: Sequence[Path], stored: Sequence[StoredRecord]) -> None:
    """Refuse an output folder that already holds records of some other run.

    Merging copies records in and never deletes, so a reused ``--out`` would mix an
    earlier merge's journeys into this report; one of the input folders is fine.
    """
    if any(out.resolve() == folder.resolve() for folder in run_dirs):
        return
    incoming = {item.path.name for item in stored}
    journeys = out / "journeys"
    stale = sorted(path.name for path in journeys.glob("*.json") if path.name not in incoming)
    if stale:
        raise MergeError(
            f"--out {out}: already holds {len(stale)} journey record(s) of another run"
            f" (e.g. {journeys / stale[0]}); choose an empty folder"
        )
