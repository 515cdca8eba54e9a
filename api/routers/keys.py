"""API keys (admin): create (the secret is shown once), list, revoke."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from api.auth import AUTH_RESPONSES, require
from api.deps import SessionDep
from api.errors import error_responses
from hive_core.auth import Permission, Principal, create_api_key, list_api_keys, record_audit, revoke_api_key
from hive_core.db.base import utcnow
from hive_core.db.models import User, UserRole
from hive_core.errors import NotFoundError

router = APIRouter(prefix="/api/keys", tags=["keys"], responses=AUTH_RESPONSES)
Admin = Annotated[Principal, Depends(require(Permission.KEYS_MANAGE))]


class CreateKey(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    role: UserRole = UserRole.VIEWER
    expires_in_days: float | None = Field(default=None, gt=0, le=3650)
    # The key acts for this user (and stops working when the user is disabled); none = service key.
    user_id: str | None = None


class KeyView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    prefix: str
    role: UserRole
    user_id: str | None
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime


class CreatedKey(KeyView):
    key: str = Field(description="The API key. Shown only in this response; store it now.")


@router.post(
    "",
    response_model=CreatedKey,
    status_code=201,
    responses=error_responses({404: "`user_id` names no user"}),
)
async def create_key(body: CreateKey, principal: Admin, session: SessionDep) -> CreatedKey:
    """Create an API key; the response is the only place its secret ever appears."""
    if body.user_id is not None and await session.get(User, body.user_id) is None:
        raise NotFoundError(f"user {body.user_id!r} does not exist", user_id=body.user_id)
    expires_at = utcnow() + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    new = await create_api_key(
        session, name=body.name, role=body.role, expires_at=expires_at, user_id=body.user_id
    )
    record_audit(
        session, principal.actor, "create", "api_key", new.row.id, name=body.name, role=body.role.value
    )
    await session.commit()
    return CreatedKey(**KeyView.model_validate(new.row).model_dump(), key=new.secret)


@router.get("", response_model=list[KeyView])
async def list_keys(_: Admin, session: SessionDep) -> list[KeyView]:
    """Every key (without secrets), newest first."""
    return [KeyView.model_validate(row) for row in await list_api_keys(session)]


@router.delete(
    "/{key_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses({404: "no such key"}),
)
async def revoke_key(key_id: str, principal: Admin, session: SessionDep) -> Response:
    """Revoke a key: it stops working at once. The row stays for the audit trail."""
    row = await revoke_api_key(session, key_id)
    record_audit(session, principal.actor, "revoke", "api_key", row.id, name=row.name)
    await session.commit()
    return Response(status_code=204)
