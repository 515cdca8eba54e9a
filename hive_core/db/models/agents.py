"""Ollama hosts ("agents"), their metrics history and capability scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hive_core.db.base import (
    Base,
    JSONType,
    Timestamps,
    UTCDateTime,
    UUIDPrimaryKey,
    str_enum,
    utcnow,
)
from hive_core.db.models.enums import AgentSource, AgentStatus

# Matches AGENT_ID_PATTERN in hive_core.config.models (at most 63 characters).
AGENT_ID_LENGTH = 64


class Agent(Timestamps, Base):
    """One Ollama host. ``id`` is its key in ``hive.yaml`` (e.g. ``"walnut"``)."""

    __tablename__ = "agents"
    __table_args__ = (CheckConstraint("max_concurrent >= 1", name="max_concurrent_positive"),)

    id: Mapped[str] = mapped_column(String(AGENT_ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    endpoint: Mapped[str] = mapped_column(String(2048))
    specialization: Mapped[str | None] = mapped_column(String(255))
    capabilities: Mapped[list[str]] = mapped_column(JSONType, default=list)
    hardware_config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    models: Mapped[list[str]] = mapped_column(JSONType, default=list)
    max_concurrent: Mapped[int] = mapped_column(default=2)
    status: Mapped[AgentStatus] = mapped_column(
        str_enum(AgentStatus, "agent_status"), default=AgentStatus.UNKNOWN, index=True
    )
    source: Mapped[AgentSource] = mapped_column(
        str_enum(AgentSource, "agent_source"), default=AgentSource.API
    )
    last_seen_at: Mapped[datetime | None]

    metrics: Mapped[list[AgentMetric]] = relationship(back_populates="agent", passive_deletes=True)
    capability_scores: Mapped[list[AgentCapability]] = relationship(
        back_populates="agent", passive_deletes=True
    )


class AgentMetric(UUIDPrimaryKey, Base):
    """One sample of an agent's load. Append-only, so ``timestamp`` is its only time."""

    __tablename__ = "agent_metrics"
    __table_args__ = (Index("ix_agent_metrics_agent_id_timestamp", "agent_id", "timestamp"),)

    agent_id: Mapped[str] = mapped_column(
        String(AGENT_ID_LENGTH), ForeignKey("agents.id", ondelete="CASCADE")
    )
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Tokens/s, requests in flight, response times ...: open-ended, hence JSON.
    performance_data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    gpu_metrics: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    cpu_percent: Mapped[float | None] = mapped_column(Float)
    memory_percent: Mapped[float | None] = mapped_column(Float)

    agent: Mapped[Agent] = relationship(back_populates="metrics")


class AgentCapability(UUIDPrimaryKey, Timestamps, Base):
    """How good an agent is at one capability, from 0 (useless) to 1 (best)."""

    __tablename__ = "agent_capabilities"
    __table_args__ = (
        UniqueConstraint("agent_id", "capability"),
        CheckConstraint("proficiency_score >= 0 AND proficiency_score <= 1", name="proficiency_score_range"),
    )

    agent_id: Mapped[str] = mapped_column(
        String(AGENT_ID_LENGTH), ForeignKey("agents.id", ondelete="CASCADE")
    )
    capability: Mapped[str] = mapped_column(String(128), index=True)
    proficiency_score: Mapped[float] = mapped_column(Float, default=0.5)

    agent: Mapped[Agent] = relationship(back_populates="capability_scores")


__all__ = ["AGENT_ID_LENGTH", "Agent", "AgentCapability", "AgentMetric"]
