"""Which reference a conversation gave is the order number: as the company's profile writes
one, not as the harness's code once assumed ("BL-" in tasks.py, true of the demo only)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from journeys.company.profile import load_company
from journeys.journey.tasks import order_number_among

ROOT = Path(__file__).resolve().parents[2]


def test_the_order_number_is_the_reference_the_shop_would_write_as_one() -> None:
    company = load_company("sandbox", ROOT)  # its web.patterns.order_number: BL- and 6 digits
    assert order_number_among(company, ["RMA-12345", "BL-123456"]) == "BL-123456"
    assert order_number_among(company, ["BL-54100"]) is None  # a digit lost on the line


def test_another_company_s_order_numbers_are_read_by_its_own_pattern() -> None:
    company = load_company("sandbox", ROOT)
    assert company.web is not None
    patterns = {**company.web.patterns, "order_number": re.compile(r"ORD\d{8}")}
    web = dataclasses.replace(company.web, patterns=patterns)
    theirs = dataclasses.replace(company, web=web)
    assert order_number_among(theirs, ["BL-123456", "ORD20261201"]) == "ORD20261201"
    assert order_number_among(dataclasses.replace(company, web=None), ["CASE-9", "ORD1"]) == "CASE-9"
