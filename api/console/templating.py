"""Jinja2 rendering of the console's pages: autoescaped always, a few display filters."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from hive_core.auth import Permission, Principal, allows

TEMPLATES = Path(__file__).parent / "templates"


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%Y-%m-%d %H:%M:%S")


def duration_text(ms: float | None) -> str:
    """``850 ms``, ``2.4 s``, ``3 min 5 s``."""
    if ms is None:
        return ""
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    return f"{int(ms // 60_000)} min {int(ms % 60_000 // 1000)} s"


@functools.cache
def environment() -> Environment:
    # autoescape=True for every template: node names and item values are user data.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, trim_blocks=True
    )
    env.filters["when"] = _when
    env.filters["duration"] = duration_text
    # For data-* attributes: JSON, then attribute-escaped by autoescape.
    env.filters["tojson_attr"] = lambda value: json.dumps(value, separators=(",", ":"))
    return env


def render(
    request: Request,
    template: str,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page ``template`` with ``context``; ``can(permission)`` tells what the viewer may do."""

    def can(permission: str) -> bool:
        return principal is not None and allows(principal.role, Permission(permission))

    html = (
        environment()
        .get_template(template)
        .render(request=request, principal=principal, can=can, path=request.url.path, **context)
    )
    return HTMLResponse(html, status_code=status_code, headers=_HEADERS)


# The pages load only their own script and style; nothing inline may run (a second line of
# defence behind autoescaping), and no other site may frame them.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

__all__ = ["TEMPLATES", "duration_text", "environment", "render"]
