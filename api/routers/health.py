"""Liveness, readiness and Prometheus metrics: open routes, no API key.

``/metrics`` may be closed with a bearer token (``api.metrics_token``), the way Prometheus
scrapers authenticate (``authorization: {type: Bearer, credentials_file: ...}``).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from temporalio.service import RPCError

from api.auth import ErrorBody
from api.deps import SettingsDep, StateDep
from hive_core.auth import AuthenticationError
from hive_core.db import check_database
from hive_core.errors import HiveError
from n8n_import.node_catalog import load_catalog

router = APIRouter(tags=["health"])

READY_CHECK_TIMEOUT_S = 3.0


class Health(BaseModel):
    status: str
    # The n8n node catalog the compiler uses (`n8n-nodes-base@1.121.53`).
    node_catalog: str | None = None


class Readiness(BaseModel):
    status: str
    temporal: str
    database: str


@router.get("/health", response_model=Health)
async def health() -> Health:
    """The process is alive (no dependency checked)."""
    return Health(status="ok", node_catalog=load_catalog().version)


async def _temporal_status(state: StateDep) -> str:
    try:
        ok = await asyncio.wait_for(
            state.temporal.service_client.check_health(), timeout=READY_CHECK_TIMEOUT_S
        )
    except (RPCError, RuntimeError, TimeoutError, OSError) as exc:
        return f"unreachable: {exc or 'timed out'}"
    return "ok" if ok else "unhealthy"


async def _database_status(state: StateDep) -> str:
    try:
        await asyncio.wait_for(check_database(state.engine), timeout=READY_CHECK_TIMEOUT_S)
    except HiveError as exc:
        return f"unreachable: {exc.message}"
    except TimeoutError:
        return "unreachable: timed out"
    return "ok"


@router.get(
    "/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "a dependency is unreachable"}},
)
async def ready(state: StateDep, response: Response) -> Readiness:
    """Temporal and the database both answer."""
    temporal, database = await asyncio.gather(_temporal_status(state), _database_status(state))
    ok = temporal == "ok" and database == "ok"
    if not ok:
        response.status_code = 503
    return Readiness(status="ok" if ok else "unavailable", temporal=temporal, database=database)


# auto_error=False: no header must become Hive's 401 body; unset token means no check at all.
_metrics_bearer = HTTPBearer(auto_error=False, scheme_name="MetricsToken")


def _check_metrics_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_metrics_bearer)],
) -> None:
    expected = settings.api.metrics_token
    if expected is None:
        return
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise AuthenticationError("/metrics needs Authorization: Bearer <api.metrics_token>")


@router.get(
    "/metrics",
    response_class=Response,
    dependencies=[Depends(_check_metrics_token)],
    responses={
        200: {"content": {"text/plain": {}}},
        401: {"model": ErrorBody, "description": "`api.metrics_token` is set and was not sent"},
    },
)
async def metrics(state: StateDep) -> Response:
    """Prometheus exposition of the API's metrics."""
    await state.metrics.agents.refresh(state.sessions, state.cluster)
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
