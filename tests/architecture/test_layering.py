"""The architecture as a test: which layer may import which, read from the source with ``ast``,
and ``docs/map-of-the-code.md`` held to it.

The engine is layered, lowest first (see ``docs/map-of-the-code.md``). A module may import
its own layer and the ones below it, never one above. Third-party frameworks are held to the
layers that need them: the domain and the company profile never touch Playwright or pytest.
The harness and the demo company (``sandbox/``) reach each other only over the network.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a lazy
import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAYERS: tuple[tuple[str, ...], ...] = (
    ("journeys.errors", "journeys.tomllines"),
    ("journeys.domain",),
    ("journeys.company",),
    ("journeys.channels",),
    ("journeys.journey",),
    ("journeys.scoring",),
    ("journeys.history",),
    ("journeys.steps",),
    ("journeys.authoring",),
    ("reports",),
    ("journeys.runner", "journeys.plugin"),
)
"""Lowest first. ``journeys/__init__.py`` is the package's facade and stands outside."""

FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "playwright": ("journeys.channels", "journeys.journey", "journeys.runner"),
    "pytest": ("journeys.runner",),
    "_pytest": ("journeys.runner",),
    "pytest_bdd": ("journeys.steps", "journeys.authoring", "journeys.runner"),
    "pytest_playwright": ("journeys.runner",),
}
"""A framework, and the only layers of the harness that may import it."""

HARNESS = ("journeys", "reports")
SANDBOX = ("sandbox",)
FACADE = "journeys"
MAP = ROOT / "docs" / "map-of-the-code.md"


@dataclass(frozen=True)
class Violation:
    """One import that breaks the architecture."""

    path: str
    line: int
    importer: str
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported} ({self.rule})"


def _under(module: str, prefixes: Sequence[str]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def layer_of(module: str) -> int | None:
    """The index of the layer a module belongs to, or None outside the layered code."""
    for index, prefixes in enumerate(LAYERS):
        if _under(module, prefixes):
            return index
    return None


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path, path: Path) -> Iterator[tuple[int, str]]:
    """Every module a file imports, with its line; ``from pkg import mod`` names ``pkg.mod``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(root, path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                as_path = root.joinpath(*candidate.split("."))
                if as_path.with_suffix(".py").is_file() or (as_path / "__init__.py").is_file():
                    yield node.lineno, candidate


def rule_broken(importer: str, imported: str) -> str | None:
    """The rule an import breaks, or None when it is allowed."""
    top = imported.split(".")[0]
    own_layer = layer_of(importer)
    if _under(importer, SANDBOX) and top in HARNESS:
        return "the demo company never imports the harness"
    if _under(importer, HARNESS) and top in SANDBOX:
        return "the harness reaches the demo company by URL, never by import"
    if own_layer is None or importer == FACADE:
        return None
    if top in FRAMEWORKS:
        allowed = FRAMEWORKS[top]
        return None if _under(importer, allowed) else f"{top} belongs to {', '.join(allowed)}"
    their_layer = layer_of(imported)
    if their_layer is not None and their_layer > own_layer:
        return f"layer {own_layer} may not import layer {their_layer}: lower layers come first"
    return None


def violations(root: Path, folders: Sequence[str] = (*HARNESS, *SANDBOX)) -> list[Violation]:
    """What breaks the layering in the Python files under the folders of a source tree."""
    found: list[Violation] = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            importer = module_name(root, path)
            for line, imported in imports_of(root, path):
                rule = rule_broken(importer, imported)
                if rule is not None:
                    found.append(Violation(str(path.relative_to(root)), line, importer, imported, rule))
    return found


def test_the_harness_keeps_its_layers() -> None:
    problems = violations(ROOT)
    assert not problems, "imports against the architecture:\n" + "\n".join(map(str, problems))


def test_every_engine_module_belongs_to_a_layer() -> None:
    unplaced = [
        module_name(ROOT, path)
        for path in sorted((ROOT / "journeys").rglob("*.py"))
        if module_name(ROOT, path) != FACADE and layer_of(module_name(ROOT, path)) is None
    ]
    assert not unplaced, f"add these to LAYERS in {Path(__file__).name}: {unplaced}"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("files", "rule"),
    [
        pytest.param(
            {
                "journeys/domain/timeline.py": "from journeys.runner import plugin\n",
                "journeys/runner/plugin.py": "",
            },
            "layer 1 may not import layer 10",
            id="domain-imports-runner",
        ),
        pytest.param(
            {"journeys/domain/timeline.py": "def f():\n    import playwright.sync_api\n"},
            "playwright belongs to",
            id="lazy-playwright-in-domain",
        ),
        pytest.param(
            {"journeys/company/profile.py": "import pytest\n"},
            "pytest belongs to journeys.runner",
            id="pytest-in-company",
        ),
        pytest.param(
            {
                "journeys/channels/web.py": "from ..scoring.rubric import Rubric\n",
                "journeys/scoring/rubric.py": "",
            },
            "layer 3 may not import layer 5",
            id="relative-import-upwards",
        ),
        pytest.param(
            {"reports/html.py": "from sandbox.app import create_app\n"},
            "never by import",
            id="harness-imports-sandbox",
        ),
        pytest.param(
            {"sandbox/app.py": "from journeys.domain.timeline import Timeline\n"},
            "never imports the harness",
            id="sandbox-imports-harness",
        ),
        pytest.param(
            {
                "journeys/authoring/check.py": "from journeys import runner\n",
                "journeys/runner/__init__.py": "",
            },
            "layer 8 may not import layer 10",
            id="from-package-import-module",
        ),
    ],
)
def test_the_layering_check_catches(tmp_path: Path, files: dict[str, str], rule: str) -> None:
    found = violations(_tree(tmp_path, files))
    assert found and all(rule in str(violation) for violation in found), found


def test_the_layering_check_allows_imports_downwards(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "journeys/runner/cli.py": "from journeys.domain.timeline import Timeline\nimport pytest\n",
            "journeys/channels/chat.py": "from playwright.sync_api import Page\nfrom journeys import errors\n"
            "from journeys.domain import timeline\n",
            "journeys/domain/timeline.py": "",
            "journeys/errors.py": "",
        },
    )
    assert violations(root) == []


def _named_in_map() -> list[str]:
    """The first column's names of each table row, in order, as dotted module names."""
    names: list[str] = []
    for line in MAP.read_text(encoding="utf-8").splitlines():
        cell = re.match(r"\|\s*([^|]+?)\s*\|", line)
        if cell is None:
            continue
        for path in re.findall(r"`([\w/.]+)`", cell.group(1)):
            names.append(path.removesuffix(".py").strip("/").replace("/", "."))
    return names


def _packages(folder: str) -> list[str]:
    return sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / folder).rglob("__init__.py")
        if "templates" not in init.parts
    )


def test_the_map_names_every_package() -> None:
    named = set(_named_in_map())
    missing = [
        package
        for package in [*_packages("journeys"), *_packages("sandbox")]
        if package not in named
        and package not in {"journeys", "sandbox"}
        and not package.startswith("sandbox.contact_centre.")
    ]
    assert not missing, f"docs/map-of-the-code.md does not name: {missing}"


def test_the_map_lists_the_layers_in_their_order() -> None:
    layer_names = [name for layer in LAYERS for name in layer if name != "journeys.plugin"]
    in_map = [name for name in _named_in_map() if name in layer_names]
    assert in_map == layer_names, "list the harness's packages in the order of LAYERS (lowest first)"
