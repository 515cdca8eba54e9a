"""`Array.prototype.sort` with n8n's (inconsistent) position comparator, reproduced exactly.

n8n's v1 order sorts sibling nodes with a comparator that is not a total order (it never returns 1
for x positions), so the result depends on the sort algorithm. V8 and CPython both use TimSort
(V8's is a port of CPython's listsort); for the short arrays here that is a run count plus binary
insertion, written out so the outcome does not depend on the Python version.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_MIN_MERGE = 32


def js_sort(values: list[T], compare: Callable[[T, T], int]) -> list[T]:
    """A sorted copy, ordered exactly as V8's TimSort would order it with `compare`."""
    items = list(values)
    n = len(items)
    if n < 2:
        return items
    if n >= _MIN_MERGE * 2:  # pragma: no cover - sibling lists are never this long
        return sorted(items, key=functools.cmp_to_key(compare))
    # Count the leading run (strictly descending runs are reversed in place).
    run = 2
    if compare(items[1], items[0]) < 0:
        while run < n and compare(items[run], items[run - 1]) < 0:
            run += 1
        items[:run] = reversed(items[:run])
    else:
        while run < n and not compare(items[run], items[run - 1]) < 0:
            run += 1
    # Binary insertion of the rest.
    for start in range(run, n):
        pivot = items[start]
        left, right = 0, start
        while left < right:
            mid = (left + right) >> 1
            if compare(pivot, items[mid]) < 0:
                right = mid
            else:
                left = mid + 1
        items[left + 1 : start + 1] = items[left:start]
        items[left] = pivot
    return items


__all__ = ["js_sort"]
