"""The schema's README example is a valid profile, and it says what it claims."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sandbox.contact_centre import load_contact_centre_profile

README = Path(__file__).resolve().parents[2] / "sandbox" / "contact_centre" / "README.md"


def test_the_readme_example_loads() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, flags=re.DOTALL)
    assert block is not None
    profile = load_contact_centre_profile(tomllib.loads(block.group(1)), "README.md")
    assert profile.route("chat", "return").legs[0].handover == "cold"
    assert profile.route("phone", "cancel").legs[0].ends == "false_resolve"
    assert profile.route("phone", "order").queue_seconds == 60
    assert profile.ivr is not None and profile.ivr.depth_of("cancel") == 2
    assert profile.channels["social"].switch_to_phone_after == 3


def test_the_readme_variety_example_loads_beside_the_first() -> None:
    text = README.read_text(encoding="utf-8")
    first, variety = re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)[:2]
    document = tomllib.loads(first + variety)
    profile = load_contact_centre_profile(document, "README.md")
    assert profile.variety is not None
    assert profile.variety.transfers == (0, 0, 1, 2) and profile.variety.queue_factor == (0.5, 2.0)
