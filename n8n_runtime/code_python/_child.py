"""The interpreter a Python Code node runs in: started by ``PythonPool`` as ``python -I <this file>``.

It reads one JSON request from stdin, runs the node's code once (or once per item), writes one
JSON answer to the pipe that was stdout and exits; no state survives a task. It imports nothing
from Hive (``-I`` keeps the project off ``sys.path``): everything the code sees is built here.

Two flavours, as n8n has them: ``python`` (n8n's Pyodide Code node: ``items``/``item``,
``_input``, ``_('Node')``, ``_json``… with JavaScript-object proxies that take both ``x.field``
and ``x["field"]`` and have ``.to_py()``) and ``pythonNative`` (n8n's native task runner:
``_items`` / ``_item`` as plain dicts and lists).
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import datetime as _dt
import io
import json
import os
import resource
import sys
import traceback
from typing import Any

# n8n's native runner (task-runner-python/src/constants.py): names and attributes that reach
# interpreter internals, whatever the import allowlists say.
BLOCKED_NAMES = {"__loader__", "__builtins__", "__globals__", "__spec__", "__name__"}
BLOCKED_ATTRIBUTES = {
    "__subclasses__", "__globals__", "__builtins__", "__traceback__", "tb_frame", "tb_next",
    "f_back", "f_globals", "f_locals", "f_code", "f_builtins", "__getattribute__", "__qualname__",
    "__module__", "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "ag_frame",
    "ag_code", "__thisclass__", "__self_class__", "__base__", "__class__", "__bases__", "__code__",
    "__closure__", "__loader__", "__cached__", "__dict__", "__import__", "__mro__",
    "__init_subclass__", "__getattr__", "__setattr__", "__delattr__", "__self__", "__func__",
    "__wrapped__", "__annotations__", "__spec__",
}  # fmt: skip
CODE_FILE = "<code>"


class SecurityValidator(ast.NodeVisitor):
    """n8n's ``SecurityValidator``: import allowlists and blocked names/attributes, by line."""

    def __init__(self, stdlib_allow: set[str], external_allow: set[str]) -> None:
        self.stdlib_allow = stdlib_allow
        self.external_allow = external_allow
        self.checked: set[str] = set()
        self.violations: list[str] = []

    def add(self, lineno: int, message: str) -> None:
        self.violations.append(f"Line {lineno}: {message}")

    def check_import(self, module_path: str, lineno: int) -> None:
        if module_path.startswith("."):
            self.add(lineno, "Relative imports are disallowed.")
            return
        name = module_path.split(".")[0]
        if name in self.checked:
            return
        self.checked.add(name)
        message = import_violation(module_path, self.stdlib_allow, self.external_allow)
        if message:
            self.add(lineno, message)

    def check_alias(self, lineno: int, name: str | None) -> None:
        if name in BLOCKED_NAMES:
            self.add(lineno, _dangerous_name(name))
        elif name in BLOCKED_ATTRIBUTES:
            self.add(lineno, _dangerous_attribute(name))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.check_import(alias.name, node.lineno)
            self.check_alias(node.lineno, alias.asname)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level > 0:
            self.add(node.lineno, "Relative imports are disallowed.")
        elif node.module:
            self.check_import(node.module, node.lineno)
        for alias in node.names:
            self.check_alias(node.lineno, alias.asname or alias.name)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in BLOCKED_NAMES:
            self.add(node.lineno, _dangerous_name(node.id))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in BLOCKED_ATTRIBUTES:
            self.add(node.lineno, _dangerous_attribute(node.attr))
        if node.attr.startswith("_") and "__" in node.attr:
            head = node.attr.split("__", 1)[0]
            if head.startswith("_"):
                self.add(
                    node.lineno,
                    "Access to name-mangled attributes (pattern: _ClassName__attr) is disallowed "
                    "for security reasons.",
                )
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        dynamic_import = (isinstance(func, ast.Name) and func.id == "__import__") or (
            isinstance(func, ast.Attribute)
            and func.attr == "__import__"
            and isinstance(func.value, ast.Name)
            and func.value.id in {"builtins", "__builtins__"}
        )
        if dynamic_import:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.check_import(first.value, node.lineno)
            else:
                self.add(node.lineno, "Dynamic __import__() calls are not allowed for security reasons.")
        self.generic_visit(node)


def _dangerous_name(name: str) -> str:
    return f"Access to name '{name}' is disallowed, because it can be used to bypass security restrictions."


def _dangerous_attribute(name: str) -> str:
    return (
        f"Access to attribute '{name}' is disallowed, because it can be used to bypass security restrictions."
    )


def import_violation(module_path: str, stdlib_allow: set[str], external_allow: set[str]) -> str | None:
    """n8n's ``validate_module_import``: the error text, or None when the import is allowed."""
    name = module_path.split(".")[0]
    is_stdlib = name in sys.stdlib_module_names
    allowed = stdlib_allow if is_stdlib else external_allow
    if "*" in allowed or name in allowed:
        return None
    listed = ", ".join(sorted(allowed)) if allowed else "none"
    if is_stdlib:
        what, allowed_what = "standard library module", "stdlib modules"
    else:
        what, allowed_what = "external package", "external packages"
    return f"Import of {what} '{module_path}' is disallowed. Allowed {allowed_what}: {listed}"


# ---------------------------------------------------------------- Pyodide-like data proxies


class JsObject(dict):  # type: ignore[type-arg]
    """A JavaScript object as Pyodide shows it to n8n's code: a dict that also reads and writes
    its keys as attributes, with ``.to_py()``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_py(self) -> dict[str, Any]:
        return dict(plain(self))


class JsArray(list):  # type: ignore[type-arg]
    """A JavaScript array as Pyodide shows it: a list with ``.to_py()`` and ``.length``."""

    @property
    def length(self) -> int:
        return len(self)

    def to_py(self) -> list[Any]:
        return list(plain(self))


def proxied(value: Any) -> Any:
    if isinstance(value, dict):
        return JsObject({k: proxied(v) for k, v in value.items()})
    if isinstance(value, list):
        return JsArray(proxied(v) for v in value)
    return value


def plain(value: Any) -> Any:
    """A returned Python value as JSON data (Pyodide's ``toJs`` with ``dict_converter``)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {str(plain(k)) if not isinstance(k, str) else k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | range):
        return [plain(v) for v in value]
    if isinstance(value, DateTime):
        return value.toISO()
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars, without importing numpy
    if callable(tolist):
        return plain(tolist())
    return str(value)


class DateTime:
    """The few parts of Luxon's DateTime (``_now``, ``_today``) that Python code reaches for."""

    def __init__(self, moment: _dt.datetime) -> None:
        self._moment = moment

    def __getattr__(self, name: str) -> Any:
        if name in ("year", "month", "day", "hour", "minute", "second"):
            return getattr(self._moment, name)
        if name == "millisecond":
            return self._moment.microsecond // 1000
        if name == "weekday":
            return self._moment.isoweekday()
        raise AttributeError(name)

    def toISO(self) -> str:  # noqa: N802 - Luxon's name
        text = self._moment.isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z") if self._moment.utcoffset() == _dt.timedelta(0) else text

    def toISODate(self) -> str:  # noqa: N802
        return self._moment.date().isoformat()

    def toMillis(self) -> int:  # noqa: N802
        return int(self._moment.timestamp() * 1000)

    def toSeconds(self) -> float:  # noqa: N802
        return self._moment.timestamp()

    def to_py(self) -> _dt.datetime:
        return self._moment

    def __str__(self) -> str:
        return self.toISO()

    __repr__ = __str__


# ---------------------------------------------------------------- n8n's data proxy in Python


class NodeError(Exception):
    """An error n8n's data proxy throws (shown without a Python type name)."""


class Input:
    """``_input``: the node's input items."""

    def __init__(self, items: list[Any], index: int, params: Any) -> None:
        self._items = items
        self._index = index
        self.params = params

    def all(self, branch_index: int | None = None, run_index: int | None = None) -> list[Any]:
        return self._items

    def first(self, branch_index: int | None = None, run_index: int | None = None) -> Any:
        return self._items[0] if self._items else None

    def last(self, branch_index: int | None = None, run_index: int | None = None) -> Any:
        return self._items[-1] if self._items else None

    @property
    def item(self) -> Any:
        return self._items[self._index] if self._index < len(self._items) else None


class NodeData:
    """``_('Node')``: another node's output (its last run, on the branch leading here)."""

    def __init__(self, scope: Scope, name: str) -> None:
        self._scope = scope
        self._name = name

    def _runs(self) -> list[Any]:
        return self._scope.run_data.get(self._name) or []

    @property
    def isExecuted(self) -> bool:  # noqa: N802 - n8n's name
        return bool(self._runs())

    @property
    def params(self) -> Any:
        return proxied((self._scope.nodes.get(self._name) or {}).get("parameters", {}))

    def all(self, branch_index: int | None = None, run_index: int | None = None) -> list[Any]:
        runs = self._runs()
        if not runs:
            raise NodeError(f"Node '{self._name}' hasn't been executed")
        output = branch_index if branch_index is not None else self._scope.output_index.get(self._name, 0)
        run = runs[run_index if run_index is not None else len(runs) - 1]
        main = (run.get("data") or {}).get("main") or []
        items: list[Any] = self._scope.wrap(main[output] if output < len(main) and main[output] else [])
        return items

    def first(self, branch_index: int | None = None, run_index: int | None = None) -> Any:
        items = self.all(branch_index, run_index)
        return items[0] if items else None

    def last(self, branch_index: int | None = None, run_index: int | None = None) -> Any:
        items = self.all(branch_index, run_index)
        return items[-1] if items else None

    @property
    def item(self) -> Any:
        return self._scope.paired_item(self._name)

    def pairedItem(self, item_index: int | None = None) -> Any:  # noqa: N802 - n8n's name
        return self._scope.paired_item(self._name, item_index)


class Scope:
    """What one run of the code can see, built from the request."""

    def __init__(self, request: dict[str, Any], index: int) -> None:
        self.request = request
        self.index = index
        self.native = request["language"] == "pythonNative"
        self.run_data: dict[str, list[Any]] = request.get("run_data") or {}
        self.nodes: dict[str, Any] = request.get("workflow_nodes") or {}
        self.output_index: dict[str, int] = request.get("output_index") or {}

    def wrap(self, value: Any) -> Any:
        return value if self.native else proxied(value)

    def paired_item(self, target: str, item_index: int | None = None) -> Any:
        """n8n's paired-item walk from this node's input item back to ``target``'s item."""
        if target not in self.nodes:
            raise NodeError(f"Referenced node doesn't exist: {target}")
        items = self.request["items"]
        index = self.index if item_index is None else item_index
        item = items[index] if index < len(items) else None
        sources: list[Any] = self.request.get("source") or []
        while item is not None:
            paired = item.get("pairedItem", 0 if len(items) == 1 else None)
            if isinstance(paired, list):
                paired = paired[0] if paired else None
            if isinstance(paired, int):
                paired = {"item": paired}
            if not isinstance(paired, dict):
                break
            source = sources[paired.get("input", 0)] if paired.get("input", 0) < len(sources) else None
            if not source:
                break
            previous = source["previousNode"]
            runs = self.run_data.get(previous) or []
            run = runs[source.get("previousNodeRun", 0) or 0] if runs else None
            if run is None:
                break
            main = (run.get("data") or {}).get("main") or []
            outputs = main[source.get("previousNodeOutput", 0) or 0] or []
            items = outputs
            item = outputs[paired.get("item", 0)] if paired.get("item", 0) < len(outputs) else None
            if previous == target:
                return self.wrap(item)
            sources = run.get("source") or []
        raise NodeError(f"Paired item data for item from node '{target}' is unavailable")

    def globals(self, builtins_dict: dict[str, Any]) -> dict[str, Any]:
        req = self.request
        # Converted once per task, shared by the per-item runs (n8n's per-item sandboxes also
        # share the node's input data).
        if "_wrapped_items" not in req:
            req["_wrapped_items"] = self.wrap(req["items"])
        items = req["_wrapped_items"]
        scope: dict[str, Any] = {"__builtins__": builtins_dict}
        if self.native:
            # n8n's native runner: `_items` (all items) or `_item` (each item), plain data.
            if req["mode"] == "runOnceForEachItem":
                scope["_item"] = items[self.index]
            else:
                scope["_items"] = items
            return scope
        each = req["mode"] == "runOnceForEachItem"
        current = items[self.index] if self.index < len(items) else None
        zone = _zone(req.get("timezone") or "UTC")
        now = _dt.datetime.fromtimestamp(req.get("now_ms", 0) / 1000, tz=zone)
        scope.update(
            {
                "_input": Input(items, self.index, proxied(req.get("parameters") or {})),
                "_json": current["json"] if current is not None else None,
                "_binary": current.get("binary") if current is not None else None,
                "_": lambda name: self._node_data(name),
                "_items": lambda name=None, output=0, run=-1: self._items(name, output, run),
                "_workflow": proxied(req.get("workflow") or {}),
                "_execution": proxied(req.get("execution") or {}),
                "_prevNode": proxied(req.get("prev_node") or {}),
                "_runIndex": req.get("run_index", 0),
                "_itemIndex": self.index,
                "_parameter": proxied(req.get("parameters") or {}),
                "_vars": proxied(req.get("vars") or {}),
                "_now": DateTime(now),
                "_today": DateTime(now.replace(hour=0, minute=0, second=0, microsecond=0)),
                "_jmespath": _jmespath,
            }
        )
        if req.get("env") is not None:
            scope["_env"] = proxied(req["env"])
        if each:
            scope["item"] = current
        else:
            scope["items"] = items
        # A Code tool's `query` (n8n's ToolCode adds it to the sandbox context as is).
        for name, value in (req.get("globals") or {}).items():
            scope[name] = proxied(value)
        return scope

    def _node_data(self, name: str) -> NodeData:
        if name not in self.nodes:
            raise NodeError(f"Referenced node doesn't exist: {name}")
        return NodeData(self, name)

    def _items(self, name: str | None, output: int, run: int) -> list[Any]:
        if name is None:
            items: list[Any] = self.wrap(self.request["items"])
            return items
        runs = self._node_data(name)._runs()
        return NodeData(self, name).all(output, run if run >= 0 else len(runs) - 1)


def _zone(name: str) -> _dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # an unknown zone: n8n falls back to the system zone; UTC here
        return _dt.UTC


def _jmespath(data: Any, expression: str) -> Any:
    import jmespath  # Hive's dependency, imported by this module (not through the allowlist)

    return proxied(jmespath.search(expression, plain(data)))


# ---------------------------------------------------------------- running the code


class _Console(io.TextIOBase):
    """sys.stdout for the code: each printed line becomes one console line, as n8n shows them."""

    def __init__(self, lines: list[str], limit: int) -> None:
        self._lines = lines
        self._pending = ""
        self._limit = limit

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        *done, self._pending = self._pending.split("\n")
        room = self._limit - len(self._lines)
        self._lines.extend(done[: max(room, 0)])
        return len(text)

    def flush_pending(self) -> None:
        if self._pending:
            self._lines.append(self._pending)
            self._pending = ""


def restricted_builtins(deny: set[str], stdlib_allow: set[str], external_allow: set[str]) -> dict[str, Any]:
    """The code's ``__builtins__``: n8n's deny list removed, imports checked again at run time
    (a computed ``__import__`` the AST check cannot see)."""
    allowed = {k: v for k, v in builtins.__dict__.items() if k not in deny}
    real_import = builtins.__import__

    def guarded_import(
        name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        if level:
            raise ImportError("Relative imports are disallowed.")
        message = import_violation(name, stdlib_allow, external_allow)
        if message:
            raise ImportError(message)
        return real_import(name, globals, locals, fromlist, level)

    allowed["__import__"] = guarded_import
    return allowed


def wrap(code: str, native: bool) -> str:
    """n8n's wrapper: the code becomes a function body (so ``return`` works) one line down."""
    head = "def __n8n_main():" if native else "async def __n8n_main():"
    body = "\n".join("  " + line for line in code.split("\n"))
    return f"{head}\n{body}\n  pass\n"


def error_info(exc: BaseException, kind: str = "") -> dict[str, Any]:
    """What the parent turns into the node's error: type, message and the code's own line."""
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == CODE_FILE and exc.lineno:
        line = exc.lineno - 1
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == CODE_FILE and frame.lineno:
            line = frame.lineno - 1
    # The last line only: the wrapper's own line numbers would mislead.
    stack = traceback.format_exception_only(type(exc), exc)[-1].strip()
    info: dict[str, Any] = {
        "type": kind or type(exc).__name__,
        "message": str(exc),
        "line": line,
        "stack": stack,
    }
    if isinstance(exc, SyntaxError):
        info["message"] = exc.msg
    return info


def run(request: dict[str, Any]) -> dict[str, Any]:
    policy = request["policy"]
    stdlib_allow, external_allow = set(policy["stdlib_allow"]), set(policy["external_allow"])
    native = request["language"] == "pythonNative"
    source = wrap(request["code"], native)
    try:
        compiled = compile(source, CODE_FILE, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return {"error": error_info(exc)}
    if not ("*" in stdlib_allow and "*" in external_allow):
        validator = SecurityValidator(stdlib_allow, external_allow)
        validator.visit(ast.parse(request["code"]))
        if validator.violations:
            return {"error": {"type": "SecurityViolationError", "message": "Security violations detected",
                              "description": "\n".join(validator.violations), "line": None}}  # fmt: skip
    lines: list[str] = []
    console = _Console(lines, int(policy.get("max_console_lines", 1000)))
    sys.stdout = console
    safe_builtins = restricted_builtins(set(policy["builtins_deny"]), stdlib_allow, external_allow)
    each = request["mode"] == "runOnceForEachItem"
    indices = range(len(request["items"])) if each else range(1)
    results: list[dict[str, Any]] = []
    # One event loop for every item: `asyncio.run` per item would build and close one each time.
    loop = asyncio.new_event_loop()
    for index in indices:
        scope = Scope(request, index).globals(safe_builtins)
        try:
            exec(compiled, scope)
            main = scope["__n8n_main"]
            value = main() if native else loop.run_until_complete(main())
            results.append({"ok": True, "v": plain(value), "none": value is None})
        except NodeError as exc:
            results.append(
                {"ok": False, "error": {"type": "", "message": str(exc), "line": error_info(exc)["line"]}}
            )
        except Exception as exc:
            results.append({"ok": False, "error": error_info(exc)})
        if not results[-1]["ok"] and not request.get("continue_on_fail"):
            break
    loop.close()
    console.flush_pending()
    return {"results": results, "logs": lines}


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> None:
    # The answer goes to the pipe that was stdout; the code's own fd 1 goes nowhere.
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    request = json.loads(sys.stdin.buffer.read())
    policy = request["policy"]
    _limit_resources(int(policy.get("memory_mb", 0)), int(policy.get("cpu_seconds", 0)))
    if request.get("clear_env", True):
        os.environ.clear()
    try:
        reply = run(request)
    except MemoryError:
        reply = {"error": {"type": "MemoryError", "message": "out of memory", "line": None}}
    sys.stdout = sys.__stdout__
    answer.write(json.dumps(reply))
    answer.flush()


if __name__ == "__main__":
    main()
