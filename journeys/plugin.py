"""The pytest plugin's public name, kept for ``pytest_plugins = ["journeys.plugin"]``.

The plugin itself lives in :mod:`journeys.runner.plugin`; pytest loads it from here.
"""

pytest_plugins = ["journeys.runner.plugin"]
