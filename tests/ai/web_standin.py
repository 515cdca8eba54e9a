"""A local stand-in for Wikipedia's MediaWiki API and SerpAPI, speaking their wire formats.

- `GET /w/api.php?action=query&list=search&srsearch=Q&format=json` → MediaWiki's search result
  (`{"batchcomplete": "", "query": {"searchinfo": {...}, "search": [{ns, title, pageid, snippet}]}}`);
  `...&prop=extracts&explaintext=1&titles=T` → `{"query": {"pages": {"<id>": {pageid, ns, title, extract}}}}`.
- `GET /search?q=Q&api_key=K` → SerpAPI's JSON (`organic_results`, `answer_box`); a wrong key →
  401 `{"error": "Invalid API key. ..."}` as SerpAPI answers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.loopback import JsonHandler, serve

ARTICLES = {
    "Honey bee": "The honey bee is a eusocial flying insect within the genus Apis.",
    "Bumblebee": "A bumblebee is any of over 250 species in the genus Bombus.",
    "Beekeeping": "Beekeeping is the maintenance of bee colonies, commonly in man-made hives.",
    "Moon": "The Moon is Earth's only natural satellite.",
}
SERPAPI_KEY = "serp-test-key"


@dataclass
class WebStandin:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def wikipedia_url(self) -> str:
        return f"{self.url}/w/api.php"


def _wikipedia(query: dict[str, str]) -> dict[str, Any]:
    if query.get("list") == "search":
        words = query.get("srsearch", "").lower().split()
        hits = [t for t, text in ARTICLES.items() if any(w in (t + " " + text).lower() for w in words)]
        return {
            "batchcomplete": "",
            "query": {
                "searchinfo": {"totalhits": len(hits)},
                "search": [
                    {"ns": 0, "title": t, "pageid": 100 + i, "snippet": ARTICLES[t][:30]}
                    for i, t in enumerate(hits)
                ],
            },
        }
    title = query.get("titles", "")
    pageid = 100 + list(ARTICLES).index(title) if title in ARTICLES else -1
    page = {"pageid": pageid, "ns": 0, "title": title}
    if title in ARTICLES:
        page["extract"] = ARTICLES[title]
    else:
        page["missing"] = ""
    return {"batchcomplete": "", "query": {"pages": {str(pageid): page}}}


def _serpapi(query: dict[str, str]) -> tuple[int, dict[str, Any]]:
    if query.get("api_key") != SERPAPI_KEY:
        return 401, {
            "error": "Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key"
        }
    q = query.get("q", "")
    result: dict[str, Any] = {
        "search_metadata": {"status": "Success"},
        "search_parameters": {"engine": "google", "q": q, "gl": query.get("gl", "us")},
        "organic_results": [
            {
                "position": 1,
                "title": f"About {q}",
                "link": "https://example.test/1",
                "snippet": f"{q} explained.",
            }
        ],
    }
    if "capital" in q.lower():
        result["answer_box"] = {"type": "organic_result", "answer": "Paris"}
    return 200, result


@contextmanager
def web_standin() -> Iterator[WebStandin]:
    state = WebStandin(url="")
    lock = threading.Lock()

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parsed = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
            with lock:
                state.requests.append({"path": parsed.path, **query})
            if parsed.path == "/w/api.php":
                status, body = 200, _wikipedia(query)
            elif parsed.path == "/search":
                status, body = _serpapi(query)
            else:
                status, body = 404, {"error": "not found"}
            self.reply_json(status, body, "application/json; charset=utf-8")

    with serve(Handler) as state.url:
        yield state
