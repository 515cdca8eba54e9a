"""Authentication and authorization failures (part of the HiveError tree, under UserError)."""

from __future__ import annotations

from hive_core.errors import UserError


class AuthenticationError(UserError):
    """No credentials, or credentials that are unknown, expired or revoked (401)."""

    http_status = 401


class PermissionDeniedError(UserError):
    """Valid credentials whose role lacks the permission (403)."""

    http_status = 403


__all__ = ["AuthenticationError", "PermissionDeniedError"]
