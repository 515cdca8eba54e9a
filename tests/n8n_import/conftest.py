"""Print the n8n corpus tally (per node type) at the end of the run."""

from __future__ import annotations

import pytest

from tests.n8n_import.corpus import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = TALLY.lines()
    if lines:
        terminalreporter.section("n8n corpus compile summary")
        for line in lines:
            terminalreporter.write_line(line)
