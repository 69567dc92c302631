"""Rubrics and scorecards: the mystery-shopping evaluation form applied to a journey's metrics.

May import the domain (metrics, timeline) and :mod:`journeys.tomllines`; never channels or the runner.
"""
