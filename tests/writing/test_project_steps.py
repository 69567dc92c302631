"""A project's own steps (``steps/*.py`` beside its ``features/``): ``mystery-shopper steps`` lists
them, ``check`` accepts a feature file that uses them, and a broken one is one line naming it.

The run itself uses them too, with no ``conftest.py``: ``tests/packaging`` runs one from an
installed wheel.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MYSTERY_SHOPPER = Path(sys.executable).with_name("mystery-shopper")

OUR_STEP = '''\
"""A step of the team's own, in its own words."""

from pytest_bdd import then

from journeys.journey import expectations
from journeys.journey.actor import Journey
from steps.wording import ORDER_NUMBER_PHRASE


@then(ORDER_NUMBER_PHRASE)
def order_number_to_quote(journey: Journey) -> None:
    """The company gave an order number to quote later.

    Example: Then I have an order number to quote
    """
    expectations.order_number_given(journey)
'''

FEATURE = """\
@ordering @web
Feature: Ordering
  Scenario: Order a kettle
    Given I am a new customer
    When I order "Kettle Pro" through the web with Standard shipping
    Then I have an order number to quote
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A team's folder: the demo company, a feature file, and steps/ with a helper beside the step."""
    shutil.copytree(ROOT / "companies", pytester.path / "companies")
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "order.feature").write_text(FEATURE, encoding="utf-8")
    steps = pytester.path / "steps"
    steps.mkdir()
    (steps / "__init__.py").write_text('"""Our own steps."""\n', encoding="utf-8")
    (steps / "wording.py").write_text('ORDER_NUMBER_PHRASE = "I have an order number to quote"\n')
    (steps / "quoting.py").write_text(OUR_STEP, encoding="utf-8")
    return pytester


def test_the_catalogue_lists_the_projects_steps_beside_ours(project: pytest.Pytester) -> None:
    result = project.run(MYSTERY_SHOPPER, "steps", "--markdown")

    assert result.ret == 0, result.stderr.str()
    text = result.stdout.str()
    assert "Defined in `steps.quoting.order_number_to_quote`." in text
    assert "Defined in `journeys.steps.customer.new_customer`." in text


def test_check_knows_the_projects_steps(project: pytest.Pytester) -> None:
    result = project.run(MYSTERY_SHOPPER, "check")

    assert result.ret == 0, result.stdout.str()
    assert result.outlines == ["checked 1 feature file, 1 scenario (outlines expanded), 3 steps: no problems"]


def test_without_the_projects_step_the_phrase_is_unknown(project: pytest.Pytester) -> None:
    (project.path / "steps" / "quoting.py").unlink()

    result = project.run(MYSTERY_SHOPPER, "check")

    assert result.ret == 1
    assert "unknown step 'Then I have an order number to quote'" in result.stdout.str()


def test_a_step_module_that_cannot_be_read_is_one_line(project: pytest.Pytester) -> None:
    (project.path / "steps" / "broken.py").write_text(
        textwrap.dedent(
            """\
            from pytest_bdd import then

            @then("I am happy"
            def happy(): ...
            """
        )
    )

    result = project.run(MYSTERY_SHOPPER, "check")

    assert result.ret == 2
    assert result.outlines == []
    [line] = result.errlines
    assert line.startswith(f"mystery-shopper: {project.path / 'steps' / 'broken.py'}:3: ")
    assert "the project's step module cannot be read" in line
