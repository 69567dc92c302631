"""``summary.md``: the run in a few lines of Markdown, for a CI job's page.

Meant to be appended as it is to ``$GITHUB_STEP_SUMMARY`` (or shown by any CI that
renders Markdown): the score and the change since the previous run, a table per
channel, the worst journeys, the journeys that could not be carried out, the
regressions, and the names of the files to open next.

Every value is escaped on its way out (the template environment's ``finalize``), as
HTML templates autoescape: a journey name or an agent's words can hold ``|``, ``*``
or ``<script>``, and CI pages render Markdown with inline HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from reports.formatting import with_filters

SUMMARY_NAME = "summary.md"

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def escape_markdown(value: Any) -> str:
    """Text that shows as itself in Markdown: punctuation with a meaning is backslash-escaped,
    and line breaks become spaces so a value never ends a table row."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _SPECIAL.sub(r"\\\1", text)


def markdown_environment() -> Environment:
    """The Markdown environment: every value escaped on its way out, the report's filters registered."""
    built = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=False,
        finalize=escape_markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return with_filters(built)


def render_markdown(overview: dict[str, Any]) -> str:
    """The Markdown summary of a run overview (:func:`reports.html.run_overview`)."""
    return markdown_environment().get_template("summary.md.j2").render(overview)


def write_markdown(run_dir: Path, overview: dict[str, Any]) -> Path:
    """Write ``summary.md`` in the run folder and return its path."""
    target = run_dir / SUMMARY_NAME
    target.write_text(render_markdown(overview), encoding="utf-8")
    return target
