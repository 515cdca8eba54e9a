"""What the MCP server needs from Hive: the database, Temporal, settings and the cluster.

The API hands over its own (`api.state.AppState`); `hive mcp` opens its own, as other CLI
commands do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.config import ClusterConfig
from hive_core.settings import HiveSettings


@dataclass(frozen=True)
class HiveBackend:
    sessions: async_sessionmaker[AsyncSession]
    temporal: Client
    settings: HiveSettings
    cluster: ClusterConfig


__all__ = ["HiveBackend"]
