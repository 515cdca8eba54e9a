"""One error tree for all of Hive.

    HiveError
    ├── UserError               bad input; never retried; HTTP 4xx
    │   ├── ConfigError         hive.yaml / settings invalid            (422)
    │   ├── ValidationError     a request or payload is invalid         (422)
    │   ├── CompileError        n8n workflow cannot be compiled         (422)
    │   ├── ExpressionError     an n8n expression failed                (422)
    │   ├── NotFoundError       a named thing does not exist            (404)
    │   ├── ConflictError       state forbids the operation             (409)
    │   ├── PayloadTooLargeError                                        (413)
    │   └── RateLimitedError                                            (429)
    ├── ServiceError            an outside service a node calls refused it or stayed down:
    │                           the node's own error (Retry On Fail / On Error), not Temporal's
    └── OperationalError        the environment failed; retried; HTTP 503
        ├── EngineUnavailableError  Temporal unreachable
        ├── AgentUnavailableError   an Ollama host is down or misbehaves
        └── PortInUseError          a local port is taken (hive up)

`to_application_error` maps any of them onto Temporal's `ApplicationError` so that
user errors are non-retryable and carry a stable `type` string.
"""

from __future__ import annotations

from typing import Any, ClassVar


class HiveError(Exception):
    """Base of every error Hive raises on purpose."""

    http_status: ClassVar[int] = 500
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def type_name(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "message": self.message, **self.details}


class UserError(HiveError):
    http_status = 422


class ConfigError(UserError):
    pass


class ValidationError(UserError):
    pass


class CompileError(UserError):
    pass


class ExpressionError(UserError):
    pass


class NotFoundError(UserError):
    http_status = 404


class ConflictError(UserError):
    http_status = 409


class PayloadTooLargeError(UserError):
    http_status = 413


class RateLimitedError(UserError):
    http_status = 429


class ServiceError(HiveError):
    http_status = 502


class OperationalError(HiveError):
    http_status = 503
    retryable = True


class EngineUnavailableError(OperationalError):
    pass


class AgentUnavailableError(OperationalError):
    pass


class PortInUseError(OperationalError):
    retryable = False


__all__ = [
    "AgentUnavailableError",
    "CompileError",
    "ConfigError",
    "ConflictError",
    "EngineUnavailableError",
    "ExpressionError",
    "HiveError",
    "NotFoundError",
    "OperationalError",
    "PayloadTooLargeError",
    "PortInUseError",
    "RateLimitedError",
    "ServiceError",
    "UserError",
    "ValidationError",
]
