"""Activities of Postgres Chat Memory and Redis Chat Memory (see `n8n_runtime.ai.memory_stores`).

The workflow hands over the memory's credential *reference*; the secret is resolved here, on
the worker, so it never enters Temporal history. A server that cannot be reached raises (the
workflow's retry policy retries it a few times, then the AI node fails with the message); a
missing credential or a request the server refuses is a non-retryable node error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.ai_support import MemoryMessage, MemoryMessages
from hive_core.errors import HiveError
from n8n_import.plan import CredentialRef
from n8n_runtime.ai import memory_stores as stores
from n8n_runtime.ai.memory import StoredMessage
from n8n_runtime.http import CredentialSource

# The n8n credential type each memory needs.
CREDENTIAL_TYPES = {"postgres": "postgres", "redis": "redis"}
NODE_ERROR_TYPE = "ChatMemoryError"


class ExternalMemoryRequest(BaseModel):
    """Which conversation, on which server (by credential reference)."""

    kind: Literal["postgres", "redis"]
    node: str
    session_key: str
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    table: str | None = None
    ttl_s: int = 0


class ExternalMemoryLoad(ExternalMemoryRequest):
    # Messages to read (newest), None: the whole conversation.
    limit: int | None = None


class ExternalMemoryAppend(ExternalMemoryRequest):
    messages: list[MemoryMessage]
    # Names this write (run, node, item): a retried activity does not append twice.
    write_id: str


def _node_error(message: str) -> ApplicationError:
    return ApplicationError(message, type=NODE_ERROR_TYPE, non_retryable=True)


class ExternalMemoryActivities:
    """Chat memories on the user's Postgres and Redis servers."""

    def __init__(self, credentials: CredentialSource) -> None:
        self._credentials = credentials

    async def _data(self, request: ExternalMemoryRequest) -> dict[str, object]:
        kind = CREDENTIAL_TYPES[request.kind]
        ref = request.credentials.get(kind)
        if ref is None:
            raise _node_error(f"'{request.node}' has no {kind} credential: select one in the node")
        try:
            resolver = await self._credentials.for_node(
                {kind: CredentialRef(id=ref.get("id"), name=ref.get("name"))}
            )
            return dict(resolver.resolve(kind, ref.get("id"), ref.get("name")).data)
        except HiveError as exc:
            raise _node_error(f"'{request.node}': {exc.message}") from None

    @activity.defn(name="hive.ai.load_external_memory")
    async def load_external_memory(self, request: ExternalMemoryLoad) -> MemoryMessages:
        """The conversation's last messages, oldest first."""
        data = await self._data(request)
        try:
            if request.kind == "postgres":
                found = await stores.postgres_load(data, request.table, request.session_key, request.limit)
            else:
                found = await stores.redis_load(data, request.session_key, request.limit)
        except stores.MemoryStoreError as exc:
            raise _node_error(f"'{request.node}': {exc}") from None
        return MemoryMessages(messages=[MemoryMessage(role=m.role, content=m.content) for m in found])

    @activity.defn(name="hive.ai.append_external_memory")
    async def append_external_memory(self, request: ExternalMemoryAppend) -> None:
        """Append one exchange, once per ``write_id``."""
        data = await self._data(request)
        messages = [StoredMessage(role=m.role, content=m.content) for m in request.messages]
        try:
            if request.kind == "postgres":
                await stores.postgres_append(
                    data, request.table, request.session_key, messages, request.write_id
                )
            else:
                await stores.redis_append(
                    data, request.session_key, messages, request.write_id, request.ttl_s
                )
        except stores.MemoryStoreError as exc:
            raise _node_error(f"'{request.node}': {exc}") from None


__all__ = [
    "ExternalMemoryActivities",
    "ExternalMemoryAppend",
    "ExternalMemoryLoad",
    "ExternalMemoryRequest",
]
