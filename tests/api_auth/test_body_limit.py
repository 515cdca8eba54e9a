"""Request bodies over `api.max_body_bytes` get 413, whether declared or streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from hive_core.db.models import UserRole

from .conftest import ApiFactory, auth

LIMIT = 1_000


async def _chunks(total: int, size: int = 256) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b" " * piece


async def test_declared_length_over_the_limit(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    key = await make_key(UserRole.ADMIN)
    async with make_api(max_body_bytes=LIMIT) as http:
        response = await http.post("/api/workflows", content=b"{" + b" " * LIMIT + b"}", headers=auth(key))
        assert response.status_code == 413
        assert response.json()["error"] == {
            "type": "PayloadTooLargeError",
            "message": f"request body exceeds the limit of {LIMIT} bytes",
            "max_bytes": LIMIT,
        }


async def test_streamed_body_without_length_is_counted(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(UserRole.ADMIN)
    async with make_api(max_body_bytes=LIMIT) as http:
        response = await http.post("/api/workflows", content=_chunks(5 * LIMIT), headers=auth(key))
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.json()["error"]["type"] == "PayloadTooLargeError"
        # Under the limit, the same route answers normally (422: not a workflow).
        small = await http.post("/api/workflows", content=_chunks(LIMIT // 2), headers=auth(key))
        assert small.status_code == 422


async def test_lying_content_length_is_not_trusted(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(UserRole.ADMIN)
    async with make_api(max_body_bytes=LIMIT) as http:
        headers = {**auth(key), "Content-Length": "10", "Content-Type": "application/json"}
        response = await http.post("/api/workflows", content=_chunks(3 * LIMIT), headers=headers)
        assert response.status_code == 413


async def test_multipart_upload_over_the_limit(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    key = await make_key(UserRole.ADMIN)
    async with make_api(max_body_bytes=LIMIT) as http:
        files = {"file": ("flow.json", b"{" + b" " * (3 * LIMIT) + b"}", "application/json")}
        response = await http.post("/api/workflows", files=files, headers=auth(key))
        assert response.status_code == 413
        # A declared length over the limit is refused on every route, before routing (webhooks too).
        hook = await http.post("/webhook/anything", content=b" " * (2 * LIMIT))
        assert hook.status_code == 413
