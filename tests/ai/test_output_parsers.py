"""Auto-fixing Output Parser and Item List Output Parser on a Basic LLM Chain, end to end
through a real dev server: n8n's instructions, the fix call on the fixer's own model, and the
clear error when even the fixed reply does not fit."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

EXAMPLE = '{"city": "Paris", "country": "France"}'


def _chain(cluster: AiCluster, parser: dict[str, Any], extra: list[Any]) -> dict[str, Any]:
    chain = lc("Chain", "chainLlm", 1.5, 200, promptType="define", text="Name a city", hasOutputParser=True)
    return ai_workflow(
        "parsers",
        [base("Start", "manualTrigger", 1), code("Data", "return [{json: {}}];"), chain],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", "Chain"),
            (parser, "ai_outputParser", "Chain"),
            *extra,
        ],
    )


def _autofixing(cluster: AiCluster, **options: Any) -> dict[str, Any]:
    fixer = lc("Fixer", "outputParserAutofixing", 1, 300, options=options)
    inner = lc("Structured", "outputParserStructured", 1.2, 400, jsonSchemaExample=EXAMPLE)
    fix_model = lc("Fix Model", "lmChatOllama", 1, 400, model=cluster.model, options={"temperature": 0})
    return _chain(
        cluster, fixer, [(inner, "ai_outputParser", "Fixer"), (fix_model, "ai_languageModel", "Fixer")]
    )


def _fixed_on_retry(prompt: str) -> str:
    if "did not satisfy the constraints" in prompt or "PLEASE FIX" in prompt:
        return '{"output": {"city": "Lyon", "country": "France"}}'
    return "Lyon, France!"


async def test_auto_fixing_parser_fixes_once_on_its_own_model(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_fixed_on_retry, follow_format=False)
    snapshot = await ai_cluster.run(_autofixing(ai_cluster))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"output": {"city": "Lyon", "country": "France"}}]
    first, fix = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    assert "You must format your output as a JSON value" in first["messages"][-1]["content"]
    assert fix["options"] == {"temperature": 0}  # the fixer's model, with its own options
    assert "Completion:\n--------------\nLyon, France!" in fix["messages"][0]["content"]


async def test_auto_fixing_with_its_own_prompt_then_a_clear_error(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_fixed_on_retry, follow_format=False)
    prompt = "PLEASE FIX {completion} because {error}. Rules: {instructions}"
    snapshot = await ai_cluster.run(_autofixing(ai_cluster, prompt=prompt))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    fix = [b for b in ai_cluster.fake.stats.bodies if "messages" in b][1]["messages"][0]["content"]
    assert fix.startswith("PLEASE FIX Lyon, France! because the reply is not valid JSON")

    ai_cluster.configure(reply="still not JSON", follow_format=False)
    snapshot = await ai_cluster.run(_autofixing(ai_cluster))
    assert snapshot.status is ExecutionStatus.ERROR
    assert "does not fit the output parser 'Structured' after 2 attempts" in str(snapshot.error)


async def test_item_list_parser(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="Paris\nLyon\n\nNice\nLille")
    parser = lc("List", "outputParserItemList", 1, 300, options={"numberOfItems": 3})
    snapshot = await ai_cluster.run(_chain(ai_cluster, parser, []))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"data": ["Paris", "Lyon", "Nice"]}]
    prompt = ai_cluster.fake.stats.bodies[-1]["messages"][-1]["content"]
    assert prompt == (
        'Name a city\nYour response should be a list of 3 items separated by "\n" '
        '(for example: "item1\nitem2\nitem3")'
    )

    ai_cluster.configure(reply="Paris, Lyon")
    parser = lc("List", "outputParserItemList", 1, 300, options={"separator": ","})
    snapshot = await ai_cluster.run(_chain(ai_cluster, parser, []))
    assert snapshot.status is ExecutionStatus.ERROR
    assert "Wrong number of items returned. Expected 3 items but got 2 items instead." in str(snapshot.error)


def test_auto_fixing_parser_needs_its_model_and_parser() -> None:
    chain = lc("Chain", "chainLlm", 1.5, 200, hasOutputParser=True)
    fixer = lc("Fixer", "outputParserAutofixing", 1, 300)
    workflow = ai_workflow(
        "w",
        [base("Start", "manualTrigger", 1), chain],
        [(lc("Model", "lmChatOllama", 1), "ai_languageModel", "Chain"), (fixer, "ai_outputParser", "Chain")],
    )
    with pytest.raises(CompileError) as caught:
        compile_export(workflow)
    assert 'node "Fixer"' in caught.value.message
    assert "needs a language model" in caught.value.message
    assert "needs the output parser it fixes" in caught.value.message
