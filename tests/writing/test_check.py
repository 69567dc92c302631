"""``mystery-shopper check``: a feature file's mistakes, one line each with file:line,
before any browser starts."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from journeys.company.profile import load_company, load_company_file
from journeys.domain.vocabulary import CHANNEL_WORDS
from journeys.errors import CompanyProfileError
from journeys.runner.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "badinput"))

from bad_input import A_JOURNEY as CLEAN  # the clean journey the bad-input suite varies, too

ROOT = Path(__file__).resolve().parents[2]
MYSTERY_SHOPPER = Path(sys.executable).with_name("mystery-shopper")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A mystery-shopper project folder (the current one): the demo company, features/."""
    shutil.copytree(ROOT / "companies", pytester.path / "companies")
    (pytester.path / "features").mkdir()
    return pytester


def write_feature(project: pytest.Pytester, text: str, name: str = "journey.feature") -> str:
    path = project.path / "features" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return f"features/{name}"


def check(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    """``mystery-shopper check`` in this process: its exit code and its lines of output."""
    code = main(["check", *arguments])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def test_an_unknown_step_names_file_line_and_the_closest_phrases(project: pytest.Pytester) -> None:
    path = write_feature(project, CLEAN.replace("I cancel it right away", "I cancell it right away"))

    result = project.run(MYSTERY_SHOPPER, "check")

    assert result.ret == 1
    assert result.outlines == [
        f"{path}:8: unknown step 'When I cancell it right away through the web'; closest: "
        "'When I cancel it right away through {channel}', "
        "'When I ask to return it through {channel}', "
        "'When I ask where my order is through {channel}'",
        "checked 1 feature file, 1 scenario (outlines expanded), 4 steps: 1 problem",
    ]


@pytest.mark.parametrize(
    ("written", "rewritten", "line", "problem"),
    [
        pytest.param(
            "right away through the web",
            "right away through teh web",
            8,
            "unknown channel 'teh web': did you mean 'the web'? say one of: 'the web', 'web', ",
            id="misspelt-channel",
        ),
        pytest.param(
            "    When I cancel",
            "  Whne I cancel",
            8,
            "Gherkin syntax: Unexpected token found: 'Whne I cancel it right away through the web' "
            "(did you mean 'When'?)",
            id="broken-gherkin",
        ),
        pytest.param(
            "Given I am a new customer",
            "And I am a new customer",
            6,
            "Gherkin syntax: First step in a scenario or background must start with 'Given'",
            id="first-step-and",
        ),
        pytest.param(
            "@smoke",
            "@smoke @nightlly",
            4,
            "unknown tag @nightlly: did you mean @nightly? known tags: @",
            id="unknown-tag",
        ),
        pytest.param(
            "    When I cancel",
            "    When I am a new customer\n    And I cancel",
            8,
            "no When step matches 'When I am a new customer', but a Given step does: "
            "'Given I am a new customer'",
            id="step-of-another-keyword",
        ),
    ],
)
def test_one_mistake_is_one_line_at_its_place(
    project: pytest.Pytester,
    capsys: pytest.CaptureFixture[str],
    written: str,
    rewritten: str,
    line: int,
    problem: str,
) -> None:
    assert written in CLEAN
    path = write_feature(project, CLEAN.replace(written, rewritten, 1))

    code, lines = check(capsys)

    assert code == 1
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}:{line}: {problem}")
    assert lines[1].endswith(": 1 problem")


def test_a_clean_file_passes(project: pytest.Pytester) -> None:
    write_feature(project, CLEAN)

    result = project.run(MYSTERY_SHOPPER, "check", "features/journey.feature")

    assert result.ret == 0, result.outlines
    assert result.outlines == ["checked 1 feature file, 1 scenario (outlines expanded), 4 steps: no problems"]


def test_each_examples_value_is_checked_in_its_step(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_feature(
        project,
        """\
        @ordering @web
        Feature: Ordering
          Scenario Outline: Order with <shipping> shipping
            When I order "Blender 3000" through <channel> with <shipping> shipping
            Then my order exists with <shipping> shipping

            Examples:
              | channel | shipping |
              | the web | Express  |
              | the web | Expres   |
              | teh web | Standard |
        """,
    )

    code, lines = check(capsys)

    assert code == 1
    offered = "it offers 'Standard', 'Express', 'Next-day', 'Store pickup'"
    assert lines == [
        f"{path}:4: the company offers no 'Expres' shipping: did you mean 'Express'? {offered} "
        "(Examples row at line 10)",
        f"{path}:4: unknown channel 'teh web': did you mean 'the web'? say one of: "
        + ", ".join(f"'{word}'" for word in CHANNEL_WORDS)
        + " (Examples row at line 11)",
        f"{path}:5: the company offers no 'Expres' shipping: did you mean 'Express'? {offered} "
        "(Examples row at line 10)",
        "checked 1 feature file, 3 scenarios (outlines expanded), 6 steps: 3 problems",
    ]


def test_a_placeholder_without_a_column_is_named(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_feature(
        project,
        """\
        Feature: Ordering
          Scenario Outline: Order
            Then my order exists with <shiping> shipping

            Examples:
              | shipping |
              | Express  |
        """,
    )

    code, lines = check(capsys)

    assert code == 1
    assert lines[0] == f"{path}:3: <shiping> is not a column of the Examples (columns: shipping)"


def test_two_scenarios_of_one_name_are_both_checked_and_named(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = CLEAN + "\n  Scenario: Cancel a web order right away on the web\n    Given I am a new custmer\n"
    first_of_two = twice.replace("    Then my order is cancelled", "    Then my order is canceled")
    path = write_feature(project, first_of_two)

    code, lines = check(capsys)

    assert code == 1
    assert lines[0].startswith(f"{path}:9: unknown step 'Then my order is canceled'; closest: ")
    assert lines[1].startswith(f"{path}:11: a scenario named 'Cancel a web order right away on the web' is")
    assert lines[2].startswith(f"{path}:12: unknown step 'Given I am a new custmer'; closest: ")


def test_problems_in_several_files_exit_1_and_say_how_many(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    write_feature(project, CLEAN, "a.feature")
    write_feature(project, CLEAN.replace("@smoke", "@smok"), "b.feature")
    write_feature(project, "", "c.feature")

    code, lines = check(capsys)

    assert code == 1
    assert lines[0].startswith("features/b.feature:4: unknown tag @smok")
    assert lines[1] == (
        "features/c.feature:1: not a feature file: it is empty; a feature file starts with a 'Feature:' line"
    )
    assert lines[2] == "checked 3 feature files, 2 scenarios (outlines expanded), 8 steps: 2 problems"


def test_without_a_company_shipping_methods_are_not_checked(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    (pytester.path / "features").mkdir()
    write_feature(pytester, CLEAN.replace("Standard shipping", "Expres shipping"))

    code, lines = check(capsys)

    assert code == 0
    assert lines == [
        "checked 1 feature file, 1 scenario (outlines expanded), 4 steps: no problems "
        "(shipping methods not checked: no company lists them)"
    ]


def test_bad_usage_exits_2_with_one_line(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(capsys, "features/missing.feature") == (
        2,
        ["mystery-shopper: features/missing.feature: no such file or folder"],
    )
    assert check(capsys, "features") == (2, ["mystery-shopper: features: no .feature files in this folder"])
    code, lines = check(capsys, "--company", "acme")
    assert code == 2 and lines[0].startswith("mystery-shopper: unknown company 'acme'")
    assert check(capsys, "--no-such-option") == (
        2,
        [
            "mystery-shopper: check: unrecognized arguments: --no-such-option "
            "(see mystery-shopper check --help)"
        ],
    )


def test_the_projects_own_features_are_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)

    code, lines = check(capsys)

    assert code == 0, lines
    [summary] = lines
    assert summary.startswith("checked ") and summary.endswith(": no problems")


def test_the_demo_profile_lists_the_demo_shops_shipping_methods() -> None:
    from sandbox.shop.catalogue import SHIPPING_METHOD_SEEDS

    demo = load_company("sandbox", ROOT)
    assert demo.web is not None
    assert demo.web.shipping_methods == tuple(method.name for method in SHIPPING_METHOD_SEEDS)


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ('shipping_methods = "Standard"', "must be a list of strings"),
        ("shipping_methods = []", "must list the method names"),
        ('shipping_methods = ["Standard", "Standard"]', "lists 'Standard' more than once"),
    ],
)
def test_a_bad_shipping_methods_list_is_one_line_with_its_place(
    tmp_path: Path, written: str, problem: str
) -> None:
    text = (ROOT / "companies" / "sandbox.toml").read_text(encoding="utf-8")
    anchor = 'shipping_methods = ["Standard", "Express", "Next-day", "Store pickup"]'
    assert anchor in text
    path = tmp_path / "acme.toml"
    path.write_text(text.replace(anchor, written), encoding="utf-8")
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if written in text)

    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)

    assert str(caught.value).startswith(f"{path}:{line}: web.shipping_methods: {problem}")


def without_list(project: pytest.Pytester, key: str) -> None:
    """The demo profile, less one key written as a list over several lines (a web flow, a list
    of patterns): its lines up to the closing bracket."""
    path = project.path / "companies" / "sandbox.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(index for index, line in enumerate(lines) if line.startswith(f"{key} = ["))
    end = next(index for index in range(start, len(lines)) if lines[index].startswith("]"))
    path.write_text("".join(lines[:start] + lines[end + 1 :]), encoding="utf-8")


def test_a_step_that_needs_a_web_flow_the_company_lacks_is_named(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    without_list(project, "cancel_order")
    path = write_feature(project, CLEAN)
    by_chat = write_feature(
        project, CLEAN.replace("away through the web", "away through chat"), "chat.feature"
    )

    code, lines = check(capsys)

    assert code == 1
    assert lines[0].startswith(
        f"{path}:8: this step needs the company's 'cancel_order' web flow (cancel an order), which"
        " companies/sandbox.toml:"
    ), lines
    assert lines[0].endswith(
        "does not write: add it under [web.flows] (see docs/describe-your-company.md), or use another channel"
    )
    assert not any(line.startswith(by_chat) for line in lines)  # by chat, the web flow is not needed
    assert lines[-1].endswith(": 1 problem")


def test_what_the_harness_cannot_do_through_the_web_is_named(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_feature(
        project,
        """\
        Feature: Warranty
          Scenario: A warranty claim on the web
            Given I am a returning customer who bought "Blender 3000" 400 days ago
            When I make a warranty claim through the web because "it stopped"
            Then my warranty claim is registered
        """,
    )

    code, lines = check(capsys)

    assert code == 1
    assert lines[0] == (
        f"{path}:4: a warranty claim through the web is not something mystery-shopper can do yet:"
        " use chat, social, phone or email"
    )


def test_a_step_by_email_needs_the_companys_mailbox(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = project.path / "companies" / "sandbox.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text[: text.index("[mail]")], encoding="utf-8")
    path = write_feature(project, CLEAN.replace("away through the web", "away through email"))

    code, lines = check(capsys)

    assert code == 1
    assert lines[0] == (
        f"{path}:8: this step writes to the company by e-mail, and companies/sandbox.toml has no [mail]"
        " table: name the test mailbox, its servers and the company's address"
        " (see docs/describe-your-company.md)"
    ), lines


def test_a_step_by_email_needs_none_of_the_phones_patterns_but_the_phone_does(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    without_list(project, "menu_option")
    without_list(project, "menu_option")  # and the phone's own, for speech
    write_feature(project, CLEAN.replace("away through the web", "away through email"))
    by_phone = write_feature(
        project, CLEAN.replace("away through the web", "away through phone"), "phone.feature"
    )

    code, lines_out = check(capsys)

    assert code == 1
    assert lines_out[0].startswith(
        f"{by_phone}:8: this step reads what the company says by phone with [conversation.patterns], and"
        " companies/sandbox.toml:"
    ), lines_out
    assert lines_out[0].endswith("has none for menu_option (see docs/describe-your-company.md)")
    assert lines_out[-1].endswith(": 1 problem")  # by e-mail, no menu is read
