"""Who is calling: the identity an authenticated request carries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hive_core.db.models.enums import UserRole


class PrincipalKind(StrEnum):
    API_KEY = "api_key"
    SESSION = "session"


@dataclass(frozen=True)
class Principal:
    """An API key or a user's login session.

    ``actor`` is what the audit log records: the user's email, or ``key:<name>`` for a key
    that belongs to no user.
    """

    kind: PrincipalKind
    credential_id: str
    role: UserRole
    actor: str
    user_id: str | None = None

    @property
    def rate_limit_bucket(self) -> str:
        """Requests are counted per key, and per user across that user's sessions."""
        if self.kind is PrincipalKind.SESSION and self.user_id:
            return f"user:{self.user_id}"
        return f"key:{self.credential_id}"


__all__ = ["Principal", "PrincipalKind"]
