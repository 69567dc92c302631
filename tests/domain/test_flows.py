"""Web flows as a profile writes them: read into steps, every mistake one line with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.company.flows import placeholders
from journeys.company.profile import load_company_file
from journeys.errors import CompanyProfileError

HEAD = """
name = "Acme"
base_url = "https://shop.example.test"
allowed_hosts = ["shop.example.test"]

[web]
{card}
[web.pages]
basket = "/basket"

[web.locators]
buy = {{ role = "button", name = "Buy" }}

[web.patterns]
order_number = 'AC-\\d{{4}}'

[web.flows]
"""


def profile(tmp_path: Path, flows: str, *, card: bool = True) -> Path:
    path = tmp_path / "acme.toml"
    head = HEAD.format(card='test_card = "4242"' if card else "")
    path.write_text(head + flows, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_flow_is_read_step_by_step_with_where_each_step_is_written(tmp_path: Path) -> None:
    path = profile(
        tmp_path,
        """place_order = [
  { go = "basket" },
  { click = "buy" },
  { fill = { label = "Email" }, with = "{customer.email}" },
  { choose = { label = "Country" }, option = "{customer.country}" },
  { click = { role = "button", within = { role = "article", has_text = "{shipping_method}" } } },
  { check = { label = "I agree" }, when_visible = true },
  { wait_for = ["buy", { role = "alert" }] },
  { read = "page", match = "order_number", into = "order_number" },
  { capture = { role = "link", name = "View your order" }, into = "order_link" },
]
open_order = [
  { go = "{order_link}", if_known = "order_link" },
  { read = { css = "dd.status" }, into = "status", missing = "no order {order_number}" },
]
""",
    )
    web = load_company_file(path).web
    assert web is not None
    steps = web.flows["place_order"].steps
    assert [step.action for step in steps] == [
        "go", "click", "fill", "choose", "click", "check", "wait_for", "read", "capture"
    ]  # fmt: skip
    assert steps[1].target.key == "buy" and steps[2].target.key is None
    assert steps[2].place == f"{path}:{line_of(path, 'customer.email')}"
    within = steps[4].target.spec.within
    assert within is not None and within.has_text == "{shipping_method}"
    assert len(steps[6].targets) == 2 and steps[5].when_visible
    assert steps[7].match is not None and steps[7].match.pattern == "AC-\\d{4}"  # the named pattern
    assert web.flows["open_order"].steps[0].if_known == "order_link"  # a fact another flow finds


@pytest.mark.parametrize(
    ("flows", "needle", "expected"),
    [
        ("place_ordr = [\n  { go = \"/\" },\n]\n", "place_ordr =",
         "web.flows.place_ordr: no web task is called 'place_ordr' (did you mean 'place_order'?)"),
        ("place_order = [\n  { go = \"/\", click = \"buy\" },\n]\n", "go =",
         "web.flows.place_order.0: must name exactly one action of go, click, fill, choose, check, wait_for,"
         " read, read_all, capture, run (found 2)"),
        ("place_order = [\n  { clik = \"buy\" },\n]\n", "clik",
         "web.flows.place_order.0: must name exactly one action of"),
        ("place_order = [\n  { click = \"buy\", wiht = \"x\" },\n]\n", "wiht",
         "web.flows.place_order.0.wiht: unknown key 'wiht' for a click step"),
        ("place_order = [\n  { click = \"by\" },\n]\n", "\"by\"",
         "web.flows.place_order.0.click: names the locator 'by', which [web.locators] does not have"
         " (did you mean 'buy'?)"),
        ("place_order = [\n  { fill = { label = \"Email\" } },\n]\n", "Email",
         "web.flows.place_order.0: a fill step needs with = "),
        ("place_order = [\n  { read = \"page\" },\n]\n", "read =",
         "web.flows.place_order.0: a read step needs into = "),
        ("place_order = [\n  { fill = { label = \"E\" }, with = \"{customer.emial}\" },\n]\n", "emial",
         "web.flows.place_order.0: fills in {customer.emial}, which no journey knows"
         " (did you mean '{customer.email}'?)"),
        ("place_order = [\n  { go = \"basket.html\" },\n]\n", "basket.html",
         "web.flows.place_order.0.go: 'basket.html' is neither a page of [web.pages] nor a path"),
        ("place_order = [\n  { run = \"open_order\" },\n]\n", "run =",
         "web.flows.place_order.0: runs the flow 'open_order', which this profile does not write"),
        ("place_order = [\n  { click = \"buy\", when_visible = true, missing = \"no\" },\n]\n",
         "when_visible",
         "web.flows.place_order.0: a step is either optional (when_visible) or says what is missing"),
        ("place_order = [\n  { read = \"page\", match = \"AC-(\", into = \"x\" },\n]\n", "match",
         "web.flows.place_order.0.match: is neither a pattern of [web.patterns] nor a valid regular"),
        ("place_order = []\n", "place_order", "web.flows.place_order: must list the steps"),
    ],
    ids=[
        "unknown-task", "two-actions", "no-action", "unknown-option", "unknown-locator",
        "fill-without-text", "read-without-fact", "unknown-placeholder", "bad-address",
        "run-unknown-flow", "optional-and-missing", "bad-match", "no-steps",
    ],
)  # fmt: skip
def test_each_mistake_in_a_flow_is_one_line_with_file_and_line(
    tmp_path: Path, flows: str, needle: str, expected: str
) -> None:
    path = profile(tmp_path, flows)
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line_of(path, needle)}: "), message
    assert expected in message, message


def test_a_card_placeholder_needs_a_test_card(tmp_path: Path) -> None:
    flows = 'place_order = [\n  { fill = { label = "Card" }, with = "{card.number}" },\n]\n'
    path = profile(tmp_path, flows, card=False)
    expected = r"fills in \{card\.number\}, which no journey knows \(the profile has no \[web\] test_card\)"
    with pytest.raises(CompanyProfileError, match=expected):
        load_company_file(path)


def test_a_cancel_flow_needs_the_pattern_its_answer_is_judged_by(tmp_path: Path) -> None:
    path = profile(tmp_path, 'cancel_order = [\n  { click = "buy" },\n]\n')
    with pytest.raises(CompanyProfileError, match=r"missing key 'web\.patterns\.cancel_confirmed'"):
        load_company_file(path)


def test_a_regular_expressions_counts_are_not_placeholders() -> None:
    assert placeholders(r"BL-\d{6} ^{shipping_method}\b {customer.email} x{2,3}") == [
        "shipping_method",
        "customer.email",
    ]


def test_the_example_flow_of_the_guide_loads(tmp_path: Path) -> None:
    """docs/describe-your-company.md shows a checkout over several pages; it must be a valid flow."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "describe-your-company.md").read_text()
    block = next(part for part in guide.split("```toml\n")[1:] if part.startswith("[web.flows]"))
    flows = block.split("```")[0].removeprefix("[web.flows]\n")
    web = load_company_file(profile(tmp_path, flows)).web
    assert web is not None and len(web.flows["place_order"].steps) == 18


@pytest.mark.parametrize(
    ("module", "flows", "expected"),
    [
        ("def place_order(page, facts):\n    return {}\n", "", "{module}:2: not valid Python"),
        ("def helper():\n    pass\n", "", "defines no task: name a function after one of place_order"),
        (
            "def open_order(page, facts):\n    return {}\n",
            'open_order = [\n  { go = "/" },\n]\n',
            "web.flows.open_order: is written twice: as a flow here and in Python at {module}:1; keep one",
        ),
    ],
    ids=["not-python", "no-task", "written-twice"],
)
def test_a_page_object_module_is_read_not_run(tmp_path: Path, module: str, flows: str, expected: str) -> None:
    source = tmp_path / "acme_pages.py"
    source.write_text(
        module.replace("return {}", "return {") if "not" in expected else module, encoding="utf-8"
    )
    path = profile(tmp_path, flows)
    path.write_text(
        path.read_text().replace("[web]\n", '[web]\npage_objects = "acme_pages.py"\n'), encoding="utf-8"
    )
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    assert expected.format(module=source) in str(caught.value)
