"""Returning customers in the company profile: read with one-line errors, checked
before a run, and (for the demo company) the very accounts the sandbox's staff set up."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from journeys.authoring.check import check_paths
from journeys.company.customers import find_purchase
from journeys.company.profile import load_company, load_company_file
from journeys.errors import CompanyProfileError
from sandbox.shop.returning_customers import RETURNING_CUSTOMERS

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)


def test_the_demo_profile_lists_the_accounts_the_sandbox_seeds() -> None:
    listed = load_company("sandbox", ROOT).returning_customers
    assert [(c.shopper.name, c.shopper.email, c.shopper.phone, c.shopper.postcode) for c in listed] == [
        (c.name, c.email, c.phone, c.postcode) for c in RETURNING_CUSTOMERS
    ]
    assert [(p.order_number, p.product, p.days_ago) for c in listed for p in c.purchases] == [
        (p.order_number, p.product, p.days_ago) for c in RETURNING_CUSTOMERS for p in c.purchases
    ]


def test_a_purchase_is_found_by_product_and_age_whichever_way_it_is_dated(tmp_path: Path) -> None:
    customers = load_company("sandbox", ROOT).returning_customers
    found = find_purchase(customers, "blender 3000", 400, TODAY)
    assert found is not None and found[1].order_number == "BL-700101"
    assert found[1].purchase_date(TODAY) == dt.date(2025, 10, 19)
    assert find_purchase(customers, "Blender 3000", 401, TODAY) is None

    profile = _profile_with(tmp_path, "days_ago = 400", "bought_on = 2025-10-19")
    dated = load_company_file(profile).returning_customers
    assert find_purchase(dated, "Blender 3000", 400, TODAY) is not None


@pytest.mark.parametrize(
    ("written", "key", "problem"),
    [
        ("days_ago = 400", "returning_customers.morgan.purchases.0", "needs exactly one of days_ago"),
        ("days_ago = -3", "returning_customers.morgan.purchases.0.days_ago", "must be a whole number"),
        ('days_ago = "400"', "returning_customers.morgan.purchases.0.days_ago", "must be a whole number"),
        ("days_ago = 400, colour = 1", "returning_customers.morgan.purchases.0.colour", "unknown key"),
    ],
)
def test_a_bad_purchase_is_one_line_at_its_place(
    tmp_path: Path, written: str, key: str, problem: str
) -> None:
    replacement = "" if written == "days_ago = 400" else written
    profile = _profile_with(tmp_path, "days_ago = 400", replacement)
    line = next(n for n, text in enumerate(profile.read_text().splitlines(), 1) if "BL-700101" in text)

    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(profile)

    assert str(caught.value).startswith(f"{profile}:{line}: {key}: {problem}"), caught.value


def test_check_names_a_purchase_no_account_made(tmp_path: Path) -> None:
    feature = tmp_path / "warranty.feature"
    feature.write_text(
        textwrap.dedent(
            """\
            Feature: Claims
              Scenario: A blender of 401 days
                Given I am a returning customer who bought "Blender 3000" 401 days ago
                When I call about a warranty claim because "it stopped"
                Then my warranty claim is registered
            """
        ),
        encoding="utf-8",
    )
    customers = load_company("sandbox", ROOT).returning_customers

    result = check_paths([feature], returning_customers=customers)

    [problem] = result.problems
    assert problem.line == 3
    assert problem.message.startswith(
        "no returning customer of the company bought 'Blender 3000' 401 days ago"
    )
    assert '"Blender 3000" 400 days ago' in problem.message
    assert not check_paths([feature]).problems  # without a company, nothing to check against


def _profile_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "companies" / "sandbox.toml").read_text(encoding="utf-8")
    anchor = 'serial_number = "B3K-23-118305", days_ago = 400 }'
    assert anchor in text
    path = tmp_path / "acme.toml"
    written = anchor.replace(old, new).replace(", }", " }").replace(",  }", " }")
    path.write_text(text.replace(anchor, written), encoding="utf-8")
    return path


def test_a_fixed_date_purchase_is_found_about_so_many_days_ago(tmp_path: Path) -> None:
    """A real company's test order was placed on a day; a year on, "about 400 days ago" still finds it."""
    profile = _profile_with(tmp_path, "days_ago = 400", "bought_on = 2025-10-19")
    dated = load_company_file(profile).returning_customers
    later = TODAY + dt.timedelta(days=20)  # the order is 420 days old by then
    assert find_purchase(dated, "Blender 3000", 400, later) is None  # exactly 400: stale
    found = find_purchase(dated, "Blender 3000", 400, later, tolerance=30)
    assert found is not None and found[1].order_number == "BL-700101"
    assert find_purchase(dated, "Blender 3000", 400, later, tolerance=19) is None
    # The nearest wins: the other blender was bought 800 days ago.
    nearest = find_purchase(dated, "Blender 3000", 700, later, tolerance=400)
    assert nearest is not None and nearest[1].order_number == "BL-700402"


def test_check_reads_the_tolerance_the_profile_sets(tmp_path: Path) -> None:
    feature = tmp_path / "warranty.feature"
    feature.write_text(
        textwrap.dedent(
            """\
            Feature: Claims
              Scenario: About 420 days
                Given I am a returning customer who bought "Blender 3000" about 420 days ago
                When I call about a warranty claim because "it stopped"
              Scenario: About 440 days
                Given I am a returning customer who bought "Blender 3000" about 440 days ago
                When I call about a warranty claim because "it stopped"
            """
        ),
        encoding="utf-8",
    )
    profile = _profile_with(tmp_path, "days_ago = 400", "days_ago = 400")
    profile.write_text(
        "purchase_age_tolerance = 25\n" + profile.read_text(encoding="utf-8"), encoding="utf-8"
    )
    company = load_company_file(profile)  # the blender is 400 days old: 420 is within 25, 440 is not

    result = check_paths([feature], returning_customers=company.returning_customers, company=company)

    [problem] = result.problems
    assert problem.line == 6
    assert problem.message.startswith(
        "no returning customer of the company bought 'Blender 3000' 440 days ago (give or take 25 days)"
    )
