"""``mystery-shopper compare``: two runs built from records, what changed between them, and bad input."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "history"))

from history_records import journey_record, write_run_folder

from journeys.history.runs import History
from journeys.runner.cli import main

ROOT = Path(__file__).resolve().parents[2]
CANCELLED = "Then my order is cancelled"
REFERENCE = "And I am given a reference number"


@pytest.fixture(autouse=True)
def in_the_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Rubrics are found from the project folder; no history of the developer's is read."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MYSTERY_SHOPPER_HISTORY", str(tmp_path / "history.sqlite3"))


def with_finding(record: dict[str, Any], expectation: str, observed: str) -> dict[str, Any]:
    record["status"] = "findings"
    record["findings"].append(
        {
            "expectation": expectation,
            "observed": observed,
            "feature": record["feature"],
            "line": record["line"],
        }
    )
    return record


def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    """Night 1 in real time, night 2 at 1/100 of it: what changed is known journey by journey.

    - cancel: a new finding, its score drops, its hold doubles at the real pace (60 s -> 1.2 s x 100);
    - chat return: its finding is gone;
    - e-mail: the same hold at the real pace on both nights (unchanged);
    - social: its line moved (matched by feature and name, not by id);
    - desk only on night 1, web only on night 2.
    """
    chat = {"feature": "returns/chat.feature", "channel": "chat"}
    first = [
        journey_record("cancel", hold_time=60.0),
        with_finding(
            journey_record("chat-return", name="Ask for a return in the chat", **chat),
            REFERENCE,
            "no reference",
        ),
        journey_record("mail", name="Ask by e-mail", feature="returns/email.feature", channel="email"),
        journey_record("social-1", name="Ask on social", feature="returns/social.feature", channel="social"),
        journey_record("desk", name="Repair through the desk", feature="repair/desk.feature", channel="desk"),
    ]
    sped_up = {"time_scale": 0.01, "hold_time": 0.6, "time_to_agent": 0.3}  # night 1's waits at the real pace
    second = [
        with_finding(
            journey_record("cancel", hold_time=1.2, time_scale=0.01, verified_resolved=False),
            CANCELLED,
            "the order is still open",
        ),
        journey_record("chat-return", name="Ask for a return in the chat", **chat, **sped_up),
        journey_record(
            "mail", name="Ask by e-mail", feature="returns/email.feature", channel="email", **sped_up
        ),
        journey_record(
            "social-2", name="Ask on social", feature="returns/social.feature", channel="social", **sped_up
        ),
        journey_record(
            "web", name="Return on the web", feature="returns/web.feature", channel="web", **sped_up
        ),
    ]
    second[3]["line"] = 9
    return write_run_folder(tmp_path, "night-1", first), write_run_folder(tmp_path, "night-2", second)


def table_row(markdown: str, starting: str) -> list[str]:
    """The cells of the one Markdown table row that starts with ``starting``."""
    [row] = [line for line in markdown.splitlines() if line.startswith(f"| {starting}")]
    return [cell.strip() for cell in row.strip("|").split(" | ")]


def compared(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    first, second = two_runs(tmp_path)
    assert main(["compare", str(first), str(second), *extra]) == 0
    return capsys.readouterr().out


def test_a_score_drop_a_new_finding_and_a_hold_at_the_real_pace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = compared(tmp_path, capsys)
    name, result, score, hold, transfers, findings = table_row(markdown, "Cancel a web order right away")
    assert "cancellation/phone.feature:6" in name
    assert result == "passed → findings"
    before, after = (float(value) for value in score.split(" ▼ ")[0].split(" → "))
    assert after < before
    assert hold == "1 min 00 s → 2 min 00 s ▲ 1 min 00 s"  # 1.2 s at 1/100 of real time is 120 s
    assert transfers == "0"
    assert findings == f"new: {CANCELLED}"


def test_a_gone_finding_and_the_journeys_only_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = compared(tmp_path, capsys)
    *_, findings = table_row(markdown, "Ask for a return in the chat")
    assert findings == f"gone: {REFERENCE}"
    only_first = markdown.split("### Only in night-1")[1].split("###")[0]
    only_second = markdown.split("### Only in night-2")[1]
    assert "Repair through the desk · repair/desk.feature:6 · passed" in only_first
    assert "Return on the web" in only_second and "Repair through the desk" not in only_second
    assert "Ask on social" not in markdown.split("### Only in")[1]  # its line moved: the same journey
    assert "2 journeys in both runs did not change." in markdown  # e-mail and social


def test_the_biggest_changes_come_first_and_channels_are_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = compared(tmp_path, capsys)
    assert markdown.index("Cancel a web order") < markdown.index("Ask for a return in the chat")
    assert table_row(markdown, "phone")[2] == "1 min 00 s → 2 min 00 s ▲ 1 min 00 s"
    assert table_row(markdown, "email")[2] == "1 min 00 s"
    assert table_row(markdown, "desk")[4] == "1 → 0"
    assert "night-1 ran in real time, night-2 100× faster than real time" in markdown
    assert markdown.startswith("## Mystery-shopper runs compared: night-1 → night-2")


class _Page(HTMLParser):
    """Every start tag, and the text of the list items, of a page that must parse."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.items: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)
        if tag == "li":
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        assert tag in self._open, f"</{tag}> closes nothing"
        while self._open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "li" in self._open:
            self.items[-1] += data


def test_the_html_page_renders_every_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "pages" / "compare.html"
    compared(tmp_path, capsys, "--html", str(page))
    parsed = _Page()
    parsed.feed(page.read_text(encoding="utf-8"))
    assert {"html", "style", "table", "h1"} <= set(parsed.tags) and "script" not in parsed.tags
    items = [" ".join(item.split()) for item in parsed.items]
    assert f"new: {CANCELLED} — the order is still open" in items
    assert f"gone: {REFERENCE}" in items
    assert any(item.startswith("Return on the web") for item in items)


def test_the_html_page_opens_from_disk_without_errors_or_network(
    browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page_file = tmp_path / "compare.html"
    compared(tmp_path, capsys, "--html", str(page_file))
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    assert page.get_by_role("heading", level=1).inner_text() == "Mystery-shopper runs compared"
    assert page.locator("td .worse").first.is_visible()
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == []
    page.close()


def test_runs_are_found_by_their_name_in_the_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_runs(tmp_path)
    with History.open(tmp_path / "history.sqlite3") as history:
        history.record_run(first)
    assert main(["compare", "night-1", str(second)]) == 0
    assert "runs compared: night-1 → night-2" in capsys.readouterr().out


def one_line(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    """The one line a refused comparison prints, with exit code 2 and nothing on standard output."""
    assert main(["compare", *arguments]) == 2
    out, error = capsys.readouterr()
    assert out == "" and error.count("\n") == 1, error
    return error


def test_a_folder_that_is_not_a_run_is_named_with_what_a_run_folder_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, second = two_runs(tmp_path)
    empty = tmp_path / "not-a-run"
    empty.mkdir()
    error = one_line(capsys, str(empty), str(second))
    assert f"{empty}: not a run folder" in error and "a run folder holds journeys/*.json" in error
    error = one_line(capsys, str(second), str(tmp_path / "gone" / "night-3"))
    assert "no such run folder" in error and "journeys/*.json" in error
    error = one_line(capsys, str(second / "journeys" / "cancel.json"), str(second))
    assert "is a file, not a run folder" in error


def test_an_unknown_run_name_says_how_to_list_the_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_runs(tmp_path)
    error = one_line(capsys, "night-0", str(second))
    assert "night-0: no such run folder, and no run history" in error
    with History.open(tmp_path / "history.sqlite3") as history:
        history.record_run(first)
    error = one_line(capsys, "night-0", str(second))
    assert "nor a run of that name" in error and error.rstrip().endswith("mystery-shopper history")


def test_a_usage_mistake_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = two_runs(tmp_path)
    assert "the following arguments are required" in one_line(capsys, str(first))
    assert "is a folder" in one_line(capsys, str(first), str(second), "--html", str(tmp_path))
