"""The step catalogue: every registered step phrase, what it does, and an example.

It is read from the step definitions themselves, so it cannot drift from them.
Each module of :data:`journeys.steps.STEP_MODULES` is imported; pytest-bdd's step
decorators leave in the module's namespace one pytest fixture per phrase (named
``pytestbdd_stepdef_<type>_<phrase>``) that wraps a marker function, and keep
the marker's :class:`~pytest_bdd.steps.StepFunctionContext` (type, parser,
converters, the step function) in ``step_function_context_registry``. Unwrapping
the fixture and looking the marker up there needs no pytest session.

``mystery-shopper steps`` prints the catalogue for a terminal and
``mystery-shopper steps --markdown`` as ``docs/steps.md``; ``mystery-shopper
check`` matches feature files against it.
"""

from __future__ import annotations

import importlib
import inspect
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

from pytest_bdd import parsers
from pytest_bdd.steps import StepFunctionContext, StepNamePrefix, step_function_context_registry

from journeys.domain.vocabulary import CHANNEL_WORDS, channel_named
from journeys.journey.expectations import duration_words

Keyword = Literal["Given", "When", "Then", "Step"]
KEYWORDS: tuple[Keyword, ...] = ("Given", "When", "Then", "Step")
"""In the order the catalogue shows them; ``Step`` is a phrase any keyword may use."""

SHIPPING_PARAMETER = "shipping"
"""The parameter that names a shipping method: ``check`` holds it to the company's list."""
FIELD_PARAMETER = "field"
"""The parameter that names a detail the company asks for: ``check`` holds it to the company's words."""

EXAMPLE_PREFIX = "Example:"
TERMINAL_WIDTH = 100
NO_BREAK = "\u00a0"

# What a converter accepts, for the converters whose words are a fixed list.
_CONVERTER_WORDS: dict[Callable[[str], object], tuple[str, ...]] = {channel_named: tuple(CHANNEL_WORDS)}
# ... and for those whose words follow a pattern.
_CONVERTER_DESCRIPTIONS: dict[Callable[[str], object], str] = {
    duration_words: 'a duration such as "30 seconds", "2 minutes" or "1 hour"'
}


@dataclass(frozen=True)
class Parameter:
    """One ``{name}`` in a phrase and the values it takes.

    Attributes:
        name: as written in the phrase.
        accepts: the only words it takes, when a converter fixes them (channels); else empty.
        description: the values in a sentence, for people.
    """

    name: str
    accepts: tuple[str, ...] = ()
    description: str = "any text"


@dataclass(frozen=True)
class StepEntry:
    """One registered step phrase.

    Attributes:
        keyword: Given, When or Then (``Step`` when any keyword may use it).
        phrase: the phrase with its parameters, as registered (``I order "{product}" ...``).
        parameters: the phrase's parameters in order.
        summary: the first line of the step function's docstring ("" when it has none).
        example: the docstring's ``Example:`` line without the prefix (None when missing).
        definition: where it is defined, ``module.function``.
        context: pytest-bdd's own record of the step: parser and converters, used to match.
    """

    keyword: Keyword
    phrase: str
    parameters: tuple[Parameter, ...]
    summary: str
    example: str | None
    definition: str
    context: StepFunctionContext = field(compare=False, repr=False)

    @property
    def step_type(self) -> str | None:
        """pytest-bdd's type for this step (``given``...), None when any keyword may use it."""
        return self.context.type

    def matches(self, step_type: str, text: str) -> bool:
        """Whether pytest-bdd would run this step for a feature file's step (type and text)."""
        if self.context.type is not None and self.context.type != step_type:
            return False
        return bool(self.context.parser.is_matching(text))

    def arguments(self, text: str) -> dict[str, Any]:
        """The parameters' values in a matching step's text, as its parser reads them (before
        any converter; text unless the phrase gives a format such as ``{count:d}``)."""
        return dict(self.context.parser.parse_arguments(text) or {})


def load_catalogue(modules: Sequence[str | ModuleType] | None = None) -> tuple[StepEntry, ...]:
    """Every step phrase the modules register, in the order they are defined.

    Args:
        modules: dotted module names or modules already imported (a pytest session's
            plugins: its ``conftest.py`` may define steps of its own); by default
            :data:`journeys.steps.STEP_MODULES`, the ones the project's ``conftest.py`` registers.
            A step one module imports from another is listed once.
    """
    if modules is None:
        from journeys.steps import STEP_MODULES

        modules = STEP_MODULES
    entries: dict[int, StepEntry] = {}
    for named in modules:
        module = importlib.import_module(named) if isinstance(named, str) else named
        for name, value in vars(module).items():
            if not name.startswith(StepNamePrefix.step_def.value):
                continue
            context = step_function_context_registry.get(inspect.unwrap(value))
            if context is not None and id(context) not in entries:
                entries[id(context)] = _entry(context)
    return tuple(entries.values())


def _entry(context: StepFunctionContext) -> StepEntry:
    function = context.step_func
    summary, example = _read_docstring(inspect.getdoc(function))
    keyword: Keyword = "Step" if context.type is None else _keyword_of(context.type)
    return StepEntry(
        keyword=keyword,
        phrase=context.parser.name,
        parameters=tuple(_parameter(name, context) for name in _parameter_names(context.parser)),
        summary=summary,
        example=example,
        definition=f"{function.__module__}.{function.__qualname__}",
        context=context,
    )


_KEYWORD_OF_TYPE: dict[str, Keyword] = {"given": "Given", "when": "When", "then": "Then"}


def _keyword_of(step_type: str) -> Keyword:
    return _KEYWORD_OF_TYPE.get(step_type, "Step")


def _read_docstring(docstring: str | None) -> tuple[str, str | None]:
    """The summary (first line) and the ``Example:`` line of a Google-style docstring."""
    if not docstring:
        return "", None
    lines = [line.strip() for line in docstring.strip().splitlines()]
    examples = [line for line in lines if line.startswith(EXAMPLE_PREFIX)]
    example = examples[-1].removeprefix(EXAMPLE_PREFIX).strip() if examples else None
    return lines[0], example or None


def _parameter_names(parser: parsers.StepParser) -> tuple[str, ...]:
    if isinstance(parser, parsers.parse):  # cfparse too
        return tuple(str(name) for name in parser.parser.named_fields)
    if isinstance(parser, parsers.re):
        return tuple(parser.regex.groupindex)
    return ()


def _parameter(name: str, context: StepFunctionContext) -> Parameter:
    converter = context.converters.get(name)
    if converter is not None and converter in _CONVERTER_WORDS:
        words = _CONVERTER_WORDS[converter]
        return Parameter(name, words, "one of " + ", ".join(f'"{word}"' for word in words))
    if converter is not None and converter in _CONVERTER_DESCRIPTIONS:
        return Parameter(name, (), _CONVERTER_DESCRIPTIONS[converter])
    if converter is not None:
        return Parameter(name, (), f"as {converter.__module__}.{converter.__qualname__} reads it")
    if name == SHIPPING_PARAMETER:
        return Parameter(
            name, (), "a shipping method the company offers (its profile's [web] shipping_methods)"
        )
    if name == FIELD_PARAMETER:
        return Parameter(
            name, (), "a detail the company asks for, in its words (its profile's [conversation.fields])"
        )
    if "{" + name + ":d}" in str(context.parser.name):
        return Parameter(name, (), "a whole number")
    return Parameter(name)


def by_keyword(entries: Iterable[StepEntry]) -> dict[Keyword, list[StepEntry]]:
    """The entries grouped by keyword, Given first; keywords without steps left out."""
    grouped: dict[Keyword, list[StepEntry]] = {keyword: [] for keyword in KEYWORDS}
    for entry in entries:
        grouped[entry.keyword].append(entry)
    return {keyword: group for keyword, group in grouped.items() if group}


def render_text(entries: Sequence[StepEntry]) -> str:
    """The catalogue for a terminal: phrases by keyword, each with its parameters and example."""
    lines: list[str] = []
    for keyword, group in by_keyword(entries).items():
        lines.append(f"{keyword}")
        for entry in group:
            lines.append(f"  {entry.phrase}")
            if entry.summary:
                lines.append(f"      {entry.summary}")
            width = max((len(parameter.name) for parameter in entry.parameters), default=0) + 2
            for parameter in entry.parameters:
                label = f"{{{parameter.name}}}".ljust(width)
                lines.append(_fill(parameter.description, f"      {label}  "))
            if entry.example:
                lines.append(f"      {EXAMPLE_PREFIX} {entry.example}")
        lines.append("")
    lines.append(f"{len(entries)} steps. Check feature files with: mystery-shopper check [PATHS...]")
    return "\n".join(lines) + "\n"


def _fill(text: str, first_indent: str) -> str:
    """The text wrapped under its label; a quoted word ("a social DM") is never split."""
    unsplittable = re.sub(r'"[^"]*"', lambda quoted: quoted.group(0).replace(" ", NO_BREAK), text)
    wrapped = textwrap.fill(
        unsplittable,
        width=TERMINAL_WIDTH,
        initial_indent=first_indent,
        subsequent_indent=" " * len(first_indent),
        break_on_hyphens=False,
    )
    return wrapped.replace(NO_BREAK, " ")


MARKDOWN_HEADER = """\
# Step vocabulary

The phrases a `.feature` file can use, by keyword. `And` and `But` take the keyword of
the step before them. A `{name}` is a parameter: write a value in its place.

Generated from the step definitions in `journeys/steps/`; do not edit by hand. After changing a
step, run `.venv/bin/mystery-shopper steps --markdown > docs/steps.md`. Before a run,
`mystery-shopper check` finds the lines of a feature file that match no phrase here.
"""


def render_markdown(entries: Sequence[StepEntry]) -> str:
    """The catalogue as Markdown (``docs/steps.md``)."""
    parts = [MARKDOWN_HEADER]
    for keyword, group in by_keyword(entries).items():
        parts.append(f"\n## {keyword}\n")
        for entry in group:
            parts.append(f"\n### {keyword} {entry.phrase}\n\n")
            if entry.summary:
                parts.append(f"{entry.summary}\n\n")
            for parameter in entry.parameters:
                parts.append(f"- `{{{parameter.name}}}`: {parameter.description}\n")
            if entry.parameters:
                parts.append("\n")
            if entry.example:
                parts.append(f"```gherkin\n{entry.example}\n```\n\n")
            parts.append(f"Defined in `{entry.definition}`.\n")
    return "".join(parts)
