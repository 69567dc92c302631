"""Wires the mystery-shopper plugin and the step vocabulary into pytest."""

from journeys.steps import STEP_MODULES

pytest_plugins = ["journeys.plugin", *STEP_MODULES]
