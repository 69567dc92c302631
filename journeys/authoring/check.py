"""Check feature files before a run: ``mystery-shopper check [PATHS...]``.

A QA team learns of a typo in a feature file from the nightly run, hours later and
after a browser has driven half a journey. This finds, in well under a second and
with no browser, no server and no pytest session:

- Gherkin syntax errors, as pytest-bdd's own parser reports them;
- steps that no registered step matches (with the three closest phrases), or that
  several match (pytest-bdd would pick one silently);
- values a step's converter refuses (a misspelt channel, with
  :func:`~journeys.domain.vocabulary.channel_named`'s own message);
- shipping methods the company does not offer, when its profile lists them, and
  details it never asks for ("never asked for my ordr number twice" would always pass);
- purchases no returning customer of the company made ("bought "X" 400 days ago");
- steps that need a web flow the company's profile does not write (cancelling through
  the web of a shop whose profile has no ``cancel_order``), or that the harness cannot
  do through the web at all;
- tags the plugin does not know, and scenario names pytest-bdd would merge;
- files that are not feature files (empty, binary, not UTF-8), features without a
  scenario, scenarios without a step, outlines without Examples rows.

Scenario Outlines are expanded first, as pytest-bdd does, so that each Examples
value is checked in its step. Every problem is one line: ``file:line: message``.

``mystery-shopper run`` runs the same checks before its first journey
(:func:`check_against`) and refuses to start on any problem but an unknown tag,
which it only warns about: a journey with a tag nobody registered still runs as
written, while every other problem would break it or let it pass without doing
what the file says.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.gherkin_parser import GherkinDocument, Scenario, Tag, get_gherkin_document
from pytest_bdd.parser import PARAM_RE, Feature, FeatureParser, ScenarioTemplate

from journeys.authoring.catalogue import FIELD_PARAMETER, SHIPPING_PARAMETER, StepEntry, load_catalogue
from journeys.company.customers import (
    PURCHASE_AGE_TOLERANCE,
    ReturningCustomer,
    find_purchase,
    missing_purchase,
)
from journeys.company.flows import TASKS
from journeys.company.profile import CHANNEL_PATTERNS, CompanyProfile
from journeys.domain.vocabulary import KNOWN_TAGS, channel_named
from journeys.errors import ConfigError, MysteryShopperError
from journeys.journey.needs import WebNeeds, web_needs_of

CLOSEST_PHRASES = 3
PURCHASE_AGE_PARAMETER = "days_ago"
"""The parameter of the returning customer's step that says how long ago they bought."""
STEP_KEYWORDS: dict[str, str] = {"Given": "given", "When": "when", "Then": "then"}
# The first words of Gherkin lines (English), for a "did you mean" on a syntax error.
GHERKIN_KEYWORDS = (
    *("Feature", "Background", "Rule", "Scenario", "Example", "Examples", "Scenarios"),
    *("Given", "When", "Then", "And", "But"),
)
OUTLINE_KEYWORDS = ("Scenario Outline", "Scenario Template")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix in a feature file, where it is.

    Attributes:
        blocks_run: whether ``run`` refuses to start over it; False only for what
            leaves every journey running as written (an unknown tag), which it warns about.
    """

    path: str
    line: int
    message: str
    blocks_run: bool = field(default=True, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found, and how much it looked at.

    Attributes:
        scenario_tags: per scenario (outlines once), every tag it carries without
            ``@``, its feature's and rule's included: what ``-m`` selects by.
    """

    problems: tuple[Problem, ...]
    files: int
    scenarios: int
    steps: int
    shipping_checked: bool
    scenario_tags: tuple[frozenset[str], ...] = ()

    @property
    def blocking(self) -> tuple[Problem, ...]:
        """The problems a run refuses to start over."""
        return tuple(problem for problem in self.problems if problem.blocks_run)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems a run only warns about."""
        return tuple(problem for problem in self.problems if not problem.blocks_run)

    def summary(self) -> str:
        """One line for the end of the output."""
        looked_at = (
            f"{self.files} feature file{_plural(self.files)}, "
            f"{self.scenarios} scenario{_plural(self.scenarios)} (outlines expanded), "
            f"{self.steps} step{_plural(self.steps)}"
        )
        unchecked = "" if self.shipping_checked else " (shipping methods not checked: no company lists them)"
        count = len(self.problems)
        found = f"{count} problem{_plural(count)}" if count else "no problems"
        return f"checked {looked_at}: {found}{unchecked}"


class StepMatcher:
    """Matches a feature file's steps against the registered ones, as pytest-bdd does.

    pytest-bdd runs a step with every definition of the step's type (``And`` and
    ``But`` take the type before them) whose parser matches its text; the parser is
    the one the definition registered (``parsers.parse`` ...), so matching here is
    matching there.
    """

    def __init__(
        self,
        catalogue: Sequence[StepEntry],
        shipping_methods: Sequence[str] = (),
        returning_customers: Sequence[ReturningCustomer] | None = None,
        fields: Mapping[str, str] | None = None,
        company: CompanyProfile | None = None,
    ) -> None:
        self.catalogue = tuple(catalogue)
        self.company = company
        self.shipping_methods = tuple(shipping_methods)
        self.fields = dict(fields or {})
        self.returning_customers = None if returning_customers is None else tuple(returning_customers)
        self.today = dt.datetime.now(dt.UTC).date()

    def matching(self, step_type: str, text: str) -> list[StepEntry]:
        """The registered steps pytest-bdd would consider for this step."""
        return [entry for entry in self.catalogue if entry.matches(step_type, text)]

    def match_problem(self, step_type: str, text: str, written: str | None = None) -> str | None:
        """Why no single registered step would run this step; None when exactly one would.

        Args:
            step_type: ``given``, ``when`` or ``then`` (after ``And``/``But`` took theirs).
            text: the step's text, with any Examples values in place.
            written: the text as the file writes it (``<shipping>`` and all), for the message.
        """
        shown = f"{step_type.capitalize()} {text if written is None else written}"
        matches = self.matching(step_type, text)
        if len(matches) == 1:
            return None
        if matches:
            phrases = ", ".join(f"{_quoted(_phrase(entry))} ({entry.definition})" for entry in matches)
            return f"ambiguous step {_quoted(shown)}: {len(matches)} steps match it: {phrases}"
        for entry in self.catalogue:
            other_type = entry.step_type
            if other_type is not None and other_type != step_type and entry.matches(other_type, text):
                return (
                    f"no {step_type.capitalize()} step matches {_quoted(shown)}, "
                    f"but a {entry.keyword} step does: {_quoted(_phrase(entry))}"
                )
        closest = ", ".join(_quoted(_phrase(entry)) for entry in self.closest(shown.partition(" ")[2]))
        return f"unknown step {_quoted(shown)}" + (f"; closest: {closest}" if closest else "")

    def value_problems(self, step_type: str, text: str) -> list[str]:
        """What is wrong with the values of a step one registered step matches (channel, shipping),
        and what it needs of the company that its profile does not have."""
        found: list[str] = []
        for entry in self.matching(step_type, text)[:1]:
            arguments = entry.arguments(text)
            for name, value in arguments.items():
                converter = entry.context.converters.get(name)
                if converter is not None:
                    try:
                        converter(value)
                    except (MysteryShopperError, ValueError) as error:
                        found.append(str(error))
                offered = self.shipping_methods
                if name == SHIPPING_PARAMETER and offered and isinstance(value, str) and value not in offered:
                    found.append(self._unknown_shipping(value))
                if name == FIELD_PARAMETER and self.fields and isinstance(value, str):
                    found.extend(self._unknown_field(value))
            found.extend(self._purchase_problems(entry, arguments))
            found.extend(self._web_problems(entry, arguments))
            found.extend(self._channel_problems(arguments))
        return found

    def _channel_problems(self, arguments: Mapping[str, object]) -> list[str]:
        """A conversational channel the step names that the company profile does not describe."""
        value = arguments.get("channel")
        if self.company is None or not isinstance(value, str):
            return []
        try:
            channel = channel_named(value)
        except MysteryShopperError:
            return []  # the converter's own message names the channel
        if channel == "email" and self.company.mail is None:
            return [
                f"this step writes to the company by e-mail, and {self.company.place('')} has no [mail]"
                " table: name the test mailbox, its servers and the company's address"
                " (see docs/describe-your-company.md)"
            ]
        if channel == "desk" and self.company.desk is None:
            return [
                f"this step writes through the company's support desk, and {self.company.place('')} has no"
                " [desk] table: say how its ticket page reads, and write its form as the write_to_desk flow"
                " (see docs/describe-your-company.md)"
            ]
        if channel == "phone" and self.company.phone is None:
            return [
                f"this step calls the company, and {self.company.place('')} has no [phone] table: give its"
                ' number and how it is dialled over SIP (dial = "sip:{number}@...";'
                " see docs/describe-your-company.md)"
            ]
        if channel in ("chat", "social") and channel not in self.company.channels:
            where = self.company.place("")
            return [f"this step uses the company's {channel}, and {where} has no [{channel}] table"]
        conversation = self.company.conversation
        written = dict(conversation.patterns) if conversation else {}
        if channel == "phone" and self.company.phone is not None:
            written.update(self.company.phone.patterns)
        missing = [name for name in CHANNEL_PATTERNS.get(channel, ()) if name not in written]
        if missing:
            return [
                f"this step reads what the company says by {channel} with [conversation.patterns], and"
                f" {self.company.place('conversation.patterns')} has none for {', '.join(missing)}"
                " (see docs/describe-your-company.md)"
            ]
        return []

    def _web_problems(self, entry: StepEntry, arguments: Mapping[str, object]) -> list[str]:
        """What a step needs of the company's web flows that its profile does not write.

        Steps declare it (:func:`~journeys.journey.needs.needs_web`); a step whose channel is
        not the web needs nothing of it. Without a company, nothing is checked.
        """
        needs = web_needs_of(entry.context.step_func)
        if self.company is None or needs is None:
            return []
        if needs.when_channel is not None:
            try:
                if channel_named(str(arguments.get(needs.when_channel))) != "web":
                    return []
            except MysteryShopperError:
                return []  # the converter's own message names the channel
        if needs.not_on_the_web is not None:
            return [
                f"{needs.not_on_the_web} through the web is not something mystery-shopper can do yet:"
                " use chat, social, phone or email"
            ]
        return self._missing_web(needs)

    def _missing_web(self, needs: WebNeeds) -> list[str]:
        assert self.company is not None
        web = self.company.web
        if web is None:
            return [f"this step uses the company's web shop, and {self.company.place('')} has no [web] table"]
        missing = [
            f"this step needs the company's {task!r} web flow ({TASKS[task].purpose}), which"
            f" {self.company.place('web.flows')} does not write: add it under [web.flows]"
            " (see docs/describe-your-company.md), or use another channel"
            for task in needs.tasks
            if task not in web.flows
        ]
        missing += [
            f"this step reads the shop's answer with the pattern {name!r}, which"
            f" {self.company.place('web.patterns')} does not define under [web.patterns]"
            for name in needs.patterns
            if name not in web.patterns
        ]
        return missing

    def _purchase_problems(self, entry: StepEntry, arguments: Mapping[str, object]) -> list[str]:
        """A returning customer's purchase the company profile does not list."""
        product, days = arguments.get("product"), arguments.get(PURCHASE_AGE_PARAMETER)
        customers = self.returning_customers
        if customers is None or not isinstance(product, str) or not isinstance(days, int):
            return []
        about = " about {" in entry.phrase  # "bought X about 400 days ago": the profile's tolerance
        tolerance = (
            (self.company.purchase_age_tolerance if self.company else PURCHASE_AGE_TOLERANCE) if about else 0
        )
        if find_purchase(customers, product, days, self.today, tolerance):
            return []
        return [missing_purchase(customers, product, days, self.today, tolerance)]

    def problems_in_line(self, line: str) -> list[str]:
        """Everything wrong with one Gherkin step line ("When I order ..."), e.g. a docstring's example."""
        keyword, _, text = line.strip().partition(" ")
        step_type = STEP_KEYWORDS.get(keyword)
        if step_type is None:
            return [f"{_quoted(line)} does not start with Given, When or Then"]
        problem = self.match_problem(step_type, text.strip())
        if problem:
            return [problem]
        return self.value_problems(step_type, text.strip())

    def closest(self, text: str) -> list[StepEntry]:
        """The registered steps whose phrase reads most like the text (difflib), best first."""

        def likeness(entry: StepEntry) -> float:
            return difflib.SequenceMatcher(None, text.casefold(), entry.phrase.casefold()).ratio()

        return sorted(self.catalogue, key=likeness, reverse=True)[:CLOSEST_PHRASES]

    def _unknown_field(self, words: str) -> list[str]:
        """A detail the company never asks for under that name: the expectation could never fail."""
        if words.casefold() in self.fields or words in self.fields.values():
            return []
        close = difflib.get_close_matches(words.casefold(), self.fields, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        known = ", ".join(repr(known) for known in self.fields)
        return [f"the company asks for no {words!r} ([conversation.fields]): {hint}it asks for {known}"]

    def _unknown_shipping(self, method: str) -> str:
        by_folded = {known.casefold(): known for known in self.shipping_methods}
        close = difflib.get_close_matches(method.casefold(), by_folded, n=1)
        hint = f"did you mean {by_folded[close[0]]!r}? " if close else ""
        offered = ", ".join(repr(known) for known in self.shipping_methods)
        return f"the company offers no {method!r} shipping: {hint}it offers {offered}"


def feature_files(paths: Iterable[Path]) -> list[Path]:
    """The feature files under the paths (a file given by name is taken as it is).

    Raises:
        ConfigError: a path does not exist, or holds no feature file.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(path.rglob("*.feature"))
            if not inside:
                raise ConfigError(f"{path}: no .feature files in this folder")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


def check_paths(
    paths: Iterable[Path],
    *,
    shipping_methods: Sequence[str] = (),
    catalogue: Sequence[StepEntry] | None = None,
    known_tags: Iterable[str] | None = None,
    returning_customers: Sequence[ReturningCustomer] | None = None,
    fields: Mapping[str, str] | None = None,
    company: CompanyProfile | None = None,
) -> CheckResult:
    """Check every feature file under the paths.

    Args:
        paths: feature files and folders of them.
        shipping_methods: the company's shipping methods; empty: not checked.
        catalogue: the registered steps; by default the project's (:func:`load_catalogue`).
        known_tags: the tags a feature file may use, without ``@``; by default the
            plugin's (the ones it registers as markers).
        returning_customers: the company's test accounts; None: purchases not checked.
        fields: the company's words for the details it asks for -> their names; None: not checked.
        company: the company, whose web flows the steps need; None: not checked.
    """
    if known_tags is None:
        known_tags = KNOWN_TAGS
    files = feature_files(paths)
    matcher = StepMatcher(
        load_catalogue() if catalogue is None else catalogue,
        shipping_methods,
        returning_customers,
        fields,
        company,
    )
    tags = frozenset(known_tags)
    problems: list[Problem] = []
    scenario_tags: list[frozenset[str]] = []
    scenarios = steps = 0
    for path in files:
        checked = FeatureCheck(path, matcher, tags)
        checked.run()
        problems.extend(checked.problems)
        scenario_tags.extend(checked.scenario_tags)
        scenarios += checked.scenarios
        steps += checked.steps
    return CheckResult(
        tuple(dict.fromkeys(problems)),
        len(files),
        scenarios,
        steps,
        bool(shipping_methods),
        tuple(scenario_tags),
    )


def check_against(
    paths: Iterable[Path],
    company: CompanyProfile | None,
    catalogue: Sequence[StepEntry] | None = None,
) -> CheckResult:
    """Check feature files against a company: its shipping methods, returning customers and the
    details it asks for.

    Without a company, none of them is checked (``check`` in a folder with no profile).
    """
    return check_paths(
        paths,
        shipping_methods=company.web.shipping_methods if company and company.web else (),
        returning_customers=company.returning_customers if company else None,
        fields=company.conversation.fields if company and company.conversation else None,
        catalogue=catalogue,
        company=company,
    )


class FeatureCheck:
    """The checks of one feature file; ``run`` fills ``problems`` in file order."""

    def __init__(self, path: Path, matcher: StepMatcher, known_tags: frozenset[str]) -> None:
        self.path = path
        self.shown = _shown(path)
        self.matcher = matcher
        self.known_tags = known_tags
        self.problems: list[Problem] = []
        self.scenario_tags: list[frozenset[str]] = []
        self.scenarios = 0
        self.steps = 0

    def run(self) -> None:
        parsed = self._parse()
        if parsed is None:
            return
        document, feature, parser = parsed
        self._check_tags(document)
        self._check_scenario_names(document)
        self._check_shape(document)
        self.scenario_tags = _scenario_tags(document)
        row_lines = _example_row_lines(document)
        templates = list(feature.scenarios.values())
        # pytest-bdd keeps one scenario per name; the ones it drops (outside a Rule) are checked too.
        kept = {template.line_number for template in templates}
        for child in document.feature.children:
            if child.scenario is not None and child.scenario.location.line not in kept:
                templates.append(parser.parse_scenario(child.scenario, feature))
        for template in templates:
            self._check_scenario(template, row_lines)
        self.problems.sort(key=lambda problem: problem.line)

    def _report(self, line: int, message: str, *, blocks_run: bool = True) -> None:
        problem = Problem(self.shown, line, message, blocks_run)
        if problem not in self.problems:
            self.problems.append(problem)

    def _parse(self) -> tuple[GherkinDocument, Feature, FeatureParser] | None:
        """The file through pytest-bdd's parser: the Gherkin document (tags with their lines)
        and pytest-bdd's model (step types, backgrounds, outlines) that the run will use."""
        absolute = self.path.resolve()
        try:
            unreadable = _not_text(absolute.read_bytes())
        except OSError as error:
            self._report(1, f"cannot read the file ({error.strerror})")
            return None
        if unreadable is not None:
            self._report(1, unreadable)
            return None
        parser = FeatureParser(str(absolute.parent), absolute.name)
        try:
            document = get_gherkin_document(str(absolute))
            feature = parser.parse()
        except GherkinParseError as error:
            self._report(error.line, _syntax_message(error, _line_of(absolute, error.line)))
            return None
        except KeyError:  # pytest-bdd's parser expects a Feature and looks it up without a check
            self._report(1, "not a feature file: it has no 'Feature:' line")
            return None
        return document, feature, parser

    def _check_shape(self, document: GherkinDocument) -> None:
        """What pytest-bdd would run as nothing: no scenario, a scenario of no step, no Examples row."""
        scenarios = _all_scenarios(document)
        if not scenarios:
            self._report(
                document.feature.location.line,
                "the feature has no scenarios: add a 'Scenario:' with its steps, or remove the file",
            )
        for scenario in scenarios:
            if not scenario.steps:
                read_as = scenario.description.strip().splitlines()
                hint = (
                    f"; {read_as[0].strip()!r} is read as its description: a step starts with "
                    "Given, When, Then, And or But"
                    if read_as
                    else ""
                )
                self._report(scenario.location.line, f"scenario {scenario.name!r} has no steps{hint}")
            for examples in scenario.examples:
                if not examples.table_body:
                    self._report(
                        examples.location.line,
                        "these Examples have no rows, so the outline runs no journey: "
                        "add a header row and a row per journey",
                    )

    def _check_tags(self, document: GherkinDocument) -> None:
        for tag in _all_tags(document):
            name = tag.name.removeprefix("@")
            if name in self.known_tags:
                continue
            close = difflib.get_close_matches(name, self.known_tags, n=1)
            hint = f"did you mean @{close[0]}? " if close else ""
            known = ", ".join(f"@{known}" for known in sorted(self.known_tags))
            self._report(
                tag.location.line, f"unknown tag {tag.name}: {hint}known tags: {known}", blocks_run=False
            )

    def _check_scenario_names(self, document: GherkinDocument) -> None:
        first_line: dict[str, int] = {}
        for scenario in _all_scenarios(document):
            if scenario.name in first_line:
                self._report(
                    scenario.location.line,
                    f"a scenario named {scenario.name!r} is already at line {first_line[scenario.name]}: "
                    "pytest-bdd keeps only the last of the two; rename one",
                )
            else:
                first_line[scenario.name] = scenario.location.line

    def _check_scenario(self, template: ScenarioTemplate, row_lines: Mapping[int, list[int]]) -> None:
        written = {step.line_number: step.name for step in template.steps}
        if template.keyword in OUTLINE_KEYWORDS and not template.examples:
            unfilled = dict.fromkeys(name for step in template.steps for name in PARAM_RE.findall(step.name))
            if unfilled:
                placeholders = ", ".join(f"<{name}>" for name in unfilled)
                self._report(
                    template.line_number,
                    f"this Scenario Outline has no Examples to fill in {placeholders}: add an Examples "
                    f"table with a column for each, or make it a plain Scenario",
                )
                return
        for context, row_line in _examples_of(template, row_lines):
            self.scenarios += 1
            scenario = template.render(context)
            for step in scenario.steps:
                self.steps += 1
                where = f" (Examples row at line {row_line})" if row_line is not None else ""
                left = PARAM_RE.findall(step.name) if template.templated else []
                if left:
                    for name in left:
                        self._report(
                            step.line_number,
                            f"<{name}> is not a column of the Examples (columns: {', '.join(context)})",
                        )
                    continue
                problem = self.matcher.match_problem(step.type, step.name, written[step.line_number])
                if problem is not None:
                    self._report(step.line_number, problem)
                    continue
                for message in self.matcher.value_problems(step.type, step.name):
                    self._report(step.line_number, message + where)


def _examples_of(
    template: ScenarioTemplate, row_lines: Mapping[int, list[int]]
) -> list[tuple[dict[str, str], int | None]]:
    """Each Examples row's values and line, as pytest-bdd parametrizes the scenario; a plain
    scenario (or an outline without Examples) runs once, unrendered; Examples without rows
    run nothing (:meth:`FeatureCheck._check_shape` says so)."""
    rows: list[tuple[dict[str, str], int | None]] = []
    for examples in template.examples:
        lines = row_lines.get(examples.line_number or 0, [])
        for index, context in enumerate(examples.as_contexts()):
            rows.append((context, lines[index] if index < len(lines) else None))
    return rows if template.examples else [({}, None)]


def _not_text(content: bytes) -> str | None:
    """Why a file's bytes are not a feature file's text, before Gherkin reads them; None if they are."""
    if not content.strip():
        return "not a feature file: it is empty; a feature file starts with a 'Feature:' line"
    if content.startswith(codecs.BOM_UTF8):
        return "starts with a byte-order mark (BOM): save it as UTF-8 without BOM"
    nul = content.find(b"\0")
    if nul >= 0:
        return f"not a feature file: binary data (a NUL byte at byte {nul})"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8 text ({error.reason} at byte {error.start}): save it as UTF-8"
    return None


def _scenario_tags(document: GherkinDocument) -> list[frozenset[str]]:
    """Each scenario's tags with its feature's, its rule's and its Examples', as pytest-bdd
    marks its tests (an outline counts once, with every Examples table's tags)."""
    feature = {tag.name.removeprefix("@") for tag in document.feature.tags}
    found: list[frozenset[str]] = []
    for child in document.feature.children:
        groups: list[tuple[list[Tag], Scenario]] = [([], child.scenario)] if child.scenario else []
        if child.rule is not None:
            groups = [(child.rule.tags, grand.scenario) for grand in child.rule.children if grand.scenario]
        for rule_tags, scenario in groups:
            examples = [tag for table in scenario.examples for tag in table.tags]
            own = {tag.name.removeprefix("@") for tag in (*rule_tags, *scenario.tags, *examples)}
            found.append(frozenset(feature | own))
    return found


def _example_row_lines(document: GherkinDocument) -> dict[int, list[int]]:
    """The line of each row of each Examples table, by the table's own line."""
    return {
        examples.location.line: [row.location.line for row in examples.table_body or []]
        for scenario in _all_scenarios(document)
        for examples in scenario.examples
    }


def _all_scenarios(document: GherkinDocument) -> list[Scenario]:
    found: list[Scenario] = []
    for child in document.feature.children:
        if child.scenario is not None:
            found.append(child.scenario)
        if child.rule is not None:
            found.extend(grand.scenario for grand in child.rule.children if grand.scenario is not None)
    return found


def _all_tags(document: GherkinDocument) -> list[Tag]:
    tags = list(document.feature.tags)
    for child in document.feature.children:
        if child.rule is not None:
            tags.extend(child.rule.tags)
    for scenario in _all_scenarios(document):
        tags.extend(scenario.tags)
        for examples in scenario.examples:
            tags.extend(examples.tags)
    return sorted(tags, key=lambda tag: (tag.location.line, tag.location.column))


def _syntax_message(error: GherkinParseError, content: str) -> str:
    """pytest-bdd's message on one line (its first sentence), the line, and a likely keyword."""
    reason = error.message.splitlines()[-1].strip()
    if reason.startswith("(") and ": " in reason:  # gherkin's own "(7:7): inconsistent cell count ..."
        reason = reason.split(": ", 1)[1]
    reason = reason.split(". ", 1)[0].rstrip(".")
    hint = ""
    first_word = content.split(" ", 1)[0].rstrip(":")
    if first_word and first_word not in (*GHERKIN_KEYWORDS, "*"):
        close = difflib.get_close_matches(first_word, GHERKIN_KEYWORDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
    shown = f": {content!r}" if content else ""
    return f"Gherkin syntax: {reason}{shown}{hint}"


def _line_of(path: Path, number: int) -> str:
    """One line of a file, stripped ("" when there is no such line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def _phrase(entry: StepEntry) -> str:
    return f"{entry.keyword} {entry.phrase}"


def _quoted(text: str) -> str:
    return f"'{text}'"


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def _shown(path: Path) -> str:
    """The path as a person would type it: relative to here when it is below here."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
