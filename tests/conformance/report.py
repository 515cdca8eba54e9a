"""Per node type (type@typeVersion) pass/fail of corpus workflows run through Temporal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Report:
    passed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, type_versions: list[str], ok: bool, workflow: str) -> None:
        for pair in type_versions:
            if ok:
                self.passed[pair] += 1
            else:
                self.failed[pair].append(workflow)

    def lines(self) -> list[str]:
        pairs = sorted(set(self.passed) | set(self.failed))
        rows = []
        for pair in pairs:
            good, bad = self.passed.get(pair, 0), len(self.failed.get(pair, []))
            rows.append(f"  {pair:<28} {good:>3}/{good + bad:<3} {100 * good / (good + bad):5.1f} %")
        return rows


REPORT = Report()
