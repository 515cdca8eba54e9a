"""Print the per-node-type corpus tally of the control-node conformance run."""

from __future__ import annotations

from typing import Any

from tests.n8n_runtime.engine.test_corpus_control import TALLY


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY:
        return
    terminalreporter.write_line("n8n corpus (control nodes), per node folder:")
    for folder, counts in sorted(TALLY.items()):
        parts = ", ".join(f"{counts[k]} {k}" for k in ("passed", "failed", "skipped") if counts[k])
        terminalreporter.write_line(f"  {folder}: {parts}")
