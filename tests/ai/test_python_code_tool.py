"""The Code tool in Python (toolCode language python): n8n's Python sandbox with `query`."""

from __future__ import annotations

import pytest

from hive_core.config.code_python import PythonCodePolicy
from n8n_runtime.code_python import PythonPool
from n8n_runtime.code_python.tool import PythonToolError, run_python_tool
from tests.ai.builders import ai_workflow, base, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus


@pytest.fixture(scope="module")
def pool() -> PythonPool:
    return PythonPool(PythonCodePolicy(pool_size=0))


def test_query_is_a_variable_and_the_answer_a_string(pool: PythonPool) -> None:
    assert run_python_tool(pool, "return 'py:' + query.upper()", "bees") == "py:BEES"
    # A structured tool gets the arguments object, readable as attributes (Pyodide's proxies).
    assert run_python_tool(pool, "return f'{query.a}+{query[\"b\"]}'", {"a": 1, "b": 2}) == "1+2"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("return 3", "the response should be a string, but it is a number"),
        ("raise ValueError('no')", "ValueError: no"),
        ("import os\nreturn 'x'", "Security violations detected"),
    ],
)
def test_errors_go_back_to_the_model(pool: PythonPool, code: str, message: str) -> None:
    with pytest.raises(PythonToolError, match=message):
        run_python_tool(pool, code, "q")


async def test_an_agent_calls_a_python_code_tool(ai_cluster: AiCluster) -> None:
    workflow = ai_workflow(
        "python tool",
        [base("Start", "manualTrigger", 1), lc("Agent", "agent", 2.2, 200, text="=go", promptType="define")],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
            (
                lc("Shout", "toolCode", 1.1, 300, description="Shouts", language="python",
                   pythonCode="return query.upper() + '!'"),
                "ai_tool",
                "Agent",
            ),
        ],
    )  # fmt: skip
    calls = [{"function": {"name": "Shout", "arguments": {"input": "hive"}}}]
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="done")
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "done"}]
    last = ai_cluster.fake.stats.bodies[-1]
    assert [m["content"] for m in last["messages"] if m["role"] == "tool"] == ["HIVE!"]
