"""Refuse request bodies over a size limit with 413, counting bytes as they arrive.

A pure ASGI middleware: ``Content-Length`` over the limit is refused before the app runs,
and because that header may be absent (chunked uploads) or lie, the bytes the app actually
receives are counted too. When the count passes the limit the app's receive call fails; the
middleware drops whatever the app tried to answer (FastAPI would turn a failed body read
into a 400) and sends the 413 itself.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hive_core.errors import PayloadTooLargeError


class _BodyTooLarge(Exception):
    pass


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodySizeLimitMiddleware:
    """413 for HTTP request bodies larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # File uploads to webhooks stream into the binary store, so they get their own limit.
        self.upload_max_bytes = upload_max_bytes or max_bytes

    def _limit(self, scope: Scope) -> int:
        path = str(scope.get("path", ""))
        if not path.startswith(("/webhook/", "/webhook-test/")):
            return self.max_bytes
        content_type = b""
        for name, value in scope.get("headers", []):
            if name == b"content-type":
                content_type = value.split(b";")[0].strip().lower()
        parsed = (
            content_type.endswith(b"json")
            or content_type.startswith(b"text/")
            or content_type
            in (
                b"application/x-www-form-urlencoded",
                b"",
            )
        )
        return self.max_bytes if parsed else self.upload_max_bytes

    async def _send_413(self, send: Send, limit: int) -> None:
        error = PayloadTooLargeError(f"request body exceeds the limit of {limit} bytes", max_bytes=limit)
        body = json.dumps({"error": error.to_dict()}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": error.http_status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    # The rest of the body is not read: the client must not reuse the connection.
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await self._send_413(send, limit)
            return

        received = 0
        exceeded = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded and not response_started:
                return  # the app's answer to a body it could not read; ours goes out instead
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not response_started:
            await self._send_413(send, limit)


__all__ = ["BodySizeLimitMiddleware"]
