"""Service profiles: the shipped ones load, bad ones fail with one line naming file and key."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sandbox.contact.service import build_contact_centre
from sandbox.db import Database
from sandbox.errors import ProfileError, SandboxError
from sandbox.profiles import PROFILES_DIR, known_profile_names, load_profile


def write_profile(folder: Path, body: str, name: str = "mine") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


VALID_BODY = """
description = "Mine."

[shop]
cancellation_window_seconds = 30
processing_seconds = 60
"""


def test_the_three_shipped_profiles_load() -> None:
    assert known_profile_names() == ["advocate", "purgatory", "typical"]
    for name in known_profile_names():
        profile = load_profile(name)
        assert profile.name == name
        assert profile.description
        assert profile.shop.processing_seconds > 0
        assert profile.shop.cancellation_window_seconds >= 0


def test_purgatory_never_lets_an_order_be_cancelled() -> None:
    assert load_profile("purgatory").shop.cancellation_window_seconds == 0


def test_a_profile_can_be_given_by_path(tmp_path: Path) -> None:
    profile = load_profile(str(write_profile(tmp_path, VALID_BODY)))
    assert profile.name == "mine"
    assert profile.shop.cancellation_window_seconds == 30.0


def test_other_top_level_tables_are_kept_for_their_owners(tmp_path: Path) -> None:
    body = VALID_BODY + '\n[contact_centre]\nagents = 3\n\n[contact_centre.phone]\nhold = "long"\n'
    profile = load_profile(str(write_profile(tmp_path, body)))
    assert profile.other_tables["contact_centre"] == {"agents": 3, "phone": {"hold": "long"}}


def test_time_scale_multiplies_the_shop_durations() -> None:
    scaled = load_profile("advocate").scaled(0.01)
    assert scaled.shop.cancellation_window_seconds == pytest.approx(1.2)
    assert scaled.shop.processing_seconds == pytest.approx(6.0)


def test_an_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("x")
    assert str(caught.value) == "unknown service profile 'x' (known: advocate, purgatory, typical)"
    assert isinstance(caught.value, SandboxError)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            VALID_BODY + "colour = 'blue'\n",
            "unknown key [shop] 'colour' (known: cancellation_window_seconds, processing_seconds)",
        ),
        (
            VALID_BODY.replace("= 30", '= "thirty"'),
            "key [shop] 'cancellation_window_seconds' must be a number of seconds >= 0,"
            " got 'thirty' (a string)",
        ),
        (
            VALID_BODY.replace("= 60", "= true"),
            "key [shop] 'processing_seconds' must be a number of seconds > 0, got True (a boolean)",
        ),
        (
            VALID_BODY.replace("= 60", "= 0"),
            "key [shop] 'processing_seconds' must be > 0, got 0",
        ),
        (
            VALID_BODY.replace("= 30", "= -1"),
            "key [shop] 'cancellation_window_seconds' must be >= 0, got -1",
        ),
        (
            VALID_BODY.replace("processing_seconds = 60\n", ""),
            "missing key [shop] 'processing_seconds'",
        ),
        (
            'description = "No shop."\n',
            "missing table [shop] (keys: cancellation_window_seconds, processing_seconds)",
        ),
        (
            VALID_BODY.replace('description = "Mine."', "description = 3"),
            "key 'description' must be a non-empty string, got 3 (an integer)",
        ),
    ],
    ids=["unknown-key", "string", "boolean", "zero", "negative", "missing", "no-shop", "desc"],
)
def test_a_malformed_profile_is_one_line_naming_file_and_key(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = write_profile(tmp_path, body)
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert message == f"{path}: {expected}"
    assert "\n" not in message


def test_invalid_toml_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = write_profile(tmp_path, 'description = "x"\n[shop\n')
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid TOML: ")
    assert "\n" not in message


def test_a_missing_profile_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"service profile file .*nothing\.toml does not exist"):
        load_profile(str(tmp_path / "nothing.toml"))


def test_the_shipped_profiles_live_in_the_package() -> None:
    assert (PROFILES_DIR / "typical.toml").is_file()


def test_the_shipped_contact_centres_draw_their_companies_only_when_asked(tmp_path: Path) -> None:
    """``--variety`` on: each contact draws from the profile's variety; off (the default, what the
    demo's features expect of a profile): the routes as written."""
    for name in known_profile_names():
        drawn: dict[bool, object] = {}
        for variety in (False, True):
            database = Database(tmp_path / f"{name}-{variety}.db")
            try:
                centre = build_contact_centre(
                    load_profile(name),
                    time_scale=1.0,
                    db=database,
                    clock=lambda: 0.0,
                    rng=random.Random(0),
                    seed=0,
                    variety=variety,
                )
            finally:
                database.close()
            assert centre is not None
            drawn[variety] = centre.profile.variety
        assert drawn[False] is None and drawn[True] is not None
