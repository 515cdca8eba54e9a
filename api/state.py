"""What the API process holds for its lifetime, opened and closed by the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client

from api.metrics import HttpMetrics
from hive_core.config import ClusterConfig
from hive_core.credentials import CredentialCipher
from hive_core.settings import HiveSettings


@dataclass
class AppState:
    settings: HiveSettings
    cluster: ClusterConfig
    temporal: Client
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    metrics: HttpMetrics
    # Loaded on the first credential request (so an API that never stores one creates no key file).
    credential_cipher: CredentialCipher | None = None
