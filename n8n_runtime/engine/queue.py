"""n8n's node execution stack and waiting multi-input nodes (WorkflowExecute.addNodeToBeExecuted).

The stack holds the node runs that have all their input data; multi-input nodes (Merge) wait in
`waiting` until every input has data. v1 order puts new entries at the front (a branch finishes
before the next starts); legacy v0 appends them and, when a multi-input node starts waiting,
force-runs parents that would otherwise never deliver the missing input.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from n8n_import.plan import Edge, Plan
from n8n_runtime.engine.graph import ConnectionIndex
from n8n_runtime.engine.traits import declared_input_count, required_inputs
from n8n_runtime.engine.types import RunData, SourceData
from n8n_runtime.nodes.base import Item

Inputs = list[list[Item] | None]
Outputs = list[list[Item] | None]


@dataclass
class ExecuteData:
    """One stack entry (n8n's IExecuteData): a node with the data of each of its inputs."""

    node: str
    data: Inputs
    # None for the start node (n8n's `source: null`).
    source: list[SourceData | None] | None
    run_index: int | None = None


def source_of(parent: str, output_index: int, run_index: int) -> SourceData:
    """n8n's ISourceData for items coming from `parent`'s output `output_index` in run `run_index`."""
    return {"previousNode": parent, "previousNodeOutput": output_index, "previousNodeRun": run_index}


class ExecutionQueue:
    """The stack plus the waiting multi-input nodes, with n8n's rules for both."""

    def __init__(self, plan: Plan, graph: ConnectionIndex, run_data: RunData) -> None:
        self._plan = plan
        self._graph = graph
        self._run_data = run_data
        self._v1 = plan.execution_order == "v1"
        self.stack: deque[ExecuteData] = deque()
        self.waiting: dict[str, dict[int, Inputs]] = {}
        self.waiting_source: dict[str, dict[int, list[SourceData | None]]] = {}

    def enqueue(self, entry: ExecuteData) -> None:
        """v1 runs new work first (depth-first); v0 queues it last (breadth-first)."""
        if self._v1:
            self.stack.appendleft(entry)
        else:
            self.stack.append(entry)

    def add_child(self, edge: Edge, output_index: int, parent: str, outputs: Outputs, run_index: int) -> None:
        """Hand `parent`'s output `output_index` to `edge.node` (n8n's addNodeToBeExecuted)."""
        inputs_count = self._graph.input_slots(edge.node)
        data = outputs[output_index] if output_index < len(outputs) else None
        source = source_of(parent, output_index, run_index)
        if inputs_count <= 1:
            entry_data: Inputs = [None] * (edge.input_index + 1)
            entry_data[edge.input_index] = data
            self.enqueue(ExecuteData(edge.node, entry_data, [source]))
            return

        node_was_waiting = edge.node in self.waiting
        waiting = self.waiting.setdefault(edge.node, {})
        waiting_source = self.waiting_source.setdefault(edge.node, {})
        slot: int | None = None
        for key in _js_keys(waiting):
            entry = waiting[key]
            if edge.input_index >= len(entry) or entry[edge.input_index] is None:
                slot = key
                break
        if slot is None:
            # n8n counts the entries left; after deletions this can reuse (overwrite) a live key.
            slot = len(waiting)
            waiting[slot] = [None] * inputs_count
            waiting_source[slot] = [None] * inputs_count
        waiting[slot][edge.input_index] = data
        waiting_source[slot][edge.input_index] = source

        if all(d is not None for d in waiting[slot]):
            self.enqueue(ExecuteData(edge.node, waiting.pop(slot), waiting_source.pop(slot)))
            if not waiting:
                del self.waiting[edge.node]
                del self.waiting_source[edge.node]
            return
        if not node_was_waiting and not self._v1:
            self._force_missing_parents(edge.node, parent, output_index, outputs, run_index)

    def _force_missing_parents(
        self, node: str, parent: str, output_index: int, outputs: Outputs, run_index: int
    ) -> None:
        """Legacy v0: queue the not-yet-run parents of a newly waiting node (with one empty item)."""
        parent_children = self._graph.children(parent)
        for slot in self._graph.by_dest.get(node, []):
            for source in slot:
                other = source.node
                if other == parent:
                    continue
                on_stack = {entry.node for entry in self.stack}
                if other in parent_children and not self._incoming_is_empty(other, run_index):
                    # `parent` will run `other` itself, with data.
                    continue
                if other in on_stack or other in self._run_data:
                    continue
                chain = [*self._graph.parent_nodes(other), other]
                chain.reverse()
                to_add: str | None = other
                for candidate in chain:
                    if candidate != other and candidate in parent_children:
                        to_add = None
                        break
                    if candidate in on_stack:
                        to_add = None
                        break
                    if candidate in self._run_data:
                        break
                    to_add = candidate
                data = outputs[output_index] if output_index < len(outputs) else None
                if to_add is not None and parent in self._graph.parent_nodes(to_add) and not data:
                    # Never run a node its parent deliberately sent nothing to.
                    to_add = None
                if to_add is None:
                    continue
                if to_add not in self._graph.by_dest or self._incoming_is_empty(to_add, run_index):
                    self.enqueue(
                        ExecuteData(to_add, [[{"json": {}}]], [source_of(parent, output_index, run_index)])
                    )

    def _incoming_is_empty(self, node: str, run_index: int) -> bool:
        """n8n's incomingConnectionIsEmpty over input 0 of `node`, for run `run_index`."""
        slots = self._graph.by_dest.get(node, [])
        for source in slots[0] if slots else []:
            runs = self._run_data.get(source.node, [])
            if run_index >= len(runs):
                continue
            main = (runs[run_index].get("data") or {}).get("main") or []
            items = main[source.output_index] if source.output_index < len(main) else None
            if items:
                return False
        return True

    def ensure_input_data(self, entry: ExecuteData) -> bool:
        """Whether `entry` can run now; if not (legacy order, an input is missing) requeue it last."""
        for input_index in range(self._graph.input_slots(entry.node)):
            if not self._graph.has_enabled_source(entry.node, input_index):
                # Only disabled nodes feed that input: run without waiting for it.
                return True
            if not self._v1 and (
                len(entry.data) < input_index
                or (input_index < len(entry.data) and entry.data[input_index] is None)
            ):
                self.stack.append(entry)
                return False
        return True

    def release_waiting(self) -> None:
        """The stack is empty: run one waiting node with the inputs it has (empty for the others)."""
        names = list(self.waiting)
        i = 0
        while i < len(names):
            name = names[i]
            node = self._plan.nodes[name]
            required = required_inputs(node) if self._v1 else None
            declared = declared_input_count(node)
            if required is not None and declared is not None:
                count = len(required) if isinstance(required, list) else required
                if count == declared:
                    i += 1
                    continue
            if any(p in names for p in self._graph.parent_nodes(name)):
                # A parent is still waiting: its output may still arrive here.
                i += 1
                continue
            first = sorted(self.waiting[name], key=str)[0]
            with_data = [k for k, d in enumerate(self.waiting[name][first]) if d is not None]
            if isinstance(required, list) and any(r not in with_data for r in required):
                i += 1
                continue
            if isinstance(required, int) and len(with_data) < required:
                i += 1
                continue
            data: Inputs = [d if d is not None else [] for d in self.waiting[name][first]]
            has_items = any(data_items for data_items in data)
            if has_items:
                while len(data) < node.input_count:
                    data.append([])
                self.stack.append(ExecuteData(name, data, self.waiting_source[name][first]))
            del self.waiting[name][first]
            del self.waiting_source[name][first]
            if not self.waiting[name]:
                del self.waiting[name]
                del self.waiting_source[name]
            if has_items:
                return
            names = list(self.waiting)
            i = 0


def _js_keys(obj: dict[int, Inputs]) -> list[int]:
    """`Object.keys` order for integer keys: ascending."""
    return sorted(obj)


__all__ = ["ExecuteData", "ExecutionQueue", "source_of"]
