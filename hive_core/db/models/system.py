"""Cluster-wide records: alerts, runtime configuration and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import Base, JSONType, Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from hive_core.db.models.agents import AGENT_ID_LENGTH
from hive_core.db.models.enums import AlertSeverity


class Alert(UUIDPrimaryKey, Timestamps, Base):
    """A threshold breach or failure that an operator should see."""

    __tablename__ = "alerts"
    # The dashboard lists open alerts, newest first.
    __table_args__ = (Index("ix_alerts_resolved_opened_at", "resolved", "opened_at"),)

    type: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[AlertSeverity] = mapped_column(str_enum(AlertSeverity, "alert_severity"))
    # No foreign key on purpose: an alert's history must survive removing its agent.
    agent_id: Mapped[str | None] = mapped_column(String(AGENT_ID_LENGTH), index=True)
    message: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    # An actor name (user email or API key name), as in the audit log.
    acknowledged_by: Mapped[str | None] = mapped_column(String(255))


class SystemConfig(Timestamps, Base):
    """A runtime setting editable through the API, keyed by a dotted name."""

    __tablename__ = "system_config"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    category: Mapped[str] = mapped_column(String(64), default="general", index=True)
    description: Mapped[str | None] = mapped_column(Text)


class AuditLog(UUIDPrimaryKey, Base):
    """Who did what to which resource. Append-only, so ``at`` is its only time.

    ``actor`` and ``resource_id`` are plain text, not foreign keys: the record must
    outlive the user and the resource it names.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_resource_type_resource_id", "resource_type", "resource_id"),)

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(255), index=True)
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


__all__ = ["Alert", "AuditLog", "SystemConfig"]
