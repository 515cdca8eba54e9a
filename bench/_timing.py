"""Shared bench timing: the median wall time of a call repeated in-process."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    """The median time of `repeat` calls of `call`, in ms."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
