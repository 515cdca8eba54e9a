"""``python -m hive_core.local_model``: serve SmolLM2-135M behind Ollama's API until SIGTERM/SIGINT.

    python -m hive_core.local_model --host 127.0.0.1 --port 11434 [--threads 1]
        [--model-path FILE.gguf] [--ctx 2048] [--cache-dir DIR]

Flags override ``HIVE_LOCAL_MODEL__*`` variables. Logs one ``... ready on http://host:port`` line
when it accepts requests. Exit codes: 0 after a signal, 2 for bad input, 1 when the environment
fails (busy port, weights unavailable). ``hive up --local-model`` starts this module: keep the
flags stable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hive_core.errors import HiveError, UserError
from hive_core.local_model.settings import settings_with
from hive_core.logs import configure_logging


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hive_core.local_model",
        description="Serve a small local model (SmolLM2-135M, llama.cpp) behind Ollama's HTTP API.",
    )
    parser.add_argument("--host", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 11434; 0 = any free port)")
    parser.add_argument("--threads", type=int, help="CPU threads for llama.cpp (default 1)")
    parser.add_argument("--model-path", type=Path, help="a GGUF file instead of SmolLM2-135M")
    parser.add_argument("--ctx", type=int, help="context window in tokens (default 2048)")
    parser.add_argument("--cache-dir", type=Path, help="where downloaded weights are kept")
    parser.add_argument("--log-level", help="log level (default INFO)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = settings_with(**vars(args))
        configure_logging(settings.log_level)
        from hive_core.local_model.server import serve

        serve(settings)
    except HiveError as exc:
        sys.stderr.write(f"hive local-model: error: {exc.message}\n")
        return 2 if isinstance(exc, UserError) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
