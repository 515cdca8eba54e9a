"""Local stand-ins for Qdrant, Pinecone and Supabase that speak their REST wire formats.

None of the three servers can be installed here, so each is an in-memory FastAPI app with the
routes, bodies, auth headers and error shapes LangChain's clients (n8n's) use, ranking by
cosine similarity. `down_for` makes the next N requests answer 503, to test retries.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

API_KEY = "test-vector-key"


def _cosine(a: list[float], b: list[float]) -> float:
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norms if norms else 0.0


@dataclass
class StandIn:
    """What a stand-in holds and saw; its URL once started."""

    url: str = ""
    # collection / index / table → id → stored record
    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    down_for: int = 0
    dimension: int = 256


def _guard(state: StandIn, app: FastAPI, key_header: str, expected: Callable[[str], bool]) -> None:
    @app.middleware("http")
    async def check(request: Request, call_next: Any) -> Any:
        body = await request.body()
        state.requests.append((request.method, request.url.path, body.decode() if body else None))
        if state.down_for > 0:
            state.down_for -= 1
            return JSONResponse({"status": {"error": "service unavailable"}}, status_code=503)
        if not expected(request.headers.get(key_header, "")):
            return JSONResponse({"status": {"error": "Invalid API key"}}, status_code=401)
        return await call_next(request)


def qdrant_app(state: StandIn) -> FastAPI:
    app = FastAPI()
    _guard(state, app, "api-key", lambda key: key == API_KEY)
    ok = {"status": "ok", "time": 0.0001}

    @app.get("/collections")
    async def collections() -> dict[str, Any]:
        return {"result": {"collections": [{"name": n} for n in state.data]}, **ok}

    @app.put("/collections/{name}")
    async def create(name: str, request: Request) -> dict[str, Any]:
        config = await request.json()
        state.dimension = int(config["vectors"]["size"])
        state.data.setdefault(name, {})
        return {"result": True, **ok}

    @app.put("/collections/{name}/points")
    async def upsert(name: str, request: Request) -> Any:
        if name not in state.data:
            return JSONResponse({"status": {"error": f"Not found: Collection `{name}` doesn't exist!"}}, 404)
        for point in (await request.json())["points"]:
            state.data[name][str(point["id"])] = point
        return {"result": {"operation_id": 1, "status": "completed"}, **ok}

    @app.post("/collections/{name}/points/query")
    async def query(name: str, request: Request) -> Any:
        if name not in state.data:
            return JSONResponse({"status": {"error": f"Not found: Collection `{name}` doesn't exist!"}}, 404)
        body = await request.json()
        points = list(state.data[name].values())
        for condition in (body.get("filter") or {}).get("must", []):
            path, wanted = condition["key"].split("."), condition["match"]["value"]
            points = [p for p in points if _dig(p["payload"], path) == wanted]
        ranked = sorted(points, key=lambda p: -_cosine(p["vector"], body["query"]))[: body["limit"]]
        hits = [
            {
                "id": p["id"],
                "version": 1,
                "score": _cosine(p["vector"], body["query"]),
                "payload": p["payload"],
            }
            for p in ranked
        ]
        return {"result": {"points": hits}, **ok}

    return app


def _dig(value: Any, path: list[str]) -> Any:
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def pinecone_app(state: StandIn) -> FastAPI:
    """Control plane and data plane on one server (the index's host is this server)."""
    app = FastAPI()
    _guard(state, app, "api-key", lambda key: key == API_KEY)

    @app.get("/indexes/{name}")
    async def describe(name: str) -> Any:
        # Real Pinecone names the host without a scheme (clients use https); a stand-in on plain
        # HTTP names its scheme, which Pinecone's own SDK honours.
        host = state.url
        return {
            "name": name,
            "dimension": state.dimension,
            "metric": "cosine",
            "host": host,
            "status": {"ready": True},
        }

    @app.post("/vectors/upsert")
    async def upsert(request: Request) -> dict[str, Any]:
        body = await request.json()
        space = state.data.setdefault(body.get("namespace", ""), {})
        for vector in body["vectors"]:
            space[vector["id"]] = vector
        return {"upsertedCount": len(body["vectors"])}

    @app.post("/vectors/delete")
    async def delete(request: Request) -> dict[str, Any]:
        body = await request.json()
        if body.get("deleteAll"):
            state.data.pop(body.get("namespace", ""), None)
        return {}

    @app.post("/query")
    async def query(request: Request) -> dict[str, Any]:
        body = await request.json()
        vectors = list(state.data.get(body.get("namespace", ""), {}).values())
        for key, wanted in (body.get("filter") or {}).items():
            vectors = [v for v in vectors if v["metadata"].get(key) == wanted]
        ranked = sorted(vectors, key=lambda v: -_cosine(v["values"], body["vector"]))[: body["topK"]]
        matches = [
            {"id": v["id"], "score": _cosine(v["values"], body["vector"]), "metadata": v["metadata"]}
            for v in ranked
        ]
        return {"matches": matches, "namespace": body.get("namespace", "")}

    return app


def supabase_app(state: StandIn) -> FastAPI:
    app = FastAPI()
    _guard(state, app, "apikey", lambda key: key == API_KEY)

    @app.post("/rest/v1/rpc/{function}")
    async def match(function: str, request: Request) -> Any:
        if function != "match_documents":
            return JSONResponse(
                {"code": "PGRST202", "message": f"Could not find the function public.{function}"},
                status_code=404,
            )
        body = await request.json()
        rows = list(state.data.get("documents", {}).values())
        for key, wanted in (body.get("filter") or {}).items():
            rows = [r for r in rows if r["metadata"].get(key) == wanted]
        ranked = sorted(rows, key=lambda r: -_cosine(r["embedding"], body["query_embedding"]))
        return [
            {
                "id": r["id"],
                "content": r["content"],
                "metadata": r["metadata"],
                "similarity": _cosine(r["embedding"], body["query_embedding"]),
            }
            for r in ranked[: body["match_count"]]
        ]

    @app.post("/rest/v1/{table}")
    async def insert(table: str, request: Request) -> Any:
        rows = state.data.setdefault(table, {})
        stored = []
        for row in await request.json():
            record = {"id": len(rows) + 1, **row}
            rows[str(record["id"])] = record
            stored.append(record)
        return JSONResponse(stored, status_code=201)

    return app


def recorded_requests(state: StandIn) -> list[list[Any]]:
    """The requests a stand-in saw as `[method, path, body]`, point ids blanked (they are random)."""
    out: list[list[Any]] = []
    for method, path, body in state.requests:
        parsed = json.loads(body) if body else None
        records = [parsed.get(key) for key in ("points", "vectors")] if isinstance(parsed, dict) else []
        for record in (r for listed in records if isinstance(listed, list) for r in listed):
            record["id"] = "<id>"
        out.append([method, path, parsed])
    return out


@contextmanager
def serve(build: Callable[[StandIn], FastAPI]) -> Iterator[StandIn]:
    """Run the stand-in on 127.0.0.1 at a free port in a thread of its own."""
    state = StandIn()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    state.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(build(state), log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.005)
    try:
        yield state
    finally:
        server.should_exit = True
        thread.join(timeout=10)
