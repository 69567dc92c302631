"""The Gherkin vocabulary: pytest-bdd step definitions, each one line of glue.

Steps call tasks and expectations in :mod:`journeys`; they hold no locators, no
arithmetic and no page. Every step has a docstring that says what it does and
an example, because the step catalogue is generated from them.
"""

from __future__ import annotations

STEP_MODULES: tuple[str, ...] = (
    "journeys.steps.customer",
    "journeys.steps.ordering",
    "journeys.steps.cancellation",
    "journeys.steps.contact",
    "journeys.steps.expectations",
)
