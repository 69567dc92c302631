"""The catalogue reads pytest-bdd's own records of the steps, whatever their parser."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from journeys.authoring.catalogue import load_catalogue, render_markdown, render_text
from journeys.authoring.check import StepMatcher
from journeys.domain.vocabulary import CHANNEL_WORDS
from journeys.runner.cli import main

ODD_STEPS = '''
from pytest_bdd import given, parsers, step, then

from journeys.domain.vocabulary import channel_named


BASKETS = r"I have (?P<count>\\d+) baskets? on (?P<channel>.+)"


@given(parsers.re(BASKETS), converters={"channel": channel_named})
def baskets(count: str, channel: str) -> None:
    """Baskets, from a regular expression.

    Example: Given I have 2 baskets on the web
    """


@then("nothing is said about it")
def undocumented() -> None:
    pass


@step("I wait a moment")
@step("I wait a little")
def wait() -> None:
    """Any keyword may wait; two phrases, one function.

    Example: When I wait a moment
    """


@then(parsers.parse("I see {thing}"))
def see_anything(thing: str) -> None:
    """Too broad: it matches the next one's lines too."""


@then(parsers.parse("I see the {page} page"))
def see_page(page: str) -> None:
    """Example: Then I see the cart page"""
'''


@pytest.fixture
def odd_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A step module with what the project's own steps do not show: regex, any keyword, no docs."""
    name = f"odd_steps_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(ODD_STEPS), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_entries_come_from_the_step_definitions(odd_steps: str) -> None:
    baskets, undocumented, wait_a_little, wait_a_moment, see_anything, see_page = load_catalogue([odd_steps])

    assert (baskets.keyword, baskets.summary, baskets.example) == (
        "Given",
        "Baskets, from a regular expression.",
        "Given I have 2 baskets on the web",
    )
    assert [parameter.name for parameter in baskets.parameters] == ["count", "channel"]
    assert baskets.parameters[1].accepts == tuple(CHANNEL_WORDS)
    assert baskets.definition == f"{odd_steps}.baskets"

    assert (undocumented.summary, undocumented.example) == ("", None)
    assert {wait_a_little.phrase, wait_a_moment.phrase} == {"I wait a moment", "I wait a little"}
    assert wait_a_moment.keyword == "Step"
    assert see_page.summary.startswith("Example:") and see_page.example == "Then I see the cart page"
    assert see_anything.parameters[0].description == "any text"


def test_the_matcher_matches_as_pytest_bdd_does(odd_steps: str) -> None:
    matcher = StepMatcher(load_catalogue([odd_steps]))

    assert [entry.phrase for entry in matcher.matching("when", "I wait a moment")] == ["I wait a moment"]
    assert matcher.problems_in_line("Given I have 3 baskets on the phone") == []
    [bad_channel] = matcher.problems_in_line("Given I have 3 baskets on teh phone")
    assert bad_channel.startswith("unknown channel 'teh phone': did you mean 'the phone'?")


def test_two_steps_matching_one_line_is_ambiguous(odd_steps: str) -> None:
    matcher = StepMatcher(load_catalogue([odd_steps]))

    [problem] = matcher.problems_in_line("Then I see the cart page")
    assert problem.startswith("ambiguous step 'Then I see the cart page': 2 steps match it:")
    assert f"({odd_steps}.see_anything)" in problem and f"({odd_steps}.see_page)" in problem


def test_a_step_of_another_keyword_is_named(odd_steps: str) -> None:
    matcher = StepMatcher(load_catalogue([odd_steps]))

    [problem] = matcher.problems_in_line("When I have 2 baskets on the web")
    assert problem == (
        "no When step matches 'When I have 2 baskets on the web', "
        "but a Given step does: 'Given I have (?P<count>\\d+) baskets? on (?P<channel>.+)'"
    )


def test_the_terminal_catalogue_groups_by_keyword_and_fits_a_terminal() -> None:
    text = render_text(load_catalogue())

    headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert headings[:3] == ["Given", "When", "Then"]
    assert '  I order "{product}" through {channel} with {shipping} shipping' in text
    assert '      Example: When I order "Blender 3000" through the web with Express shipping' in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_steps_command_prints_text_or_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps"]) == 0
    assert capsys.readouterr().out == render_text(load_catalogue())
    assert main(["steps", "--markdown"]) == 0
    assert capsys.readouterr().out == render_markdown(load_catalogue())
