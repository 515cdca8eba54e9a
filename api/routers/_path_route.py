"""One FastAPI endpoint per URL flavour (production/test) over a `{path:path}` handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request, Response

from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep

Flavour = TypeVar("Flavour")
PathHandler = Callable[
    [Request, str, Flavour, ClientDep, SessionDep, SettingsDep, ClusterDep], Awaitable[Response]
]


def path_route(handler: PathHandler[Flavour], flavour: Flavour) -> Callable[..., Awaitable[Response]]:
    """An endpoint that calls `handler` with `flavour` (e.g. the execution mode of its URL prefix).

    FastAPI reads the dependencies from this signature, so it is spelled out once here.
    """

    async def serve(
        request: Request,
        path: str,
        client: ClientDep,
        session: SessionDep,
        settings: SettingsDep,
        cluster: ClusterDep,
    ) -> Response:
        return await handler(request, path, flavour, client, session, settings, cluster)

    return serve
