"""Calculator, Think, Wikipedia and SerpAPI tools of an AI Agent, end to end through a real dev
server: the fake Ollama asks for the tool, the tool runs (in the workflow, or as an activity
against a local stand-in of Wikipedia's API / SerpAPI), and its answer goes back to the model."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.ai.simple_tools import calculate
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus


def _agent(cluster: AiCluster, tool: dict[str, Any]) -> dict[str, Any]:
    return ai_workflow(
        "tools",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'question'}}];"),
            lc("Agent", "agent", 1.7, 200),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", "Agent"),
            (tool, "ai_tool", "Agent"),
        ],
    )


async def _ask(
    cluster: AiCluster, tool: dict[str, Any], name: str, argument: str
) -> tuple[str, dict[str, Any]]:
    """Run the agent once with the model calling `name`; (tool answer, tool definition offered)."""
    cluster.configure(
        tool_calls=[{"function": {"name": name, "arguments": {"input": argument}}}],
        tool_calls_once=True,
        reply="done",
    )
    snapshot = await cluster.run(_agent(cluster, tool))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "done"}]
    last = cluster.fake.stats.bodies[-1]
    (definition,) = last["tools"]
    return last["messages"][-1]["content"], definition["function"]


@pytest.mark.parametrize(
    ("expression", "answer"),
    [
        ("2 + 3 * 4", "14"),
        ("(1 + 1) ^ 10", "1024"),
        ("sqrt(16) / 8", "0.5"),
        ("10 / 4", "2.5"),
        ("open('x')", None),
    ],
)
def test_calculator_arithmetic(expression: str, answer: str | None) -> None:
    assert calculate(expression) == (answer or "I don't know how to do that.")


async def test_calculator_tool(ai_cluster: AiCluster) -> None:
    answer, definition = await _ask(
        ai_cluster, lc("Calculator", "toolCalculator", 1, 300), "calculator", "6 * 7"
    )
    assert answer == "42"
    assert definition["name"] == "calculator" and "math expression" in definition["description"]


async def test_think_tool_hands_the_thought_back(ai_cluster: AiCluster) -> None:
    think = lc("Think", "toolThink", 1.1, 300, description="Think before you answer")
    answer, definition = await _ask(ai_cluster, think, "think", "first the bees, then the honey")
    assert answer == "first the bees, then the honey"
    assert definition == {
        "name": "think",
        "description": "Think before you answer",
        "parameters": {"type": "object", "properties": {"input": {"type": "string"}}, "required": []},
    }


async def test_wikipedia_tool_searches_then_reads_the_pages(ai_cluster: AiCluster) -> None:
    answer, definition = await _ask(
        ai_cluster, lc("Wikipedia", "toolWikipedia", 1, 300), "wikipedia-api", "bee"
    )
    assert definition["name"] == "wikipedia-api"
    pages = answer.split("\n\n")
    assert len(pages) == 3  # LangChain's top 3 results
    assert (
        pages[0]
        == "Page: Honey bee\nSummary: The honey bee is a eusocial flying insect within the genus Apis."
    )
    searches = [r for r in ai_cluster.web.requests if r.get("list") == "search"]
    assert searches == [
        {"path": "/w/api.php", "action": "query", "list": "search", "srsearch": "bee", "format": "json"}
    ]
    assert [r["titles"] for r in ai_cluster.web.requests if r.get("prop") == "extracts"] == [
        "Honey bee",
        "Bumblebee",
        "Beekeeping",
    ]


async def test_wikipedia_without_results(ai_cluster: AiCluster) -> None:
    answer, _ = await _ask(ai_cluster, lc("Wikipedia", "toolWikipedia", 1, 300), "wikipedia-api", "zyzzyva")
    assert answer == "No good Wikipedia Search Result was found"


def _serpapi(credential: str) -> dict[str, Any]:
    tool = lc("SerpAPI", "toolSerpApi", 1, 300, options={"country": "fr", "hl": "fr"})
    tool["credentials"] = {"serpApi": {"id": "x1", "name": credential}}
    return tool


async def test_serpapi_tool_answers_from_the_answer_box(ai_cluster: AiCluster) -> None:
    answer, definition = await _ask(ai_cluster, _serpapi("SerpAPI account"), "search", "capital of France")
    assert answer == "Paris"
    assert definition["name"] == "search"
    (request,) = [r for r in ai_cluster.web.requests if r["path"] == "/search"]
    assert request["q"] == "capital of France" and request["gl"] == "fr" and request["hl"] == "fr"
    answer, _ = await _ask(ai_cluster, _serpapi("SerpAPI account"), "search", "bees")
    assert answer == "bees explained."  # the first organic result's snippet


async def test_serpapi_with_a_missing_credential_answers_the_error(ai_cluster: AiCluster) -> None:
    answer, _ = await _ask(ai_cluster, _serpapi("nobody"), "search", "bees")
    assert answer.startswith('There was an error: "') and "nobody" in answer
