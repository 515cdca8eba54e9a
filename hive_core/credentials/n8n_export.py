"""Reading what `n8n export:credentials --decrypted` writes, and importing it into the store.

n8n writes either one JSON array of credentials (`--output=FILE`) or, with `--separate`, one file
per credential (`<id>.json`, a single object) in a directory. Each entry is
`{id, name, type, data: {...}, createdAt, updatedAt, ...}`; without `--decrypted` `data` is n8n's
encrypted string, which Hive cannot read (n8n's key stays with n8n).

Import keeps n8n's ids (workflow exports reference them) and, as `n8n import:credentials` does,
replaces a credential that has the same id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.credentials.crypto import CredentialCipher
from hive_core.credentials.store import create_credential, update_credential
from hive_core.db.models import Credential
from hive_core.errors import ConflictError, ValidationError


class ExportedCredential(BaseModel):
    """One entry of n8n's export (fields Hive does not keep are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=36)
    name: str = Field(min_length=1, max_length=255)
    type: str = Field(min_length=1, max_length=128)
    data: dict[str, Any]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def read_export(path: Path) -> list[ExportedCredential]:
    """The credentials in an export file, or in a `--separate` directory of them.

    Raises:
        ValidationError: not JSON, not n8n's shape, or exported without `--decrypted`.
    """
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        raise ValidationError(f"{path} holds no .json files", path=str(path))
    entries: list[ExportedCredential] = []
    for file in files:
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValidationError(f"{file}: not a JSON file ({error})", path=str(file)) from None
        for index, entry in enumerate(raw if isinstance(raw, list) else [raw]):
            entries.append(_entry(entry, f"{file}[{index}]" if isinstance(raw, list) else str(file)))
    return entries


def _entry(entry: Any, where: str) -> ExportedCredential:
    if isinstance(entry, dict) and isinstance(entry.get("data"), str):
        raise ValidationError(
            f"{where}: the credential {entry.get('name')!r} is encrypted with n8n's key; "
            "export with `n8n export:credentials --all --decrypted`",
            path=where,
        )
    try:
        return ExportedCredential.model_validate(entry)
    except PydanticValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ValidationError(f"{where}: not an n8n credential ({problems})", path=where) from None


async def import_credentials(
    session: AsyncSession, cipher: CredentialCipher, entries: list[ExportedCredential]
) -> ImportReport:
    """Store ``entries`` (n8n's ids kept; an existing id is replaced). The caller commits."""
    report = ImportReport()
    for entry in entries:
        existing = await session.get(Credential, entry.id)
        try:
            if existing is None:
                await create_credential(
                    session,
                    cipher,
                    name=entry.name,
                    credential_type=entry.type,
                    data=entry.data,
                    credential_id=entry.id,
                )
                report.created.append(entry.id)
            elif existing.type != entry.type:
                raise ConflictError(
                    f"credential {entry.id!r} exists with type '{existing.type}', the export says "
                    f"'{entry.type}'"
                )
            else:
                await update_credential(session, cipher, entry.id, name=entry.name, data=entry.data)
                report.replaced.append(entry.id)
        except ConflictError as error:
            report.failed[entry.id] = error.message
    return report


__all__ = ["ExportedCredential", "ImportReport", "import_credentials", "read_export"]
