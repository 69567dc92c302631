"""The step vocabulary is documented: every step says what it does, shows a working
example, and docs/steps.md is the catalogue as the steps are now."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.authoring.catalogue import StepEntry, load_catalogue, render_markdown
from journeys.authoring.check import StepMatcher
from journeys.company.profile import load_company

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "steps.md"
REGENERATE = ".venv/bin/mystery-shopper steps --markdown > docs/steps.md"

CATALOGUE = load_catalogue()


def _name(entry: StepEntry) -> str:
    return f"{entry.keyword} {entry.phrase}"


def test_the_catalogue_has_every_step_module() -> None:
    from journeys.steps import STEP_MODULES

    defined_in = {entry.definition.rsplit(".", 1)[0] for entry in CATALOGUE}
    assert defined_in == set(STEP_MODULES)


@pytest.mark.parametrize("entry", CATALOGUE, ids=_name)
def test_every_step_has_a_docstring_with_an_example(entry: StepEntry) -> None:
    assert entry.summary, f"{entry.definition} ({_name(entry)}) has no docstring: say what the step does"
    assert entry.example, (
        f"{entry.definition} ({_name(entry)}) has no 'Example:' line: end its docstring with "
        f"'Example: {entry.keyword} ...', a Gherkin line that uses the step"
    )


@pytest.mark.parametrize("entry", CATALOGUE, ids=_name)
def test_every_example_matches_its_own_step_and_no_other(entry: StepEntry) -> None:
    demo_company = load_company("sandbox", ROOT)
    assert demo_company.web is not None
    matcher = StepMatcher(CATALOGUE, demo_company.web.shipping_methods)
    assert entry.example is not None
    keyword, _, text = entry.example.partition(" ")
    assert keyword == entry.keyword, f"{entry.definition}: the example starts with {keyword!r}"

    assert matcher.matching(entry.keyword.lower(), text) == [entry], (
        f"{entry.definition}: its example {entry.example!r} does not run this step (and only it)"
    )
    assert matcher.problems_in_line(entry.example) == []


def test_docs_steps_md_is_the_current_catalogue() -> None:
    written = DOCS.read_text(encoding="utf-8") if DOCS.is_file() else ""
    assert written == render_markdown(CATALOGUE), f"docs/steps.md is out of date: run {REGENERATE}"
