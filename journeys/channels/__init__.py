"""One driver per channel, each turning what a customer sees into timeline events.

Playwright lives here, with the shared conversation logic (recognition of what the company
says). May import the company profile and the domain; never scoring, history or the runner.
"""
