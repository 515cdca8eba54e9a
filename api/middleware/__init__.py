"""ASGI middleware of the Hive API."""

from api.middleware.body_limit import BodySizeLimitMiddleware

__all__ = ["BodySizeLimitMiddleware"]
