"""The credential store's rows: create, list, read, change, delete, and find for a node.

Functions take the caller's ``AsyncSession`` (the API commits with its audit row; the CLI and the
worker open their own). Data is encrypted by a ``CredentialCipher`` before it reaches the row and
decrypted only by ``decrypt_data``, which callers use only where the secret is needed.

Finding a node's credential follows n8n's reference `{type: {id, name}}`: by id first, then by
name, and the stored type must serve the requested one (``n8n_runtime.http.credentials.compatible``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.credentials.crypto import CredentialCipher
from hive_core.db.models import Credential
from hive_core.errors import ConflictError, NotFoundError
from n8n_runtime.http.credentials import compatible


class CredentialSummary(BaseModel):
    """A credential without its data (what lists and reads show)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    type: str
    created_at: datetime
    updated_at: datetime


class ResolvedCredential(BaseModel):
    """A credential with its decrypted data (for activities and the node host only)."""

    id: str
    name: str
    type: str
    data: dict[str, Any]


def label(ref_id: str | None, ref_name: str | None) -> str:
    """How errors name a referenced credential: 'name' (id x)."""
    if ref_name and ref_id:
        return f"'{ref_name}' (id {ref_id})"
    return f"'{ref_name or ref_id}'"


def decrypt_data(cipher: CredentialCipher, row: Credential) -> dict[str, Any]:
    """The row's data in clear."""
    return cipher.decrypt(row.data_encrypted, credential=label(row.id, row.name))


def resolved(cipher: CredentialCipher, row: Credential) -> ResolvedCredential:
    """The row with its data decrypted."""
    return ResolvedCredential(id=row.id, name=row.name, type=row.type, data=decrypt_data(cipher, row))


async def create_credential(
    session: AsyncSession,
    cipher: CredentialCipher,
    *,
    name: str,
    credential_type: str,
    data: dict[str, Any],
    credential_id: str | None = None,
) -> Credential:
    """Add a credential (``credential_id``: keep n8n's id; none = a new UUID).

    Raises:
        ConflictError: the id, or the name for this type, is taken.
    """
    if credential_id is not None and await session.get(Credential, credential_id) is not None:
        raise ConflictError(f"a credential with id {credential_id!r} exists", id=credential_id)
    await _check_name_free(session, credential_type, name, None)
    row = Credential(name=name, type=credential_type, data_encrypted=cipher.encrypt(data))
    if credential_id is not None:
        row.id = credential_id
    session.add(row)
    await _flush(session, name, credential_type)
    return row


async def list_credentials(session: AsyncSession, credential_type: str | None = None) -> list[Credential]:
    """Every credential (optionally of one type), by name."""
    query = select(Credential).order_by(Credential.name, Credential.id)
    if credential_type:
        query = query.where(Credential.type == credential_type)
    return list((await session.scalars(query)).all())


async def get_credential(session: AsyncSession, credential_id: str) -> Credential:
    """The credential ``credential_id``.

    Raises:
        NotFoundError: there is none.
    """
    row = await session.get(Credential, credential_id)
    if row is None:
        raise NotFoundError(f"credential {credential_id!r} does not exist", id=credential_id)
    return row


async def update_credential(
    session: AsyncSession,
    cipher: CredentialCipher,
    credential_id: str,
    *,
    name: str | None = None,
    data: dict[str, Any] | None = None,
    merge: bool = False,
) -> Credential:
    """Rename a credential and/or replace its data (``merge``: only the given fields change).

    Raises:
        NotFoundError: no such credential.
        ConflictError: the new name is taken for its type.
    """
    row = await get_credential(session, credential_id)
    if name is not None and name != row.name:
        await _check_name_free(session, row.type, name, row.id)
        row.name = name
    if data is not None:
        new = {**decrypt_data(cipher, row), **data} if merge else data
        row.data_encrypted = cipher.encrypt(new)
    await _flush(session, row.name, row.type)
    return row


async def delete_credential(session: AsyncSession, credential_id: str) -> Credential:
    """Remove a credential.

    Raises:
        NotFoundError: no such credential.
    """
    row = await get_credential(session, credential_id)
    await session.delete(row)
    await session.flush()
    return row


async def reencrypt_all(session: AsyncSession, cipher: CredentialCipher) -> int:
    """Re-encrypt every row with the cipher's first key (after a rotation); the count of rows."""
    rows = await list_credentials(session)
    for row in rows:
        row.data_encrypted = cipher.rotate(row.data_encrypted, credential=label(row.id, row.name))
    await session.flush()
    return len(rows)


async def find_credential(
    session: AsyncSession, credential_type: str, ref_id: str | None, ref_name: str | None
) -> Credential:
    """The stored credential a node's reference `{credential_type: {id, name}}` means.

    Raises:
        NotFoundError: none by that id or name serves ``credential_type`` (the message says which).
    """
    what = label(ref_id, ref_name)
    details = {"credential": ref_name or ref_id, "credential_type": credential_type}
    if ref_id:
        row = await session.get(Credential, ref_id)
        if row is not None:
            if compatible(credential_type, row.type):
                return row
            if not ref_name:
                raise NotFoundError(
                    f"Credential {what} is stored with type '{row.type}', but the node needs "
                    f"a '{credential_type}' credential",
                    **details,
                    stored_type=row.type,
                )
    if ref_name:
        rows = (await session.scalars(select(Credential).where(Credential.name == ref_name))).all()
        fitting = [r for r in rows if compatible(credential_type, r.type)]
        if fitting:
            # An exact type beats a generic oAuth2Api serving a service type.
            return next((r for r in fitting if r.type == credential_type), fitting[0])
    raise NotFoundError(
        f"Credential {what} of type '{credential_type}' is not in Hive's credential store "
        "(add it with `hive credentials import` or POST /api/credentials)",
        **details,
    )


async def _check_name_free(
    session: AsyncSession, credential_type: str, name: str, own_id: str | None
) -> None:
    taken = await session.scalar(
        select(Credential.id).where(Credential.type == credential_type, Credential.name == name)
    )
    if taken is not None and taken != own_id:
        raise ConflictError(
            f"a '{credential_type}' credential named {name!r} exists (id {taken})",
            name=name,
            credential_type=credential_type,
            id=taken,
        )


async def _flush(session: AsyncSession, name: str, credential_type: str) -> None:
    try:
        await session.flush()
    except IntegrityError:
        # Lost a race with another writer between the check and the insert.
        await session.rollback()
        raise ConflictError(
            f"a '{credential_type}' credential named {name!r} or with this id exists",
            name=name,
            credential_type=credential_type,
        ) from None


__all__ = [
    "CredentialSummary",
    "ResolvedCredential",
    "create_credential",
    "decrypt_data",
    "delete_credential",
    "find_credential",
    "get_credential",
    "label",
    "list_credentials",
    "reencrypt_all",
    "resolved",
    "update_credential",
]
