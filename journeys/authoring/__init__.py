"""What a QA team writes with: the step catalogue and ``check``, which vets features before a run.

May import everything below it and the step definitions (``journeys/steps/``), never the runner or reports.
"""
