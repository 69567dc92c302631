"""What a run checks before its first journey, so that a mistake costs one line, not a night.

A nightly run that meets a typo in its fortieth journey has driven thirty-nine
journeys through a company's channels (on a real company, through its agents)
for nothing, and ends in a page of traceback. So the plugin, on the process that
controls the run, checks everything it can before any journey starts, and before
it starts the company's server or a browser where it can:

- the options: ``--fail-under`` is a score (0 to 100), ``--time-scale`` a positive
  number, ``--seed`` a whole number, ``--run-name`` a plain folder name, ``--shard``
  a part of a whole;
- the feature files, with ``mystery-shopper check``'s own checks (Gherkin, steps,
  channels, shipping methods, Examples columns ...): every problem refuses the run
  except an unknown tag, which is a warning;
- ``-m``: a tag expression that selects no journey refuses the run; a tag in it that
  no journey carries is a warning;
- where the run writes: the results folder, the run's folder, the run history and
  pytest's ``--junitxml``;
- the browser (:func:`~journeys.runner.browser.refuse_non_browser`), then the
  company: its server starts, its address must be in ``allowed_hosts`` and answer.

Each check raises a :class:`~journeys.errors.MysteryShopperError` of one line per
problem; the plugin turns it into pytest's usage error, one ``ERROR:`` line each,
exit code 4 (pytest's own code for a usage error: 2 means an interrupted run).
"""

from __future__ import annotations

import difflib
import math
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from _pytest.mark.expression import Expression

from journeys.authoring.catalogue import load_catalogue
from journeys.authoring.check import check_against
from journeys.company.profile import CompanyProfile
from journeys.domain.vocabulary import KNOWN_TAGS
from journeys.errors import ConfigError, SetupError

CONNECT_TIMEOUT = 10.0
"""Seconds the company's site may take to accept a connection before the run is refused."""

_MARK_NAME = re.compile(r"(?:\w|:|\+|-|\.|\[|\]|\\|/)+")
"""A name in a ``-m`` expression, as pytest's own scanner reads one."""
_MARK_WORDS = frozenset({"and", "or", "not"})


def journey_files(arguments: Iterable[str]) -> list[Path]:
    """The feature files a session's arguments name: files, and those under folders.

    ``features/x.feature::test_y`` names its file; other arguments (test modules,
    folders without feature files) name none.
    """
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument.split("::")[0])
        if path.suffix == ".feature" and path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(path.rglob("*.feature")))
    return list(dict.fromkeys(found))


def refuse_bad_journeys(
    files: Sequence[Path], company: CompanyProfile, step_modules: Sequence[ModuleType]
) -> tuple[tuple[frozenset[str], ...], tuple[str, ...]]:
    """Check the feature files as ``mystery-shopper check`` does, against the session's steps.

    Args:
        files: the feature files of the run.
        company: the company under test: its shipping methods and returning customers.
        step_modules: the modules pytest loaded (``conftest.py`` and its plugins), whose
            steps pytest-bdd will use: a project's own steps count, not only the shipped ones.

    Returns:
        Each scenario's tags (for ``-m``), and the warnings: one line per unknown tag.

    Raises:
        ConfigError: one line per problem (``file:line: message``).
    """
    result = check_against(files, company, catalogue=load_catalogue(step_modules))
    if result.blocking:
        raise ConfigError("\n".join(map(str, result.blocking)))
    return result.scenario_tags, tuple(map(str, result.warnings))


def only_journeys(arguments: Iterable[str]) -> bool:
    """Whether a session's arguments name journeys only, no Python test modules.

    Then ``-m`` selects among journeys alone, and an expression that selects none of them
    selects nothing at all.
    """
    for argument in arguments:
        path = Path(argument.split("::")[0])
        if path.is_dir():
            if next(path.rglob("test_*.py"), None) or next(path.rglob("*_test.py"), None):
                return False
        elif path.suffix != ".feature":
            return False
    return True


def check_tag_expression(
    expression: str,
    scenario_tags: Sequence[frozenset[str]],
    *,
    journeys_only: bool = True,
    markers: Iterable[str] = (),
) -> tuple[str, ...]:
    """Refuse a ``-m`` expression that selects no journey; warn of tags no journey carries.

    Args:
        expression: the ``-m`` expression.
        scenario_tags: each journey's tags.
        journeys_only: whether the session runs journeys alone; else ``-m`` may select
            Python tests too, and selecting no journey is only a warning.
        markers: the markers registered for the session (pytest's ``markers`` setting).
            Beside Python tests, one that is no journey tag is a Python test's marker, not
            a mistyped tag, and an expression of such names alone is no mistake.

    Returns:
        One warning per name in the expression that no journey of the run carries.

    Raises:
        ConfigError: the expression is not one, or it selects none of the journeys.
    """
    try:
        compiled = Expression.compile(expression)
    except SyntaxError as error:
        raise ConfigError(
            f"-m {expression!r}: not a tag expression (at column {error.offset}: {error.msg}); "
            "write tags with and, or, not and parentheses, e.g. -m 'smoke and not phone'"
        ) from error
    carried = frozenset().union(*scenario_tags)
    in_use = ", ".join(f"@{tag}" for tag in sorted(carried)) or "none"
    names = dict.fromkeys(name for name in _MARK_NAME.findall(expression) if name not in _MARK_WORDS)
    # the plugin registers the journeys' own tags as markers too: those stay tags
    registered = frozenset() if journeys_only else frozenset(markers) - set(KNOWN_TAGS) - carried
    unknown = []
    for name in names:
        if name in carried or name in registered:
            continue
        close = difflib.get_close_matches(name, sorted((carried | set(KNOWN_TAGS)) - {name}), n=1)
        hint = f" (did you mean @{close[0]}?)" if close else ""
        unknown.append(f"no journey of this run is tagged @{name}{hint}")
    selected = any(compiled.evaluate(_tagged(tags)) for tags in scenario_tags)
    if not selected and not (names.keys() <= registered):
        why = "; ".join(unknown) or "no journey's tags satisfy it"
        problem = f"-m {expression!r} selects no journey: {why}; tags in use: {in_use}"
        if journeys_only:
            raise ConfigError(problem)
        return (problem,)
    return tuple(f"-m {expression!r}: {problem}" for problem in unknown)


def _tagged(tags: frozenset[str]) -> Callable[..., bool]:
    """A matcher for pytest's expression: whether a journey with these tags carries a name."""

    def carries(name: str, /, **_arguments: object) -> bool:
        return name in tags

    return carries


@dataclass(frozen=True)
class RunNumbers:
    """The run's numeric options, read from their text."""

    seed: int
    time_scale: float
    fail_under: float | None
    repeat: int = 1
    calls_at_once: int = 4
    start_every: float = 0.0


def run_numbers(
    *,
    seed: str,
    time_scale: str,
    fail_under: str | None,
    repeat: str = "1",
    calls_at_once: str = "4",
    start_every: str = "0",
) -> RunNumbers:
    """Read ``--seed``, ``--time-scale``, ``--fail-under``, ``--repeat``, ``--calls-at-once`` and
    ``--start-every``, or say in one line what they take.

    pytest would answer a bad number with its usage text; read here, the message says
    what the option is for: a score gate is 0 to 100, a time scale a positive factor.

    Raises:
        ConfigError: the option, its value, and the values it takes.
    """
    try:
        seed_number = int(seed)
    except ValueError:
        raise ConfigError(f"--seed {seed}: not a whole number; give e.g. --seed 7") from None
    scale = _number(time_scale)
    if scale is None or not scale > 0:
        raise ConfigError(
            f"--time-scale {time_scale}: must be a positive number (1: real time; 0.05: 20 times faster)"
        )
    gate = None if fail_under is None else _number(fail_under)
    if fail_under is not None and (gate is None or not 0 <= gate <= 100):
        raise ConfigError(f"--fail-under {fail_under}: a score is 0 to 100; give e.g. --fail-under 70")
    times = _count(repeat, "--repeat", "how often to run each journey, e.g. --repeat 3")
    calls = _count(calls_at_once, "--calls-at-once", "how many calls the run holds at once, e.g. 4")
    spacing = _number(start_every)
    if spacing is None or spacing < 0:
        raise ConfigError(
            f"--start-every {start_every}: seconds between two journeys' starts, 0 or more; give e.g. 1.5"
        )
    return RunNumbers(seed_number, scale, gate, times, calls, spacing)


def _count(text: str, option: str, hint: str) -> int:
    """A whole number of at least one, or a one-line :class:`ConfigError` naming the option."""
    if not text.strip().isdigit() or int(text) < 1:
        raise ConfigError(f"{option} {text}: must be a whole number of at least 1 ({hint})")
    return int(text)


def _number(text: str) -> float | None:
    """A finite number, or None ("abc", "nan", "inf")."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def refuse_bad_run_name(name: str) -> None:
    """Refuse a ``--run-name`` that would put the run's folder anywhere but inside ``--results-dir``.

    Raises:
        ConfigError: the name is empty, ``.`` or ``..``, or holds a path separator.
    """
    if name in ("", ".", "..") or any(separator in name for separator in ("/", "\\", "\0")):
        raise ConfigError(
            f"--run-name {name!r}: must be a plain folder name inside --results-dir "
            "(no '/', '\\' or '..'), e.g. --run-name nightly-42; to write elsewhere, use --results-dir"
        )


def refuse_unreachable(company: CompanyProfile, timeout: float = CONNECT_TIMEOUT) -> None:
    """Refuse a company whose site accepts no connection: every journey would break at its first page.

    Raises:
        SetupError: nothing answers at ``base_url``'s host and port; says where base_url is written.
    """
    parts = urlsplit(company.base_url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as error:
        timed_out = isinstance(error, TimeoutError) and not error.strerror
        reason = f"no answer within {timeout:g} s" if timed_out else error.strerror or type(error).__name__
        raise SetupError(
            f"{company.place('base_url')}: base_url {company.base_url}: nothing answers at {host}:{port}"
            f" ({reason}); start the company's site, or fix base_url"
        ) from error
