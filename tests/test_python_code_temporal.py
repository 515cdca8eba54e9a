"""Python Code nodes through a real Temporal dev server: the central worker runs them in its
interpreter pool (a local activity, as the JavaScript Code node), errors name node and line."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client

from hive_core.config import ClusterConfig
from hive_core.config.code_python import PythonCodePolicy
from tests.builders import chain, node, run_workflow, worker_settings
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus

CLUSTER = ClusterConfig(code_python=PythonCodePolicy(stdlib_allow=["collections"], pool_size=1))
SEED = "return [{'word': w} for w in ['a', 'b', 'a']]"
COUNT = (
    "from collections import Counter\n"
    "print('counting', len(_input.all()))\n"
    "return [{'json': {'top': Counter(i.json.word for i in _input.all()).most_common(1)[0][0],"
    " 'first': _('Seed').first().json.word}}]"
)


def _python(name: str, code: str, x: int, **settings: Any) -> dict[str, Any]:
    return {**node(name, "code", 2, x, language="python", pythonCode=code), **settings}


def _flow(*steps: dict[str, Any]) -> dict[str, Any]:
    return chain("python", [node("Start", "manualTrigger", 1), *steps])


async def test_python_code_runs_end_to_end(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue), CLUSTER):
        result = await run_workflow(
            client, task_queue, _flow(_python("Seed", SEED, 200), _python("Count", COUNT, 400))
        )
    assert result.status is ExecutionStatus.SUCCESS, result.error
    [out] = result.run_data["Count"][0]["data"]["main"][0]
    assert out["json"] == {"top": "a", "first": "a"}
    assert [line["log"] for line in result.logs if line["node"] == "Count"] == [["log", "counting 3"]]


async def test_python_error_names_node_and_line_and_on_error_continues(
    client: Client, task_queue: str
) -> None:
    failing = "x = 1\nraise ValueError('no good')"
    async with build_central_worker(client, worker_settings(task_queue), CLUSTER):
        result = await run_workflow(client, task_queue, _flow(_python("Broken", failing, 200)))
        assert result.status is ExecutionStatus.ERROR
        assert result.error is not None
        assert result.error["node"]["name"] == "Broken"
        assert result.error["message"] == "ValueError: no good [line 2]"
        tolerant = _python("Tolerant", failing, 200, onError="continueRegularOutput")
        kept = await run_workflow(client, task_queue, _flow(tolerant))
    assert kept.status is ExecutionStatus.SUCCESS
    assert kept.run_data["Tolerant"][0]["data"]["main"][0][0]["json"] == {
        "error": "ValueError: no good [line 2]"
    }
