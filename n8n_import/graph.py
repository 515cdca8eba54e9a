"""The node graph from an export's `connections`: edges, parents, sub-nodes, reachability, cycles.

All algorithms are linear in nodes + edges (iterative, so 5,000-node chains do not hit Python's
recursion limit).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from n8n_import.diagnostics import Diagnostic, error, warning
from n8n_import.model import N8nConnections
from n8n_import.plan import Edge, Source

MAIN = "main"
# n8n's NodeConnectionTypes; `ai_*` connect sub-nodes (models, tools, memory...) to a root node.
AI_CONNECTION_TYPES = frozenset(
    {
        "ai_agent",
        "ai_chain",
        "ai_document",
        "ai_embedding",
        "ai_languageModel",
        "ai_memory",
        "ai_outputParser",
        "ai_retriever",
        "ai_reranker",
        "ai_textSplitter",
        "ai_tool",
        "ai_vectorStore",
    }
)
CONNECTION_TYPES = AI_CONNECTION_TYPES | {MAIN}


@dataclass
class Graph:
    """Main edges both ways plus `ai_*` sub-node attachments, keyed by node name."""

    names: list[str]
    # outputs[node][output_index] -> edges (index = n8n output index; gaps are empty lists)
    outputs: dict[str, list[list[Edge]]] = field(default_factory=dict)
    # inputs[node][input_index] -> sources
    inputs: dict[str, list[list[Source]]] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)
    # sub_nodes[root][connection_type] -> sub-node names; sub_node_of[sub] -> roots
    sub_nodes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    sub_node_of: dict[str, list[str]] = field(default_factory=dict)

    def children(self, name: str) -> Iterable[str]:
        """All main children of `name` over every output (may repeat)."""
        for edges in self.outputs.get(name, ()):
            for edge in edges:
                yield edge.node


def build_graph(
    connections: N8nConnections, names: Sequence[str], ignored: Collection[str] = ()
) -> tuple[Graph, list[Diagnostic]]:
    """Index `connections` by node, validating connection types and node names.

    Args:
        connections: the export's `connections` object.
        names: the nodes that take part (export order).
        ignored: nodes dropped from the plan (sticky notes); edges touching them are dropped.
    """
    known = set(names)
    graph = Graph(names=list(names))
    for name in names:
        graph.outputs[name] = []
        graph.inputs[name] = []
        graph.parents[name] = []
    seen_parents: dict[str, set[str]] = {name: set() for name in names}
    diags: list[Diagnostic] = []

    for source, by_type in connections.items():
        where = f'connections["{source}"]'
        if source in ignored:
            diags.append(warning("connections from an annotation node are ignored", node=source, field=where))
            continue
        if source not in known:
            diags.append(error(f'connection source "{source}" is not a node of this workflow', field=where))
            continue
        for ctype, slots in by_type.items():
            if ctype not in CONNECTION_TYPES:
                diags.append(
                    error(f'unknown connection type "{ctype}"', node=source, field=f"{where}.{ctype}")
                )
                continue
            for out_index, slot in enumerate(slots):
                for pos, conn in enumerate(slot or ()):
                    at = f"{where}.{ctype}[{out_index}][{pos}]"
                    if conn.node in ignored:
                        diags.append(
                            warning(
                                f'connection to annotation node "{conn.node}" ignored', node=source, field=at
                            )
                        )
                        continue
                    if conn.node not in known:
                        diags.append(
                            error(
                                f'connects to "{conn.node}", which is not a node of this workflow',
                                node=source,
                                field=f"{at}.node",
                            )
                        )
                        continue
                    if conn.type not in CONNECTION_TYPES:
                        diags.append(
                            error(f'unknown connection type "{conn.type}"', node=source, field=f"{at}.type")
                        )
                        continue
                    if ctype == MAIN:
                        _add_main(graph, seen_parents, source, out_index, conn.node, conn.index)
                    else:
                        subs = graph.sub_nodes.setdefault(conn.node, {}).setdefault(ctype, [])
                        # n8n's slot order: an agent's fallback model is its ai_languageModel input 1.
                        if ctype == "ai_languageModel" and conn.index == 0:
                            subs.insert(0, source)
                        else:
                            subs.append(source)
                        graph.sub_node_of.setdefault(source, []).append(conn.node)
    return graph, diags


def _add_main(
    graph: Graph, seen_parents: dict[str, set[str]], source: str, out_index: int, target: str, in_index: int
) -> None:
    outputs = graph.outputs[source]
    while len(outputs) <= out_index:
        outputs.append([])
    outputs[out_index].append(Edge(node=target, input_index=in_index))
    inputs = graph.inputs[target]
    while len(inputs) <= in_index:
        inputs.append([])
    inputs[in_index].append(Source(node=source, output_index=out_index))
    if source not in seen_parents[target]:
        seen_parents[target].add(source)
        graph.parents[target].append(source)


def reachable(graph: Graph, starts: Iterable[str], *, pull_join_ancestors: bool = False) -> set[str]:
    """Nodes a run can reach from `starts` over main edges, plus sub-nodes of reached roots.

    With `pull_join_ancestors` (n8n's legacy v0 order), a reached node fed on more than one input
    also pulls in all its ancestors: v0 runs the missing branch of a Merge from its top.
    """
    seen = set(starts)
    forward = deque(seen)
    backward: deque[str] = deque()
    pulled: set[str] = set()
    while forward or backward:
        if backward:
            name = backward.popleft()
            for parent in graph.parents[name]:
                if parent not in pulled:
                    pulled.add(parent)
                    backward.append(parent)
                if parent not in seen:
                    seen.add(parent)
                    forward.append(parent)
            continue
        name = forward.popleft()
        if pull_join_ancestors and name not in pulled and sum(1 for s in graph.inputs[name] if s) > 1:
            pulled.add(name)
            backward.append(name)
        nexts = list(graph.children(name))
        for subs in graph.sub_nodes.get(name, {}).values():
            nexts.extend(subs)
        for child in nexts:
            if child not in seen:
                seen.add(child)
                forward.append(child)
    return seen


def forbidden_cycles(graph: Graph, loop_nodes: Collection[str]) -> list[list[str]]:
    """Cycles over main edges that avoid every loop node, one path per offending component.

    A cycle that does not pass through a loop node exists iff the graph without loop nodes has a
    non-trivial strongly connected component (or a self-loop). Found with iterative Tarjan.
    """
    order = {name: i for i, name in enumerate(graph.names)}
    succ: dict[str, list[str]] = {
        name: [c for c in graph.children(name) if c not in loop_nodes]
        for name in graph.names
        if name not in loop_nodes
    }
    cycles: list[list[str]] = []
    for component in strongly_connected(succ):
        start = min(component, key=order.__getitem__)
        if len(component) > 1 or start in succ[start]:
            cycles.append(_cycle_path(succ, set(component), start))
    cycles.sort(key=lambda path: order[path[0]])
    return cycles


def strongly_connected(succ: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of `succ` (iterative Tarjan), trivial ones included.

    Every successor must itself be a key of `succ`.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in succ:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_pos = work.pop()
            if child_pos == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = succ[node]
            recursed = False
            while child_pos < len(children):
                child = children[child_pos]
                child_pos += 1
                if child not in index:
                    work.append((node, child_pos))
                    work.append((child, 0))
                    recursed = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if recursed:
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _cycle_path(succ: dict[str, list[str]], members: set[str], start: str) -> list[str]:
    """A shortest path start → ... → start inside one component (BFS)."""
    prev: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in succ[node]:
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(prev[path[-1]])
                return [*reversed(path), start]
            if child not in prev:
                prev[child] = node
                queue.append(child)
    return [start, start]


__all__ = [
    "AI_CONNECTION_TYPES",
    "CONNECTION_TYPES",
    "MAIN",
    "Graph",
    "build_graph",
    "forbidden_cycles",
    "reachable",
    "strongly_connected",
]
