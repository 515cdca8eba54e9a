"""`hive credentials import|list` in a subprocess, on what `n8n export:credentials --decrypted` writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from hive_core.credentials import CredentialKeyError, find_credential, load_cipher, resolved
from hive_core.db import create_engine, create_sessionmaker
from hive_core.settings import CredentialsSettings, HiveSettings

from .conftest import SECRET

# The shape n8n writes (packages/cli/src/commands/export/credentials.ts): the entity, data decrypted.
EXPORT: list[dict[str, Any]] = [
    {
        "createdAt": "2026-11-02T10:00:00.000Z",
        "updatedAt": "2026-11-02T10:00:00.000Z",
        "id": "Xy7kPq2LmN9aB3cD",
        "name": "Service token",
        "data": {"name": "X-Api-Key", "value": SECRET},
        "type": "httpHeaderAuth",
        "isManaged": False,
    },
    {
        "createdAt": "2026-11-02T10:00:00.000Z",
        "updatedAt": "2026-11-02T10:00:00.000Z",
        "id": "Gg4Sheets0OAuth2x",
        "name": "Google Sheets account",
        "data": {
            "clientId": "cid",
            "clientSecret": "csecret",
            "oauthTokenData": {"access_token": "at", "refresh_token": "rt", "expires_in": 3599},
        },
        "type": "googleSheetsOAuth2Api",
    },
]


def _hive(data_dir: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    if key is not None:
        clean["HIVE_CREDENTIALS__KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "hive_core.cli", "credentials", *args, "--data-dir", str(data_dir)],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _stored(
    data_dir: Path, credential_type: str, credential_id: str, key: str | None = None
) -> dict[str, Any]:
    settings = HiveSettings(
        data_dir=data_dir, credentials=CredentialsSettings(key=SecretStr(key) if key else None)
    )
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            row = await find_credential(session, credential_type, credential_id, None)
            return resolved(load_cipher(settings), row).model_dump()
    finally:
        await engine.dispose()


async def test_import_a_file_then_list(tmp_path: Path) -> None:
    export = tmp_path / "credentials.json"
    export.write_text(json.dumps(EXPORT))
    data_dir = tmp_path / "hive"
    result = _hive(data_dir, "import", str(export))
    assert result.returncode == 0, result.stderr
    assert "created   Service token (httpHeaderAuth, id Xy7kPq2LmN9aB3cD)" in result.stdout
    assert "imported 2 of 2 credentials" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert (data_dir / "credentials.key").stat().st_mode & 0o777 == 0o600

    stored = await _stored(data_dir, "httpHeaderAuth", "Xy7kPq2LmN9aB3cD")
    assert stored["data"] == {"name": "X-Api-Key", "value": SECRET}
    google = await _stored(data_dir, "googleSheetsOAuth2Api", "Gg4Sheets0OAuth2x")
    assert google["data"]["oauthTokenData"]["refresh_token"] == "rt"

    listed = _hive(data_dir, "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any(line.startswith("Gg4Sheets0OAuth2x  googleSheetsOAuth2Api") for line in lines)
    assert any("Service token" in line for line in lines)
    assert SECRET not in listed.stdout and "csecret" not in listed.stdout

    # Importing again replaces by id, as `n8n import:credentials` does.
    changed = [{**EXPORT[0], "data": {"name": "X-Api-Key", "value": "rotated"}}]
    export.write_text(json.dumps(changed))
    again = _hive(data_dir, "import", str(export))
    assert again.returncode == 0 and "replaced  Service token" in again.stdout
    assert (await _stored(data_dir, "httpHeaderAuth", "Xy7kPq2LmN9aB3cD"))["data"]["value"] == "rotated"


async def test_import_a_separate_directory(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for entry in EXPORT:
        (folder / f"{entry['id']}.json").write_text(json.dumps(entry, indent=2))
    result = _hive(tmp_path / "hive", "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert "imported 2 of 2 credentials" in result.stdout


def test_encrypted_exports_and_garbage_are_one_line_errors(tmp_path: Path) -> None:
    encrypted = tmp_path / "encrypted.json"
    encrypted.write_text(json.dumps([{**EXPORT[0], "data": "U2FsdGVkX1+abc"}]))
    result = _hive(tmp_path / "hive", "import", str(encrypted))
    assert result.returncode == 2
    assert "encrypted with n8n's key" in result.stderr and "--decrypted" in result.stderr

    garbage = tmp_path / "garbage.json"
    garbage.write_text(json.dumps([{"name": "no id or type"}]))
    result = _hive(tmp_path / "hive", "import", str(garbage))
    assert result.returncode == 2 and "garbage.json[0]: not an n8n credential" in result.stderr
    assert "id: Field required" in result.stderr


def test_a_type_clash_fails_that_entry_only(tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    first.write_text(json.dumps(EXPORT))
    assert _hive(tmp_path / "hive", "import", str(first)).returncode == 0
    clash = tmp_path / "b.json"
    clash.write_text(json.dumps([{**EXPORT[0], "type": "httpBasicAuth"}, {**EXPORT[1], "id": "newId"}]))
    result = _hive(tmp_path / "hive", "import", str(clash))
    assert result.returncode == 2
    assert "exists with type 'httpHeaderAuth'" in result.stderr
    # The other entry clashes by name (same type, same name, other id).
    assert "imported 0 of 2" in result.stdout


async def test_rekey_after_adding_a_new_key(tmp_path: Path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    export = tmp_path / "credentials.json"
    export.write_text(json.dumps(EXPORT))
    data_dir = tmp_path / "hive"
    assert _hive(data_dir, "import", str(export), key=old).returncode == 0
    assert not (data_dir / "credentials.key").exists()  # the environment's key was used
    with pytest.raises(CredentialKeyError, match="'Service token'"):
        await _stored(data_dir, "httpHeaderAuth", "Xy7kPq2LmN9aB3cD", key=new)
    result = _hive(data_dir, "rekey", key=f"{new},{old}")
    assert result.returncode == 0, result.stderr
    assert "re-encrypted 2 credentials" in result.stdout
    # The old key can go now.
    assert (await _stored(data_dir, "httpHeaderAuth", "Xy7kPq2LmN9aB3cD", key=new))["data"]["value"] == SECRET
