"""How many of ../shared/real-world's templates compile, native nodes plus node-host steps.

The figure must not regress; the summary prints the remaining causes by node type (most are AI
nodes, which stay native and are another branch's work).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hive_core.errors import CompileError
from n8n_import import CompileOptions, compile_export

REAL_WORLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "real-world" / "workflows"
# Measured on 163 templates: 18 native-only at first; node host 35; AI nodes 85; then binary
# loaders, PDF and form files, node tools and polling triggers 110; Python Code (node and tool),
# service webhook and connection triggers, assistants, Respond to Chat 147 (90 %). What is left is
# by design or broken in the export itself: Local File Trigger / Execute Command (disabled as in
# n8n 2.x), OpenAI image/audio/file/assistant management, missing required parameters, a
# community node, the SQL agent.
MIN_COMPILING = 147
AI = "@n8n/n8n-nodes-langchain."


def _rate(options: CompileOptions) -> tuple[int, int, Counter[str], int]:
    """(compiling, total, blocking causes, templates blocked by AI nodes only)."""
    files = sorted(REAL_WORLD.rglob("*.json"))
    ok = 0
    ai_only = 0
    causes: Counter[str] = Counter()
    for path in files:
        try:
            compile_export(path.read_text(encoding="utf-8"), options)
            ok += 1
        except CompileError as exc:
            blocking = {
                f"{d.get('node_type') or '(workflow)'}: {d['message'].split(';')[0][:80]}"
                for d in exc.details.get("diagnostics", [])
                if d["severity"] == "error"
            }
            causes.update(blocking)
            ai_only += all(cause.startswith(AI) for cause in blocking)
    return ok, len(files), causes, ai_only


def test_real_world_compile_rate() -> None:
    if not REAL_WORLD.is_dir():
        pytest.skip(f"real-world templates not found at {REAL_WORLD}")
    native, total, _, _ = _rate(CompileOptions(node_host=False))
    ok, total, causes, ai_only = _rate(CompileOptions())
    by_type: Counter[str] = Counter()
    for cause, n in causes.items():
        by_type[cause.rsplit("@", 1)[0] if AI not in cause else "AI nodes"] += n
    ai = sum(n for cause, n in causes.items() if cause.startswith(AI))
    print(  # noqa: T201 - the figure is the point of this test
        f"\nreal-world templates: {ok}/{total} compile ({100 * ok / total:.0f} %), native only {native}; "
        f"blocking diagnostics: {sum(causes.values())}, of which AI nodes {ai}; "
        f"{ai_only} templates are blocked by AI nodes only\n"
        + "\n".join(f"  {n:3d} {cause}" for cause, n in causes.most_common(25))
        + f"\n  by type: {dict(by_type.most_common(10))}"
    )
    assert ok >= MIN_COMPILING
    assert ok > native  # the node host adds templates the native nodes alone cannot run
