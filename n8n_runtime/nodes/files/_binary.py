"""What every file node shares: the execution's binary handle and n8n's binary assertions."""

from __future__ import annotations

from typing import Any

from hive_core.binary_data import BinaryData, ExecutionBinary
from n8n_runtime.nodes.base import Item, NodeError, NodeRun
from n8n_runtime.nodes.control._common import continue_on_fail

__all__ = ["assert_binary", "binary_handle", "continue_on_fail", "error_item", "node_error"]


def binary_handle(run: NodeRun) -> ExecutionBinary:
    """The activity's handle on the binary store; inline base64 (n8n's default mode) without one."""
    handle = run.extras.get("binary")
    if isinstance(handle, ExecutionBinary):
        return handle
    return ExecutionBinary(None, None, str(run.extras.get("execution_id") or "local"))


def assert_binary(run: NodeRun, item_index: int, prop: str, input_index: int = 0) -> BinaryData:
    """n8n-core's ``assertBinaryData`` with its exact messages."""
    items = run.inputs[input_index] if input_index < len(run.inputs) else []
    binary = items[item_index].get("binary") if item_index < len(items) else None
    if binary is None:
        raise NodeError(
            "This operation expects the node's input data to contain a binary file "
            f"'{prop}', but none was found [item {item_index}]",
            description="Make sure that the previous node outputs a binary file",
            item_index=item_index,
        )
    data = binary.get(prop)
    if data is None:
        raise NodeError(
            f"The item has no binary field '{prop}' [item {item_index}]",
            description="Check that the parameter where you specified the input binary field name is "
            "correct, and that it matches a field in the binary input",
            item_index=item_index,
        )
    return dict(data)


def node_error(error: Exception, item_index: int | None = None, description: str | None = None) -> NodeError:
    """Any failure as a node error (n8n wraps them in NodeOperationError)."""
    if isinstance(error, NodeError):
        if error.item_index is None and item_index is not None:
            error.item_index = item_index
        return error
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return NodeError(str(message), description=description, item_index=item_index)


def error_item(message: str, paired: Any) -> Item:
    """The item n8n emits for a failed item under continueOnFail."""
    return {"json": {"error": message}, "pairedItem": paired}


def failed_item(run: NodeRun, error: Exception, paired: Any, item_index: int | None = None) -> Item:
    """n8n's catch around a node's work: the error's item under continueOnFail, else it raises
    the failure as a NodeError (naming the item when the work was per item)."""
    message = getattr(error, "message", None) or str(error)
    if continue_on_fail(run):
        return error_item(message, paired)
    raise NodeError(message, item_index=item_index) from error
