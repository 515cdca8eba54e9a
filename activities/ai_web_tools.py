"""Wikipedia and SerpAPI agent tools: HTTP calls to their APIs, answers shaped as LangChain's.

- Wikipedia (LangChain's WikipediaQueryRun): search (`list=search`), then the plain-text extract
  of the top 3 pages, each as "Page: <title>\\nSummary: <extract>", joined and cut to 4000
  characters. The API base URL is a worker setting (`HIVE_WORKER__WIKIPEDIA_API_URL`).
- SerpAPI (LangChain's SerpAPI tool): `GET /search?q=...&api_key=...` with the node's options;
  the answer is the first of answer box, sports, shopping, knowledge graph, organic results.

A failed call answers the model with the error (as n8n's tools do); transport failures raise so
Temporal retries them.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from pydantic import BaseModel, Field
from temporalio import activity

from hive_core.errors import HiveError
from n8n_import.plan import CredentialRef
from n8n_runtime.http import CredentialSource

WIKIPEDIA_API_URL = "https://en.wikipedia.org/w/api.php"
SERPAPI_URL = "https://serpapi.com"
TOP_K_RESULTS = 3
MAX_CONTENT_LENGTH = 4000
NO_WIKIPEDIA_RESULT = "No good Wikipedia Search Result was found"
NO_SEARCH_RESULT = "No good search result found"
# n8n's SerpAPI option names → SerpAPI query parameters.
_SERPAPI_OPTIONS = {"country": "gl", "device": "device", "google_domain": "google_domain", "hl": "hl"}


class WebToolInput(BaseModel):
    node: str
    service: str
    query: str
    options: dict[str, Any] = Field(default_factory=dict)
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)


class ImageFetchInput(BaseModel):
    node: str
    urls: list[str]


class ImageFetchOutput(BaseModel):
    # Base64 of each image, in order (Ollama's `images`); or the error that stopped the fetch.
    images: list[str] = Field(default_factory=list)
    error: str | None = None


class WebToolOutput(BaseModel):
    text: str
    failed: bool = False


def _error(message: str) -> WebToolOutput:
    return WebToolOutput(text=f'There was an error: "{message}"', failed=True)


def serpapi_answer(result: dict[str, Any]) -> str:
    """The text LangChain's SerpAPI tool makes of a SerpAPI response."""
    box = result.get("answer_box") or {}
    if isinstance(box, list):
        box = box[0] if box else {}
    for key in ("answer", "snippet"):
        if box.get(key):
            return str(box[key])
    if box.get("snippet_highlighted_words"):
        return str(box["snippet_highlighted_words"][0])
    sports = result.get("sports_results") or {}
    if sports.get("game_spotlight"):
        return json.dumps(sports["game_spotlight"])
    shopping = result.get("shopping_results") or []
    if shopping and shopping[0].get("title"):
        return json.dumps(shopping[:3])
    graph = result.get("knowledge_graph") or {}
    if graph.get("description"):
        return str(graph["description"])
    organic = result.get("organic_results") or []
    if organic:
        first = organic[0]
        if first.get("snippet"):
            return str(first["snippet"])
        if first.get("link"):
            return str(first["link"])
        return json.dumps(first)
    return NO_SEARCH_RESULT


class WebToolActivities:
    """The Wikipedia and SerpAPI tools of an AI Agent."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        credentials: CredentialSource,
        *,
        wikipedia_url: str = WIKIPEDIA_API_URL,
        serpapi_url: str = SERPAPI_URL,
    ) -> None:
        self._http = http
        self._credentials = credentials
        self._wikipedia = wikipedia_url
        self._serpapi = serpapi_url.rstrip("/")

    @activity.defn(name="hive.ai.run_web_tool")
    async def run_web_tool(self, request: WebToolInput) -> WebToolOutput:
        """One Wikipedia or SerpAPI tool call; the text goes back to the model."""
        try:
            if request.service == "wikipedia":
                return WebToolOutput(text=await self._wikipedia_search(request.query))
            return WebToolOutput(text=await self._serpapi_search(request))
        except httpx.HTTPStatusError as exc:
            return _error(
                f"{exc.response.status_code} {exc.response.reason_phrase}: {exc.response.text[:200]}"
            )
        except HiveError as exc:
            return _error(exc.message)

    @activity.defn(name="hive.ai.fetch_images")
    async def fetch_images(self, request: ImageFetchInput) -> ImageFetchOutput:
        """Download the images an OpenAI node's image/analyze names by URL (the cluster's models
        take image bytes, not URLs). A data: URL is decoded in place."""
        images = []
        for url in request.urls:
            if url.startswith("data:"):
                images.append(url.partition(",")[2])
                continue
            try:
                response = await self._http.get(url, timeout=60, follow_redirects=True)
                response.raise_for_status()
            except httpx.HTTPStatusError as exc:
                return ImageFetchOutput(error=f"cannot download image {url}: HTTP {exc.response.status_code}")
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                return ImageFetchOutput(error=f"cannot download image {url!r}: {exc}")
            images.append(base64.b64encode(response.content).decode())
        return ImageFetchOutput(images=images)

    async def _get(self, url: str, params: dict[str, Any]) -> Any:
        response = await self._http.get(url, params=params, timeout=60)
        response.raise_for_status()
        return response.json()

    async def _wikipedia_search(self, query: str) -> str:
        found = await self._get(
            self._wikipedia, {"action": "query", "list": "search", "srsearch": query, "format": "json"}
        )
        results = (found.get("query") or {}).get("search") or []
        if not results:
            return NO_WIKIPEDIA_RESULT
        summaries = []
        for result in results[:TOP_K_RESULTS]:
            title = str(result.get("title", ""))
            page = await self._get(
                self._wikipedia,
                {
                    "action": "query",
                    "prop": "extracts",
                    "explaintext": "1",
                    "redirects": "1",
                    "format": "json",
                    "titles": title,
                },
            )
            pages = (page.get("query") or {}).get("pages") or {}
            extract = next((p.get("extract") for p in pages.values() if p.get("extract")), None)
            if extract:
                summaries.append(f"Page: {title}\nSummary: {extract}")
        if not summaries:
            return NO_WIKIPEDIA_RESULT
        return "\n\n".join(summaries)[:MAX_CONTENT_LENGTH]

    async def _serpapi_search(self, request: WebToolInput) -> str:
        ref = request.credentials.get("serpApi")
        if ref is None:
            raise HiveError("the SerpAPI tool needs a serpApi credential")
        reference = CredentialRef(id=ref.get("id"), name=ref.get("name"))
        resolver = await self._credentials.for_node({"serpApi": reference})
        credential = resolver.resolve("serpApi", ref.get("id"), ref.get("name"))
        params: dict[str, Any] = {"q": request.query, "api_key": credential.data.get("apiKey", "")}
        for name, value in request.options.items():
            if value not in (None, ""):
                params[_SERPAPI_OPTIONS.get(name, name)] = value
        result = await self._get(f"{self._serpapi}/search", params)
        if isinstance(result, dict) and result.get("error"):
            raise HiveError(f"Got error from serpAPI: {result['error']}")
        return serpapi_answer(result if isinstance(result, dict) else {})


__all__ = [
    "ImageFetchInput",
    "ImageFetchOutput",
    "WebToolActivities",
    "WebToolInput",
    "WebToolOutput",
    "serpapi_answer",
]
