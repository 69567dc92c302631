"""Feature files: each mistake is one ``file:line: message`` from ``check`` (exit 1), and the
same line refuses ``run`` before its first journey (pytest's usage error, exit 4).

The two commands share one check (:mod:`journeys.authoring.check`), so each case runs
both: a mistake ``check`` catches and ``run`` would carry into a journey (a traceback
in the middle of the night, or a journey that passes without doing what it says) fails
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from bad_input import A_JOURNEY, Project


@dataclass(frozen=True)
class Case:
    """A feature file with one mistake, the line it is on, and what is said about it."""

    content: str | bytes
    line: int
    message: str
    """A regular expression for the message after ``file:line: ``."""


def journey_with(old: str, new: str) -> str:
    assert old in A_JOURNEY, old
    return A_JOURNEY.replace(old, new, 1)


OUTLINE = """\
@ordering @web
Feature: Ordering with each shipping method

  Scenario Outline: Order with <shipping> shipping
    Given I am a new customer
    When I order "Blender 3000" through the web with <shipping> shipping
    Then my order exists with <shipping> shipping
"""

CASES = {
    "broken-gherkin": Case(
        journey_with("    When I cancel", "  Whne I cancel"),
        8,
        r"Gherkin syntax: Unexpected token found: 'Whne I cancel it right away through the web' "
        r"\(did you mean 'When'\?\)",
    ),
    "first-step-and": Case(
        journey_with("Given I am a new customer", "And I am a new customer"),
        6,
        r"Gherkin syntax: First step in a scenario or background must start with 'Given'.*",
    ),
    "table-cells": Case(
        OUTLINE + "\n    Examples:\n      | shipping |\n      | Express | Standard |\n",
        11,
        r"Gherkin syntax: inconsistent cell count within the table: '\| Express \| Standard \|'",
    ),
    "empty-file": Case(
        b"", 1, r"not a feature file: it is empty; a feature file starts with a 'Feature:' line"
    ),
    "blank-file": Case(b"\n  \n\t\n", 1, r"not a feature file: it is empty; .*"),
    "binary-file": Case(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, r"not a feature file: binary data \(a NUL byte at byte 8\)"
    ),
    "latin-1": Case(
        A_JOURNEY.replace("Cancelling", "Cancelación").encode("latin-1"),
        1,
        r"not UTF-8 text \(invalid continuation byte at byte \d+\): save it as UTF-8",
    ),
    "utf-16": Case(
        A_JOURNEY.encode("utf-16"), 1, r"not a feature file: binary data \(a NUL byte at byte 3\)"
    ),
    "byte-order-mark": Case(
        b"\xef\xbb\xbf" + A_JOURNEY.encode(),
        1,
        r"starts with a byte-order mark \(BOM\): save it as UTF-8 without BOM",
    ),
    "no-feature-line": Case("# a journey, one day\n", 1, r"not a feature file: it has no 'Feature:' line"),
    "no-scenario": Case(
        "@ordering\nFeature: Ordering\n  One day we will order things here.\n",
        2,
        r"the feature has no scenarios: add a 'Scenario:' with its steps, or remove the file",
    ),
    "no-steps": Case(
        "@ordering\nFeature: Ordering\n  Scenario: Order a kettle\n    Whne I order a kettle\n",
        3,
        r"scenario 'Order a kettle' has no steps; 'Whne I order a kettle' is read as its description: "
        r"a step starts with Given, When, Then, And or But",
    ),
    "unknown-step": Case(
        journey_with("When I cancel it", "When I cancell it"),
        8,
        r"unknown step 'When I cancell it right away through the web'; closest: "
        r"'When I cancel it right away through \{channel\}', .*",
    ),
    "step-of-another-keyword": Case(
        journey_with("Then my order is cancelled", "Then I am a new customer"),
        9,
        r"no Then step matches 'Then I am a new customer', "
        r"but a Given step does: 'Given I am a new customer'",
    ),
    "unknown-channel": Case(
        journey_with("right away through the web", "right away through the fax"),
        8,
        r"unknown channel 'the fax': did you mean 'the chat'\? say one of: 'the web', 'web', "
        r".*'the support form'",
    ),
    "misspelt-channel": Case(
        journey_with("right away through the web", "right away through teh web"),
        8,
        r"unknown channel 'teh web': did you mean 'the web'\? say one of: .*",
    ),
    "shipping-not-offered": Case(
        journey_with("with Standard shipping", "with Carrier Pigeon shipping"),
        7,
        r"the company offers no 'Carrier Pigeon' shipping: it offers 'Standard', 'Express', 'Next-day', "
        r"'Store pickup'",
    ),
    "shipping-misspelt": Case(
        journey_with("with Standard shipping", "with Standart shipping"),
        7,
        r"the company offers no 'Standart' shipping: did you mean 'Standard'\? it offers .*",
    ),
    "shipping-in-examples": Case(
        OUTLINE.replace("    Then my order exists with <shipping> shipping\n", "")
        + "\n    Examples:\n      | shipping  |\n      | Overnight |\n",
        6,
        r"the company offers no 'Overnight' shipping: it offers .* \(Examples row at line 10\)",
    ),
    "placeholder-without-column": Case(
        OUTLINE.replace("with <shipping> shipping\n    Then", "with <shiping> shipping\n    Then")
        + "\n    Examples:\n      | shipping |\n      | Express  |\n",
        6,
        r"<shiping> is not a column of the Examples \(columns: shipping\)",
    ),
    "outline-without-examples": Case(
        OUTLINE,
        4,
        r"this Scenario Outline has no Examples to fill in <shipping>: add an Examples table with a "
        r"column for each, or make it a plain Scenario",
    ),
    "examples-without-rows": Case(
        OUTLINE + "\n    Examples:\n      | shipping |\n",
        9,
        r"these Examples have no rows, so the outline runs no journey: "
        r"add a header row and a row per journey",
    ),
    "duration-in-words": Case(
        journey_with("Then my order is cancelled", "Then I hold for less than two minutes in total"),
        9,
        r"not a duration: 'two minutes'; say for example '30 seconds', '2 minutes' or '1 hour'",
    ),
    "detail-the-company-never-asks-for": Case(
        journey_with("Then my order is cancelled", "Then I am never asked for my ordr number twice"),
        9,
        r"the company asks for no 'ordr number' \(\[conversation\.fields\]\): did you mean 'order number'\? "
        r"it asks for 'full name', .*",
    ),
    "purchase-no-customer-made": Case(
        "@warranty @chat\nFeature: Warranty\n  Scenario: Claim\n"
        '    Given I am a returning customer who bought "Toaster Max" 3 days ago\n'
        '    When I make a warranty claim through chat because "it burns"\n',
        4,
        r"no returning customer of the company bought 'Toaster Max'.*",
    ),
    "two-scenarios-one-name": Case(
        A_JOURNEY + "\n  Scenario: Cancel a web order right away on the web\n    Given I am a new customer\n",
        11,
        r"a scenario named 'Cancel a web order right away on the web' is already at line 5: "
        r"pytest-bdd keeps only the last of the two; rename one",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_check_names_the_mistake_at_its_line(project: Project, case: Case) -> None:
    path = project.feature(case.content)

    said = project.main("check")

    said.one_line(1, rf"{re.escape(path)}:{case.line}: {case.message}", stream="out")


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_run_refuses_the_mistake_before_its_first_journey(project: Project, case: Case) -> None:
    path = project.feature(case.content)

    said = project.run()

    said.one_line(4, rf"ERROR: {re.escape(path)}:{case.line}: {case.message}")
    assert not (project.path / "results").exists()


def test_an_unknown_tag_is_a_problem_for_check(project: Project) -> None:
    path = project.feature(journey_with("@smoke", "@smoke @nightlly"))

    said = project.main("check")

    said.one_line(
        1, rf"{path}:4: unknown tag @nightlly: did you mean @nightly\? known tags: @.*", stream="out"
    )
