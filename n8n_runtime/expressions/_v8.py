"""One V8 context (mini-racer) with Hive's prelude loaded.

mini-racer binds a context to an asyncio loop and only enforces timeouts when that loop is not
the caller's. Inside a Temporal workflow the caller's running loop is Temporal's own, so every
context here is bound to one shared, process-wide loop thread instead. The thread only pumps
mini-racer's futures; results are waited for synchronously by the caller, which keeps
evaluation order (and so determinism) entirely in the caller's hands.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path
from typing import Any

from py_mini_racer import MiniRacer, init_mini_racer, mini_racer

__all__ = ["PRELUDE_FILES", "V8Context", "prelude_source"]

PRELUDE_FILES = ("core.js", "luxon.js", "extensions.js", "jmespath.js", "proxies.js")
_JS_DIR = Path(__file__).resolve().parent / "js"

# Load the V8 library now, while this module is imported by the host process: mini-racer finds
# its files with `importlib.resources.files("py_mini_racer")` on first use, an import by name
# that Temporal's workflow sandbox refuses when the first use happens inside a workflow.
init_mini_racer(ignore_duplicate_init=True)

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _shared_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="hive-v8-loop", daemon=True).start()
            _loop = loop
        return _loop


@lru_cache(maxsize=1)
def prelude_source() -> str:
    """The prelude, concatenated in load order."""
    return "\n;\n".join((_JS_DIR / name).read_text(encoding="utf-8") for name in PRELUDE_FILES)


class V8Context:
    """A fresh V8 context with the prelude loaded and a hard heap limit."""

    def __init__(self, memory_limit_bytes: int, prelude_timeout_s: float = 10.0) -> None:
        self._cm: AbstractContextManager[MiniRacer] = mini_racer(_shared_loop())
        self.mr: MiniRacer = self._cm.__enter__()
        try:
            self.mr.set_hard_memory_limit(memory_limit_bytes)
            self.mr.eval(prelude_source(), timeout_sec=prelude_timeout_s)
        except BaseException:
            self.close()
            raise

    def eval(self, code: str, timeout_s: float) -> Any:
        """Evaluate ``code``; raises mini-racer's exceptions unchanged."""
        return self.mr.eval(code, timeout_sec=timeout_s)

    def close(self) -> None:
        cm = self.__dict__.pop("_cm", None)
        if cm is not None:
            cm.__exit__(None, None, None)
