"""The top: pytest plugin, command line, company server start-up, browser choice, results folders.

The only layer of the engine that imports ``reports/``; nothing imports the runner.
"""
