"""Compiler diagnostics: what went wrong (or looks odd), where, and one readable error for all of it.

Every stage appends `Diagnostic`s instead of raising, so a user sees *all* problems of a workflow at
once. `raise_if_errors` turns the error-severity ones into a single `CompileError` whose `details`
carry the full list (`diagnostics=[{"severity", "node", "node_type", "field", "message"}, ...]`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from hive_core.errors import CompileError


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop compilation, warnings travel in the plan."""

    ERROR = "error"
    WARNING = "warning"


class Diagnostic(BaseModel):
    """One finding about a workflow, named by node, node type and field where known."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    message: str
    node: str | None = None
    node_type: str | None = None
    field: str | None = None
    workflow: str | None = None
    # Long advice (e.g. the supported node list) shown once in the combined message, not per node.
    hint: str | None = None

    def location(self) -> str:
        """Human-readable 'where': workflow, node (type@version) and field."""
        parts: list[str] = []
        if self.workflow is not None:
            parts.append(f'workflow "{self.workflow}"')
        if self.node is not None:
            parts.append(f'node "{self.node}"' + (f" ({self.node_type})" if self.node_type else ""))
        if self.field is not None:
            parts.append(self.field)
        return " ".join(parts) if parts else "workflow"

    def render(self, *, with_hint: bool = True) -> str:
        """`<location>: <message>[; <hint>]`."""
        text = f"{self.location()}: {self.message}"
        if with_hint and self.hint:
            text += f"; {self.hint}"
        return text

    def to_detail(self) -> dict[str, Any]:
        """The dict shape carried in `CompileError.details['diagnostics']`."""
        detail: dict[str, Any] = {
            "severity": self.severity.value,
            "node": self.node,
            "node_type": self.node_type,
            "field": self.field,
            "message": self.message if not self.hint else f"{self.message}; {self.hint}",
        }
        if self.workflow is not None:
            detail["workflow"] = self.workflow
        return detail


def error(message: str, **where: Any) -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(severity=Severity.ERROR, message=message, **where)


def warning(message: str, **where: Any) -> Diagnostic:
    """Shorthand for a warning diagnostic."""
    return Diagnostic(severity=Severity.WARNING, message=message, **where)


def format_errors(diagnostics: Iterable[Diagnostic]) -> str:
    """One line for all errors: `2 errors: <d1>; <d2>` (each distinct hint shown once)."""
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    seen_hints: set[str] = set()
    rendered: list[str] = []
    for diag in errors:
        show_hint = diag.hint is not None and diag.hint not in seen_hints
        if diag.hint is not None:
            seen_hints.add(diag.hint)
        rendered.append(diag.render(with_hint=show_hint))
    noun = "error" if len(errors) == 1 else "errors"
    return f"{len(errors)} {noun}: " + "; ".join(rendered)


def raise_if_errors(diagnostics: list[Diagnostic], **details: Any) -> None:
    """Raise one `CompileError` if any diagnostic is an error; warnings ride along in details."""
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise CompileError(
            format_errors(diagnostics),
            diagnostics=[d.to_detail() for d in diagnostics],
            **details,
        )


__all__ = ["Diagnostic", "Severity", "error", "format_errors", "raise_if_errors", "warning"]
