"""A model sub-node, evaluated for one item: the cluster model its calls use, and their options.

Ollama model nodes name a cluster model directly. Provider model nodes (OpenAI, Gemini,
Anthropic, ...) name a provider model, mapped to a cluster model by the plan's `model_aliases`
(hive.yaml) — the compiler already did this for models written in the node; here it is done
again with the evaluated parameter, so a model given by an expression is mapped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hive_core.config.model_aliases import DEFAULT_MODEL_ALIASES
from n8n_import.ai_models import model_name, model_node, model_parameter, translate_options
from n8n_import.plan import Plan, PlanNode
from n8n_runtime.ai.options import model_options
from n8n_runtime.nodes.base import NodeError, ParameterAccess

_OLLAMA_DEFAULT = "llama3.2"
OLLAMA_CHAT = "@n8n/n8n-nodes-langchain.lmChatOllama"


@dataclass
class ResolvedModel:
    """What one model node's calls are, in Ollama terms."""

    model: str
    chat: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    keep_alive: str | float | None = None
    # "json", a JSON schema, or None.
    format: Any = None
    timeout_s: float | None = None


def resolve_model(plan: Plan, node: PlanNode, params: ParameterAccess, item: int) -> ResolvedModel:
    """The cluster model and options of model sub-node `node` for item `item`.

    Raises:
        NodeError: the provider model has no cluster model in `model_aliases`.
    """
    spec = model_node(node.type)
    if spec is None:  # an Ollama model node
        options, keep_alive, json_format = model_options(params.get("options", item, {}) or {})
        return ResolvedModel(
            model=str(params.get("model", item, _OLLAMA_DEFAULT)),
            chat=node.type == OLLAMA_CHAT,
            options=options,
            keep_alive=keep_alive,
            format="json" if json_format else None,
        )
    name, default = model_parameter(spec, node.parameters)
    provider_model = model_name(params.get(name, item, default))
    if not provider_model:
        raise NodeError(f"No model given in '{node.name}'", item_index=item)
    aliases = plan.model_aliases or DEFAULT_MODEL_ALIASES
    match = aliases.resolve(spec.provider, spec.kind, provider_model)
    if match is None:
        raise NodeError(
            f"model \"{provider_model}\" ({spec.provider}) of '{node.name}' is not mapped to a cluster model",
            description="Add it to model_aliases in hive.yaml, e.g. "
            + aliases.suggestion(spec.kind, provider_model).replace("\n", " / "),
            item_index=item,
        )
    translated = translate_options(params.get("options", item, {}) or {})
    return ResolvedModel(
        model=match.cluster_model,
        chat=spec.api == "chat",
        options=translated.options,
        format=translated.format,
        timeout_s=translated.timeout_s,
    )


__all__ = ["ResolvedModel", "resolve_model"]
