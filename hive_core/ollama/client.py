"""Async Ollama client over httpx: NDJSON streams parsed into chunks, failures into Hive errors.

Every wait is bounded without capping a generation: a connect timeout, and a read timeout that
applies to each chunk (a generation may stream for an hour as long as tokens keep coming).

    ConnectError / timeout / 5xx / 429 / mid-stream {"error"} / garbage → AgentUnavailableError
    404 naming a model → ModelNotFoundError;  other 4xx → ValidationError
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any

import httpx

from hive_core.errors import AgentUnavailableError, HiveError, NotFoundError, ValidationError
from hive_core.ollama.errors import ModelNotFoundError

DEFAULT_CONNECT_TIMEOUT = 5.0
# The first chunk waits for the model to load, which takes minutes for a large model on a cold host.
DEFAULT_CHUNK_TIMEOUT = 300.0


async def _drain(lines: AsyncIterator[str]) -> None:
    """Read to the end of the body, so the connection goes back to the pool instead of closing."""
    with contextlib.suppress(httpx.HTTPError):
        async for _ in lines:
            pass


class OllamaClient:
    """One Ollama host. Shares the caller's ``httpx.AsyncClient`` (its pool), sets its own timeouts."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoint: str,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        chunk_timeout: float = DEFAULT_CHUNK_TIMEOUT,
    ) -> None:
        self._http = http
        self.endpoint = endpoint.rstrip("/")
        self._chunk_timeout = chunk_timeout
        self._timeout = httpx.Timeout(
            connect=connect_timeout, read=chunk_timeout, write=chunk_timeout, pool=chunk_timeout
        )

    # -- streaming ------------------------------------------------------------------------------

    def chat(self, body: Mapping[str, Any]) -> AsyncGenerator[dict[str, Any], None]:
        """Stream ``/api/chat``: yields each parsed chunk, the last one with ``done: true``."""
        return self._stream("/api/chat", body)

    def generate(self, body: Mapping[str, Any]) -> AsyncGenerator[dict[str, Any], None]:
        """Stream ``/api/generate``: yields each parsed chunk, the last one with ``done: true``."""
        return self._stream("/api/generate", body)

    async def _stream(self, path: str, body: Mapping[str, Any]) -> AsyncGenerator[dict[str, Any], None]:
        model = str(body.get("model", ""))
        payload = {**body, "stream": True}
        try:
            async with self._http.stream(
                "POST", self.endpoint + path, json=payload, timeout=self._timeout
            ) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise self._status_error(response, path, model)
                lines = response.aiter_lines()
                async for line in lines:
                    if not line.strip():
                        continue  # not sent by Ollama, but harmless
                    chunk = self._parse(line, path)
                    yield chunk
                    if chunk.get("done"):
                        await _drain(lines)
                        return
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, path) from exc
        # The body ended cleanly but without the final chunk: the runner died.
        raise AgentUnavailableError(
            f"stream from Ollama at {self.endpoint}{path} ended before the final chunk",
            endpoint=self.endpoint,
            model=model,
        )

    def _parse(self, line: str, path: str) -> dict[str, Any]:
        try:
            chunk = json.loads(line)
        except json.JSONDecodeError:
            chunk = None
        if not isinstance(chunk, dict):
            raise AgentUnavailableError(
                f"Ollama at {self.endpoint}{path} sent a line that is not a JSON object: {line[:200]!r}",
                endpoint=self.endpoint,
            )
        if "error" in chunk:
            # Once streaming has started Ollama keeps status 200 and reports failures in a line.
            raise AgentUnavailableError(
                f"Ollama at {self.endpoint}{path} failed mid-stream: {chunk['error']}",
                endpoint=self.endpoint,
            )
        return chunk

    # -- single replies -------------------------------------------------------------------------

    async def embed(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``/api/embed``: ``{"model", "embeddings": [[...], ...], ...}``."""
        return await self._request("POST", "/api/embed", body)

    async def tags(self) -> dict[str, Any]:
        """``/api/tags``: the models the host has pulled."""
        return await self._request("GET", "/api/tags")

    async def ps(self) -> dict[str, Any]:
        """``/api/ps``: the models loaded in memory now."""
        return await self._request("GET", "/api/ps")

    async def show(self, model: str) -> dict[str, Any]:
        """``/api/show``: details, model_info and capabilities of one model."""
        return await self._request("POST", "/api/show", {"model": model})

    async def version(self) -> str:
        """The host's Ollama version."""
        return str((await self._request("GET", "/api/version")).get("version", ""))

    async def _request(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        model = str((body or {}).get("model", ""))
        try:
            response = await self._http.request(
                method, self.endpoint + path, json=body, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, path) from exc
        if response.status_code >= 400:
            raise self._status_error(response, path, model)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise AgentUnavailableError(
                f"Ollama at {self.endpoint}{path} sent a reply that is not a JSON object: "
                f"{response.text[:200]!r}",
                endpoint=self.endpoint,
            )
        return data

    # -- error mapping --------------------------------------------------------------------------

    def _status_error(self, response: httpx.Response, path: str, model: str) -> HiveError:
        status = response.status_code
        try:
            message = str(response.json().get("error", response.text))
        except (ValueError, AttributeError):
            message = response.text[:200]
        where = f"Ollama at {self.endpoint}"
        details: dict[str, Any] = {"endpoint": self.endpoint, "status": status}
        if status == 404 and model and "model" in message:
            return ModelNotFoundError(model, where, reason=message, **details)
        if status == 404:
            return NotFoundError(f"{where}{path}: {message}", **details)
        if status in (408, 429) or status >= 500:
            return AgentUnavailableError(f"{where}{path} answered {status}: {message}", **details)
        return ValidationError(f"{where}{path} rejected the request ({status}): {message}", **details)

    def _transport_error(self, exc: httpx.HTTPError, path: str) -> AgentUnavailableError:
        url = self.endpoint + path
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            message = f"cannot connect to Ollama at {self.endpoint}: {exc or type(exc).__name__}"
        elif isinstance(exc, httpx.ReadTimeout):
            message = f"Ollama at {url} sent nothing for {self._chunk_timeout:g} s"
        elif isinstance(exc, httpx.TimeoutException):
            message = f"Ollama at {url} timed out ({type(exc).__name__})"
        else:
            message = f"connection to Ollama at {url} failed: {exc or type(exc).__name__}"
        return AgentUnavailableError(message, endpoint=self.endpoint)


__all__ = ["DEFAULT_CHUNK_TIMEOUT", "DEFAULT_CONNECT_TIMEOUT", "OllamaClient"]
