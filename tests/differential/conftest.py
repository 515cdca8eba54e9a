"""The differential report: per node type, cases identical to n8n, known gaps, new differences."""

from __future__ import annotations

import pytest

from tests.differential.compare import TypeReport

REPORTS: dict[str, TypeReport] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORTS:
        return
    terminalreporter.section("differential vs n8n (recorded): cases per node type")
    terminalreporter.write_line(
        f"  {'node type':<22} {'cases':>6} {'identical':>10} {'known gap':>10} {'new':>5}"
    )
    totals = TypeReport()
    for name in sorted(REPORTS):
        report = REPORTS[name]
        cases = report.identical + report.known + len(report.new)
        totals.identical += report.identical
        totals.known += report.known
        totals.new.extend(report.new)
        terminalreporter.write_line(
            f"  {name:<22} {cases:>6} {report.identical:>10} {report.known:>10} {len(report.new):>5}"
        )
    total = totals.identical + totals.known + len(totals.new)
    terminalreporter.write_line(
        f"  {'all':<22} {total:>6} {totals.identical:>10} {totals.known:>10} {len(totals.new):>5}"
    )
