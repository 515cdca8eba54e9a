"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from temporalio.service import RPCError

from api.deps import StateDep
from hive_core.db import check_database
from hive_core.errors import HiveError

router = APIRouter(tags=["health"])

READY_CHECK_TIMEOUT_S = 3.0


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    temporal: str
    database: str


@router.get("/health", response_model=Health)
async def health() -> Health:
    """The process is alive (no dependency checked)."""
    return Health(status="ok")


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


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(state: StateDep) -> Response:
    """Prometheus exposition of the API's metrics."""
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
