"""`hive up` gives each node host start a fresh API key and revokes the previous one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from hive_core.db import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.db.models import ApiKey
from hive_core.node_host.service_key import NODE_HOST_KEY_NAME, rotate_node_host_key


async def test_rotating_revokes_the_previous_key(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    first = await rotate_node_host_key(url)
    second = await rotate_node_host_key(url)
    assert first != second
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = (await session.scalars(select(ApiKey).where(ApiKey.name == NODE_HOST_KEY_NAME))).all()
    finally:
        await engine.dispose()
    assert len(rows) == 2
    assert sum(row.revoked_at is None for row in rows) == 1
