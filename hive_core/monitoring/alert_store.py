"""Alerts in the database: open once per (agent, type) while a condition holds, resolve when it clears.

The caller owns the transaction (commits or rolls back the session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models import Alert, AlertSeverity
from hive_core.errors import NotFoundError
from hive_core.monitoring.alerts import Evaluation

AlertState = Literal["open", "resolved", "all"]


@dataclass
class AlertChanges:
    opened: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)
    # Open alerts whose severity or message changed (e.g. warning → critical).
    updated: list[Alert] = field(default_factory=list)


async def open_alerts(session: AsyncSession, agent_id: str) -> list[Alert]:
    """The agent's unresolved alerts."""
    rows = await session.scalars(
        select(Alert).where(Alert.agent_id == agent_id, Alert.resolved.is_(False)).order_by(Alert.opened_at)
    )
    return list(rows)


async def reconcile_alerts(
    session: AsyncSession, agent_id: str, evaluation: Evaluation, now: datetime
) -> AlertChanges:
    """Make the agent's open alerts match ``evaluation``: open new ones, update, resolve cleared ones."""
    changes = AlertChanges()
    current = {alert.type: alert for alert in await open_alerts(session, agent_id)}
    holding = {condition.type.value: condition for condition in evaluation.conditions}
    for kind, condition in holding.items():
        alert = current.get(kind)
        if alert is None:
            alert = Alert(
                type=kind,
                severity=condition.severity,
                agent_id=agent_id,
                message=condition.message,
                opened_at=now,
            )
            session.add(alert)
            changes.opened.append(alert)
        elif alert.severity != condition.severity or alert.message != condition.message:
            alert.severity = condition.severity
            alert.message = condition.message
            changes.updated.append(alert)
    decided = {kind.value for kind in evaluation.evaluated}
    for kind, alert in current.items():
        if kind in decided and kind not in holding:
            alert.resolved = True
            alert.resolved_at = now
            changes.resolved.append(alert)
    await session.flush()
    return changes


async def resolve_unmonitored(session: AsyncSession, monitored: set[str], now: datetime) -> list[Alert]:
    """Resolve the open alerts of agents no longer monitored (removed or disabled)."""
    rows = await session.scalars(
        select(Alert).where(
            Alert.resolved.is_(False), Alert.agent_id.is_not(None), Alert.agent_id.not_in(monitored)
        )
    )
    resolved = list(rows)
    for alert in resolved:
        alert.resolved = True
        alert.resolved_at = now
    await session.flush()
    return resolved


async def acknowledge_alert(session: AsyncSession, alert_id: str, by: str, now: datetime) -> Alert:
    """Mark an alert as seen by ``by``; acknowledging twice keeps the first acknowledgement."""
    alert = await session.get(Alert, alert_id)
    if alert is None:
        raise NotFoundError(f"no alert {alert_id!r}", alert_id=alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        alert.acknowledged_by = by
        await session.flush()
    return alert


async def list_alerts(
    session: AsyncSession,
    *,
    state: AlertState = "all",
    agent_id: str | None = None,
    severity: AlertSeverity | None = None,
    limit: int = 200,
) -> list[Alert]:
    """Alerts, newest first, filtered by state, agent and severity."""
    query = select(Alert).order_by(Alert.opened_at.desc()).limit(limit)
    if state != "all":
        query = query.where(Alert.resolved.is_(state == "resolved"))
    if agent_id is not None:
        query = query.where(Alert.agent_id == agent_id)
    if severity is not None:
        query = query.where(Alert.severity == severity)
    return list(await session.scalars(query))


async def alert_counts(session: AsyncSession) -> tuple[dict[AlertSeverity, int], int]:
    """Open alerts per severity (every severity present, 0 if none) and alerts ever opened."""
    open_counts = dict.fromkeys(AlertSeverity, 0)
    rows = await session.execute(
        select(Alert.severity, func.count()).where(Alert.resolved.is_(False)).group_by(Alert.severity)
    )
    for severity, count in rows:
        open_counts[AlertSeverity(severity)] = int(count)
    total = await session.scalar(select(func.count()).select_from(Alert))
    return open_counts, int(total or 0)


__all__ = [
    "AlertChanges",
    "AlertState",
    "acknowledge_alert",
    "alert_counts",
    "list_alerts",
    "open_alerts",
    "reconcile_alerts",
    "resolve_unmonitored",
]
