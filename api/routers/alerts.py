"""Alerts raised by the health checks: list them (viewers), acknowledge them (operators).

An acknowledgement records who made it: the authenticated principal's actor (a user's email or
``key:<name>``), never a name from the request body.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from api.auth import AUTH_RESPONSES, require
from api.deps import SessionDep
from hive_core.auth import Permission, Principal
from hive_core.db.base import utcnow
from hive_core.db.models import AlertSeverity
from hive_core.monitoring.alert_store import AlertState, acknowledge_alert, list_alerts

router = APIRouter(prefix="/api/alerts", tags=["alerts"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.ALERTS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.ALERTS_WRITE))]


class AlertView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    type: str
    severity: AlertSeverity
    agent_id: str | None
    message: str
    resolved: bool
    opened_at: datetime
    resolved_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


@router.get("", response_model=list[AlertView])
async def get_alerts(
    _: Reader,
    session: SessionDep,
    state: AlertState = Query("all", description="open, resolved or all"),
    agent: str | None = Query(None, description="only this agent's alerts"),
    severity: AlertSeverity | None = Query(None),
    limit: int = Query(200, ge=1, le=1000),
) -> list[AlertView]:
    """Alerts, newest first."""
    rows = await list_alerts(session, state=state, agent_id=agent, severity=severity, limit=limit)
    return [AlertView.model_validate(row) for row in rows]


@router.post(
    "/{alert_id}/acknowledge", response_model=AlertView, responses={404: {"description": "no such alert"}}
)
async def acknowledge(alert_id: str, principal: Writer, session: SessionDep) -> AlertView:
    """Mark an alert as seen by the caller (idempotent: the first acknowledgement is kept)."""
    alert = await acknowledge_alert(session, alert_id, principal.actor, utcnow())
    await session.commit()
    return AlertView.model_validate(alert)
