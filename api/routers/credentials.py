"""Credentials: n8n credential type + data, encrypted at rest; the node host's resolve endpoints.

Data is accepted on create/update and never shown again, except to an admin who asks for it
(`GET /api/credentials/{id}?include_data=true`, written to the audit log). The internal routes
are for the n8n node host (role ``service`` or admin): resolve a node's reference to decrypted
data, and store OAuth2 token data it renewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

import httpx
from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field, model_validator

from api.auth import AUTH_RESPONSES, require
from api.auth.dependencies import check_permission
from api.deps import SessionDep, StateDep
from api.errors import error_responses
from api.state import AppState
from hive_core.auth import Permission, Principal, record_audit
from hive_core.credentials import (
    CredentialCipher,
    CredentialSummary,
    ResolvedCredential,
    StoreCredentials,
    create_credential,
    decrypt_data,
    delete_credential,
    find_credential,
    get_credential,
    list_credentials,
    load_cipher,
    resolved,
    update_credential,
)
from hive_core.credentials.checks import check_credential
from n8n_import.plan import CredentialRef
from n8n_runtime.http import ConfigCredentials, CredentialResolver

router = APIRouter(prefix="/api/credentials", tags=["credentials"], responses=AUTH_RESPONSES)
internal = APIRouter(prefix="/api/internal/credentials", tags=["internal"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.CREDENTIALS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.CREDENTIALS_WRITE))]
Resolver = Annotated[Principal, Depends(require(Permission.CREDENTIALS_RESOLVE))]

# n8n's ids are nanoids; a caller-chosen id must stay usable in a URL path.
_ID_PATTERN = r"^[A-Za-z0-9_-]+$"


def get_cipher(state: StateDep) -> CredentialCipher:
    if state.credential_cipher is None:
        state.credential_cipher = load_cipher(state.settings)
    return state.credential_cipher


CipherDep = Annotated[CredentialCipher, Depends(get_cipher)]


async def node_credentials(state: AppState, references: Mapping[str, CredentialRef]) -> CredentialResolver:
    """The resolver of a node's credentials in the API (the Webhook node's auth): store, then hive.yaml."""
    source = StoreCredentials(
        state.sessions, lambda: get_cipher(state), ConfigCredentials(state.cluster.credentials)
    )
    return await source.for_node(references)


class CreateCredential(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    type: str = Field(min_length=1, max_length=128, description="n8n's credential type, e.g. httpHeaderAuth")
    data: dict[str, Any] = Field(description="The credential's fields, as n8n names them")
    id: str | None = Field(
        default=None, min_length=1, max_length=36, pattern=_ID_PATTERN, description="Keep n8n's id"
    )


class UpdateCredential(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    data: dict[str, Any] | None = Field(default=None, description="Replaces the stored data")


class CredentialView(CredentialSummary):
    data: dict[str, Any] | None = Field(default=None, description="Only with include_data=true (admins)")


class TestRequest(BaseModel):
    url: str | None = Field(default=None, max_length=2048, description="What to call with the credential")


class TestResult(BaseModel):
    """n8n's answer to a credential test."""

    status: Literal["OK", "Error"]
    message: str


class ResolveRequest(BaseModel):
    type: str = Field(min_length=1, max_length=128)
    id: str | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _names_one(self) -> Self:
        if not self.id and not self.name:
            raise ValueError("give the credential's id or name (as the node's `credentials` field has them)")
        return self


class StoreData(BaseModel):
    data: dict[str, Any]


def _view(row: Any) -> CredentialView:
    return CredentialView.model_validate(CredentialSummary.model_validate(row).model_dump())


@router.post(
    "",
    response_model=CredentialView,
    status_code=201,
    responses=error_responses({409: "the id, or the name for this type, is taken"}),
)
async def create(
    body: CreateCredential, principal: Writer, session: SessionDep, cipher: CipherDep
) -> CredentialView:
    """Store a credential; its data is encrypted and not shown in the answer."""
    row = await create_credential(
        session, cipher, name=body.name, credential_type=body.type, data=body.data, credential_id=body.id
    )
    record_audit(session, principal.actor, "create", "credential", row.id, name=row.name, type=row.type)
    await session.commit()
    return _view(row)


@router.get("", response_model=list[CredentialView])
async def list_all(
    _: Reader, session: SessionDep, type: Annotated[str | None, Query(max_length=128)] = None
) -> list[CredentialView]:
    """Every credential (optionally of one n8n type), by name, without data."""
    return [_view(row) for row in await list_credentials(session, type)]


@router.get(
    "/{credential_id}", response_model=CredentialView, responses=error_responses({404: "no such credential"})
)
async def read(
    credential_id: str,
    principal: Reader,
    session: SessionDep,
    state: StateDep,
    include_data: Annotated[bool, Query(description="Admins only: the decrypted data (audited)")] = False,
) -> CredentialView:
    """One credential; its data only for an admin who asks (the audit log records it)."""
    if include_data:
        check_permission(principal, Permission.CREDENTIALS_REVEAL)
    row = await get_credential(session, credential_id)
    view = _view(row)
    if include_data:
        view.data = decrypt_data(get_cipher(state), row)
        record_audit(session, principal.actor, "reveal", "credential", row.id, name=row.name)
        await session.commit()
    return view


@router.patch(
    "/{credential_id}",
    response_model=CredentialView,
    responses=error_responses({404: "no such credential", 409: "the new name is taken for its type"}),
)
async def update(
    credential_id: str, body: UpdateCredential, principal: Writer, session: SessionDep, cipher: CipherDep
) -> CredentialView:
    """Rename a credential and/or replace its data."""
    row = await update_credential(session, cipher, credential_id, name=body.name, data=body.data)
    changed = sorted(k for k, v in body.model_dump().items() if v is not None)
    record_audit(session, principal.actor, "update", "credential", row.id, name=row.name, changed=changed)
    await session.commit()
    return _view(row)


@router.delete(
    "/{credential_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses({404: "no such credential"}),
)
async def delete(credential_id: str, principal: Writer, session: SessionDep) -> Response:
    """Delete a credential; nodes that reference it fail with an error naming it."""
    row = await delete_credential(session, credential_id)
    record_audit(session, principal.actor, "delete", "credential", row.id, name=row.name, type=row.type)
    await session.commit()
    return Response(status_code=204)


@router.post(
    "/{credential_id}/test",
    response_model=TestResult,
    responses=error_responses(
        {404: "no such credential", 422: "Hive has no test for this type (or needs a url)"}
    ),
)
async def run_test(
    credential_id: str, body: TestRequest, _: Writer, session: SessionDep, cipher: CipherDep
) -> TestResult:
    """Run the credential's test: status OK or Error, as n8n answers (renewed OAuth2 tokens are kept)."""
    row = await get_credential(session, credential_id)
    async with httpx.AsyncClient() as http:
        result = await check_credential(http, row.type, row.name, decrypt_data(cipher, row), body.url)
    if result.renewed_data is not None:
        await update_credential(session, cipher, row.id, data=result.renewed_data)
        await session.commit()
    return TestResult(status=result.status, message=result.message)


@internal.post(
    "/resolve",
    response_model=ResolvedCredential,
    responses=error_responses({404: "no stored credential of that type has this id or name"}),
)
async def resolve(
    body: ResolveRequest, _: Resolver, session: SessionDep, cipher: CipherDep
) -> ResolvedCredential:
    """The node host's lookup of a node's credential reference: by id, then name; type must fit."""
    row = await find_credential(session, body.type, body.id, body.name)
    return resolved(cipher, row)


@internal.put(
    "/{credential_id}/data",
    response_model=CredentialView,
    responses=error_responses({404: "no such credential"}),
)
async def store_data(
    credential_id: str, body: StoreData, principal: Resolver, session: SessionDep, cipher: CipherDep
) -> CredentialView:
    """Store data the node host changed (renewed OAuth2 token data): the fields sent replace the
    stored ones, the others stay, so `{"oauthTokenData": {...}}` alone keeps the client's secret."""
    row = await update_credential(session, cipher, credential_id, data=body.data, merge=True)
    record_audit(session, principal.actor, "update", "credential", row.id, name=row.name, changed=["data"])
    await session.commit()
    return _view(row)
