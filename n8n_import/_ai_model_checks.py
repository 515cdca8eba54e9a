"""Compile-time routing of provider model nodes: which cluster model each one will use.

A model named in the node (string or resource locator) is looked up in `model_aliases` now: no
rule → an error naming the model and the hive.yaml lines that would map it; a rule → a warning
saying which one (so `hive compile` shows where every model call goes). A model given by an
expression is looked up at run time with the same table (the plan carries it). Options without
an Ollama meaning are named in a warning, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hive_core.config.model_aliases import ModelAliases
from n8n_import._nodes import node_type_label
from n8n_import.ai_models import (
    existing_assistant,
    is_assistant,
    is_expression,
    model_name,
    model_node,
    model_parameter,
    self_model_node,
    translate_options,
)
from n8n_import.diagnostics import Diagnostic, error, warning
from n8n_import.model import N8nNode

OLLAMA_MODELS = frozenset(
    "@n8n/n8n-nodes-langchain." + name for name in ("lmChatOllama", "lmOllama", "embeddingsOllama")
)


def check_model_nodes(nodes: list[N8nNode], aliases: ModelAliases) -> tuple[list[Diagnostic], dict[str, str]]:
    """Diagnostics of every model node, and the cluster model of each statically named one."""
    diags: list[Diagnostic] = []
    cluster: dict[str, str] = {}
    for node in nodes:
        if node.disabled:
            continue
        if node.type in OLLAMA_MODELS:
            model = node.parameters.get("model")
            if isinstance(model, str) and model and not is_expression(model):
                cluster[node.name] = model
            continue
        diags.extend(_check(node, aliases, cluster))
    return diags, cluster


def _check(node: N8nNode, aliases: ModelAliases, cluster: dict[str, str]) -> Iterator[Diagnostic]:
    spec = model_node(node.type) or self_model_node(node.type)
    if spec is None:
        return
    where: dict[str, Any] = {"node": node.name, "node_type": node_type_label(node)}
    for name, what in spec.unsupported.items():
        if node.parameters.get(name):
            yield error(
                f"{what} run on the provider's servers; the cluster cannot run them",
                field=f"parameters.{name}",
                **where,
            )
    if is_assistant(node.type, node.parameters) and existing_assistant(node.type, node.parameters):
        yield from _check_assistant(node, aliases, cluster, where)
        return
    options = node.parameters.get("options")
    if isinstance(options, dict) and not is_assistant(node.type, node.parameters):
        dropped = translate_options(options).dropped
        for option, why in dropped.items():
            yield warning(
                f'option "{option}" is dropped ({why})', field=f"parameters.options.{option}", **where
            )
    field, raw = model_parameter(spec, node.parameters)
    if is_expression(raw):
        yield warning(
            "the model is an expression: it is mapped to a cluster model by model_aliases when the node runs",
            field=f"parameters.{field}",
            **where,
        )
        return
    model = model_name(raw)
    match = aliases.resolve(spec.provider, spec.kind, model)
    if match is None:
        suggestion = aliases.suggestion(spec.kind, model).replace("\n", " / ")
        yield error(
            f'model "{model}" ({spec.provider}) is not mapped to a cluster model: no rule of hive.yaml\'s '
            f"model_aliases covers it; add it, e.g. {suggestion}",
            field=f"parameters.{field}",
            **where,
        )
        return
    cluster[node.name] = match.cluster_model
    if node.parameters.get("resource") == "image":
        yield warning(
            f'image/analyze sends the images to cluster model "{match.cluster_model}": map the model to '
            "a vision model (llava, llama3.2-vision, qwen2.5vl, ...)",
            field=f"parameters.{field}",
            **where,
        )
    yield warning(
        f'runs on cluster model "{match.cluster_model}" (model "{model}" mapped by {match.rule})',
        field=f"parameters.{field}",
        **where,
    )


_NOT_ON_CLUSTER = (
    "the assistant's instructions, files, code interpreter and threads on OpenAI's servers are not "
    "available (copy its instructions to that rule)"
)


def _check_assistant(
    node: N8nNode, aliases: ModelAliases, cluster: dict[str, str], where: dict[str, Any]
) -> Iterator[Diagnostic]:
    """An OpenAI assistant runs as an agent with the model and instructions hive.yaml maps its id to."""
    raw = node.parameters.get("assistantId", "")
    if is_expression(raw):
        yield warning(
            "the assistant is an expression: it is mapped to a cluster model and instructions by "
            f"model_aliases.assistants when the node runs; {_NOT_ON_CLUSTER}",
            field="parameters.assistantId",
            **where,
        )
        return
    assistant_id = model_name(raw)
    if not assistant_id:
        yield error("no assistant is selected", field="parameters.assistantId", **where)
        return
    match = aliases.resolve_assistant(assistant_id)
    if match is None:
        suggestion = aliases.assistant_suggestion(assistant_id).replace("\n", " / ")
        yield error(
            f'OpenAI assistant "{assistant_id}" is not mapped to a cluster model: no rule of hive.yaml\'s '
            f"model_aliases.assistants covers it; add it, e.g. {suggestion}",
            field="parameters.assistantId",
            **where,
        )
        return
    cluster[node.name] = match.cluster_model
    yield warning(
        f'runs as an AI agent on cluster model "{match.cluster_model}" with the instructions of '
        f'{match.rule} (assistant "{assistant_id}"), with the node\'s tools and memory; {_NOT_ON_CLUSTER}',
        field="parameters.assistantId",
        **where,
    )
    if node.parameters.get("memory") == "threadId":
        yield warning(
            "the thread's conversation is kept in Hive's chat memory under its thread id (OpenAI's "
            "threads are not read)",
            field="parameters.threadId",
            **where,
        )


__all__ = ["check_model_nodes"]
