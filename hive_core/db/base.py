"""Declarative base and the portable column types every model uses.

- Constraint names follow one convention, so Alembic migrations name (and later
  drop or alter) the same constraints on SQLite and PostgreSQL.
- ``JSONType`` is JSON on SQLite and JSONB on PostgreSQL (indexable, compact).
- ``UTCDateTime`` always hands back timezone-aware UTC datetimes, also on SQLite,
  which has no timezone-aware type of its own.
- Primary keys are string UUIDs (``new_id``), except where a natural key exists
  (an agent's key, a config key).
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, Dialect, Enum, MetaData, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Both engines get a real JSON type; PostgreSQL's binary JSONB supports GIN indexes.
JSONType: TypeEngine[Any] = JSON().with_variant(JSONB(), "postgresql")

# Room to add enum members later without widening the column.
ENUM_LENGTH = 32
UUID_LENGTH = 36

E = TypeVar("E", bound=enum.Enum)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def new_id() -> str:
    """A new random surrogate key (UUID4 as text, portable across engines)."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is stored in UTC and read back timezone-aware.

    PostgreSQL stores ``timestamptz``. SQLite stores text without an offset, so the
    value is normalised to UTC before writing (keeping text order = time order) and
    tagged as UTC when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive datetime is ambiguous (local? UTC?); refuse it rather than guess.
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_cls: type[E], name: str) -> Enum:
    """An enum column stored as its string values, guarded by a named CHECK constraint.

    Not a native PostgreSQL ENUM: adding a member then needs no ``ALTER TYPE`` and
    both engines share one migration.
    """
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=ENUM_LENGTH,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(AsyncAttrs, DeclarativeBase):
    """Base of every Hive table.

    JSON columns are plain JSON: mutate by assigning a new value, since in-place
    changes to a dict or list are not tracked.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class UUIDPrimaryKey:
    """Mixin: a string UUID primary key generated on the Python side."""

    id: Mapped[str] = mapped_column(String(UUID_LENGTH), primary_key=True, default=new_id, sort_order=-10)


class Timestamps:
    """Mixin: ``created_at`` / ``updated_at`` kept by the ORM, defaulted by the DB for raw SQL."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now(), sort_order=100
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now(), sort_order=101
    )


__all__ = [
    "ENUM_LENGTH",
    "NAMING_CONVENTION",
    "UUID_LENGTH",
    "Base",
    "JSONType",
    "Timestamps",
    "UTCDateTime",
    "UUIDPrimaryKey",
    "new_id",
    "str_enum",
    "utcnow",
]
