"""Requests per minute per principal, counted in the database so every API process shares them.

Algorithm: the sliding-window estimate over two fixed one-minute windows (as Cloudflare's
limiter does). Each request atomically increments its window's counter with one
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite ≥ 3.35 and PostgreSQL alike),
then reads the previous window's count; the estimate is
``previous * (1 - elapsed / window) + current``. Unlike a plain fixed window it does not let
a client send twice the limit across a window boundary, and unlike a log of timestamps it
costs one small row per principal per minute.

Why the database and not Redis or the ``limits`` library: the stack has no Redis, and limits
must hold across API workers; Hive's own database is already shared by all of them. Every
request counts, rejected ones included, so a client that keeps hammering stays limited.

SQLite note: the increment is the transaction's first statement, so the transaction takes the
write lock at once and waits on ``busy_timeout`` instead of failing to upgrade a read lock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models import RateLimitCounter

WINDOW_S = 60


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    # Whole seconds until a request would be allowed again; 0 when allowed.
    retry_after_s: int


async def _increment(session: AsyncSession, bucket: str, window_start: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(RateLimitCounter)
        .values(bucket=bucket, window_start=window_start, count=1)
        .on_conflict_do_update(
            index_elements=[RateLimitCounter.bucket, RateLimitCounter.window_start],
            set_={"count": RateLimitCounter.count + 1},
        )
        .returning(RateLimitCounter.count)
    )
    return int((await session.execute(statement)).scalar_one())


def _retry_after(previous: int, current: int, elapsed: float, limit: int, window_s: int) -> int:
    """Seconds until one more request fits under ``limit``."""
    if current + 1 <= limit and previous > 0:
        # Still in this window: wait until the previous window's weight has decayed enough.
        wait = window_s * (1 - (limit - current - 1) / previous) - elapsed
    else:
        # This window alone is full: wait for the next one, and for this one's weight to decay.
        wait = (window_s - elapsed) + window_s * max(0.0, 1 - (limit - 1) / max(current, 1))
    return max(1, math.ceil(wait))


async def hit(
    session: AsyncSession, bucket: str, *, limit: int, now: float, window_s: int = WINDOW_S
) -> RateDecision:
    """Count one request of ``bucket`` at unix time ``now`` and decide whether it may proceed.

    Runs inside the caller's transaction; the caller commits.
    """
    window_start = int(now // window_s) * window_s
    current = await _increment(session, bucket, window_start)
    previous = (
        await session.scalar(
            select(RateLimitCounter.count).where(
                RateLimitCounter.bucket == bucket,
                RateLimitCounter.window_start == window_start - window_s,
            )
        )
        or 0
    )
    if current == 1:
        # First request of a new window: windows before the previous one are no longer read.
        await session.execute(
            delete(RateLimitCounter).where(
                RateLimitCounter.bucket == bucket,
                RateLimitCounter.window_start < window_start - window_s,
            )
        )
    elapsed = now - window_start
    estimate = previous * (1 - elapsed / window_s) + current
    if estimate <= limit:
        return RateDecision(True, limit, 0)
    return RateDecision(False, limit, _retry_after(previous, current, elapsed, limit, window_s))


__all__ = ["WINDOW_S", "RateDecision", "hit"]
