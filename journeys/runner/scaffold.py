"""``mystery-shopper init``: a QA team's repository of journeys, ready to run.

It writes the files in ``journeys/runner/templates/`` (``github/`` becomes ``.github/``):
one example journey that runs against the demo company at once, a commented company
profile that starts as the demo company, ``steps/`` with one step of the team's own, and
the nightly CI workflow. The rubric is a copy of the default one that ships in the
package, under another name, for the team to change: runs without ``--rubric`` keep
using the built-in default, which changes with the package.

Nothing is overwritten unless asked: a folder that already holds one of these files is
refused, whole, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journeys.errors import ConfigError
from journeys.scoring.rubric import BUILTIN as BUILTIN_RUBRICS

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The files ``init`` writes, laid out as in the team's repository."""

HIDDEN_FOLDERS = {"github": ".github"}
"""Template folders whose name in the repository starts with a dot (a wheel and ruff skip those)."""

RUBRIC_NAME = "our-rubric"
"""The copy of the default rubric, for the team to change (``--rubric our-rubric``)."""

RUBRIC_HEADER = f"""\
# Our rubric: a copy of mystery-shopper's default rubric, written by `mystery-shopper init`,
# to change as we judge service. Runs use it with --rubric {RUBRIC_NAME}; without --rubric
# they use the built-in default, which follows the upgrades of mystery-shopper.

"""


@dataclass(frozen=True)
class ScaffoldFile:
    """One file ``init`` writes: where, relative to the folder, and its text."""

    path: Path
    text: str


def scaffold_files() -> list[ScaffoldFile]:
    """Every file of a new project, in the order they are listed."""
    files = []
    for template in sorted(TEMPLATES.rglob("*")):
        if not template.is_file() or "__pycache__" in template.parts:
            continue
        parts = list(template.relative_to(TEMPLATES).parts)
        parts[0] = HIDDEN_FOLDERS.get(parts[0], parts[0])
        files.append(ScaffoldFile(Path(*parts), template.read_text(encoding="utf-8")))
    default = (BUILTIN_RUBRICS / "default.toml").read_text(encoding="utf-8")
    renamed = default.replace('\nname = "default"\n', f'\nname = "{RUBRIC_NAME}"\n', 1)
    files.append(ScaffoldFile(Path("rubrics", f"{RUBRIC_NAME}.toml"), RUBRIC_HEADER + renamed))
    return files


def scaffold(folder: Path, *, force: bool = False) -> list[Path]:
    """Write a new project into folder (made if missing); the files written, relative to it.

    Raises:
        ConfigError: folder is a file, or already holds one of the files (without ``force``).
    """
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"init: {folder} is a file; give a folder for the project")
    files = scaffold_files()
    there = [str(item.path) for item in files if (folder / item.path).exists()]
    if there and not force:
        raise ConfigError(
            f"init: {folder} already has {', '.join(there)}: nothing written (--force overwrites them)"
        )
    for item in files:
        target = folder / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.text, encoding="utf-8")
    return [item.path for item in files]
