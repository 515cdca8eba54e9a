"""Fixtures for the credential store: a migrated database (SQLite and PostgreSQL), a cipher."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from hive_core.credentials import CredentialCipher
from hive_core.settings import (
    CredentialsSettings,
    DatabaseSettings,
    HiveSettings,
    TemporalSettings,
    WorkerSettings,
)
from tests.api_auth.conftest import (  # noqa: F401  (fixtures)
    database_factory,
    database_url,
    engine,
    make_api,
    make_key,
    migrated_url,
    sessions,
)

SECRET = "s3cr3t-Value-9f2c1e"


@pytest.fixture
def cipher() -> CredentialCipher:
    return CredentialCipher([Fernet.generate_key()])


def settings_with_key(tmp_path: Path, key: str | None = None) -> HiveSettings:
    return HiveSettings(
        data_dir=tmp_path, credentials=CredentialsSettings(key=SecretStr(key) if key else None)
    )


def run_settings(tmp_path: Path, url: str, task_queue: str = "unused") -> HiveSettings:
    """Settings for running workflows that use stored credentials (a fresh key) on `url`'s DB."""
    return HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0),
        database=DatabaseSettings(url=url),
        credentials=CredentialsSettings(key=SecretStr(Fernet.generate_key().decode())),
    )
