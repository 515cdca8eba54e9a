"""Provider model nodes (OpenAI, Gemini, Anthropic, embeddings, ...) routed to cluster models by
hive.yaml's `model_aliases`: resolution rules, compile warnings and errors, and runs end to end
through a real dev server on the fake Ollama with the provider's options translated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hive_core.config import DEFAULT_MODEL_ALIASES, ModelAliases, ProviderDefaults, load_cluster_config
from hive_core.config.loader import parse_cluster_config
from hive_core.errors import CompileError, ConfigError
from n8n_import import compile_export
from n8n_import.ai_models import MODEL_NODES, translate_options
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

ROOT = Path(__file__).resolve().parents[2]
ALIASES = ModelAliases(
    chat={"gpt-4o-mini": "small:1b", "claude-3-5-*": "big:70b", "gemini-*": "gem:2b"},
    embeddings={"text-embedding-3-small": "embed:1"},
    providers={"groq": ProviderDefaults(chat="groq-local:8b")},
)


def _chain(model: dict[str, Any], root: dict[str, Any] | None = None) -> dict[str, Any]:
    return ai_workflow(
        "w",
        [base("Start", "manualTrigger", 1), root or lc("Chain", "chainLlm", 1.7, 200)],
        [(model, "ai_languageModel", "Chain")],
    )


def _diagnostics(plan: Any, node: str) -> list[str]:
    return [d.message for d in plan.diagnostics if d.node == node]


def test_resolution_order_exact_glob_provider_then_star() -> None:
    aliases = ModelAliases(
        chat={"gpt-4o*": "glob:1", "gpt-4o-mini": "exact:1"},
        providers={"openai": ProviderDefaults(chat="openai:1"), "*": ProviderDefaults(chat="any:1")},
    )
    assert aliases.resolve("openai", "chat", "gpt-4o-mini").cluster_model == "exact:1"  # type: ignore[union-attr]
    glob = aliases.resolve("openai", "chat", "gpt-4o-2024-08-06")
    assert glob is not None and glob.cluster_model == "glob:1" and glob.rule == 'model_aliases.chat."gpt-4o*"'
    assert aliases.resolve("openai", "chat", "o3-mini").cluster_model == "openai:1"  # type: ignore[union-attr]
    star = aliases.resolve("groq", "chat", "llama3-70b")
    assert star is not None and star.rule == 'model_aliases.providers."*".chat'
    assert aliases.resolve("groq", "embeddings", "x") is None


def test_shipped_hive_yaml_spells_out_the_defaults() -> None:
    cluster = load_cluster_config(ROOT / "config" / "hive.yaml")
    assert cluster.model_aliases == DEFAULT_MODEL_ALIASES
    assert parse_cluster_config({}).aliases == DEFAULT_MODEL_ALIASES


def test_unknown_key_in_model_aliases_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"model_aliases\.chats: unknown key"):
        parse_cluster_config({"model_aliases": {"chats": {"a": "b"}}})


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (lc("Model", "lmChatOpenAi", 1, model="gpt-4o-mini"), "small:1b"),
        (
            lc("Model", "lmChatOpenAi", 1.2, model={"__rl": True, "value": "gpt-4o-mini", "mode": "list"}),
            "small:1b",
        ),
        (lc("Model", "lmChatOpenAi", 1), "small:1b"),  # n8n's default model
        (lc("Model", "lmChatAnthropic", 1.2, model="claude-3-5-haiku-20241022"), "big:70b"),
        (
            lc(
                "Model",
                "lmChatAnthropic",
                1.3,
                model={"__rl": True, "value": "claude-3-5-sonnet", "mode": "id"},
            ),
            "big:70b",
        ),
        (lc("Model", "lmChatGoogleGemini", 1, modelName="models/gemini-1.5-flash"), "gem:2b"),
        (lc("Model", "lmChatGoogleVertex", 1, modelName="gemini-2.0-flash"), "gem:2b"),
        (lc("Model", "lmChatGroq", 1, model="llama-3.2-90b-text-preview"), "groq-local:8b"),
    ],
)
def test_every_model_shape_compiles_to_its_cluster_model(node: dict[str, Any], expected: str) -> None:
    plan = compile_export(_chain(node), aliases=ALIASES)[0]
    assert plan.nodes["Model"].cluster_model == expected
    (message,) = _diagnostics(plan, "Model")
    assert f'runs on cluster model "{expected}"' in message
    assert plan.model_aliases == ALIASES  # carried for models named by expressions


def test_every_declared_model_node_compiles_with_the_defaults() -> None:
    for spec in MODEL_NODES.values():
        for version in spec.versions:
            node = lc("Model", spec.name, version)
            if spec.api == "embed":
                store = lc("Store", "vectorStoreInMemory", 1.1, 200, mode="load", prompt="q")
                workflow = ai_workflow(
                    "w", [base("Start", "manualTrigger", 1), store], [(node, "ai_embedding", "Store")]
                )
            else:
                workflow = _chain(node)
            plan = compile_export(workflow)[0]
            assert plan.nodes["Model"].cluster_model in ("llama3.1:8b", "nomic-embed-text"), spec.name


def test_unmapped_model_is_an_error_with_the_yaml_that_maps_it() -> None:
    with pytest.raises(CompileError) as caught:
        compile_export(
            _chain(lc("Model", "lmChatMistralCloud", 1, model="open-mixtral-8x7b")), aliases=ALIASES
        )
    message = caught.value.message
    assert 'node "Model" (@n8n/n8n-nodes-langchain.lmChatMistralCloud@1)' in message
    assert 'model "open-mixtral-8x7b" (mistral) is not mapped to a cluster model' in message
    assert 'model_aliases: /   chat: /     "open-mixtral-8x7b": small:1b' in message


def test_dropped_options_are_named_and_kept_ones_translated() -> None:
    options = {
        "temperature": 0.3,
        "topP": 0.9,
        "maxTokens": 120,
        "frequencyPenalty": 0.5,
        "presencePenalty": 0,
        "responseFormat": "json_object",
        "timeout": 30000,
        "maxRetries": 4,
        "reasoningEffort": "low",
        "baseURL": "https://example.test/v1",
    }
    plan = compile_export(
        _chain(lc("Model", "lmChatOpenAi", 1, model="gpt-4o-mini", options=options)), aliases=ALIASES
    )[0]
    messages = " | ".join(_diagnostics(plan, "Model"))
    for dropped in ("maxRetries", "reasoningEffort", "baseURL"):
        assert f'option "{dropped}" is dropped' in messages
    assert "temperature" not in messages
    translated = translate_options(options)
    assert translated.options == {
        "temperature": 0.3,
        "top_p": 0.9,
        "num_predict": 120,
        "frequency_penalty": 0.5,
    }
    assert translated.format == "json"
    assert translated.timeout_s == 30
    schema = {"textOptions": [{"type": "json_schema", "schema": '{"type": "object"}'}]}
    assert translate_options({"textFormat": schema, "maxTokens": -1}).format == {"type": "object"}


def test_built_in_openai_tools_are_a_compile_error() -> None:
    model = lc("Model", "lmChatOpenAi", 1.3, model="gpt-4o-mini", builtInTools={"webSearch": {}})
    with pytest.raises(CompileError, match="built-in tools"):
        compile_export(_chain(model), aliases=ALIASES)


def test_model_nodes_wired_where_n8n_rejects_them() -> None:
    embed = lc("Model", "embeddingsOpenAi", 1.2)
    with pytest.raises(CompileError, match="belongs on ai_embedding"):
        compile_export(_chain(embed))
    agent = lc("Chain", "agent", 1.7, 200)
    with pytest.raises(CompileError, match="needs a chat model"):
        compile_export(_chain(lc("Model", "lmOpenAi", 1), root=agent))
    # Attached to nothing: n8n never runs it (a warning, the workflow compiles).
    alone = ai_workflow("w", [base("Start", "manualTrigger", 1), lc("E", "embeddingsGoogleGemini", 1)], [])
    notes = [d.message for d in compile_export(alone)[0].diagnostics if d.node == "E"]
    assert any("attached to nothing" in n and "ai_embedding" in n for n in notes), notes


def _provider_chain(model_node: dict[str, Any]) -> dict[str, Any]:
    return ai_workflow(
        "provider chain",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'hello', m: 'gpt-4o-mini'}}];"),
            lc("Chain", "chainLlm", 1.7, 200),
        ],
        [(model_node, "ai_languageModel", "Chain")],
    )


async def test_openai_chat_model_runs_on_the_mapped_model(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="mapped")
    options = {"temperature": 0.1, "maxTokens": 64, "topP": 0.5, "responseFormat": "json_object"}
    node = lc(
        "OpenAI",
        "lmChatOpenAi",
        1.2,
        model={"__rl": True, "value": "gpt-4o-mini", "mode": "list"},
        options=options,
    )
    snapshot = await ai_cluster.run(_provider_chain(node), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    # In JSON mode the fake answers JSON, as Ollama's `format: json` makes a model do.
    assert json.loads(output(snapshot, "Chain")[0]["text"])
    (body,) = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    assert body["model"] == ai_cluster.model
    assert body["options"] == {"temperature": 0.1, "num_predict": 64, "top_p": 0.5}
    assert body["format"] == "json"


async def test_model_from_an_expression_is_mapped_at_run_time(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="dynamic")
    node = lc("Router", "lmChatOpenRouter", 1, model="={{ $json.m }}")
    aliases = ModelAliases(chat={"gpt-4o-mini": ai_cluster.model})
    plan = compile_export(_provider_chain(node), aliases=aliases)[0]
    assert any(
        "mapped to a cluster model by model_aliases when the node runs" in m
        for m in _diagnostics(plan, "Router")
    )
    snapshot = await ai_cluster.run(_provider_chain(node), aliases)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert ai_cluster.fake.stats.bodies[-1]["model"] == ai_cluster.model
    # An expression naming a model no rule covers fails the node, naming the model.
    unmapped = lc("Router", "lmChatOpenRouter", 1, model="={{ 'x-' + $json.m }}")
    snapshot = await ai_cluster.run(_provider_chain(unmapped), aliases)
    assert snapshot.status is ExecutionStatus.ERROR
    assert 'model "x-gpt-4o-mini" (openrouter)' in str(snapshot.error)


async def test_text_completion_model_uses_generate(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="completed")
    node = lc("LLM", "lmOpenAi", 1, model={"__rl": True, "value": "gpt-3.5-turbo-instruct", "mode": "list"})
    snapshot = await ai_cluster.run(_provider_chain(node), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"text": "completed"}]
    assert ai_cluster.fake.stats.requests["/api/generate"] == 1


async def test_provider_embeddings_feed_the_vector_store(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=64)
    embed = lc("Embed", "embeddingsOpenAi", 1.2, 300, model="text-embedding-3-small")
    insert = ai_workflow(
        "vectors",
        [base("Start", "manualTrigger", 1), lc("Store", "vectorStoreInMemory", 1.1, 200, mode="insert")],
        [
            (embed, "ai_embedding", "Store"),
            (lc("Loader", "documentDefaultDataLoader", 1, 300), "ai_document", "Store"),
        ],
        workflow_id="wf-provider-embeddings",
    )
    snapshot = await ai_cluster.run(
        insert,
        ai_cluster.aliases(),
        trigger_items=[{"json": {"text": "cats purr"}}, {"json": {"text": "moon rockets"}}],
    )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    embeds = [b for b in ai_cluster.fake.stats.bodies if "input" in b]
    assert embeds and all(b["model"] == ai_cluster.model for b in embeds)


def test_config_check_names_alias_targets_no_agent_serves() -> None:
    from hive_core.cli.config_cmd import unserved_alias_targets

    assert unserved_alias_targets(load_cluster_config(ROOT / "config" / "hive.yaml")) == []
    assert unserved_alias_targets(load_cluster_config(ROOT / "config" / "hive.local.yaml")) == []
    cluster = parse_cluster_config(
        {
            "agents": {"a": {"endpoint": "http://127.0.0.1:1", "model": "small:1b"}},
            "model_aliases": {"chat": {"gpt-4o": "small:1b"}, "providers": {"*": {"embeddings": "embed:1"}}},
        }
    )
    assert unserved_alias_targets(cluster) == ["embed:1"]
