"""Parity with n8n's own test workflows for the data-node folders (read from shared/n8n-corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from n8n_import.registry import get_spec
from tests.n8n_runtime.nodes_data.corpus import CORPUS, corpus_files, run_file

FILES = corpus_files()


def _unsupported_types(path: Path) -> list[str]:
    import json

    nodes = json.loads(path.read_text())["nodes"]
    return sorted({n["type"] for n in nodes if get_spec(n["type"]) is None})


@pytest.mark.skipif(not FILES, reason="shared/n8n-corpus is not available")
@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(CORPUS).as_posix() for p in FILES])
def test_corpus_file(path: Path) -> None:
    unsupported = _unsupported_types(path)
    if unsupported:
        pytest.skip(f"unsupported node types: {', '.join(unsupported)}")
    result = run_file(path)
    assert not result.failed, result.failed
    if not result.passed and result.skipped:
        pytest.skip("; ".join(f"{k}: {v}" for k, v in result.skipped.items()))
