"""Audit log rows for changes to keys, users and workflows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models import AuditLog


def record_audit(
    session: AsyncSession,
    actor: str,
    action: str,
    resource_type: str,
    resource_id: str | None,
    **details: Any,
) -> AuditLog:
    """Add an audit row to ``session`` (committed with the change it describes)."""
    row = AuditLog(
        actor=actor, action=action, resource_type=resource_type, resource_id=resource_id, details=details
    )
    session.add(row)
    return row


__all__ = ["record_audit"]
