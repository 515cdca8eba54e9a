"""A real local model behind Ollama's HTTP API: SmolLM2-135M-Instruct on llama.cpp (``xllamacpp``).

    weights.py   where the GGUF comes from (path → installed package → cache, downloaded once)
    engine.py    the loaded model: one generation at a time, streamed, stoppable
    protocol.py  Ollama request bodies → llama.cpp (OpenAI-shaped) bodies
    replies.py   llama.cpp chunks → Ollama NDJSON objects with nanosecond metrics
    card.py      the model as /api/tags, /api/ps and /api/show describe it (gguf.py reads the header)
    app.py       the Starlette routes;  server.py  uvicorn until SIGTERM;  __main__.py  the CLI

Run it with ``python -m hive_core.local_model --port 11434`` or ``hive local-model serve``.
``xllamacpp`` is imported only when a model is loaded, so importing this package stays light.
"""

from hive_core.local_model.card import DEFAULT_MODEL_NAME
from hive_core.local_model.errors import WeightsNotFoundError, WeightsUnavailableError
from hive_core.local_model.settings import LocalModelSettings
from hive_core.local_model.weights import resolve_weights

__all__ = [
    "DEFAULT_MODEL_NAME",
    "LocalModelSettings",
    "WeightsNotFoundError",
    "WeightsUnavailableError",
    "resolve_weights",
]
