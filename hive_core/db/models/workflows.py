"""Imported n8n workflows and their compiled plans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hive_core.db.base import UUID_LENGTH, Base, JSONType, Timestamps, UUIDPrimaryKey

if TYPE_CHECKING:
    from hive_core.db.models.executions import Execution
    from hive_core.db.models.users import User


class Workflow(UUIDPrimaryKey, Timestamps, Base):
    """An n8n workflow as imported (``n8n_data``) and as compiled (``plan``).

    ``version`` goes up on every change; executions record the version they ran.
    """

    __tablename__ = "workflows"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    name: Mapped[str] = mapped_column(String(255), index=True)
    n8n_data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # Null until the workflow has compiled; kept beside n8n_data so runs need no recompile.
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    mcp_tools: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=False)
    # The workflow outlives the account that created it.
    created_by: Mapped[str | None] = mapped_column(
        String(UUID_LENGTH), ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Compiler warnings and errors, e.g. [{"node": "...", "message": "..."}].
    diagnostics: Mapped[list[Any]] = mapped_column(JSONType, default=list)

    creator: Mapped[User | None] = relationship()
    executions: Mapped[list[Execution]] = relationship(back_populates="workflow", passive_deletes=True)


__all__ = ["Workflow"]
