"""Wires the mystery-shopper plugin and its step vocabulary into pytest for this checkout.

An installed package does this by its ``pytest11`` entry point (see ``journeys/plugin.py``),
which is named like the module, so listing it here too registers it once; a checkout used
without installing it (``PYTHONPATH=.``) has only this.
"""

pytest_plugins = ["journeys.plugin"]
