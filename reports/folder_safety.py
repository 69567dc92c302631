"""A run folder read as untrusted: its records and evidence must be plain files inside it.

``mystery-shopper report`` merges folders that CI machines uploaded and another machine
downloaded; whatever such a folder holds, a merge must never read or copy anything from
outside it. A symlink (``artifacts/x/trace.zip -> ~/.ssh/id_rsa``) or a record naming
its screenshot ``/etc/passwd`` or ``../../secret.png`` would otherwise be copied into
the merged folder and linked from its report.

So, before anything is copied: a record file, the folders on its way and every file of
its evidence (``artifacts/<journey_id>/``) must be plain files and folders, not links
nor devices, and every path a record names (its breakage screenshot) must lie inside
its own ``artifacts/<journey_id>/``. Anything else is refused, in one line naming the
file (:class:`UnsafeRunFolder`). A harness never writes such a folder: a refusal means
the folder was tampered with, or copied by something that made links.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from journeys.domain.results import RunDirectory
from journeys.errors import MysteryShopperError

HINT = "a run folder is merged only from plain files inside it"
SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")
"""A journey id that is a plain folder name (the results format allows ``[a-z0-9-]``)."""


class UnsafeRunFolder(MysteryShopperError):
    """A run folder holds a link, a special file, or a record naming evidence outside its folder."""


def _kind(path: Path) -> str | None:
    """What is wrong with ``path`` as part of a run folder, or None for a plain file or folder."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return f"a symlink (to {os.readlink(path)})"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a plain file"
    return None


def _refuse_links_on_the_way(root: Path, path: Path, record: Path) -> None:
    """Every existing step from ``root`` down to ``path`` is a plain folder or file."""
    step = root
    for part in path.relative_to(root).parts:
        step = step / part
        if not os.path.lexists(step):
            return
        problem = _kind(step)
        if problem:
            raise UnsafeRunFolder(f"{step}: {problem}, in the run folder of {record}; {HINT}")


def check_record_file(root: Path, record: Path) -> None:
    """Refuse a journey record that is not a plain file in the folder's ``journeys/``.

    Raises:
        UnsafeRunFolder: the record, or ``journeys/``, is a link or a special file.
    """
    _refuse_links_on_the_way(root, record, record)


def _named_paths(record: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The paths of evidence a record names: (its key, the path)."""
    breakage = record.get("breakage")
    if isinstance(breakage, Mapping) and breakage.get("screenshot") is not None:
        yield "breakage.screenshot", str(breakage["screenshot"])


def check_evidence(root: Path, record_path: Path, record: Mapping[str, Any]) -> None:
    """Refuse a record whose evidence leaves ``root/artifacts/<journey_id>/``.

    Raises:
        UnsafeRunFolder: the journey id is not a plain folder name; a named path is
            absolute, climbs out with ``..`` or lies outside the journey's artifacts;
            or the journey's artifacts hold a link or a special file.
    """
    journey_id = str(record.get("journey_id", ""))
    if not SAFE_ID.fullmatch(journey_id):
        raise UnsafeRunFolder(f"{record_path}: journey_id {journey_id!r} is not a plain folder name; {HINT}")
    own = PurePosixPath("artifacts", journey_id)
    for key, named in _named_paths(record):
        path = PurePosixPath(named.replace("\\", "/"))
        if path.is_absolute() or ":" in named:
            why = "is an absolute path"
        elif ".." in path.parts:
            why = "climbs out with .."
        elif own not in path.parents:
            why = f"is not inside {own}/"
        else:
            _refuse_links_on_the_way(root, root / path, record_path)
            continue
        raise UnsafeRunFolder(f"{record_path}: {key} {named!r} {why}; {HINT}")
    folder = RunDirectory(root).artifacts_dir / journey_id
    _refuse_links_on_the_way(root, folder, record_path)
    if folder.is_dir():
        for inside in sorted(folder.rglob("*")):  # rglob does not enter linked folders
            problem = _kind(inside)
            if problem:
                raise UnsafeRunFolder(f"{inside}: {problem}, in the evidence of {record_path}; {HINT}")


def copy_plain_files(source: Path, target: Path) -> None:
    """Copy the plain files and folders below ``source``; links and special files never.

    The folder was checked (:func:`check_evidence`) before; this holds even if it changes since.
    """
    for folder, folders, files in os.walk(source, followlinks=False):
        here = Path(folder)
        destination = target / here.relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        folders[:] = [name for name in folders if _kind(here / name) is None]
        for name in files:
            if _kind(here / name) is None:
                shutil.copyfile(here / name, destination / name, follow_symlinks=False)
