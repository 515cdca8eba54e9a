"""The credential store on SQLite and PostgreSQL: data encrypted at rest, keys, lookup rules."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.credentials import (
    CredentialCipher,
    CredentialKeyError,
    create_credential,
    decrypt_data,
    delete_credential,
    find_credential,
    get_credential,
    key_file_path,
    list_credentials,
    load_cipher,
    update_credential,
)
from hive_core.errors import ConflictError, NotFoundError
from hive_core.settings import HiveSettings

from .conftest import SECRET, settings_with_key


def test_key_file_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    settings = HiveSettings(data_dir=tmp_path / "data")
    first = load_cipher(settings)
    path = key_file_path(settings)
    assert path == tmp_path / "data" / "credentials.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = first.encrypt({"value": SECRET})
    # A second process reads the same key instead of writing a new one.
    assert load_cipher(settings).decrypt(token, credential="x") == {"value": SECRET}
    assert list(path.parent.glob(".credentials.key.*")) == []


def test_environment_key_wins_and_rotation_keeps_old_rows_readable(tmp_path: Path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = load_cipher(settings_with_key(tmp_path, old)).encrypt({"value": SECRET})
    assert not key_file_path(HiveSettings(data_dir=tmp_path)).exists()
    rotated = load_cipher(settings_with_key(tmp_path, f"{new},{old}"))
    assert rotated.decrypt(token, credential="x") == {"value": SECRET}
    assert load_cipher(settings_with_key(tmp_path, new)).decrypt(
        rotated.encrypt({"a": 1}), credential="x"
    ) == {"a": 1}
    with pytest.raises(CredentialKeyError, match="'GitHub'.*another key"):
        load_cipher(settings_with_key(tmp_path, new)).decrypt(token, credential="'GitHub'")
    with pytest.raises(CredentialKeyError, match="not a Fernet key"):
        load_cipher(settings_with_key(tmp_path, "short"))


async def test_data_is_encrypted_at_rest(
    sessions: async_sessionmaker[AsyncSession], cipher: CredentialCipher
) -> None:
    async with sessions() as session:
        row = await create_credential(
            session,
            cipher,
            name="API",
            credential_type="httpHeaderAuth",
            data={"name": "X-Key", "value": SECRET},
        )
        await session.commit()
        raw = (await session.execute(text("SELECT * FROM credentials"))).all()
    assert len(raw) == 1
    assert SECRET not in repr(raw)
    async with sessions() as session:
        stored = await get_credential(session, row.id)
        assert decrypt_data(cipher, stored) == {"name": "X-Key", "value": SECRET}


async def test_crud_and_conflicts(
    sessions: async_sessionmaker[AsyncSession], cipher: CredentialCipher
) -> None:
    async with sessions() as session:
        kept = await create_credential(
            session, cipher, name="A", credential_type="httpBasicAuth", data={}, credential_id="n8nId123"
        )
        await create_credential(session, cipher, name="A", credential_type="httpHeaderAuth", data={})
        await session.commit()
        assert kept.id == "n8nId123"
        with pytest.raises(ConflictError, match="exists"):
            await create_credential(
                session, cipher, name="B", credential_type="x", data={}, credential_id="n8nId123"
            )
        with pytest.raises(ConflictError, match="named 'A'"):
            await create_credential(session, cipher, name="A", credential_type="httpBasicAuth", data={})
        assert sorted(r.type for r in await list_credentials(session)) == ["httpBasicAuth", "httpHeaderAuth"]
        assert [r.id for r in await list_credentials(session, "httpBasicAuth")] == ["n8nId123"]

        await update_credential(session, cipher, "n8nId123", name="Renamed", data={"user": "u"})
        await update_credential(session, cipher, "n8nId123", data={"password": "p"}, merge=True)
        await session.commit()
        row = await get_credential(session, "n8nId123")
        assert row.name == "Renamed"
        assert decrypt_data(cipher, row) == {"user": "u", "password": "p"}

        await delete_credential(session, "n8nId123")
        await session.commit()
        with pytest.raises(NotFoundError, match="'n8nId123' does not exist"):
            await get_credential(session, "n8nId123")
        with pytest.raises(NotFoundError):
            await update_credential(session, cipher, "n8nId123", name="x")


async def test_find_by_id_then_name_with_compatible_type(
    sessions: async_sessionmaker[AsyncSession], cipher: CredentialCipher
) -> None:
    async with sessions() as session:
        await create_credential(
            session, cipher, name="Token", credential_type="httpHeaderAuth", data={}, credential_id="h1"
        )
        await create_credential(
            session, cipher, name="Google", credential_type="oAuth2Api", data={}, credential_id="o1"
        )
        await session.commit()

        assert (await find_credential(session, "httpHeaderAuth", "h1", None)).id == "h1"
        # An id from another n8n instance: the name still finds it.
        assert (await find_credential(session, "httpHeaderAuth", "elsewhere", "Token")).id == "h1"
        # A generic OAuth2 token serves a service's OAuth2 type.
        assert (await find_credential(session, "googleSheetsOAuth2Api", None, "Google")).id == "o1"
        with pytest.raises(NotFoundError, match="stored with type 'httpHeaderAuth'.*'httpBasicAuth'"):
            await find_credential(session, "httpBasicAuth", "h1", None)
        with pytest.raises(
            NotFoundError, match="'Nope' of type 'httpHeaderAuth' is not in Hive's credential store"
        ):
            await find_credential(session, "httpHeaderAuth", None, "Nope")


def test_the_key_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("HIVE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HIVE_CREDENTIALS__KEY", key)
    token = load_cipher(HiveSettings()).encrypt({"v": 1})
    assert CredentialCipher([key.encode()]).decrypt(token, credential="x") == {"v": 1}
    assert not key_file_path(HiveSettings()).exists()
    # Compose passes an unset variable through as "": the key file is used then.
    monkeypatch.setenv("HIVE_CREDENTIALS__KEY", "")
    assert HiveSettings().credentials.key is None
    load_cipher(HiveSettings())
    assert key_file_path(HiveSettings()).exists()
