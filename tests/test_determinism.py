"""Guard: workflow code does no I/O and reads no clock or randomness except through `workflow.*`.

Scans every module under `workflows/` with the AST. Imports inside
`workflow.unsafe.imports_passed_through()` blocks are allowed only from Hive's own
pure packages, whose names are listed below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORKFLOWS = Path(__file__).resolve().parents[1] / "workflows"

FORBIDDEN_MODULES = {
    "os", "sys", "time", "random", "secrets", "uuid", "socket", "subprocess", "threading",
    "multiprocessing", "shutil", "tempfile", "pathlib", "io", "glob", "sqlite3", "urllib",
    "http", "httpx", "requests", "aiohttp", "sqlalchemy", "asyncpg", "aiosqlite", "psutil",
    "logging", "signal", "selectors", "ssl", "concurrent",
}  # fmt: skip
# Hive's own modules that a workflow may pass through the sandbox.
PASSED_THROUGH_ALLOWED = ("activities", "hive_core", "n8n_import", "n8n_runtime", "pydantic", "workflows")
FORBIDDEN_CALLS = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("asyncio", "sleep"), ("asyncio", "get_event_loop"), ("asyncio", "create_task"),
}  # fmt: skip
FORBIDDEN_BUILTINS = {"open", "input", "print", "exec", "eval", "compile", "__import__"}


def _in_passthrough(node: ast.With) -> bool:
    return any("imports_passed_through" in ast.unparse(item.context_expr) for item in node.items)


def violations(source: str, filename: str) -> list[str]:
    tree = ast.parse(source, filename)
    passthrough: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and _in_passthrough(node):
            passthrough |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        for module in modules:
            root = module.split(".")[0]
            if root in FORBIDDEN_MODULES:
                found.append(f"{where}: imports {module}")
            elif id(node) in passthrough and root not in PASSED_THROUGH_ALLOWED:
                found.append(f"{where}: passes {module} through the sandbox")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
                found.append(f"{where}: calls {func.id}()")
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if (func.value.id, func.attr) in FORBIDDEN_CALLS:
                    found.append(f"{where}: calls {func.value.id}.{func.attr}()")
    return found


def test_workflow_modules_are_deterministic() -> None:
    files = sorted(WORKFLOWS.rglob("*.py"))
    assert files, "no workflow modules found"
    problems = [v for f in files for v in violations(f.read_text(), str(f.relative_to(WORKFLOWS.parent)))]
    assert not problems, "non-deterministic workflow code:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("import time", "imports time"),
        ("from random import randint", "imports random"),
        ("import httpx.client", "imports httpx.client"),
        ("from datetime import datetime\nx = datetime.now()", "calls datetime.now()"),
        ("open('f')", "calls open()"),
        ("import asyncio\nasyncio.sleep(1)", "calls asyncio.sleep()"),
        (
            "from temporalio import workflow\nwith workflow.unsafe.imports_passed_through():\n"
            "    import requests_toolbelt",
            "passes requests_toolbelt through",
        ),
    ],
)
def test_guard_catches(snippet: str, expected: str) -> None:
    assert any(expected in v for v in violations(snippet, "x.py"))


def test_guard_allows_workflow_api() -> None:
    ok = (
        "from datetime import timedelta\nfrom temporalio import workflow\n"
        "with workflow.unsafe.imports_passed_through():\n    from activities.x import Y\n"
        "async def f():\n    await workflow.sleep(1)\n    workflow.now()\n"
    )
    assert violations(ok, "ok.py") == []
