"""Brightline Appliances: the demo company that mystery-shopper shops at.

A real web application (Starlette, uvicorn, SQLite) started as a subprocess and reached by
URL. The harness never imports this package, and this package never imports the harness.

Start it with ``python -m sandbox``; build the ASGI app in-process with
:func:`sandbox.app.create_app` (the project's own tests do).
"""

from __future__ import annotations

COMPANY_NAME = "Brightline Appliances"
