"""Users (admin): create, list, disable, enable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from api.auth import AUTH_RESPONSES, require
from api.deps import SessionDep
from api.errors import error_responses
from hive_core.auth import Permission, Principal, record_audit
from hive_core.auth.users import create_user, list_users, set_user_active
from hive_core.db.base import utcnow
from hive_core.db.models import UserRole

router = APIRouter(prefix="/api/users", tags=["users"], responses=AUTH_RESPONSES)
Admin = Annotated[Principal, Depends(require(Permission.USERS_MANAGE))]


class CreateUser(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    # None: the user signs in only with API keys issued to them.
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    role: UserRole = UserRole.VIEWER


class UserView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    role: UserRole
    is_active: bool
    created_at: datetime


@router.post(
    "", response_model=UserView, status_code=201, responses=error_responses({409: "the email is taken"})
)
async def create(body: CreateUser, principal: Admin, session: SessionDep) -> UserView:
    """Create a user (409 if the email is taken)."""
    user = await create_user(session, email=body.email, password=body.password, role=body.role)
    record_audit(session, principal.actor, "create", "user", user.id, email=user.email, role=user.role.value)
    await session.commit()
    return UserView.model_validate(user)


@router.get("", response_model=list[UserView])
async def list_(_: Admin, session: SessionDep) -> list[UserView]:
    """Every user, by email."""
    return [UserView.model_validate(user) for user in await list_users(session)]


@router.post("/{user_id}/disable", response_model=UserView, responses=error_responses({404: "no such user"}))
async def disable(user_id: str, principal: Admin, session: SessionDep) -> UserView:
    """Disable a user: their sessions end and their keys stop working."""
    user = await set_user_active(session, user_id, active=False, now=utcnow())
    record_audit(session, principal.actor, "disable", "user", user.id, email=user.email)
    await session.commit()
    return UserView.model_validate(user)


@router.post("/{user_id}/enable", response_model=UserView, responses=error_responses({404: "no such user"}))
async def enable(user_id: str, principal: Admin, session: SessionDep) -> UserView:
    """Enable a disabled user again (they log in anew)."""
    user = await set_user_active(session, user_id, active=True, now=utcnow())
    record_audit(session, principal.actor, "enable", "user", user.id, email=user.email)
    await session.commit()
    return UserView.model_validate(user)
