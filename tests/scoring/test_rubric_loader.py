"""Rubric files: the shipped one loads; every bad input is one line naming file:line: key: problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from scoring_records import ROOT, write

from journeys.errors import ConfigError
from journeys.scoring.rubric import (
    BUILTIN,
    KeyLines,
    PointTable,
    RubricError,
    Thresholds,
    load_rubric,
    load_rubric_file,
)

BASE = """\
name = "test"

[sections.waiting]
title = "Waiting"
weight = 20

[sections.waiting.criteria.hold_time]
metric = "metrics.hold_time"
weight = 3
applies_to = { channels = ["chat", "phone"] }
thresholds = [
  { below = 30, points = 100 },
  { from = 30, below = 120, points = 60 },
  { from = 120, points = 0 },
]

[sections.effort]
weight = 10

[sections.effort.criteria.transfers]
metric = "metrics.transfers"
weight = 2
points = { 0 = 100, 1 = 60, "2+" = 0 }

[sections.effort.criteria.honest]
metric = "metrics.verified_resolved"
weight = 1
critical = true
applies_to = { when = "metrics.claimed_resolved", tags = ["@social"] }
points = { true = 100, false = 0 }

[sections.effort.criteria.cancelled]
metric = "findings"
expectations = ["order is cancelled"]
weight = 1
points = { 0 = 100, "1+" = 0 }
"""

HOLD = "sections.waiting.criteria.hold_time"
TRANSFERS = "sections.effort.criteria.transfers"
HONEST = "sections.effort.criteria.honest"
CANCELLED = "sections.effort.criteria.cancelled"
BANDS = f"{HOLD}.thresholds"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    assert old in BASE, f"the test's anchor {old!r} is not in the base rubric"
    return write(tmp_path, BASE.replace(old, new, 1), "acme.toml")


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_base_rubric_of_these_tests_loads(tmp_path: Path) -> None:
    rubric = load_rubric_file(write(tmp_path, BASE))
    assert [section.key for section in rubric.sections] == ["waiting", "effort"]
    hold, transfers, honest, cancelled = (c for section in rubric.sections for c in section.criteria)
    assert isinstance(hold.scale, Thresholds) and [band.label for band in hold.scale.bands] == [
        "under 30",
        "30 to under 120",
        "120 and over",
    ]
    assert isinstance(transfers.scale, PointTable)
    assert [row.label for row in transfers.scale.rows] == ["0", "1", "2+"]
    assert transfers.title == "Transfers" and rubric.sections[1].title == "Effort"
    assert honest.critical and honest.applies_to.tags == {"social"}
    assert honest.applies_to.when == "metrics.claimed_resolved"
    assert hold.applies_to.channels == {"chat", "phone"}
    assert cancelled.expectations[0].search("My ORDER is cancelled")


CASES = [
    # (old, new, key, needle on the line named, problem)
    ("weight = 3", "wieght = 3", f"{HOLD}.wieght", "wieght", "unknown key 'wieght' (did you mean 'weight'?)"),
    ('name = "test"', 'nmae = "test"', "nmae", "nmae", "unknown key 'nmae' (did you mean 'name'?)"),
    (
        'metric = "metrics.transfers"\n',
        "",
        TRANSFERS,
        "[sections.effort.criteria.transfers]",
        "missing key 'metric'",
    ),
    ('name = "test"\n', "", "name", "", "missing key 'name'"),
    ("weight = 3", 'weight = "3"', f"{HOLD}.weight", 'weight = "3"', "must be a positive number, not '3'"),
    (
        "weight = 20",
        "weight = 0",
        "sections.waiting.weight",
        "weight = 0",
        "must be a positive number, not 0",
    ),
    ("weight = 2\n", "weight = -1.5\n", f"{TRANSFERS}.weight", "-1.5", "must be a positive number, not -1.5"),
    ("weight = 10", "weight = true", "sections.effort.weight", "true", "must be a positive number, not True"),
    ("weight = 10", "weight = inf", "sections.effort.weight", "inf", "must be a positive number, not inf"),
    (
        'title = "Waiting"',
        "title = 3",
        "sections.waiting.title",
        "title = 3",
        "must be a string, not a number",
    ),
    ("critical = true", 'critical = "yes"', f"{HONEST}.critical", "yes", "must be true or false, not 'yes'"),
    (
        "from = 30, below",
        "from = 20, below",
        BANDS,
        "from = 20",
        "band 2 overlaps band 1: both score 20 to 30",
    ),
    (
        "from = 30, below",
        "from = 40, below",
        BANDS,
        "from = 40",
        "bands 1 and 2 leave a gap: nothing scores 30 to 40",
    ),
    ("{ below = 30,", "{ from = 5, below = 30,", BANDS, "from = 5", "band 1 starts at 5: leave 'from' out"),
    (
        "{ from = 120, points",
        "{ from = 120, below = 600, points",
        BANDS,
        "600",
        "nothing scores 600 and over",
    ),
    ("below = 120,", "below = 25,", BANDS, "below = 25,", "band 2: 'from' (30) must be below 'below' (25)"),
    ("points = 60 }", "points = 160 }", BANDS, "160", "band 2: must be points from 0 to 100, not 160"),
    ("{ below = 30, points = 100 },", "30,", BANDS, "30,", "band 1 must be a table"),
    ("below = 120", 'below = "2m"', f"{BANDS}.below", "2m", "band 2: must be a number, not '2m'"),
    ("{ from = 120, points = 0 }", "{ from = 120, pts = 0 }", f"{BANDS}.pts", "pts", "unknown key 'pts'"),
    (
        'metric = "metrics.hold_time"',
        'metric = "metrics.hold_tme"',
        f"{HOLD}.metric",
        "hold_tme",
        "unknown metric 'metrics.hold_tme' (did you mean 'metrics.hold_time'?)",
    ),
    ('{ 0 = 100, 1 = 60, "2+" = 0 }', '{ 0 = 100, "2+" = 0 }', f"{TRANSFERS}.points", '"2+"', "no row for 1"),
    (
        '{ 0 = 100, 1 = 60, "2+" = 0 }',
        "{ 0 = 100, 1 = 60 }",
        f"{TRANSFERS}.points",
        "1 = 60",
        'end with a row "2+"',
    ),
    ('"2+" = 0 }', '"2+" = 0, 3 = 10 }', f"{TRANSFERS}.points.3", "3 = 10", "row 3 overlaps row '2+'"),
    ('"2+" = 0 }', '"2+" = 0, "4+" = 0 }', f"{TRANSFERS}.points.4+", "4+", "two open-ended rows"),
    ('"2+" = 0 }', '"2+" = 0, many = 0 }', f"{TRANSFERS}.points.many", "many", "'many' is not a count"),
    ('"2+" = 0 }', '"2+" = -5 }', f"{TRANSFERS}.points.2+", "-5", "row '2+': must be points from 0 to 100"),
    (
        "{ true = 100, false = 0 }",
        "{ true = 100 }",
        f"{HONEST}.points",
        "{ true = 100 }",
        "missing row 'false'",
    ),
    ("{ true = 100, false = 0 }", "{ yes = 100, false = 0 }", f"{HONEST}.points.yes", "yes", "no row 'yes'"),
    (
        "points = { true = 100, false = 0 }",
        "thresholds = [{ below = 1, points = 0 }]",
        f"{HONEST}.thresholds",
        "thresholds = [{",
        "'metrics.verified_resolved' is true or false: score it with points",
    ),
    (
        'metric = "metrics.transfers"',
        'metric = "metrics.handle_time"',
        f"{TRANSFERS}.points",
        '{ 0 = 100, 1 = 60, "2+" = 0 }',
        "'metrics.handle_time' is in seconds: score it with thresholds, not points",
    ),
    (
        '"chat", "phone"',
        '"chat", "phnoe"',
        f"{HOLD}.applies_to.channels",
        "phnoe",
        "unknown channel 'phnoe' (did you mean 'phone'?)",
    ),
    (
        'when = "metrics.claimed_resolved"',
        'when = "metrics.transfers"',
        f"{HONEST}.applies_to.when",
        "when = ",
        "must name a true-or-false metric, and 'metrics.transfers' is a count",
    ),
    (
        "tags = [",
        "tagz = [",
        f"{HONEST}.applies_to.tagz",
        "tagz",
        "unknown key 'tagz' (did you mean 'tags'?)",
    ),
    (
        'tags = ["@social"]',
        'tags = "social"',
        f"{HONEST}.applies_to.tags",
        "tags = ",
        "must be a list of strings",
    ),
    (
        'metric = "metrics.transfers"\n',
        'metric = "metrics.transfers"\nexpectations = ["x"]\n',
        f"{TRANSFERS}.expectations",
        '["x"]',
        'only goes with metric = "findings"',
    ),
    (
        '["order is cancelled"]',
        '["order (is"]',
        f"{CANCELLED}.expectations",
        "order (is",
        "not a valid regular expression",
    ),
    (
        'weight = 2\npoints = { 0 = 100, 1 = 60, "2+" = 0 }',
        'weight = 2\ncritical = true\npoints = { 0 = 100, 1 = 60, "2+" = 10 }',
        f"{TRANSFERS}.critical",
        "critical = true",
        "can never fail: no value of the metric earns 0 points",
    ),
    (
        "weight = 3\n",
        'weight = 3\npoints = { 0 = 100, "1+" = 0 }\n',
        f"{HOLD}.points",
        '"1+"',
        "either 'thresholds' or 'points'",
    ),
    (
        'points = { 0 = 100, "1+" = 0 }\n',
        "",
        CANCELLED,
        "[sections.effort.criteria.cancelled]",
        "missing key 'thresholds' or 'points'",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "needle", "problem"), CASES)
def test_every_problem_is_one_line_naming_file_line_and_key(
    tmp_path: Path, old: str, new: str, key: str, needle: str, problem: str
) -> None:
    path = variant(tmp_path, old, new)
    with pytest.raises(RubricError) as caught:
        load_rubric_file(path)
    message = str(caught.value)
    assert "\n" not in message
    where = f"{path}:{line_of(path, needle)}" if needle else f"{path}:1"
    prefix = f"{where}: {key}: " if key else f"{where}: "
    assert message.startswith(prefix), message
    assert problem in message, message


def test_a_rubric_error_is_a_configuration_error() -> None:
    assert issubclass(RubricError, ConfigError)


def test_not_toml_names_the_line(tmp_path: Path) -> None:
    path = variant(tmp_path, "weight = 3", "weight = = 3")
    with pytest.raises(RubricError, match=rf"^{path}:{line_of(path, '= = 3')}: not valid TOML: "):
        load_rubric_file(path)


def test_sections_and_criteria_must_not_be_empty(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match=r":2: sections: must hold at least one table"):
        load_rubric_file(write(tmp_path, 'name = "empty"\nsections = {}\n'))
    text = 'name = "x"\n\n[sections.waiting]\nweight = 1\ncriteria = {}\n'
    with pytest.raises(RubricError, match=r":5: sections.waiting.criteria: must hold at least one table"):
        load_rubric_file(write(tmp_path, text))


def test_rubrics_are_found_by_name_with_a_hint_for_typos(tmp_path: Path) -> None:
    assert load_rubric("default", ROOT).name == "default"
    assert load_rubric("rubrics/default.toml", ROOT).name == "default"
    with pytest.raises(RubricError, match=r"unknown rubric 'defualt'.*did you mean 'default'"):
        load_rubric("defualt", ROOT)
    with pytest.raises(RubricError, match=r"cannot read the rubric"):
        load_rubric_file(tmp_path / "missing.toml")


def test_the_default_rubric_ships_in_the_package_and_a_projects_own_wins(tmp_path: Path) -> None:
    shipped = load_rubric("default", tmp_path)
    assert shipped.path.parent == BUILTIN
    assert shipped.path.read_bytes() == (ROOT / "rubrics" / "default.toml").read_bytes()
    (tmp_path / "rubrics").mkdir()
    write(
        tmp_path / "rubrics",
        (ROOT / "rubrics" / "default.toml").read_text().replace('name = "default"', 'name = "ours"'),
        "default.toml",
    )
    assert load_rubric("default", tmp_path).name == "ours"


def test_key_lines_find_tables_dotted_keys_inline_tables_and_array_items() -> None:
    lines = KeyLines(
        '# [not.a.table]\nname = "x"  # a comment with = and [\n\n[a."b c"]\nd.e = { f = 1, "g+" = 2 }\n'
        'h = [\n  { i = 1 },  # ]\n  { j = "]" },\n]\nk = 1\n'
    )
    assert lines.line_of(("name",)) == 2
    assert lines.line_of(("a", "b c")) == 4
    assert lines.line_of(("a", "b c", "d", "e", "g+")) == 5
    assert lines.line_of(("a", "b c", "h", 1, "j")) == 8
    assert lines.line_of(("a", "b c", "k")) == 10
    assert lines.line_of(("a", "b c", "h", 5)) == 6  # not written: its parent's line
    assert lines.line_of(("nowhere",)) is None
