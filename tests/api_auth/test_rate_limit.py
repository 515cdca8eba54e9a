"""Rate limits: per principal and role, 429 with Retry-After, shared across API instances via the DB."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.auth import hit
from hive_core.db.models import RateLimitCounter, UserRole

from .conftest import ApiFactory, auth, cluster_with

WINDOW = 60
T0 = 1_000 * WINDOW  # a window boundary


async def test_limit_is_shared_by_two_app_instances(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key, other = await make_key(UserRole.VIEWER), await make_key(UserRole.VIEWER)
    cluster = cluster_with(api_rate_limit=3)
    async with make_api(cluster) as first, make_api(cluster) as second:
        for http in (first, second, first):
            assert (await http.get("/api/workflows", headers=auth(key))).status_code == 200
        limited = await second.get("/api/workflows", headers=auth(key))
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 2 * WINDOW
        error = limited.json()["error"]
        assert error["type"] == "RateLimitedError" and error["limit"] == 3
        assert error["retry_after"] == int(limited.headers["Retry-After"])
        # Counted per key: another key of the same role is not affected.
        assert (await first.get("/api/workflows", headers=auth(other))).status_code == 200


async def test_per_role_override(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    viewer, admin = await make_key(UserRole.VIEWER), await make_key(UserRole.ADMIN)
    async with make_api(cluster_with(api_rate_limit=100, rate_limits={"viewer": 2})) as http:
        statuses = [(await http.get("/api/auth/me", headers=auth(viewer))).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        for _ in range(5):
            assert (await http.get("/api/auth/me", headers=auth(admin))).status_code == 200


async def test_unauthenticated_requests_are_not_counted_against_a_key(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(UserRole.VIEWER)
    async with make_api(cluster_with(api_rate_limit=1)) as http:
        for _ in range(3):
            assert (await http.get("/api/auth/me", headers=auth("hive_000000000000_x"))).status_code == 401
        assert (await http.get("/api/auth/me", headers=auth(key))).status_code == 200


async def _hit(sessions: async_sessionmaker[AsyncSession], bucket: str, limit: int, now: float) -> Any:
    async with sessions() as session, session.begin():
        return await hit(session, bucket, limit=limit, now=now)


async def test_sliding_window_estimate(sessions: async_sessionmaker[AsyncSession]) -> None:
    decisions = [await _hit(sessions, "b", 3, T0 + 10 + i) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    # This window alone is full (4 counted): the next window must also let its weight decay.
    assert decisions[-1].retry_after_s == 47 + 30

    # Next window, 1 s in: 4 * 59/60 + 1 > 3.
    assert not (await _hit(sessions, "b", 3, T0 + WINDOW + 1)).allowed
    # 45 s in: the previous window (4) weighs 1/4 → 1 + 2 (this window) = 3 ≤ 3.
    assert (await _hit(sessions, "b", 3, T0 + WINDOW + 45)).allowed
    # Two windows later the first window's row is deleted when a new window opens.
    assert (await _hit(sessions, "b", 3, T0 + 3 * WINDOW)).allowed
    async with sessions() as session:
        windows = (
            await session.scalars(select(RateLimitCounter.window_start).where(RateLimitCounter.bucket == "b"))
        ).all()
    assert sorted(windows) == [T0 + 3 * WINDOW]


async def test_concurrent_hits_are_counted_exactly(sessions: async_sessionmaker[AsyncSession]) -> None:
    decisions = await asyncio.gather(*(_hit(sessions, "busy", 7, T0 + 5) for _ in range(20)))
    assert sum(d.allowed for d in decisions) == 7
    async with sessions() as session:
        count = await session.scalar(select(RateLimitCounter.count).where(RateLimitCounter.bucket == "busy"))
    assert count == 20
