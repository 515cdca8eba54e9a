"""`run_http_request`: n8n's HTTP Request node (v3, 4, 4.1, 4.2) for one node run.

Like n8n it builds one request per input item (parameters evaluated for that item), starts them
without waiting for each other (at most `concurrency` at a time; `options.batching` pauses between
batches), then turns the responses into items in input order, each with `pairedItem`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from hive_core.errors import NotFoundError
from n8n_runtime.http._auth import AuthSpec, auth_spec
from n8n_runtime.http._body import json_text
from n8n_runtime.http._file_response import file_item, is_file_response, read_file_part
from n8n_runtime.http._options import RequestOptions, ResponseOptions, read_options, response_options
from n8n_runtime.http._page_expressions import PageExpressions
from n8n_runtime.http._pagination import Pagination, paginate, pagination_config
from n8n_runtime.http._request import RequestSpec, accept_header, apply_auth, build_request
from n8n_runtime.http._response import check_status, response_items
from n8n_runtime.http._send import RawResponse, send
from n8n_runtime.http.credentials import CredentialResolver
from n8n_runtime.http.errors import HttpStatusError, HttpTransportError, Redactor
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun

NODE_TYPE = "n8n-nodes-base.httpRequest"
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
# Temporal caps a payload at 2 MB; one node output must leave room for the rest of the call.
DEFAULT_MAX_OUTPUT_BYTES = 1_500_000
DEFAULT_CONCURRENCY = 10

Sleep = Callable[[float], Awaitable[None]]


async def run_http_request(
    run: NodeRun,
    client: httpx.AsyncClient,
    credentials: CredentialResolver,
    *,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    expressions: PageExpressions | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    sleep: Sleep = asyncio.sleep,
    heartbeat: Callable[[], None] | None = None,
) -> NodeOutput:
    """Run the HTTP Request node on `run.items`.

    Args:
        run: the node run (parameters are evaluated per item through `run.params`).
        client: the activity's HTTP client (a separate one is made for `allowUnauthorizedCerts`
            or `proxy`, and closed at the end).
        credentials: looks up the credential the node references.
        max_response_bytes: largest response body read (larger → NodeError).
        max_output_bytes: largest JSON size of all output items (larger → NodeError).
        expressions: evaluator of pagination expressions (`EngineExpressions`); without it
            pagination with expressions fails with "pagination not supported yet".
        concurrency: requests in flight at once.
        sleep: how to wait between batches and pages (tests pass a fake).
        heartbeat: called after every response and before every pause (an activity passes
            `activity.heartbeat` so long paginations and batched runs stay alive).

    Raises:
        NodeError: a failure n8n reports for the node (bad parameter, HTTP status ≥ 400, invalid
            JSON, output too large...); with onError=continue* failed items become error items.
        HttpTransportError: no response (refused, DNS, timeout): retryable, raised regardless of
            onError so Temporal retries; `to_node_error()` once retries are exhausted.
        NotFoundError: a referenced credential is not configured.
    """
    version = float(run.node.type_version)
    try:
        shown = response_options(read_options(run.params, 0))
    except Exception:  # noqa: BLE001 - item 0's own request build reports the failure
        shown = response_options({})
    pagination = pagination_config(run.params.raw("options.pagination.pagination"))
    auth = _NodeAuth(run, credentials)
    outcomes: list[list[Item] | Exception] = [[] for _ in run.items]
    prepared: list[tuple[RequestSpec, tuple[str, ...]] | None] = []
    for index in range(len(run.items)):
        try:
            prepared.append(_prepare(run, index, version, auth, shown))
        except NotFoundError:
            raise  # a credential missing from hive.yaml is a configuration error, not an item's
        except Exception as error:  # n8n catches every per-item failure (continueOnFail)
            outcomes[index] = error
            prepared.append(None)
    gate = asyncio.Semaphore(max(1, concurrency))
    async with _Clients(client) as clients, asyncio.TaskGroup() as group:
        for index, entry in enumerate(prepared):
            if entry is None:
                continue
            spec, secrets = entry
            options = spec.options
            if index > 0 and options.batch_interval_ms > 0 and index % options.batch_size == 0:
                if heartbeat is not None:
                    heartbeat()
                await sleep(options.batch_interval_ms / 1000)
            job = _Job(
                index, spec, Redactor(secrets), shown, pagination, version, clients.get(options), heartbeat
            )
            job.node_run = run
            group.create_task(
                job.run(outcomes, gate, max_response_bytes, max_output_bytes, expressions, sleep)
            )
    items = _collect(run, outcomes)
    size = len(json_text(items).encode())
    if size > max_output_bytes:
        raise NodeError(
            f"The response of {size} bytes exceeds Hive's payload limit of {max_output_bytes} bytes "
            "for one node output; request less data",
            description="Temporal payloads are capped at 2 MB. Ask the API for fewer records or "
            "fields (query filters, pagination with Max Pages) or split the input with Loop Over Items.",
        )
    return [items]


def _prepare(
    run: NodeRun, index: int, version: float, auth: _NodeAuth, shown: ResponseOptions
) -> tuple[RequestSpec, tuple[str, ...]]:
    spec = build_request(run.params, index, version, files=lambda i, prop: read_file_part(run, i, prop))
    credential = auth.for_item(index)
    if credential is not None:
        apply_auth(spec, credential)
    accept_header(spec, shown.response_format)
    return spec, credential.secrets if credential is not None else ()


class _Job:
    """One item's request (or pages), from sending to items."""

    def __init__(
        self,
        index: int,
        spec: RequestSpec,
        redact: Redactor,
        shown: ResponseOptions,
        pagination: Pagination | None,
        version: float,
        client: httpx.AsyncClient | Exception,
        heartbeat: Callable[[], None] | None,
    ) -> None:
        self.index, self.spec, self.redact, self.shown = index, spec, redact, shown
        self.pagination, self.version, self.client = pagination, version, client
        self.heartbeat = heartbeat
        # Set for file responses: the run whose binary handle stores the body.
        self.node_run: NodeRun | None = None
        # n8n asks axios to parse JSON itself for these formats (not for autodetect or raw bodies).
        self.json_requested = shown.response_format in ("json", "text") and not spec.raw_body

    async def run(
        self,
        outcomes: list[list[Item] | Exception],
        gate: asyncio.Semaphore,
        max_response_bytes: int,
        max_output_bytes: int,
        expressions: PageExpressions | None,
        sleep: Sleep,
    ) -> None:
        async with gate:
            try:
                pages = await self._pages(max_response_bytes, max_output_bytes, expressions, sleep)
                lenient = self.pagination is not None
                items: list[Item] = []
                for page in pages:
                    if self.node_run is not None and is_file_response(page, self.shown):
                        items.append(file_item(self.node_run, page, self.shown, self.index))
                        continue
                    jsons = response_items(
                        page,
                        self.shown,
                        json_requested=self.json_requested,
                        item_index=self.index,
                        lenient_json=lenient,
                    )
                    items.extend({"json": j, "pairedItem": {"item": self.index}} for j in jsons)
                outcomes[self.index] = items
            except Exception as error:  # kept for the ordered pass (first failing item wins)
                outcomes[self.index] = error

    async def _pages(
        self,
        max_response_bytes: int,
        max_output_bytes: int,
        expressions: PageExpressions | None,
        sleep: Sleep,
    ) -> list[RawResponse]:
        if isinstance(self.client, Exception):
            raise self.client
        client = self.client

        async def send_one(spec: RequestSpec) -> RawResponse:
            response = await send(
                client, spec, item_index=self.index, max_bytes=max_response_bytes, redact=self.redact
            )
            if self.heartbeat is not None:
                self.heartbeat()
            return response

        if self.pagination is None:
            page = await send_one(self.spec)
            check_status(
                page,
                never_error=self.spec.options.never_error,
                json_requested=self.json_requested,
                item_index=self.index,
                redact=self.redact,
            )
            return [page]
        return await paginate(
            self.spec,
            self.pagination,
            item_index=self.index,
            version=self.version,
            never_error=self.spec.options.never_error,
            json_requested=self.json_requested,
            send=send_one,
            expressions=expressions,
            sleep=sleep,
            max_total_bytes=max_output_bytes,
            redact=self.redact,
        )


class _NodeAuth:
    """The node's credential, resolved once per credential type."""

    def __init__(self, run: NodeRun, resolver: CredentialResolver) -> None:
        self._run = run
        self._resolver = resolver
        self._specs: dict[str, AuthSpec] = {}
        self._mode = str(run.params.get("authentication", 0, "none") or "none")

    def for_item(self, index: int) -> AuthSpec | None:
        if self._mode == "genericCredentialType":
            credential_type = str(self._run.params.get("genericAuthType", 0, "") or "")
        elif self._mode == "predefinedCredentialType":
            credential_type = str(self._run.params.get("nodeCredentialType", index, "") or "")
        else:
            return None
        if not credential_type:
            raise NodeError("No credential type is selected for the node's authentication", item_index=index)
        cached = self._specs.get(credential_type)
        if cached is not None:
            return cached
        node = self._run.node
        ref = node.credentials.get(credential_type)
        if ref is None:
            raise NotFoundError(
                f"Node '{node.name}' has no '{credential_type}' credential selected",
                node=node.name,
                credential_type=credential_type,
            )
        try:
            config = self._resolver.resolve(credential_type, ref.id, ref.name)
        except NotFoundError as error:
            raise NotFoundError(
                f"{error.message} (node '{node.name}')", **error.details, node=node.name
            ) from None
        spec = auth_spec(credential_type, config.data)
        self._specs[credential_type] = spec
        return spec


class _Clients:
    """The activity's client, plus clients made for insecure TLS or a proxy (closed on exit)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self._made: dict[tuple[bool, str | None], httpx.AsyncClient | Exception] = {}

    async def __aenter__(self) -> _Clients:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for made in self._made.values():
            if isinstance(made, httpx.AsyncClient):
                await made.aclose()

    def get(self, options: RequestOptions) -> httpx.AsyncClient | Exception:
        if not options.allow_unauthorized_certs and not options.proxy:
            return self._client
        key = (options.allow_unauthorized_certs, options.proxy)
        if key not in self._made:
            try:
                self._made[key] = httpx.AsyncClient(
                    verify=not options.allow_unauthorized_certs, proxy=options.proxy
                )
            except (ValueError, httpx.HTTPError) as error:
                self._made[key] = NodeError("Invalid proxy URL", description=str(error))
        return self._made[key]


def _collect(run: NodeRun, outcomes: list[list[Item] | Exception]) -> list[Item]:
    """Items in input order; the first failed item fails the node unless it continues on fail."""
    continue_on_fail = run.node.settings.on_error in ("continueRegularOutput", "continueErrorOutput")
    items: list[Item] = []
    for index, outcome in enumerate(outcomes):
        if not isinstance(outcome, Exception):
            items.extend(outcome)
            continue
        if isinstance(outcome, HttpTransportError):
            raise outcome  # retryable whatever onError says: Temporal retries the activity
        error = _node_error(outcome, index)
        if not continue_on_fail:
            raise error
        detail: Any = error.error_json() if isinstance(error, HttpStatusError) else error.message
        items.append({"json": {"error": detail}, "pairedItem": {"item": index}})
    return items


def _node_error(error: Exception, index: int) -> NodeError:
    if isinstance(error, NodeError):
        if error.item_index is None:
            error.item_index = index
        return error
    details = getattr(error, "details", None)
    details = details if isinstance(details, dict) else {}
    message = (
        details.get("n8n_message") or getattr(error, "message", None) or str(error) or type(error).__name__
    )
    description = details.get("description")
    node_error = NodeError(
        str(message), description=description if isinstance(description, str) else None, item_index=index
    )
    node_error.__cause__ = error
    return node_error


__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_OUTPUT_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NODE_TYPE",
    "run_http_request",
]
