"""The domain: timeline, events, metrics, results, shoppers, goals and the words of features.

Pure values and arithmetic over what a customer saw. Imports only :mod:`journeys.errors`
and Faker (for personas): never Playwright, pytest, or another layer of the harness.
"""
