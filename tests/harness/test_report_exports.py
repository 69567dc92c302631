"""The exports CI reads (summary.md, export.json) and the summary's trends, without a browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "history"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scoring"))

from history_records import FIRST_NIGHT, NIGHT, journey_record, write_run_folder
from scoring_records import a_record

from journeys.domain.results import RunDirectory
from journeys.history.runs import History
from journeys.scoring.rubric import load_rubric
from journeys.scoring.scorecard import aggregate, score_journey
from reports.html import render_run_report
from reports.markdown import escape_markdown
from reports.trends import look_back

ROOT = Path(__file__).resolve().parents[2]


def render(run_dir: Path, records: list[dict[str, Any]], **keywords: Any) -> Path:
    rubric = load_rubric("default", ROOT)
    cards = [score_journey(record, rubric) for record in records]
    return render_run_report(run_dir, records, cards, aggregate(zip(cards, records, strict=True)), **keywords)


def a_small_run(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """A good chat, a bad phone call (with a finding and a hostile name) and a broken web journey."""
    bad = journey_record(
        "bad-phone",
        name="Cancel | by <script>alert(1)</script> *phone*",
        hold_time=400.0,
        transfers=3,
        verified_resolved=False,
        first_contact_resolution=False,
    )
    bad["findings"] = [
        {"expectation": "Then my order is cancelled", "observed": "it was not", "feature": "x", "line": 9}
    ]
    broken = journey_record("broken-web", channel="web", status="broken", setup_contact=False)
    broken["breakage"] = {
        "message": "web: could not open the shop",
        "channel": "web",
        "action": None,
        "screenshot": None,
    }
    records = [journey_record("good-chat", channel="chat", hold_time=10.0), bad, broken]
    return write_run_folder(tmp_path, "night-1", records), records


def test_the_markdown_summary_leads_with_the_score_and_escapes_what_people_typed(tmp_path: Path) -> None:
    run_dir, records = a_small_run(tmp_path)
    render(
        run_dir,
        records,
        regressions=["hold time on phone up 40% since the previous run (62 s -> 87 s)"],
        history="1 earlier run of this series in history.sqlite3",
    )
    text = (run_dir / "summary.md").read_text()

    assert text.startswith("## Mystery-shopper run night-1\n")
    assert "**Score " in text and "rubric default" in text
    assert "| Channel | Score |" in text and "| phone | 0 |" in text and "| web | – |" in text
    assert "### Worst journeys" in text and "journeys/bad-phone.html" in text
    assert "### Not carried out" in text and "web: could not open the shop" in text
    assert "- hold time on phone up 40% since the previous run \\(62 s -\\> 87 s\\)" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "Cancel \\| by" in text  # a pipe in a name cannot split the table's row
    assert escape_markdown("line one\nline two") == "line one line two"


def test_the_json_export_has_every_journey_s_criteria_and_each_channel(tmp_path: Path) -> None:
    run_dir, records = a_small_run(tmp_path)
    render(run_dir, records)
    export = json.loads((run_dir / "export.json").read_text())

    assert export["export_version"] == 1
    assert export["run"]["name"] == "night-1" and export["run"]["journeys"] == 3
    assert export["run"]["statuses"] == {"broken": 1, "findings": 0, "interrupted": 0, "passed": 2}
    journeys = {journey["journey_id"]: journey for journey in export["journeys"]}
    assert journeys["good-chat"]["score"] > 80 and journeys["good-chat"]["page"] == "journeys/good-chat.html"
    assert journeys["broken-web"]["score"] is None and journeys["broken-web"]["unscored_reason"]
    criteria = [
        criterion for section in journeys["bad-phone"]["sections"] for criterion in section["criteria"]
    ]
    transfers = next(criterion for criterion in criteria if criterion["metric"] == "metrics.transfers")
    assert transfers["value"] == 3 and transfers["earned"] < transfers["possible"]
    assert set(export["channels"]) == {"chat", "phone", "web"}
    assert export["channels"]["phone"]["median_hold"] == 400.0
    assert export["channels"]["web"]["score"] is None and export["channels"]["web"]["unscored"] == 1
    assert export["run"]["score"] == sum(journeys[key]["score"] for key in ("good-chat", "bad-phone")) / 2


def test_every_journey_gets_a_page_beside_its_record_linked_from_the_summary(tmp_path: Path) -> None:
    run_dir, records = a_small_run(tmp_path)
    report = render(run_dir, records).read_text()
    for journey_id in ("good-chat", "bad-phone", "broken-web"):
        assert (run_dir / "journeys" / f"{journey_id}.html").is_file()
        assert f'href="journeys/{journey_id}.html"' in report
    page = (run_dir / "journeys" / "bad-phone.html").read_text()
    assert "<svg" in page and 'href="../report.html"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page


def test_a_screenshot_outside_the_run_folder_is_never_linked(tmp_path: Path) -> None:
    run_dir, records = a_small_run(tmp_path)
    records[2]["breakage"]["screenshot"] = "javascript:alert(1)"
    (run_dir / "artifacts" / "broken-web").mkdir(parents=True)
    (run_dir / "artifacts" / "broken-web" / "trace.zip").write_bytes(b"PK")
    (run_dir / "artifacts" / "broken-web" / "broken.png").write_bytes(b"\x89PNG")
    render(run_dir, records)
    page = (run_dir / "journeys" / "broken-web.html").read_text()
    assert "javascript:" not in page
    assert (
        'href="../artifacts/broken-web/trace.zip"' in page
        and 'src="../artifacts/broken-web/broken.png"' in page
    )


def nights(tmp_path: Path, holds: list[float], profile: str = "typical") -> tuple[History, Path]:
    """A history of one series (one phone journey a night) and the last night's folder."""
    history = History.open(tmp_path / "history.sqlite3")
    run_dir = tmp_path
    for night, hold in enumerate(holds):
        record = journey_record(
            "call", started_at=FIRST_NIGHT + night * NIGHT, hold_time=hold, profile=profile
        )
        run_dir = write_run_folder(tmp_path / "results", f"{profile}-{night}", [record])
        rubric = load_rubric("default", ROOT)
        history.record_run(run_dir, scores={"call": score_journey(record, rubric).score})
    return history, run_dir


def test_the_summary_draws_the_series_trend_and_the_change_since_the_previous_run(tmp_path: Path) -> None:
    history, run_dir = nights(tmp_path, [20.0, 30.0, 600.0])
    with history:
        looked = look_back(history, run_dir.name, history.path)
    assert looked.trends is not None
    assert [round(point.value) for point in looked.trends.channel_holds["phone"]] == [20, 30, 600]
    assert (
        len(looked.trends.run_score) == 3
        and looked.trends.run_score[-1].value < looked.trends.run_score[0].value
    )
    records = list(RunDirectory(run_dir).records())
    report = render(
        run_dir, records, regressions=looked.regressions, history=looked.sentence, trends=looked.trends
    ).read_text()
    assert report.count('class="spark"') >= 3  # run score, phone score, phone hold
    assert "since previous run" in report and 'class="change worse"' in report
    export = json.loads((run_dir / "export.json").read_text())
    assert export["run"]["previous_score"] == looked.trends.run_score[-2].value
    assert "since previous run" in (run_dir / "summary.md").read_text()


def test_without_a_history_the_summary_has_no_sparklines(tmp_path: Path) -> None:
    run_dir, records = a_small_run(tmp_path)
    report = render(run_dir, records).read_text()
    assert 'class="spark"' not in report and "since previous run" not in report
    assert json.loads((run_dir / "export.json").read_text())["run"]["previous_score"] is None


def test_two_profiles_differ_at_a_glance(tmp_path: Path) -> None:
    fair = [a_record(journey_id="fair")]
    bad = [
        a_record(
            journey_id="bad",
            channels=("phone",),
            transfers=4,
            hold_time=900.0,
            recaptures=4,
            verified_resolved=False,
            first_contact_resolution=False,
        )
    ]
    fair_report = render(write_run_folder(tmp_path, "fair", fair), fair).read_text()
    bad_report = render(write_run_folder(tmp_path, "bad", bad), bad).read_text()
    assert 'class="tile score band-good"' in fair_report
    assert 'class="tile score band-poor"' in bad_report


def test_a_run_reads_against_the_same_companys_other_profiles(tmp_path: Path) -> None:
    rubric = load_rubric("default", ROOT)
    with History.open(tmp_path / "history.sqlite3") as history:
        folders = {}
        for night, (profile, hold) in enumerate([("typical", 20.0), ("purgatory", 900.0), ("advocate", 5.0)]):
            record = journey_record(
                f"call-{profile}", started_at=FIRST_NIGHT + night * NIGHT, hold_time=hold, profile=profile
            )
            folders[profile] = write_run_folder(tmp_path / "results", f"demo-{profile}", [record])
            history.record_run(
                folders[profile], scores={record["journey_id"]: score_journey(record, rubric).score}
            )
        looked = look_back(history, "demo-purgatory", history.path)
    assert looked.trends is not None
    # only runs before this one: advocate came later, so a report rendered again stays the same
    [typical] = looked.trends.other_series
    assert (typical.profile, typical.run) == ("typical", "demo-typical") and typical.score is not None

    run_dir = folders["purgatory"]
    records = list(RunDirectory(run_dir).records())
    report = render(run_dir, records, history=looked.sentence, trends=looked.trends).read_text()
    assert 'aria-label="Other service profiles"' in report and "under typical" in report
    assert "typical **" in (run_dir / "summary.md").read_text()
