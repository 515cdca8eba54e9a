"""Static data of polling triggers, kept between polls (n8n keeps it in the workflow row)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import Base, JSONType, Timestamps


class TriggerStaticData(Timestamps, Base):
    """One trigger node's `getWorkflowStaticData('node')` (e.g. the RSS trigger's lastItemDate).

    Per (workflow, node) rather than in the workflow row, so a poll saving its state never races
    an edit of the workflow; no foreign key, so state of a schedule outlives a re-import.
    """

    __tablename__ = "trigger_static_data"

    workflow_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    node: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


__all__ = ["TriggerStaticData"]
