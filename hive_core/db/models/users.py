"""People and machines that may call Hive: users and their API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from hive_core.db.base import UUID_LENGTH, Base, JSONType, Timestamps, UUIDPrimaryKey, str_enum
from hive_core.db.models.enums import UserRole


class User(UUIDPrimaryKey, Timestamps, Base):
    """A person. ``password_hash`` is empty for users who sign in only with API keys."""

    __tablename__ = "users"

    # 320 = the longest address RFC 5321 allows.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "user_role"), default=UserRole.VIEWER)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)

    api_keys: Mapped[list[ApiKey]] = relationship(back_populates="user", passive_deletes=True)

    @validates("email")
    def _normalize_email(self, _key: str, value: str) -> str:
        # The unique constraint is case-sensitive; storing one spelling makes it effective.
        return value.strip().lower()


class ApiKey(UUIDPrimaryKey, Timestamps, Base):
    """An API key. Only a hash is stored; ``prefix`` is the visible, looked-up part."""

    __tablename__ = "api_keys"

    # Nullable: service keys belong to no user. A user's keys die with the user.
    user_id: Mapped[str | None] = mapped_column(
        String(UUID_LENGTH), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    prefix: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    key_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "user_role"), default=UserRole.VIEWER)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(back_populates="api_keys")


__all__ = ["ApiKey", "User"]
