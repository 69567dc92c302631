"""A journey in progress: the actor steps talk to, the tasks it performs, the expectations judged.

The Screenplay layer over the channels. May import channels, the company profile and the domain.
"""
