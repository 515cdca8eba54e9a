"""Read workflows from a live n8n through its public REST API (``/api/v1``, ``X-N8N-API-KEY``)."""

from __future__ import annotations

from typing import Any

import httpx

from hive_core.errors import OperationalError, ValidationError

PAGE_SIZE = 100
# n8n caps pages at 250 workflows; this bounds a misbehaving server that never ends its cursor.
MAX_PAGES = 1000


async def fetch_n8n_workflows(
    base_url: str, api_key: str, *, timeout_s: float = 30.0, page_size: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """Every workflow of the n8n at ``base_url``, following ``nextCursor`` pagination.

    Raises:
        ValidationError: n8n refused the API key or the URL is not an n8n API.
        OperationalError: n8n cannot be reached or failed.
    """
    url = base_url.rstrip("/") + "/api/v1/workflows"
    workflows: list[dict[str, Any]] = []
    cursor: str | None = None
    async with httpx.AsyncClient(timeout=timeout_s, headers={"X-N8N-API-KEY": api_key}) as http:
        for _ in range(MAX_PAGES):
            params: dict[str, str | int] = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            page = await _get_page(http, url, params)
            workflows.extend(item for item in page.get("data") or [] if isinstance(item, dict))
            cursor = page.get("nextCursor")
            if not cursor:
                return workflows
    raise OperationalError(f"n8n at {base_url} kept returning pages after {MAX_PAGES}", url=url)


async def _get_page(http: httpx.AsyncClient, url: str, params: dict[str, str | int]) -> dict[str, Any]:
    try:
        response = await http.get(url, params=params)
    except httpx.InvalidURL as exc:  # not an HTTPError: the request was never made
        raise ValidationError(f"invalid n8n base URL {url!r}: {exc}", field="base_url") from exc
    except httpx.HTTPError as exc:
        raise OperationalError(f"cannot reach n8n at {url}: {exc}", url=url) from exc
    if response.status_code in (401, 403):
        raise ValidationError(
            f"n8n at {url} refused the API key (HTTP {response.status_code})", field="api_key", url=url
        )
    if response.status_code >= 400:
        raise (ValidationError if response.status_code < 500 else OperationalError)(
            f"n8n at {url} answered HTTP {response.status_code}: {response.text[:200]}", url=url
        )
    try:
        page = response.json()
    except ValueError as exc:
        raise ValidationError(f"n8n at {url} did not answer JSON; is this n8n's base URL?", url=url) from exc
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise ValidationError(
            f"n8n at {url} answered without a 'data' list; is this n8n's base URL?", url=url
        )
    return page


__all__ = ["fetch_n8n_workflows"]
