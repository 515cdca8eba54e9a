"""The expression engine: n8n templates and Code node JavaScript on V8 (mini-racer).

One engine owns one V8 context, created lazily. Use one engine per workflow run (or call
:meth:`ExpressionEngine.reset` between runs) so no JavaScript state outlives a run; the context
is also replaced after a timeout or a memory-limit hit.

Per node, the node's data is serialised and pushed once; evaluating then sends only item
indices, and all items of a batch are evaluated in one call into V8 (a call costs ~0.2 ms).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from py_mini_racer import JSEvalException, JSOOMException, JSTimeoutException

from hive_core.errors import ExpressionError
from n8n_runtime.expressions._async import AsyncTransformError, needs_async_transform, transform_async
from n8n_runtime.expressions._errors import code_error, expression_error, limit_error
from n8n_runtime.expressions._extcalls import rewrite_extension_calls
from n8n_runtime.expressions._params import collect_slots, rebuild, templates_in
from n8n_runtime.expressions._payload import node_payload, referenced_nodes, uses_lineage
from n8n_runtime.expressions._template import ITEM_PARAMS, TemplateCompileError, compile_template
from n8n_runtime.expressions._v8 import V8Context
from n8n_runtime.expressions.context import ExpressionContext

__all__ = ["ExpressionEngine", "resolve_parameters"]

_CODE_PARAMS = ", ".join(
    ("items", "item", "console", "require", "getBinaryData", "setBinaryData")
    + ("getWorkflowStaticData", "$getWorkflowStaticData")
)
_PARSE_LINE = re.compile(r"^[^\n]*?:(\d+): (\w*Error): ([^\n]*)")
# Pushes bigger than this get their own call (and a longer timeout) before evaluating.
_INLINE_PUSH_BYTES = 256 * 1024

LimitHandler = Callable[[str, dict[str, Any] | None], ExpressionError]


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def _js_string(text: str) -> str:
    # JSON string literals are valid JS string literals; escaping non-ASCII keeps U+2028 safe.
    return json.dumps(text)


class ExpressionEngine:
    """Evaluates n8n expressions and Code node JavaScript for one workflow run.

    Args:
        timeout_ms: Wall-clock limit of one call into V8 (one expression, one batch chunk or
            one Code node run). Long batches are split so legitimate work is not cut off.
        memory_limit_mb: V8 heap limit; exceeding it fails the evaluation.
        lenient: n8n's exact behaviour for runtime errors in expressions: n8n swallows
            TypeError/ReferenceError & co. and yields ``undefined`` (``{{ $json.a.b }}`` with
            no ``a`` is empty, not an error). Hive's default is to raise instead.
    """

    def __init__(self, *, timeout_ms: int = 1000, memory_limit_mb: int = 256, lenient: bool = False) -> None:
        self.timeout_ms = timeout_ms
        self.memory_limit_mb = memory_limit_mb
        self.lenient = lenient
        self._v8: V8Context | None = None
        self._template_ids: dict[str, int] = {}
        self._code_ids: dict[str, int] = {}
        self._next_id = 0
        self._pushed: ExpressionContext | None = None
        # Run data V8 asked for while evaluating for this context (pushed from then on).
        self._needed_for: ExpressionContext | None = None
        self._needed: set[str] = set()

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Dispose of the V8 context; the next evaluation starts a fresh one."""
        v8, self._v8 = self._v8, None
        self._template_ids.clear()
        self._code_ids.clear()
        self._pushed = None
        self._needed_for = None
        self._needed = set()
        if v8 is not None:
            v8.close()

    reset = close

    def __enter__(self) -> ExpressionEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def invalidate(self) -> None:
        """Forget the pushed node data (call after mutating a context that was already used)."""
        self._pushed = None

    def _context(self) -> V8Context:
        if self._v8 is None:
            self._v8 = V8Context(self.memory_limit_mb * 1024 * 1024)
        return self._v8

    # ------------------------------------------------------------------ calls into V8
    def _eval(self, script: str, timeout_ms: int, on_limit: LimitHandler) -> Any:
        v8 = self._context()
        try:
            return v8.eval(script, timeout_ms / 1000)
        except JSTimeoutException:
            where = self._where()
            self.close()
            raise on_limit(f"{self.timeout_ms} ms", where) from None
        except JSOOMException:
            self.close()
            raise on_limit(f"the memory limit of {self.memory_limit_mb} MB", None) from None
        except JSEvalException as exc:
            # The entry points catch user errors, so this is the engine's own failure.
            self._pushed = None
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ExpressionError(f"Internal error in the expression engine: {detail}") from exc

    def _where(self) -> dict[str, Any] | None:
        try:
            raw = self._context().eval("__hive.where()", 0.5)
            return json.loads(raw) if isinstance(raw, str) else None
        except Exception:  # noqa: BLE001 - the context may be unusable; the caller recreates it
            return None

    def _call(self, script: str, timeout_ms: int, on_limit: LimitHandler) -> dict[str, Any]:
        raw = self._eval(script, timeout_ms, on_limit)
        if not isinstance(raw, str):
            raise ExpressionError(f"Internal error: unexpected result from V8: {raw!r}")
        result: dict[str, Any] = json.loads(raw)
        return result

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    # ------------------------------------------------------------------ templates
    def _define_templates(self, templates: Sequence[str]) -> list[int]:
        ids: list[int] = []
        new: list[tuple[int, str]] = []
        for template in templates:
            tid = self._template_ids.get(template)
            if tid is None:
                tid = self._new_id()
                self._template_ids[template] = tid
                try:
                    source = compile_template(template).source or '(function () { return ""; })'
                except TemplateCompileError as exc:
                    source = _throwing(f"invalid syntax ({exc})")
                new.append((tid, source))
            ids.append(tid)
        if new:
            v8 = self._context()
            try:
                v8.eval("".join(f"__hive.fn[{tid}]={src};\n" for tid, src in new), 10.0)
            except JSEvalException:
                # Find the broken ones; each gets a function that raises n8n's "invalid syntax".
                for tid, src in new:
                    try:
                        v8.eval(f"__hive.fn[{tid}]={src};", 10.0)
                    except JSEvalException as exc:
                        detail = str(exc).strip().splitlines()[0]
                        m = _PARSE_LINE.match(detail)
                        message = f"{m.group(2)}: {m.group(3)}" if m else detail
                        v8.eval(f"__hive.fn[{tid}]={_throwing(f'invalid syntax ({message})')};", 10.0)
        return ids

    # ------------------------------------------------------------------ node data
    def _node_meta(self, ctx: ExpressionContext, name: str) -> dict[str, Any] | None:
        if ctx.workflow_nodes is None or name not in ctx.workflow_nodes:
            return None
        meta = dict(ctx.workflow_nodes[name])
        meta.setdefault("parameters", {})
        return meta

    def _param_templates(self, params: Any) -> dict[str, int]:
        templates = templates_in(params)
        return dict(zip(templates, self._define_templates(templates), strict=True))

    def _ensure_node(self, ctx: ExpressionContext, texts: Sequence[str], on_limit: LimitHandler) -> str:
        """Push ``ctx`` unless it is the pushed one; returns a script prefix for small pushes."""
        if self._pushed is ctx:
            return ""
        names = referenced_nodes(texts)
        if names and uses_lineage(texts):
            names |= ctx.ancestors()
        if self._needed_for is ctx:
            names |= self._needed
        run_names = {n for n in names if n in ctx.run_data}
        meta_names = names | {s["previousNode"] for s in ctx.source if s and "previousNode" in s}
        metas = {n: m for n in meta_names if (m := self._node_meta(ctx, n)) is not None}
        templates = self._param_templates(ctx.node_parameters)
        for meta in metas.values():
            templates.update(self._param_templates(meta["parameters"]))
        payload = node_payload(ctx, run_names, metas, templates, lenient=self.lenient)
        script = f"__hive.setNode(JSON.parse({_js_string(_dumps(payload))}));\n"
        self._pushed = None
        if len(script) > _INLINE_PUSH_BYTES:
            self._eval(script + "0", max(self.timeout_ms, 10_000), on_limit)
            script = ""
        self._pushed = ctx
        return script

    def _restart_with(self, ctx: ExpressionContext, names: Sequence[str], saved: tuple[Any, Any]) -> None:
        """V8 met nodes whose run data was not pushed: push the node again with them and let
        the caller start over from the first item. Starting over (rather than from the current
        chunk, whose bounds depend on wall time) keeps the seeded PRNG and any item mutations
        identical on every replay; the state the discarded work changed is restored first."""
        missing = {n for n in names if n in ctx.run_data}
        if self._needed_for is not ctx:
            self._needed_for, self._needed = ctx, set()
        if not missing or missing <= self._needed:
            raise ExpressionError(f"Internal error: V8 asked again for the run data of {sorted(names)}")
        self._needed |= missing
        self._pushed = None
        custom, static = saved
        ctx.custom_data.clear()
        ctx.custom_data.update(custom)
        ctx.static_data.clear()
        ctx.static_data.update(static)

    @staticmethod
    def _sync_state(ctx: ExpressionContext, out: dict[str, Any]) -> None:
        custom = out.get("customData")
        if isinstance(custom, dict) and custom != ctx.custom_data:
            ctx.custom_data.clear()
            ctx.custom_data.update(custom)
        static = out.get("staticData")
        if isinstance(static, dict) and static != ctx.static_data:
            ctx.static_data.clear()
            ctx.static_data.update(static)

    # ------------------------------------------------------------------ expressions
    def _evaluate(
        self, ctx: ExpressionContext, slots: list[tuple[str, str]], items: list[int]
    ) -> list[list[Any] | ExpressionError]:
        templates = [t for _, t in slots]

        def on_limit(limit: str, where: dict[str, Any] | None) -> ExpressionError:
            slot = where.get("slot") if where else None
            path = slots[slot][0] if isinstance(slot, int) and 0 <= slot < len(slots) else slots[0][0]
            item = where.get("item") if where else None
            return limit_error(
                "Expression",
                node=ctx.node_name,
                parameter=path,
                item_index=item,
                run_index=ctx.run_index,
                limit=limit,
            )

        ids = self._define_templates(templates)
        saved = (copy.deepcopy(ctx.custom_data), copy.deepcopy(ctx.static_data))
        results: list[list[Any] | ExpressionError] = []
        start = 0
        budget = max(1, self.timeout_ms // 2)
        head = f'{{"ids":{_dumps(ids)},"items":{_dumps(items)},"budget":{budget},"start":'
        while True:
            prefix = self._ensure_node(ctx, templates, on_limit)
            out = self._call(f"{prefix}__hive.evalBatch({head}{start}}})", self.timeout_ms, on_limit)
            if out.get("need"):
                self._restart_with(ctx, out["need"], saved)
                results, start = [], 0
                continue
            self._sync_state(ctx, out)
            for offset, row in enumerate(out["r"]):
                if isinstance(row, dict):
                    path = slots[row["s"]][0]
                    results.append(
                        expression_error(
                            row["e"],
                            node=ctx.node_name,
                            parameter=path,
                            item_index=items[start + offset],
                            run_index=ctx.run_index,
                        )
                    )
                else:
                    results.append(row)
            if out.get("next") is None:
                return results
            start = out["next"]

    def resolve_parameters_each(
        self, params: Any, ctx: ExpressionContext, item_indices: Sequence[int] | None = None
    ) -> list[Any]:
        """Resolve ``params`` for many items in one batch; a failing item yields its
        :class:`ExpressionError` in place of a value (n8n evaluates lazily per item, so a node
        decides whether that error matters)."""
        items = list(item_indices) if item_indices is not None else list(range(len(ctx.input_items) or 1))
        slots = collect_slots(params, ctx.parameter_path)
        if not slots:
            return [rebuild(params, iter(())) for _ in items]
        out: list[Any] = []
        for row in self._evaluate(ctx, slots, items):
            out.append(row if isinstance(row, ExpressionError) else rebuild(params, iter(row)))
        return out

    def resolve_parameters_batch(
        self, params: Any, ctx: ExpressionContext, item_indices: Sequence[int] | None = None
    ) -> list[Any]:
        """Resolve ``params`` for each item (all input items by default); raises the first error."""
        rows = self.resolve_parameters_each(params, ctx, item_indices)
        for row in rows:
            if isinstance(row, ExpressionError):
                raise row
        return rows

    def resolve_parameters(self, params: Any, ctx: ExpressionContext) -> Any:
        """Resolve every `=` template in ``params`` for ``ctx.item_index``.

        Raises:
            ExpressionError: naming node, parameter path and item.
        """
        return self.resolve_parameters_batch(params, ctx, [ctx.item_index])[0]

    def evaluate(self, expression: str, ctx: ExpressionContext) -> Any:
        """Evaluate one template; ``{{ … }}`` without a leading ``=`` is accepted too."""
        template = expression if expression.startswith("=") else f"={expression}"
        if ctx.parameter_path:
            return self.resolve_parameters(template, ctx)
        ctx.parameter_path = "expression"
        try:
            return self.resolve_parameters(template, ctx)
        finally:
            ctx.parameter_path = ""

    # ------------------------------------------------------------------ code
    def _define_code(self, code: str, ctx: ExpressionContext) -> int:
        cid = self._code_ids.get(code)
        if cid is not None:
            return cid
        body = code
        generator = False
        if needs_async_transform(body):
            try:
                body = transform_async(body, top_level_await=True)
            except AsyncTransformError as exc:
                raise code_error(
                    {"name": "SyntaxError", "message": str(exc)},
                    node=ctx.node_name,
                    item_index=None,
                    run_index=ctx.run_index,
                ) from None
            generator = body != code
        body = rewrite_extension_calls(body)
        cid = self._new_id()
        head = f"__hive.code[{cid}] = function ({ITEM_PARAMS}, {_CODE_PARAMS}) {{"
        if generator:
            source = f"{head} return __hive_co(function* () {{\n{body}\n}}, this, arguments); }};"
        else:
            source = f"{head}\n{body}\n}};"
        try:
            self._context().eval(f"{source}\n//# sourceURL=hive-code-{cid}.js", 10.0)
        except JSEvalException as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "SyntaxError"
            m = _PARSE_LINE.match(detail)
            info = (
                {"name": m.group(2), "message": m.group(3)}
                if m
                else {"name": "SyntaxError", "message": detail}
            )
            line = int(m.group(1)) - 1 if m else None
            raise code_error(
                info, node=ctx.node_name, item_index=None, run_index=ctx.run_index, line=line
            ) from None
        self._code_ids[code] = cid
        return cid

    def run_code_raw(
        self,
        ctx: ExpressionContext,
        code: str,
        *,
        mode: str,
        kind: str = "code",
        continue_on_fail: bool = False,
    ) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
        """Run Code/Function node code. ``mode`` is "all" or "each"; ``kind`` is "code",
        "function" or "functionItem". Returns one raw result per run (``{"ok", "v"|"error"}``)
        and the console lines; n8n's output rules live in :mod:`n8n_runtime.code_node`."""

        def on_limit(limit: str, where: dict[str, Any] | None) -> ExpressionError:
            item = where.get("item") if where and mode == "each" else None
            return limit_error(
                "Code",
                node=ctx.node_name,
                parameter=None,
                item_index=item,
                run_index=ctx.run_index,
                limit=limit,
            )

        cid = self._define_code(code, ctx)
        saved = (copy.deepcopy(ctx.custom_data), copy.deepcopy(ctx.static_data))
        rows: list[dict[str, Any]] = []
        logs: list[tuple[str, str]] = []
        start = 0
        budget = max(1, self.timeout_ms // 2)
        while True:
            prefix = self._ensure_node(ctx, [code], on_limit)
            req = _dumps(
                {
                    "id": cid,
                    "mode": mode,
                    "kind": kind,
                    "start": start,
                    "budget": budget,
                    "continueOnFail": continue_on_fail,
                }
            )
            out = self._call(f"{prefix}__hive.runCode({req})", self.timeout_ms, on_limit)
            if out.get("need"):
                self._restart_with(ctx, out["need"], saved)
                rows, logs, start = [], [], 0
                continue
            self._sync_state(ctx, out)
            rows.extend(out["r"])
            logs.extend((str(level), str(text)) for level, text in out.get("logs", []))
            if out.get("next") is None:
                return rows, logs
            start = out["next"]


def _throwing(message: str) -> str:
    return f"(function () {{ throw __hive.xerr({_js_string(message)}); }})"


def resolve_parameters(params: Any, ctx: ExpressionContext, engine: ExpressionEngine) -> Any:
    """Resolve every `=` template in ``params`` for ``ctx.item_index`` (see
    :meth:`ExpressionEngine.resolve_parameters`)."""
    return engine.resolve_parameters(params, ctx)
