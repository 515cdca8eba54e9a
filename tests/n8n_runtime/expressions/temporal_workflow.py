"""A workflow that uses the engine from workflow code, as Hive's interpreter will."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from n8n_runtime.code_node import run_code
    from n8n_runtime.expressions import ExpressionContext, ExpressionEngine


@workflow.defn
class ExpressionProbeWorkflow:
    @workflow.run
    async def run(self, count: int) -> dict[str, Any]:
        now_ms = int(workflow.now().timestamp() * 1000)
        items = [{"json": {"name": f"n{i}", "value": i}} for i in range(count)]
        with ExpressionEngine(timeout_ms=300) as engine:
            ctx = ExpressionContext(node_name="Set", inputs=[items], now_ms=now_ms)
            values = engine.resolve_parameters_batch("={{ $json.name.toUpperCase() }}-{{ Date.now() }}", ctx)
            code_ctx = ExpressionContext(
                node_name="Code", node_type="n8n-nodes-base.code", inputs=[items], now_ms=now_ms
            )
            out, logs = run_code(
                engine,
                code_ctx,
                "await new Promise((r) => setTimeout(r, 5)); console.log('ran');"
                "return $input.all().map((i) => ({ double: i.json.value * 2 }));",
            )
            try:
                engine.evaluate("={{ (() => { while (true) {} })() }}", ctx)
                timeout = ""
            except Exception as exc:  # noqa: BLE001 - reported back to the test
                timeout = str(exc)
            after = engine.evaluate("={{ 40 + 2 }}", ExpressionContext(node_name="After"))
        return {
            "values": values,
            "doubles": [i["json"]["double"] for i in out],
            "logs": [list(line) for line in logs],
            "timeout": timeout,
            "after": after,
            "now_ms": now_ms,
        }
