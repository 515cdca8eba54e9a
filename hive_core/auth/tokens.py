"""Bearer tokens: API keys ``hive_<prefix>_<secret>`` and session tokens ``hivesess_<prefix>_<secret>``.

The prefix (12 hex characters) is stored in clear and is how a token is looked up; the
secret is 256 random bits. Only ``sha256(token)`` is stored. A slow, salted KDF (scrypt,
as for passwords) protects *guessable* secrets against offline guessing; a 256-bit random
secret cannot be guessed, so a fast hash loses nothing and keeps per-request verification
at microseconds (a KDF on every request would cost ~50 ms of CPU each — a denial-of-service
lever). This is what GitHub, Stripe and PyPI tokens do.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum


class TokenKind(StrEnum):
    API_KEY = "hive"
    SESSION = "hivesess"


PREFIX_BYTES = 6  # 12 hex characters: unique enough to look up, short enough to show in lists
SECRET_BYTES = 32  # 256 bits


@dataclass(frozen=True)
class ParsedToken:
    kind: TokenKind
    prefix: str
    token: str


def new_token(kind: TokenKind) -> tuple[str, str]:
    """A fresh token of ``kind`` and its prefix."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return f"{kind.value}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


def parse_token(token: str) -> ParsedToken | None:
    """Split a presented token; None when it has neither known shape."""
    tag, _, rest = token.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    try:
        kind = TokenKind(tag)
    except ValueError:
        return None
    if len(prefix) != 2 * PREFIX_BYTES or not secret:
        return None
    return ParsedToken(kind, prefix, token.strip())


def hash_token(token: str) -> str:
    """The stored form of a token: hex sha256."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented token with a stored hash."""
    return hmac.compare_digest(hash_token(token), stored_hash)


__all__ = ["ParsedToken", "TokenKind", "hash_token", "new_token", "parse_token", "token_matches"]
