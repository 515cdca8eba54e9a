"""Request counters of the API rate limiter, shared by every API process through the DB."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import Base


class RateLimitCounter(Base):
    """Requests of one principal (``bucket``) in one fixed window starting at ``window_start``.

    Rows are tiny and short-lived: the limiter deletes a bucket's windows older than the
    previous one when it opens a new window.
    """

    __tablename__ = "rate_limit_counters"

    bucket: Mapped[str] = mapped_column(String(255), primary_key=True)
    # Unix seconds at which the window opens (a multiple of the window length).
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


__all__ = ["RateLimitCounter"]
