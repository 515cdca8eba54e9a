"""Small helpers every control node uses: n8n's continueOnFail, errors with item context, zone."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeRun
from n8n_runtime.nodes.control._dates import zone

# n8n's default GENERIC_TIMEZONE, used when the workflow sets none.
DEFAULT_TIMEZONE = "America/New_York"
# n8n's ENABLE_LESS_STRICT_TYPE_VALIDATION hint.
LESS_STRICT_HINT = (
    "Try changing the type of comparison. Alternatively you can enable 'Convert types where required'."
)


def continue_on_fail(run: NodeRun) -> bool:
    """n8n's `this.continueOnFail()`: the node keeps going with an error item instead of failing."""
    return run.node.settings.on_error in ("continueRegularOutput", "continueErrorOutput")


def as_node_error(error: Exception, item_index: int) -> NodeError:
    """Any failure while handling item `item_index`, as a NodeError that names the item."""
    if isinstance(error, NodeError):
        if error.item_index is None:
            error.item_index = item_index
        return error
    message, description, index = error_parts(error)
    node_error = NodeError(
        message, description=description, item_index=index if index is not None else item_index
    )
    node_error.__cause__ = error
    return node_error


def error_parts(error: Exception) -> tuple[str, str | None, int | None]:
    """(message, description, item index) of any error, in n8n's wording when it carries one.

    Hive errors keep n8n's own text in `details["n8n_message"]` (the Hive message adds where it
    happened, which n8n reports separately).
    """
    details = getattr(error, "details", None)
    details = details if isinstance(details, dict) else {}
    message = (
        details.get("n8n_message") or getattr(error, "message", None) or str(error) or type(error).__name__
    )
    description = details.get("description", getattr(error, "description", None))
    index = details.get("item_index")
    return (
        str(message),
        description if isinstance(description, str) else None,
        index if isinstance(index, int) and not isinstance(index, bool) else None,
    )


def error_item(error: Exception, item_index: int | None = None) -> Item:
    """The item a node emits for a failed input item when it continues on fail."""
    message = error_parts(error)[0]
    item: Item = {"json": {"error": message}}
    if item_index is not None:
        item["pairedItem"] = {"item": item_index}
    return item


def workflow_zone(run: NodeRun) -> tzinfo:
    """The zone dates without an offset are read in (the workflow's, else n8n's default)."""
    name = run.extras.get("timezone")
    return zone(name if isinstance(name, str) and name else DEFAULT_TIMEZONE)


def param(run: NodeRun, path: str, item_index: int, default: Any) -> Any:
    """`getNodeParameter(path, itemIndex, default)` where `default` is n8n's parameter default."""
    return run.params.get(path, item_index, default)


__all__ = [
    "DEFAULT_TIMEZONE",
    "LESS_STRICT_HINT",
    "as_node_error",
    "continue_on_fail",
    "error_item",
    "error_parts",
    "param",
    "workflow_zone",
]
