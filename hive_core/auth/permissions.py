"""Who may do what: the one table of role → permissions.

    permission           viewer  approver  operator  admin  service
    workflows:read         x        x         x        x
    executions:read        x        x         x        x
    agents:read            x        x         x        x
    alerts:read            x        x         x        x
    approvals:decide                x                  x
    workflows:write                           x        x
    executions:write                          x        x
    agents:write                              x        x
    alerts:write                              x        x
    keys:manage                                        x
    users:manage                                       x
    audit:read                                         x
    credentials:read                          x        x
    credentials:write                         x        x
    credentials:reveal                                 x
    credentials:resolve                                x       x

admin ⊃ operator ⊃ viewer; approver is a viewer who may also approve or reject gated runs.
Operators run and manage workflows but do not decide approvals (separation of duties).
Operators manage credentials but never read their data back; only admins may (`reveal`, audited).
``service`` is a machine (the n8n node host): it may only resolve credentials, nothing else.
"""

from __future__ import annotations

from enum import StrEnum

from hive_core.db.models.enums import UserRole


class Permission(StrEnum):
    WORKFLOWS_READ = "workflows:read"
    WORKFLOWS_WRITE = "workflows:write"
    EXECUTIONS_READ = "executions:read"
    EXECUTIONS_WRITE = "executions:write"
    APPROVALS_DECIDE = "approvals:decide"
    AGENTS_READ = "agents:read"
    AGENTS_WRITE = "agents:write"
    ALERTS_READ = "alerts:read"
    ALERTS_WRITE = "alerts:write"
    KEYS_MANAGE = "keys:manage"
    USERS_MANAGE = "users:manage"
    AUDIT_READ = "audit:read"
    CREDENTIALS_READ = "credentials:read"
    CREDENTIALS_WRITE = "credentials:write"
    CREDENTIALS_REVEAL = "credentials:reveal"
    CREDENTIALS_RESOLVE = "credentials:resolve"


_VIEWER = frozenset(
    {Permission.WORKFLOWS_READ, Permission.EXECUTIONS_READ, Permission.AGENTS_READ, Permission.ALERTS_READ}
)
_APPROVER = _VIEWER | {Permission.APPROVALS_DECIDE}
_OPERATOR = _VIEWER | {
    Permission.WORKFLOWS_WRITE,
    Permission.EXECUTIONS_WRITE,
    Permission.AGENTS_WRITE,
    Permission.ALERTS_WRITE,
    Permission.CREDENTIALS_READ,
    Permission.CREDENTIALS_WRITE,
}
_ADMIN = frozenset(Permission)

ROLE_PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.VIEWER: _VIEWER,
    UserRole.APPROVER: _APPROVER,
    UserRole.OPERATOR: _OPERATOR,
    UserRole.ADMIN: _ADMIN,
    UserRole.SERVICE: frozenset({Permission.CREDENTIALS_RESOLVE}),
}


def allows(role: UserRole, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    return permission in ROLE_PERMISSIONS[role]


__all__ = ["ROLE_PERMISSIONS", "Permission", "allows"]
