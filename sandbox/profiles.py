"""Service profiles: how well the demo company serves, as data rather than code.

A profile is a TOML file in ``sandbox/profiles/`` (or anywhere, given by path)::

    description = "An ordinary company."

    [shop]
    cancellation_window_seconds = 10   # after placing, an order can be cancelled this long
    processing_seconds = 300           # then it is processing this long, then it ships

This module validates ``description`` and ``[shop]`` only. Every other top-level table (the
contact centre's, for instance) is kept untouched in :attr:`ServiceProfile.other_tables` for
the code that owns it to validate.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sandbox.errors import ProfileError

PROFILES_DIR = Path(__file__).parent / "profiles"


@dataclass(frozen=True)
class ShopSettings:
    """Timings of the web shop's order life cycle, in seconds.

    Attributes:
        cancellation_window_seconds: How long after placing an order it stays ``Placed`` and
            can be cancelled; 0 means it is processing at once and can never be cancelled.
        processing_seconds: How long an order stays ``Processing`` before it is ``Shipped``.
    """

    cancellation_window_seconds: float
    processing_seconds: float

    def scaled(self, factor: float) -> ShopSettings:
        """Multiply every duration, so tests and benchmarks can run a profile quickly."""
        return ShopSettings(
            cancellation_window_seconds=self.cancellation_window_seconds * factor,
            processing_seconds=self.processing_seconds * factor,
        )


@dataclass(frozen=True)
class ServiceProfile:
    """A validated service profile.

    Attributes:
        name: The file's stem, e.g. ``typical``.
        description: One sentence for people choosing a profile.
        shop: The web shop's timings.
        source: The file it was read from, for error messages.
        other_tables: Every other top-level table, unvalidated, read-only.
    """

    name: str
    description: str
    shop: ShopSettings
    source: Path
    other_tables: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def scaled(self, factor: float) -> ServiceProfile:
        """Return the profile with the shop's durations multiplied by ``factor``.

        Owners of other tables scale their own durations with the same factor, which the
        app keeps next to the profile.
        """
        return replace(self, shop=self.shop.scaled(factor))


def known_profile_names() -> list[str]:
    """Names of the profiles shipped with the sandbox, sorted."""
    return sorted(path.stem for path in PROFILES_DIR.glob("*.toml"))


def load_profile(name_or_path: str) -> ServiceProfile:
    """Load a shipped profile by name, or a user's profile by path to a ``.toml`` file.

    Raises:
        ProfileError: the name is unknown, the file is missing or is not valid TOML, or a
            validated key is missing, mistyped, out of range or unknown.
    """
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        if not path.is_file():
            raise ProfileError(f"service profile file {path} does not exist")
    else:
        path = PROFILES_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            known = ", ".join(known_profile_names())
            raise ProfileError(f"unknown service profile {name_or_path!r} (known: {known})")
    return parse_profile(path)


def parse_profile(path: Path) -> ServiceProfile:
    """Read and validate one profile file.

    Raises:
        ProfileError: as for :func:`load_profile`, naming the file and the key.
    """
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"{path}: cannot read the file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        message = " ".join(str(error).split())
        raise ProfileError(f"{path}: not valid TOML: {message}") from error
    description = document.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ProfileError(
            f"{path}: key 'description' must be a non-empty string, got {_describe(description)}"
        )
    shop = _parse_shop(path, document.get("shop"))
    other_tables = {key: value for key, value in document.items() if key not in {"description", "shop"}}
    return ServiceProfile(
        name=path.stem,
        description=description.strip(),
        shop=shop,
        source=path,
        other_tables=MappingProxyType(other_tables),
    )


_SHOP_KEYS = ("cancellation_window_seconds", "processing_seconds")


def _parse_shop(path: Path, table: object) -> ShopSettings:
    """Validate the ``[shop]`` table: both keys present, numbers, in range, nothing else."""
    if not isinstance(table, dict):
        raise ProfileError(f"{path}: missing table [shop] (keys: {', '.join(_SHOP_KEYS)})")
    for key in table:
        if key not in _SHOP_KEYS:
            raise ProfileError(f"{path}: unknown key [shop] {key!r} (known: {', '.join(_SHOP_KEYS)})")
    window = _seconds(path, table, "cancellation_window_seconds", allow_zero=True)
    processing = _seconds(path, table, "processing_seconds", allow_zero=False)
    return ShopSettings(cancellation_window_seconds=window, processing_seconds=processing)


def _seconds(path: Path, table: dict[str, Any], key: str, *, allow_zero: bool) -> float:
    """Read a duration in seconds: a number (not a boolean), >= 0 or > 0."""
    if key not in table:
        raise ProfileError(f"{path}: missing key [shop] {key!r}")
    value = table[key]
    bound = ">= 0" if allow_zero else "> 0"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProfileError(
            f"{path}: key [shop] {key!r} must be a number of seconds {bound}, got {_describe(value)}"
        )
    if value < 0 or (value == 0 and not allow_zero) or value != value:
        raise ProfileError(f"{path}: key [shop] {key!r} must be {bound}, got {value}")
    return float(value)


def _describe(value: object) -> str:
    """Show a bad value and its TOML type, e.g. ``'ten' (a string)``."""
    if value is None:
        return "nothing"
    kinds = {bool: "a boolean", str: "a string", int: "an integer", float: "a number"}
    kind = kinds.get(type(value), "a table" if isinstance(value, dict) else "an array")
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{shown} ({kind})"
