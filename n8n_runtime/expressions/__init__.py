"""n8n expressions and Code node JavaScript on a real JS engine (V8 via mini-racer).

Deterministic by construction: workflow time and a seed come in through
:class:`ExpressionContext`; the V8 sandbox has no clock, host locale, I/O or native
microtasks. Safe to import inside Temporal workflow code (pass it through the sandbox).
"""

from n8n_runtime.expressions.context import DEFAULT_TIMEZONE, ExpressionContext, Item
from n8n_runtime.expressions.engine import ExpressionEngine, resolve_parameters
from n8n_runtime.expressions.node_parameters import NodeParameters

__all__ = [
    "DEFAULT_TIMEZONE",
    "ExpressionContext",
    "ExpressionEngine",
    "Item",
    "NodeParameters",
    "resolve_parameters",
]
