"""A real HTTP server for the HTTP Request node tests (Starlette on uvicorn, 127.0.0.1).

Routes echo what they received, answer with JSON objects/arrays/text/files, set statuses,
redirect, sleep and paginate, so tests check the node against real HTTP.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

ALL = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
PAGE_SIZE = 2
PAGES = 3  # pages 1..3 have items, page 4 is empty


async def echo(request: Request) -> Response:
    """Everything the request carried, as JSON."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    body: dict[str, Any] = {"text": raw.decode("utf-8", errors="replace")}
    if "application/json" in content_type and raw:
        body["json"] = json.loads(raw)
    elif "application/x-www-form-urlencoded" in content_type:
        body["form"] = parse_qsl(raw.decode(), keep_blank_values=True)
    elif "multipart/form-data" in content_type:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        body["multipart"] = [
            [part.get_param("name", header="content-disposition"), part.get_content()]
            for part in message.iter_parts()
        ]
    return JSONResponse(
        {
            "method": request.method,
            "path": request.url.path,
            "query": parse_qsl(request.url.query, keep_blank_values=True),
            "headers": dict(request.headers),
            "header_list": [[k.decode().lower(), v.decode()] for k, v in request.headers.raw],
            "body": body,
        }
    )


async def obj(request: Request) -> Response:
    return JSONResponse({"id": 1, "name": "Ada"})


async def array(request: Request) -> Response:
    return JSONResponse([{"id": 1}, {"id": 2}, {"id": 3}])


async def text(request: Request) -> Response:
    return PlainTextResponse("hello world")


async def status(request: Request) -> Response:
    code = int(request.path_params["code"])
    kind = request.query_params.get("kind", "json")
    if kind == "text":
        return PlainTextResponse("plain failure", status_code=code)
    if kind == "empty":
        return Response(status_code=code)
    return JSONResponse(
        {"error": "not found", "auth": request.headers.get("authorization")}, status_code=code
    )


async def redirect(request: Request) -> Response:
    hops = int(request.query_params.get("hops", "1"))
    if hops > 1:
        return RedirectResponse(f"/redirect?hops={hops - 1}", status_code=302)
    return RedirectResponse("/echo?redirected=1", status_code=int(request.query_params.get("code", "302")))


async def sleep(request: Request) -> Response:
    await asyncio.sleep(float(request.query_params.get("seconds", "1")))
    return JSONResponse({"slept": True})


async def big(request: Request) -> Response:
    size = int(request.query_params.get("size", "1000"))
    return JSONResponse([{"blob": "x" * 1000} for _ in range(size // 1000)])


async def file_download(request: Request) -> Response:
    """`size` bytes of a PDF-typed file with a download name (HTTP Request file responses)."""
    size = int(request.path_params["size"])
    headers = {"content-disposition": 'attachment; filename="report.pdf"'}
    return Response(b"%PDF" + b"x" * (size - 4), media_type="application/pdf", headers=headers)


async def upload(request: Request) -> Response:
    """What arrived, summarised (uploads too large to echo back)."""
    raw = await request.body()
    digest = hashlib.sha256(raw).hexdigest()
    return JSONResponse({"size": len(raw), "sha256": digest, "type": request.headers.get("content-type")})


async def pages(request: Request) -> Response:
    page = int(request.query_params.get("page", "1"))
    if page > PAGES:
        return JSONResponse([])
    start = (page - 1) * PAGE_SIZE
    return JSONResponse([{"n": start + i} for i in range(PAGE_SIZE)])


async def cursor(request: Request) -> Response:
    at = int(request.query_params.get("cursor", "0"))
    following = f"{request.base_url}cursor?cursor={at + 1}" if at + 1 < PAGES else None
    return JSONResponse({"items": [{"at": at}], "next": following})


async def special(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind == "empty-json":
        return Response(b"", media_type="application/json")
    if kind == "invalid-json":
        return Response(b"{not json", media_type="application/json")
    if kind == "binary":
        return Response(b"\x00\x01\x02", media_type="application/octet-stream")
    if kind == "json-as-text":
        return Response(b'{"a": 1, "b": [1, 2]}', media_type="text/plain")
    if kind == "scalar":
        return JSONResponse(42)
    if kind == "cookies":
        response = JSONResponse({"ok": True})
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response
    raise ValueError(kind)


async def mock_api(request: Request) -> Response:
    """The corpus benchmark's mock API: GitHub-like event lists on any path."""
    auth = request.headers.get("authorization")
    return JSONResponse(
        [{"id": f"{request.url.path}-{i}", "type": "PushEvent", "auth": auth} for i in range(3)]
    )


async def digest(request: Request) -> Response:
    """Challenges for HTTP digest auth, then accepts a digest answer for user `ada`."""
    header = request.headers.get("authorization", "")
    if header.startswith('Digest username="ada"') and 'nonce="n0nce"' in header:
        return JSONResponse({"authenticated": True})
    challenge = 'Digest realm="hive", nonce="n0nce", qop="auth", algorithm=MD5'
    return JSONResponse({"authenticated": False}, status_code=401, headers={"www-authenticate": challenge})


class _ForwardProxy:
    """Lets the server act as an HTTP forward proxy to itself: a request in absolute form
    (`GET http://any.host/echo`) is served as `/echo`, its Host header showing the target."""

    def __init__(self, inner: Starlette) -> None:
        self._inner = inner

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(("http://", "https://")):
            path = "/" + scope["path"].split("/", 3)[-1]
            scope = {**scope, "path": path, "raw_path": path.encode()}
        await self._inner(scope, receive, send)


def app() -> _ForwardProxy:
    return _ForwardProxy(_routes())


def _routes() -> Starlette:
    return Starlette(
        routes=[
            Route("/echo", echo, methods=ALL),
            Route("/object", obj, methods=ALL),
            Route("/array", array),
            Route("/text", text),
            Route("/status/{code:int}", status, methods=ALL),
            Route("/redirect", redirect, methods=ALL),
            Route("/sleep", sleep),
            Route("/big", big),
            Route("/pages", pages),
            Route("/file/{size:int}", file_download),
            Route("/upload", upload, methods=ALL),
            Route("/cursor", cursor),
            Route("/special/{kind}", special),
            Route("/mock/{path:path}", mock_api),
            Route("/digest", digest),
        ]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve() -> Iterator[str]:
    """Run the app on a free port in a background thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test HTTP server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
