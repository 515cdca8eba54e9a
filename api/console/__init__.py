"""The web console under ``/ui/``: runs on their n8n canvas, live, and the lists around them.

Server-rendered (Jinja2, autoescaped) with SVG for the graph and a little plain JavaScript from
``static/`` (no CDN, no build step). Same credentials and roles as the API, kept in an HTTP-only
cookie (`session`); every page calls the API routers' own functions.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.console import actions, execution_page, lists, login
from api.console.errors import install_console_error_handlers
from api.console.session import UI_PREFIX

STATIC = Path(__file__).parent / "static"


def install_console(app: FastAPI) -> None:
    """Mount the console's routes and static files on ``app`` (after the API's error handlers)."""
    for module in (login, lists, execution_page, actions):
        app.include_router(module.router)
    app.mount(f"{UI_PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    install_console_error_handlers(app)


__all__ = ["install_console"]
