"""Fixtures for the credential store: a migrated database (SQLite and PostgreSQL), a cipher."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from hive_core.credentials import CredentialCipher
from hive_core.settings import CredentialsSettings, HiveSettings
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
