"""Authentication and authorization: tokens, passwords, the permission table, rate limits.

Framework-free: the API (``api/auth``) and the CLI (``hive keys``) both build on it.
"""

from hive_core.auth.audit import record_audit
from hive_core.auth.authenticate import authenticate
from hive_core.auth.bootstrap import bootstrap_admin_key, ensure_bootstrap_key
from hive_core.auth.errors import AuthenticationError, PermissionDeniedError
from hive_core.auth.keys import NewApiKey, create_api_key, list_api_keys, revoke_api_key, touch_api_key
from hive_core.auth.passwords import hash_password, verify_password
from hive_core.auth.permissions import ROLE_PERMISSIONS, Permission, allows
from hive_core.auth.principal import Principal, PrincipalKind
from hive_core.auth.rate_limit import RateDecision, hit
from hive_core.auth.tokens import TokenKind, hash_token, new_token, parse_token

__all__ = [
    "ROLE_PERMISSIONS",
    "AuthenticationError",
    "NewApiKey",
    "Permission",
    "PermissionDeniedError",
    "Principal",
    "PrincipalKind",
    "RateDecision",
    "TokenKind",
    "allows",
    "authenticate",
    "bootstrap_admin_key",
    "create_api_key",
    "ensure_bootstrap_key",
    "hash_password",
    "hash_token",
    "hit",
    "list_api_keys",
    "new_token",
    "parse_token",
    "record_audit",
    "revoke_api_key",
    "touch_api_key",
    "verify_password",
]
