"""Our own step phrases, beside mystery-shopper's (written by ``mystery-shopper init``).

The mystery-shopper plugin loads every module in this folder (``steps/*.py``, except
``_private.py`` ones): no ``conftest.py`` is needed. ``mystery-shopper steps`` lists these
phrases with the shipped ones, and ``mystery-shopper check`` knows them.

A step is one line of glue: it asks the journey to do or check something through the
harness's tasks and expectations (``journeys.journey.tasks``, ``journeys.journey.expectations``),
and never touches a page or a locator; what a site looks like belongs in the company's
profile (``companies/``). Its docstring says what it does and ends with an ``Example:``
line, which the catalogue shows. ``example.py`` is one.
"""
