"""`model_aliases:` of hive.yaml: which cluster model serves a provider's model.

n8n workflows name OpenAI, Gemini, Anthropic... models; Hive runs every LLM call on the
cluster's Ollama hosts. A provider model is looked up in this order, first hit wins:

    1. an exact key of `chat:` / `embeddings:`          gpt-4o-mini: llama3.1:8b
    2. a glob key of the same table, in file order      "claude-3-5-*": llama3.1:8b
    3. the provider's default                           providers: {openai: {chat: llama3.1:8b}}
    4. the default of every provider                    providers: {"*": {chat: llama3.1:8b}}

OpenAI assistants (`asst_...`) keep their instructions on OpenAI's servers; `assistants:` maps an
assistant id (exact, then globs in file order, `"*"` last) to a cluster model and the instructions
the agent runs with:

    assistants:
      "asst_abc123": {model: llama3.1:8b, instructions: "You answer questions about our shop."}
      "*": {model: llama3.1:8b, instructions: "You are a helpful assistant."}

Pure data and a pure lookup: the compiler uses it (no I/O), and so does the runtime for a model
named by an expression.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

ModelKind = Literal["chat", "embeddings"]
_GLOB = frozenset("*?[")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProviderDefaults(_Strict):
    """The cluster models a provider's unlisted models go to."""

    chat: str | None = None
    embeddings: str | None = None


class AliasMatch(_Strict):
    """A resolved provider model: the cluster model and the hive.yaml rule that chose it."""

    provider: str
    model: str
    cluster_model: str
    rule: str


class AssistantAlias(_Strict):
    """What an OpenAI assistant runs as on the cluster: an agent with this model and system message."""

    model: str
    instructions: str = ""


class AssistantMatch(_Strict):
    """A resolved assistant id: its cluster model, instructions and the hive.yaml rule that chose it."""

    assistant_id: str
    cluster_model: str
    instructions: str
    rule: str


class ModelAliases(_Strict):
    """Provider model → cluster model tables (see the module docstring)."""

    chat: dict[str, str] = Field(default_factory=dict)
    embeddings: dict[str, str] = Field(default_factory=dict)
    # Keyed by provider (openai, anthropic, google_gemini, ... see n8n_import's model table); "*": all.
    providers: dict[str, ProviderDefaults] = Field(default_factory=dict)
    # OpenAI assistant id (or glob) → the agent it runs as (see the module docstring).
    assistants: dict[str, AssistantAlias] = Field(default_factory=dict)

    def resolve_assistant(self, assistant_id: str) -> AssistantMatch | None:
        """The agent an OpenAI assistant runs as, or None when no rule covers its id."""
        found = _in_table(self.assistants, assistant_id)
        if found is None:
            return None
        key, alias = found
        return AssistantMatch(
            assistant_id=assistant_id,
            cluster_model=alias.model,
            instructions=alias.instructions,
            rule=f'model_aliases.assistants."{key}"',
        )

    def assistant_suggestion(self, assistant_id: str) -> str:
        """The hive.yaml lines that would map `assistant_id` (for the error of an unmapped one)."""
        target = self.resolve("openai", "chat", "gpt-4o-mini")
        model = target.cluster_model if target is not None else CHAT_DEFAULT
        return (
            f'model_aliases:\n  assistants:\n    "{assistant_id}": '
            f'{{model: {model}, instructions: "<the assistant\'s instructions>"}}'
        )

    def resolve(self, provider: str, kind: ModelKind, model: str) -> AliasMatch | None:
        """The cluster model for `model` of `provider`, or None when no rule covers it."""
        table = self.chat if kind == "chat" else self.embeddings
        found = _in_table(table, model)
        if found is not None:
            key, target = found
            return AliasMatch(
                provider=provider, model=model, cluster_model=target, rule=f'model_aliases.{kind}."{key}"'
            )
        for name in (provider, "*"):
            defaults = self.providers.get(name)
            fallback: str | None = getattr(defaults, kind) if defaults is not None else None
            if fallback:
                return AliasMatch(
                    provider=provider,
                    model=model,
                    cluster_model=fallback,
                    rule=f'model_aliases.providers."{name}".{kind}',
                )
        return None

    def suggestion(self, kind: ModelKind, model: str) -> str:
        """The hive.yaml lines that would map `model` (for the error of an unmapped model)."""
        example = next(iter((self.chat if kind == "chat" else self.embeddings).values()), None)
        target = example or ("nomic-embed-text" if kind == "embeddings" else "llama3.1:8b")
        return f'model_aliases:\n  {kind}:\n    "{model}": {target}'


T = TypeVar("T")


def _in_table(table: dict[str, T], model: str) -> tuple[str, T] | None:
    if model in table:
        return model, table[model]
    for key, target in table.items():
        if _GLOB & set(key) and fnmatchcase(model, key):
            return key, target
    return None


CHAT_DEFAULT = "llama3.1:8b"
EMBEDDINGS_DEFAULT = "nomic-embed-text"
# The system message of an assistant that hive.yaml maps by the "*" default only.
ASSISTANT_INSTRUCTIONS = "You are a helpful assistant."

# What Hive uses when hive.yaml has no `model_aliases:` section (config/hive.yaml spells it out).
DEFAULT_MODEL_ALIASES = ModelAliases(
    chat={
        "gpt-4o-mini": CHAT_DEFAULT,
        "gpt-4o*": CHAT_DEFAULT,
        "gpt-4*": CHAT_DEFAULT,
        "gpt-3.5*": CHAT_DEFAULT,
        "gpt-5*": CHAT_DEFAULT,
        "o1*": CHAT_DEFAULT,
        "o3*": CHAT_DEFAULT,
        "o4*": CHAT_DEFAULT,
        "claude-*": CHAT_DEFAULT,
        "gemini-*": CHAT_DEFAULT,
        "mistral-*": CHAT_DEFAULT,
        "open-mixtral-*": CHAT_DEFAULT,
        "deepseek-*": CHAT_DEFAULT,
        "grok-*": CHAT_DEFAULT,
    },
    embeddings={
        "text-embedding-3-small": EMBEDDINGS_DEFAULT,
        "text-embedding-3-large": EMBEDDINGS_DEFAULT,
        "text-embedding-ada-002": EMBEDDINGS_DEFAULT,
        "text-embedding-004": EMBEDDINGS_DEFAULT,
        "mistral-embed": EMBEDDINGS_DEFAULT,
    },
    providers={"*": ProviderDefaults(chat=CHAT_DEFAULT, embeddings=EMBEDDINGS_DEFAULT)},
    assistants={"*": AssistantAlias(model=CHAT_DEFAULT, instructions=ASSISTANT_INSTRUCTIONS)},
)

__all__ = [
    "DEFAULT_MODEL_ALIASES",
    "AliasMatch",
    "AssistantAlias",
    "AssistantMatch",
    "ModelAliases",
    "ModelKind",
    "ProviderDefaults",
]
