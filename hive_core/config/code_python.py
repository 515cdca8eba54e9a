"""What Python Code node code may do: hive.yaml's ``code_python:`` section (used by
``n8n_runtime.code_python``).

The defaults are n8n's native Python runner's (``N8N_RUNNERS_STDLIB_ALLOW`` and
``N8N_RUNNERS_EXTERNAL_ALLOW`` empty: no imports; ``N8N_RUNNERS_BUILTINS_DENY``'s list;
``N8N_RUNNERS_TASK_TIMEOUT`` 60 s); memory and the pool size are Hive's own.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["BUILTINS_DENY_DEFAULT", "PythonCodePolicy"]

# n8n's BUILTINS_DENY_DEFAULT (task-runner-python/src/constants.py).
BUILTINS_DENY_DEFAULT = (
    "eval", "exec", "compile", "open", "input", "breakpoint", "getattr", "object", "type", "vars",
    "setattr", "delattr", "hasattr", "dir", "memoryview", "__build_class__", "globals", "locals",
    "license", "help", "credits", "copyright",
)  # fmt: skip


class PythonCodePolicy(BaseModel):
    """Limits of the interpreter processes that run Python Code nodes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Standard-library modules the code may import ("*": all), as N8N_RUNNERS_STDLIB_ALLOW.
    stdlib_allow: list[str] = []
    # Installed third-party packages the code may import ("*": all), as N8N_RUNNERS_EXTERNAL_ALLOW.
    external_allow: list[str] = []
    # Builtins removed from the code's namespace, as N8N_RUNNERS_BUILTINS_DENY.
    builtins_deny: list[str] = list(BUILTINS_DENY_DEFAULT)
    # Wall-clock limit of one node run (N8N_RUNNERS_TASK_TIMEOUT); the process is killed after it.
    task_timeout_s: Annotated[float, Field(gt=0, le=3600)] = 60
    # Address-space limit of the process (RLIMIT_AS); 0: none.
    memory_mb: Annotated[int, Field(ge=0)] = 2048
    # Interpreters kept started and waiting, so a run does not pay Python's start-up.
    pool_size: Annotated[int, Field(ge=0, le=16)] = 2
    # print() lines kept per run.
    max_console_lines: Annotated[int, Field(ge=0)] = 1000

    @field_validator("stdlib_allow", "external_allow")
    @classmethod
    def _wildcard_alone(cls, value: list[str]) -> list[str]:
        names = [v.strip() for v in value if v.strip()]
        if "*" in names and len(names) > 1:
            raise ValueError(f"'*' must be used alone, not with other modules; got {sorted(names)}")
        return names
