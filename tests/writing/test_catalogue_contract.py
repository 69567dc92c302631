"""The catalogue is the contract: a feature file written from docs/steps.md alone runs.

``catalogue_only/written-from-the-catalogue.feature`` was written by reading the
catalogue, not the step code. This test first proves that every one of its steps is a
phrase the *document* promises (matched with the document's own phrase text, not with
the registered steps), then runs it against the demo company as a user would: it must
end green or with findings, never broken and never with a step pytest-bdd cannot find.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import parse
import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE = Path(__file__).with_name("catalogue_only") / "written-from-the-catalogue.feature"
KEYWORDS = ("Given", "When", "Then")


def documented_phrases() -> dict[str, list[parse.Parser]]:
    """The phrases docs/steps.md promises, by keyword, as parsers of their own text."""
    phrases: dict[str, list[parse.Parser]] = {keyword: [] for keyword in KEYWORDS}
    for heading in re.findall(
        r"^### (Given|When|Then) (.+)$", (ROOT / "docs" / "steps.md").read_text(), re.M
    ):
        keyword, phrase = heading
        phrases[keyword].append(parse.compile(phrase))
    return phrases


def feature_steps() -> list[tuple[int, str, str]]:
    """(line, keyword, text) of every step, with And taking the keyword before it."""
    steps, keyword = [], "Given"
    for number, line in enumerate(FEATURE.read_text().splitlines(), start=1):
        first, _, text = line.strip().partition(" ")
        if first in KEYWORDS:
            keyword = first
        elif first not in ("And", "But"):
            continue
        steps.append((number, keyword, text))
    return steps


def test_every_line_is_a_phrase_the_catalogue_documents() -> None:
    phrases = documented_phrases()
    assert all(phrases.values()), "docs/steps.md lists no phrases"
    unknown = [
        f"{FEATURE.name}:{line}: {keyword} {text}"
        for line, keyword, text in feature_steps()
        if not any(parser.parse(text) for parser in phrases[keyword])
    ]
    assert not unknown


@pytest.mark.long
def test_a_feature_written_from_the_catalogue_runs(project: pytest.Pytester) -> None:
    shutil.copy(FEATURE, project.path / "features" / FEATURE.name)
    result = project.runpytest_subprocess(
        "features", "--time-scale", "0.005", "-p", "no:cacheprovider", "-p", "no:xdist"
    )

    output = result.stdout.str() + result.stderr.str()
    assert "StepDefinitionNotFoundError" not in output
    records = [json.loads(p.read_text()) for p in sorted(project.path.glob("results/*/journeys/*.json"))]
    assert len(records) == 2, output[-3000:]
    assert {record["status"] for record in records} <= {"passed", "findings"}, [
        record["breakage"] for record in records
    ]
    assert all(record["verifications"] for record in records)  # outcomes checked, not taken on trust
