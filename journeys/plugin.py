"""The pytest plugin's public name, for its ``pytest11`` entry point and for ``pytest_plugins``.

Installing the package registers it with pytest by its entry point, named like this module
so that a ``conftest.py`` that also lists it (ours, or a project's from before the entry
point) finds it registered already and does not register it twice. It brings the plugin
itself (:mod:`journeys.runner.plugin`) and the shipped step vocabulary; a project's own
steps, in its ``steps/`` folder, the plugin registers when it is configured.
"""

from journeys.steps import STEP_MODULES

pytest_plugins = ["journeys.runner.plugin", *STEP_MODULES]
