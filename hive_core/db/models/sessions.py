"""Login sessions: what a user's password buys, until ``expires_at``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import UUID_LENGTH, Base, Timestamps, UUIDPrimaryKey


class UserSession(UUIDPrimaryKey, Timestamps, Base):
    """A session token issued by a password login. Stored like an API key: prefix + hash.

    ``expires_at`` is fixed at login (now + ``security.session_timeout``); logout sets
    ``revoked_at``. A user's sessions die with the user.
    """

    __tablename__ = "user_sessions"

    user_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    token_hash: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


__all__ = ["UserSession"]
