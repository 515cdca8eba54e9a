"""Fixtures for the expression engine tests: one engine per module (a V8 context is cheap to
keep and ~10 ms to create)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from n8n_runtime.expressions import ExpressionEngine


@pytest.fixture(scope="module")
def engine() -> Iterator[ExpressionEngine]:
    eng = ExpressionEngine()
    yield eng
    eng.close()
