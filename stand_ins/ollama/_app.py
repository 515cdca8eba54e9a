"""The fake Ollama's Starlette app: request checks, what to reply, the non-generating endpoints."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from hive_core.config.models import normalize_model_name
from hive_core.ollama.wire import ApiError, api_error_response, json_response, nonzero, now
from stand_ins.ollama._stream import Plan, respond
from stand_ins.ollama._text import count_tokens, default_reply, embedding, json_reply, tokenize
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig, FakeStats


def _word_embedding(text: str, dim: int) -> list[float]:
    """A bag-of-words vector: each lower-cased word adds 1 to a dimension chosen by its hash."""
    vector = [0.0] * dim
    for word in "".join(c if c.isalnum() else " " for c in text.lower()).split():
        vector[int(hashlib.sha256(word.encode()).hexdigest()[:8], 16) % dim] += 1.0
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return [x / norm for x in vector]


def _details(model: str) -> dict[str, Any]:
    family = model.split(":")[0].split("/")[-1].rstrip("0123456789.") or "llama"
    return {
        "parent_model": "",
        "format": "gguf",
        "family": family,
        "families": [family],
        "parameter_size": "3.2B",
        "quantization_level": "Q4_K_M",
    }


def _digest(model: str) -> str:
    return hashlib.sha256(model.encode()).hexdigest()


class _FakeOllama:
    # Reads config and stats through the owner on every request, so that `reset()` takes effect.
    def __init__(self, owner: FakeOllama) -> None:
        self.owner = owner

    @property
    def config(self) -> FakeOllamaConfig:
        return self.owner.config

    @property
    def stats(self) -> FakeStats:
        return self.owner.stats

    @property
    def loaded(self) -> dict[str, float]:
        return self.owner.stats.loaded

    # -- request plumbing -------------------------------------------------------------------

    async def _body(self, request: Request) -> dict[str, Any]:
        self.stats.requests[request.url.path] += 1
        raw = await request.body()
        if not raw:
            raise ApiError(400, "missing request body")
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ApiError(400, f"invalid character at offset {exc.pos}: {exc.msg}") from None
        if not isinstance(body, dict):
            raise ApiError(400, "json: cannot unmarshal value into Go value of type api.Request")
        self.stats.last_request = body
        self.stats.bodies.append(body)
        return body

    def _model(self, body: dict[str, Any], *, key: str = "model") -> str:
        model = body.get(key) or body.get("name") or ""
        if not isinstance(model, str) or not model.strip():
            raise ApiError(400, "model is required")
        if not self.config.serves(model):
            raise ApiError(404, f"model '{model}' not found")
        return model

    def _check_faults(self) -> None:
        if self.config.faults.status is not None:
            raise ApiError(self.config.faults.status, self.config.faults.status_message)

    def _keep(self, model: str, keep_alive: Any) -> bool:
        """Track loaded models for /api/ps; False when ``keep_alive`` is 0 (unload)."""
        name = normalize_model_name(model)
        if keep_alive in (0, "0", "0s", "0m"):
            self.loaded.pop(name, None)
            return False
        self.loaded[name] = time.time() + 300
        return True

    # -- replies ----------------------------------------------------------------------------

    def _reply_text(self, prompt: str, body: dict[str, Any]) -> str:
        if body.get("format") and self.config.follow_format:
            return json_reply(body["format"], prompt)
        reply = self.config.reply
        if callable(reply):
            return reply(prompt)
        if reply is not None:
            return reply
        return default_reply(prompt, self.config.reply_tokens)

    def _plan(self, kind: str, model: str, prompt: str, all_text: str, body: dict[str, Any]) -> Plan:
        options = body.get("options") or {}
        plan = Plan(kind, model, count_tokens(all_text), raw=bool(body.get("raw")))
        if body.get("think") and self.config.thinking:
            plan.thinking = tokenize(self.config.thinking)
        answered = self.config.tool_calls_once and any(
            isinstance(m, dict) and m.get("role") == "tool" for m in body.get("messages") or []
        )
        if kind == "chat" and body.get("tools") and self.config.tool_calls and not answered:
            plan.tool_calls = self.config.tool_calls
            return plan
        text = self._reply_text(prompt, body)
        stops = options.get("stop") or []
        for stop in [stops] if isinstance(stops, str) else stops:
            if stop and stop in text:
                text = text[: text.index(stop)]
        plan.content = tokenize(text)
        limit = options.get("num_predict")
        if isinstance(limit, int) and 0 <= limit < len(plan.content):
            plan.content = plan.content[:limit]
            plan.done_reason = "length"
        return plan

    # -- endpoints --------------------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        self.stats.requests[request.url.path] += 1
        return PlainTextResponse("Ollama is running")

    async def version(self, request: Request) -> Response:
        self.stats.requests[request.url.path] += 1
        return json_response({"version": self.config.version})

    async def tags(self, request: Request) -> Response:
        self.stats.requests[request.url.path] += 1
        models = [
            {
                "name": normalize_model_name(m),
                "model": normalize_model_name(m),
                "modified_at": "2025-05-04T17:37:44.706015396Z",
                "size": 2019393189,
                "digest": _digest(m),
                "details": _details(m),
            }
            for m in self.config.models
        ]
        return json_response({"models": models})

    async def ps(self, request: Request) -> Response:
        self.stats.requests[request.url.path] += 1
        now = time.time()
        models = []
        for name, expires in sorted(self.loaded.items(), key=lambda kv: -kv[1]):
            if expires < now:
                continue
            expires_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires))
            models.append(
                {
                    "name": name,
                    "model": name,
                    "size": 5137025024,
                    "digest": _digest(name),
                    "details": _details(name),
                    "expires_at": expires_at,
                    "size_vram": 5137025024,
                    "context_length": 4096,
                }
            )
        return json_response({"models": models})

    async def show(self, request: Request) -> Response:
        body = await self._body(request)
        model = self._model(body)
        embed = "minilm" in model or "embed" in model
        return json_response(
            {
                "modelfile": f'# Modelfile generated by "ollama show"\nFROM {model}\n',
                "parameters": 'num_keep 24\nstop "<|eot_id|>"',
                "template": "{{ .Prompt }}",
                "details": _details(model),
                "model_info": {
                    "general.architecture": "llama",
                    "general.parameter_count": 3212749888,
                    "llama.context_length": 131072,
                    "llama.embedding_length": self.config.embedding_dim,
                },
                "capabilities": ["embedding"] if embed else ["completion", "tools"],
                "modified_at": "2025-05-04T17:37:44.706015396Z",
            }
        )

    async def chat(self, request: Request) -> Response:
        started = time.perf_counter_ns()
        body = await self._body(request)
        model = self._model(body)
        self._check_faults()
        messages = body.get("messages") or []
        if not isinstance(messages, list):
            raise ApiError(400, "json: cannot unmarshal messages into []api.Message")
        loaded = self._keep(model, body.get("keep_alive"))
        if not messages:
            message = {"role": "assistant", "content": ""}
            reason = "load" if loaded else "unload"
            return json_response(
                {
                    "model": model,
                    "created_at": now(),
                    "message": message,
                    "done_reason": reason,
                    "done": True,
                }
            )
        texts = [str(m.get("content") or "") for m in messages if isinstance(m, dict)]
        users = [
            str(m.get("content") or "") for m in messages if isinstance(m, dict) and m.get("role") == "user"
        ]
        prompt = users[-1] if users else texts[-1]
        return await respond(
            self._plan("chat", model, prompt, "\n".join(texts), body), body, self.config, self.stats, started
        )

    async def generate(self, request: Request) -> Response:
        started = time.perf_counter_ns()
        body = await self._body(request)
        model = self._model(body)
        self._check_faults()
        prompt = str(body.get("prompt") or "")
        loaded = self._keep(model, body.get("keep_alive"))
        if not prompt:
            final = {"model": model, "created_at": now(), "response": "", "done": True}
            return json_response(final if loaded else final | {"done_reason": "unload"})
        all_text = "\n".join(filter(None, [str(body.get("system") or ""), prompt]))
        return await respond(
            self._plan("generate", model, prompt, all_text, body), body, self.config, self.stats, started
        )

    async def embed(self, request: Request) -> Response:
        started = time.perf_counter_ns()
        body = await self._body(request)
        model = self._model(body)
        self._check_faults()
        inputs = body.get("input", [])
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
            raise ApiError(400, "invalid input type")
        self._keep(model, body.get("keep_alive"))
        dim = body.get("dimensions") or self.config.embedding_dim
        load_ns = round(self.config.load_duration * 1e9)
        vector = _word_embedding if self.config.embedding_kind == "words" else embedding
        return json_response(
            {"model": model, "embeddings": [vector(text, dim) for text in inputs]}
            | nonzero(
                total_duration=time.perf_counter_ns() - started + load_ns,
                load_duration=load_ns,
                prompt_eval_count=sum(count_tokens(text) for text in inputs),
            )
        )

    async def embeddings(self, request: Request) -> Response:
        """The legacy endpoint: one prompt, one vector under ``embedding``."""
        body = await self._body(request)
        self._model(body)
        self._check_faults()
        return json_response(
            {"embedding": embedding(str(body.get("prompt") or ""), self.config.embedding_dim)}
        )


def build_app(owner: FakeOllama) -> Starlette:
    fake = _FakeOllama(owner)

    routes = [
        Route("/", fake.root, methods=["GET"]),
        Route("/api/version", fake.version, methods=["GET"]),
        Route("/api/tags", fake.tags, methods=["GET"]),
        Route("/api/ps", fake.ps, methods=["GET"]),
        Route("/api/show", fake.show, methods=["POST"]),
        Route("/api/chat", fake.chat, methods=["POST"]),
        Route("/api/generate", fake.generate, methods=["POST"]),
        Route("/api/embed", fake.embed, methods=["POST"]),
        Route("/api/embeddings", fake.embeddings, methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={ApiError: api_error_response})
