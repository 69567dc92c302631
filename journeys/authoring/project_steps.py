"""A project's own step definitions: the Python files in ``steps/`` beside its ``features/``.

A QA team that installs the harness keeps its feature files in its own repository, and
sometimes needs a phrase the shipped vocabulary (:mod:`journeys.steps`) lacks. It writes
it in ``steps/<anything>.py`` of that repository, and nothing else: no ``conftest.py``
to edit. The pytest plugin registers these modules beside ours, and ``mystery-shopper
steps`` and ``check`` read them too, so the catalogue a team sees is the one its runs use.

The folder is imported as the package ``steps`` with the project's folder first on
``sys.path``, as pytest itself does for a ``conftest.py`` at the root: a step module may
import a helper beside it (``from steps.helpers import ...``). The shipped vocabulary no
longer uses that name, so the two never hide each other.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from journeys.errors import ConfigError
from journeys.steps import STEP_MODULES

FOLDER = "steps"
"""The folder of a project that holds its own step modules, and the package they are imported as."""


def project_step_files(root: Path) -> list[Path]:
    """The step modules of a project: ``steps/*.py`` under root, except ``_private.py`` ones."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.py") if path.is_file() and not path.name.startswith("_"))


def import_project_steps(root: Path) -> tuple[ModuleType, ...]:
    """Import a project's own step modules (see the module's docstring); none without ``steps/``.

    Raises:
        ConfigError: a module that cannot be imported (named with its line when Python
            gives one), or another package called ``steps`` that hides the folder.
    """
    files = project_step_files(root)
    if not files:
        return ()
    folder = (root / FOLDER).resolve()
    _forget_other_project(root.resolve())
    if str(root.resolve()) not in sys.path:
        sys.path.insert(0, str(root.resolve()))
    package = _import(FOLDER, folder / "__init__.py")
    places = [Path(place).resolve() for place in getattr(package, "__path__", ())]
    if folder not in places:
        shown = ", ".join(map(str, places)) or package.__file__
        raise ConfigError(
            f"{folder}: another package called {FOLDER!r} ({shown}) hides this project's step "
            f"modules; rename or uninstall it"
        )
    return tuple(_import(f"{FOLDER}.{path.stem}", path) for path in files)


_imported_from: list[Path] = []
"""The project folder whose ``steps/`` this process imported (one process may serve several: tests)."""


def _forget_other_project(root: Path) -> None:
    """Drop another project's ``steps`` modules and path, imported earlier by this process."""
    if _imported_from and _imported_from[0] != root:
        for name in [name for name in sys.modules if name == FOLDER or name.startswith(f"{FOLDER}.")]:
            del sys.modules[name]
        if str(_imported_from[0]) in sys.path:
            sys.path.remove(str(_imported_from[0]))
    _imported_from[:] = [root]


def _import(name: str, path: Path) -> ModuleType:
    """Import one of the project's modules; its failure is one line naming the file."""
    try:
        return importlib.import_module(name)
    except SyntaxError as error:
        raise ConfigError(
            f"{path}:{error.lineno}: the project's step module cannot be read: {error.msg}"
        ) from error
    except Exception as error:
        raise ConfigError(
            f"{path}: the project's step module failed to import: {type(error).__name__}: {error}"
        ) from error


def vocabulary(root: Path) -> tuple[str | ModuleType, ...]:
    """Every step module a run in root uses: the shipped ones, then the project's own."""
    return (*STEP_MODULES, *import_project_steps(root))
