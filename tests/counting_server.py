"""A real HTTP server on loopback that counts requests per path (for side-effect assertions).

Paths: `/ok` → 200 `{"path", "count"}`; `/flaky/N` → 500 for the first N calls, then 200;
`/down` → 503 always.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.loopback import JsonHandler, serve


@dataclass
class CountingServer:
    url: str
    counts: Counter[str] = field(default_factory=Counter)
    # When each request arrived (time.monotonic()), per path.
    times: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # Handler threads record arrivals under it.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def arrived(self, path: str) -> int:
        """Count and time a request to `path`; returns how many have come to it so far."""
        with self.lock:
            self.counts[path] += 1
            self.times[path].append(time.monotonic())
            return self.counts[path]


@contextmanager
def counting_server() -> Iterator[CountingServer]:
    state = CountingServer(url="")

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            count = state.arrived(self.path)
            status = 200
            if self.path.startswith("/flaky/") and count <= int(self.path.rsplit("/", 1)[1]):
                status = 500
            elif self.path == "/down":
                status = 503
            self.reply_json(status, {"path": self.path, "count": count})

    with serve(Handler) as state.url:
        yield state
