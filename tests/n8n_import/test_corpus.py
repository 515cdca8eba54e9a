"""n8n's own node-test workflows: the supported ones compile; the rest name what is missing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import CompileOptions, compile_export
from n8n_import.registry import format_version
from tests.n8n_import.corpus import CORPUS, TALLY, manifest, unsupported_type_versions

# Native nodes only: what Hive implements itself (node-host fallback: tests/node_host/).
NATIVE = CompileOptions(node_host=False)
_ENTRIES = manifest()
_PARAMS = (
    [pytest.param(e, id=e["file"]) for e in _ENTRIES]
    if _ENTRIES is not None
    else [
        pytest.param(
            None, id="corpus-missing", marks=pytest.mark.skip(reason=f"n8n corpus not found at {CORPUS}")
        )
    ]
)


@pytest.mark.parametrize("entry", _PARAMS)
def test_corpus_workflow(entry: dict[str, Any]) -> None:
    text = (CORPUS / entry["file"]).read_text()
    unsupported = unsupported_type_versions(entry)
    if not unsupported:
        [plan] = compile_export(text, NATIVE)
        assert plan.start_nodes, "a compiled plan always has somewhere to start"
        assert plan.execution_order == ("v1" if entry["execution_order"] == "v1" else "v0")
        TALLY.record(entry, unsupported, compiled=True)
        return

    with pytest.raises(CompileError) as info:
        compile_export(text, NATIVE)
    raw = json.loads(text)
    expected = {
        (n["name"], f"{n['type']}@{format_version(n['typeVersion'])}")
        for n in raw["nodes"]
        if f"{n['type'].rsplit('.', 1)[-1]}@{format_version(n['typeVersion'])}" in unsupported
    }
    named = {
        (d["node"], d["node_type"])
        for d in info.value.details["diagnostics"]
        if d["severity"] == "error" and d["field"] in ("type", "typeVersion")
    }
    assert named == expected
    for name, node_type in expected:
        assert f'node "{name}" ({node_type})' in info.value.message
    TALLY.record(entry, unsupported, compiled=False)


def test_corpus_has_compilable_workflows() -> None:
    entries = manifest()
    if entries is None:
        pytest.skip(f"n8n corpus not found at {CORPUS}")
    supported = [e for e in entries if not unsupported_type_versions(e)]
    assert supported, "the registry supports none of n8n's test workflows"
    # Loop, branch and merge nodes and both execution orders appear among the compilable ones.
    seen = {pair.rsplit("@", 1)[0] for e in supported for pair in e["type_versions"]}
    assert {"if", "switch", "merge", "splitInBatches", "set", "code"} <= seen
    # "v0(default)" marks an absent executionOrder, which must compile as legacy v0.
    assert {e["execution_order"][:2] for e in supported} == {"v0", "v1"}
