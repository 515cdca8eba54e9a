"""n8n's connection lookups over a plan: by source, by destination, parents, highest nodes.

`parent_nodes` reproduces n8n's `getParentNodes` (`common/get-connected-nodes.ts`) including its
order, because the legacy (v0) scheduler picks which parent to force-run from that order. n8n
recurses with a per-path `checkedNodes` copy; here the recursion runs on an explicit stack (deep
chains exceed Python's recursion limit) and results are memoised per node, keyed by the part of
the path that can still matter (the node's strongly connected component), so diamonds stay cheap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator

from n8n_import.graph import strongly_connected
from n8n_import.plan import Edge, Plan, Source

_ParentsGen = Generator[tuple[str, frozenset[str]], list[str], list[str]]


class ConnectionIndex:
    """Connections of a plan, shaped like n8n's `connectionsBySourceNode/ByDestinationNode`."""

    def __init__(self, plan: Plan) -> None:
        self._plan = plan
        self.by_source: dict[str, list[list[Edge]]] = {}
        self.by_dest: dict[str, list[list[Source]]] = {}
        for name, node in plan.nodes.items():
            self.by_source[name] = node.main_outputs
            slots = list(node.input_sources)
            while slots and not slots[-1]:
                slots.pop()
            if slots:
                # n8n's array only reaches the highest connected input index.
                self.by_dest[name] = slots
        self._scc = _components(self.by_dest, list(plan.nodes))
        self._parents_memo: dict[tuple[str, frozenset[str]], list[str]] = {}
        self._enabled_source: dict[tuple[str, int], bool] = {}

    def input_slots(self, name: str) -> int:
        """`connectionsByDestinationNode[name].main.length` (0 without incoming connections)."""
        return len(self.by_dest.get(name, ()))

    def children(self, name: str) -> list[str]:
        """Every main child over all outputs, in connection order (may repeat)."""
        return [edge.node for edges in self.by_source.get(name, ()) for edge in edges]

    def parent_nodes(self, name: str | None) -> list[str]:
        """n8n's `workflow.getParentNodes(name)` (all main ancestors, n8n's order)."""
        if name is None:
            return []
        return list(self._run(name, frozenset()))

    def has_enabled_source(self, name: str, input_index: int) -> bool:
        """Whether n8n's `getHighestNode(name, input_index)` is non-empty.

        n8n runs a node whose input only has disabled ancestors without waiting for that input; the
        highest-node list is empty exactly when no enabled node is reachable upstream of the input.
        """
        key = (name, input_index)
        cached = self._enabled_source.get(key)
        if cached is not None:
            return cached
        slots = self.by_dest.get(name, [])
        start = [s.node for s in slots[input_index]] if input_index < len(slots) else []
        seen = {name}
        queue = deque(start)
        found = False
        while queue:
            current = queue.popleft()
            if current in seen or current not in self._plan.nodes:
                continue
            seen.add(current)
            if not self._plan.nodes[current].disabled:
                found = True
                break
            for slot in self.by_dest.get(current, ()):
                queue.extend(s.node for s in slot)
        self._enabled_source[key] = found
        return found

    def _run(self, name: str, checked: frozenset[str]) -> list[str]:
        stack: list[tuple[tuple[str, frozenset[str]], _ParentsGen]] = []
        key = self._key(name, checked)
        stack.append((key, self._parents(name, checked)))
        value: list[str] | None = None
        while stack:
            key, gen = stack[-1]
            try:
                request = gen.send(value) if value is not None else next(gen)
            except StopIteration as stop:
                stack.pop()
                value = stop.value
                self._parents_memo[key] = value
                continue
            sub_key = self._key(*request)
            memo = self._parents_memo.get(sub_key)
            if memo is not None:
                value = memo
                continue
            value = None
            stack.append((sub_key, self._parents(*request)))
        assert value is not None
        return value

    def _key(self, name: str, checked: frozenset[str]) -> tuple[str, frozenset[str]]:
        # Only path nodes that are also ancestors (= the node's cycle) can change the answer.
        return name, checked & self._scc.get(name, frozenset())

    def _parents(self, name: str, checked_in: frozenset[str]) -> _ParentsGen:
        """One frame of n8n's recursive getConnectedNodes; yields sub-calls, returns the list."""
        slots = self.by_dest.get(name)
        if slots is None or name in checked_in:
            return []
        checked = checked_in | {name}
        result: list[str] = []
        for slot in slots:
            for source in slot:
                if source.node in checked:
                    continue
                result.insert(0, source.node)
                added = yield (source.node, checked)
                result = _move_to_front(result, added)
        return result


def _move_to_front(nodes: list[str], added: list[str]) -> list[str]:
    """n8n's loop: for each added name (last first), drop its first occurrence, then unshift it."""
    if len(set(added)) == len(added):
        pending = set(added)
        rest: list[str] = []
        for node in nodes:
            if node in pending:
                pending.discard(node)
                continue
            rest.append(node)
        return [*added, *rest]
    out = list(nodes)
    for node in reversed(added):
        if node in out:
            out.remove(node)
        out.insert(0, node)
    return out


def _components(by_dest: dict[str, list[list[Source]]], names: list[str]) -> dict[str, frozenset[str]]:
    """Cyclic strongly connected components over the parent edges; acyclic nodes are left out."""
    known = set(names)
    succ = {n: [s.node for slot in by_dest.get(n, ()) for s in slot if s.node in known] for n in names}
    result: dict[str, frozenset[str]] = {}
    for members in strongly_connected(succ):
        if len(members) > 1 or members[0] in succ[members[0]]:
            component = frozenset(members)
            for member in members:
                result[member] = component
    return result


__all__ = ["ConnectionIndex"]
