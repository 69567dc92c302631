"""Reports rendered from a run's journey records.

Jinja templates format; the Python beside them calculates.
"""

from reports.html import render_run_report

__all__ = ["render_run_report"]
