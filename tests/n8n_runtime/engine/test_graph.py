"""ConnectionIndex against direct ports of n8n's recursive graph helpers, on random graphs."""

from __future__ import annotations

import functools
import random
from typing import Any

import pytest

from n8n_runtime.engine.graph import ConnectionIndex
from n8n_runtime.engine.jssort import js_sort
from tests.n8n_runtime.engine.helpers import node, workflow


def _n8n_parents(
    by_dest: dict[str, list[list[str]]], name: str, checked_in: list[str] | None = None
) -> list[str]:
    """Line-by-line port of n8n's getConnectedNodes (main connections, depth -1)."""
    if name not in by_dest:
        return []
    checked = list(checked_in or [])
    if name in checked:
        return []
    checked.append(name)
    result: list[str] = []
    for slot in by_dest[name]:
        for parent in slot:
            if parent in checked:
                continue
            result.insert(0, parent)
            added = _n8n_parents(by_dest, parent, checked)
            for i in range(len(added) - 1, -1, -1):
                if added[i] in result:
                    result.remove(added[i])
                result.insert(0, added[i])
    return result


def _random_plan(seed: int) -> Any:
    rng = random.Random(seed)
    size = rng.randint(3, 9)
    names = [f"N{i}" for i in range(size)]
    nodes = [node(names[0], "manualTrigger")] + [
        node(n, "splitInBatches", 3) if rng.random() < 0.3 else node(n, "noOp") for n in names[1:]
    ]
    edges: list[Any] = []
    for i in range(1, size):
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(0, size)
            if j == i:
                continue
            loop_ok = nodes[i]["type"].endswith("splitInBatches") or nodes[j]["type"].endswith(
                "splitInBatches"
            )
            if j < i or loop_ok:
                edges.append((names[j], names[i], 1 if nodes[j]["type"].endswith("splitInBatches") else 0))
    return workflow(nodes, edges)


@pytest.mark.parametrize("seed", range(60))
def test_parent_nodes_match_n8n(seed: int) -> None:
    plan = _random_plan(seed)
    index = ConnectionIndex(plan)
    by_dest = {name: [[s.node for s in slot] for slot in slots] for name, slots in index.by_dest.items()}
    for name in plan.nodes:
        assert index.parent_nodes(name) == _n8n_parents(by_dest, name), name


def test_parent_nodes_of_a_long_chain() -> None:
    names = [f"N{i}" for i in range(3000)]
    plan = workflow(
        [node(names[0], "manualTrigger")] + [node(n, "noOp") for n in names[1:]],
        [(names[i], names[i + 1]) for i in range(len(names) - 1)],
    )
    parents = ConnectionIndex(plan).parent_nodes(names[-1])
    assert parents == names[:-1]


def test_enabled_source_ignores_disabled_chains() -> None:
    plan = workflow(
        [
            node("T", "manualTrigger"),
            node("Off", "noOp", disabled=True),
            node("M", "merge", 2),
            node("On", "noOp"),
        ],
        [("T", "On"), ("Off", "M", 0, 0), ("On", "M", 0, 1)],
    )
    index = ConnectionIndex(plan)
    assert not index.has_enabled_source("M", 0) and index.has_enabled_source("M", 1)


def _cmp(a: tuple[int, int], b: tuple[int, int]) -> int:
    # n8n's v1 position comparator (not a total order).
    if a[1] < b[1]:
        return 1
    if a[1] > b[1]:
        return -1
    if a[0] > b[0]:
        return -1
    return 0


@pytest.mark.parametrize("seed", range(40))
def test_js_sort_matches_timsort(seed: int) -> None:
    rng = random.Random(seed)
    values = [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(rng.randint(0, 12))]
    assert js_sort(values, _cmp) == sorted(values, key=functools.cmp_to_key(_cmp))
