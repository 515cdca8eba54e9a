"""API authentication: who is calling (`require(Permission.X)`), and 401 answers."""

from api.auth.dependencies import PrincipalDep, admit, authenticated, check_permission, require
from api.auth.errors import WWW_AUTHENTICATE, install_auth_error_handlers
from api.auth.responses import AUTH_RESPONSES, ErrorBody

__all__ = [
    "AUTH_RESPONSES",
    "ErrorBody",
    "WWW_AUTHENTICATE",
    "PrincipalDep",
    "admit",
    "authenticated",
    "check_permission",
    "require",
    "install_auth_error_handlers",
]
