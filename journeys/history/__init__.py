"""Run history in SQLite: every run's journeys, for trends and regressions.

:mod:`journeys.history.runs` is the public face. May import the domain; never the runner or reports.
"""
