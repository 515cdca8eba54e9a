"""Every Python Code node of ../shared/real-world compiles as n8n wraps it; the stdlib-only ones run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.code_python import PythonCodePolicy, PythonPool, run_python_code
from n8n_runtime.code_python._child import wrap
from n8n_runtime.expressions import ExpressionContext

REAL_WORLD = Path(__file__).resolve().parents[3] / ".." / "shared" / "real-world" / "workflows"


def _python_nodes() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(REAL_WORLD.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for node in data.get("nodes", []):
            params = node.get("parameters", {})
            if node.get("type") == "n8n-nodes-base.code" and str(params.get("language", "")).startswith(
                "python"
            ):
                found.append((f"{path.stem[:40]}:{node['name']}", node))
    return found


NODES = _python_nodes()


@pytest.fixture(scope="module")
def pool() -> Iterator[PythonPool]:
    pool = PythonPool(PythonCodePolicy(stdlib_allow=["uuid", "collections", "json"], pool_size=1))
    yield pool
    pool.close()


def test_the_templates_have_python_code_nodes() -> None:
    if not REAL_WORLD.is_dir():
        pytest.skip(f"real-world templates not found at {REAL_WORLD}")
    assert len(NODES) >= 7


# The stored copies of these two lost their indentation (every run of spaces became one), so an
# `if` body sits at the `if`'s own level: n8n's Pyodide rejects them just the same.
COLLAPSED = {"Compare scores", "Extract Meta"}


@pytest.mark.parametrize(("label", "node"), NODES, ids=[label for label, _ in NODES])
def test_snippet_compiles(label: str, node: dict[str, Any]) -> None:
    params = node["parameters"]
    source = wrap(params["pythonCode"], params.get("language") == "pythonNative")
    if node["name"] in COLLAPSED:
        with pytest.raises(IndentationError):
            compile(source, "<code>", "exec")
        # Restoring one level per block makes them compile: the collapse is the only defect.
        source = wrap(_reindent(params["pythonCode"]), False)
    compile(source, "<code>", "exec")


def _reindent(code: str) -> str:
    """Rebuild block indentation from the colons (enough for the two collapsed snippets)."""
    out, depth = [], 0
    for raw in code.split("\n"):
        line = raw.strip()
        if not line:
            out.append("")
            continue
        if depth and not raw.startswith(" "):
            depth = 0
        if line.startswith(("else", "elif")):
            depth = max(depth - 1, 0)
        out.append("    " * depth + line)
        if line.split("#")[0].rstrip().endswith(":"):
            depth += 1
        elif line.startswith(("continue", "return", "break")):
            depth = max(depth - 1, 0)
    return "\n".join(out)


def _ctx(items: list[dict[str, Any]], **extra: Any) -> ExpressionContext:
    return ExpressionContext(node_name="Py", node_type="n8n-nodes-base.code", inputs=[items], **extra)


def _code(name: str) -> str:
    return next(node["parameters"]["pythonCode"] for _, node in NODES if node["name"] == name)


def test_majority_vote_runs(pool: PythonPool) -> None:
    points = [{"payload": {"landscape_name": n}} for n in ("a", "b", "a", "c", "b", "a")]
    items, _ = run_python_code(pool, _ctx([{"json": {"result": {"points": points}}}]), _code("Majority Vote"))
    assert items == [{"json": {"result": [["a", 3], ["b", 2]]}, "pairedItem": {"item": 0}}]


def test_batches_with_uuids_run(pool: PythonPool) -> None:
    ctx = _ctx(
        [{"json": {"crop": n}} for n in range(5)],
        workflow_nodes={"Py": {}, "Qdrant cluster variables": {}},
        run_data={"Qdrant cluster variables": [{"data": {"main": [[{"json": {"batchSize": 2}}]]}}]},
    )
    items, _ = run_python_code(pool, ctx, _code("Split in batches, generate uuids for Qdrant points"))
    assert [len(i["json"]["batch"]) for i in items] == [2, 2, 1]
    assert all(len(u) == 36 for i in items for u in i["json"]["uuids"])


def test_collapsed_snippet_fails_like_n8n_naming_the_line(pool: PythonPool) -> None:
    with pytest.raises(ExpressionError) as caught:
        run_python_code(pool, _ctx([{"json": {}}]), _code("Compare scores"))
    assert caught.value.details["n8n_message"].startswith("IndentationError: expected an indented block")
    assert caught.value.details["line"] == 10


def test_compare_scores_runs(pool: PythonPool) -> None:
    ctx = _ctx(
        [{"json": {"result": {"points": [{"score": 0.9, "payload": {"t": 0.5, "crop_name": "rice"}}]}}}],
        workflow_nodes={"Py": {}, "Variables for medoids": {}},
        run_data={
            "Variables for medoids": [{"data": {"main": [[{"json": {"clusterThresholdCenterType": "t"}}]]}}]
        },
    )
    items, _ = run_python_code(pool, ctx, _reindent(_code("Compare scores")))
    assert items[0]["json"] == {"result": "Looks similar to rice"}


def test_n8n_benchmark_native_per_item_snippet_runs(pool: PythonPool) -> None:
    """n8n's own benchmark (n8n-corpus/_benchmark/py-code-node.json), pythonNative per item."""
    path = REAL_WORLD.parents[1] / "n8n-corpus" / "_benchmark" / "py-code-node.json"
    if not path.is_file():
        pytest.skip(f"n8n corpus not found at {path}")
    [node] = [n for n in json.loads(path.read_text())["nodes"] if n["name"] == "OnceForEachItemPythonCode"]
    item = {
        "json": {"email": "ada@example.com", "password": "pw", "lastname": "L"},
        "pairedItem": {"item": 0},
    }
    params = node["parameters"]
    items, _ = run_python_code(
        pool, _ctx([item]), params["pythonCode"], mode=params["mode"], language="pythonNative"
    )
    [out] = items
    assert out["pairedItem"] == {"item": 0}
    assert out["json"]["password"] == "**" and "lastname" not in out["json"]
    assert out["json"]["emailData"] == {"user": "ada", "domain": "example.com"}
    assert 10 <= out["json"]["age"] < 40
