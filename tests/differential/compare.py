"""Judge a Hive result against n8n's recording, and the known gaps that excuse a difference.

Outputs are compared with the corpus comparer's Jest `toEqual` (`tests/n8n_runtime/comparer.py`):
key order and undefined properties ignored, `1 == 1.0`, `"2" != 2`. An output without items and a
missing output are the same (n8n's `runNode` returns either for "nothing"). Errors: both sides
must fail, with the same message text.
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.n8n_runtime.comparer import jest_equal

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
KNOWN_GAPS = HERE / "known_gaps.toml"


def _outputs(value: list[Any] | None) -> list[list[Any]]:
    outputs = [items or [] for items in (value or [])]
    while outputs and not outputs[-1]:
        outputs.pop()
    return outputs


def difference(expected: dict[str, Any], actual: dict[str, Any]) -> str | None:
    """None when Hive did what n8n did, else a one-paragraph description of the difference."""
    want_error, got_error = expected.get("error"), actual.get("error")
    if want_error or got_error:
        if not (want_error and got_error):
            if want_error:
                return f"n8n failed ({want_error['message']!r}), Hive returned {_short(actual['outputs'])}"
            assert got_error is not None
            return f"Hive failed ({got_error['message']!r}), n8n returned {_short(expected['outputs'])}"
        assert want_error is not None and got_error is not None
        if want_error["message"] != got_error["message"]:
            return f"error message: n8n {want_error['message']!r}, Hive {got_error['message']!r}"
        return None
    want, got = _outputs(expected.get("outputs")), _outputs(actual.get("outputs"))
    if jest_equal(want, got):
        return None
    return f"outputs: n8n {_short(want)}\n     Hive {_short(got)}"


def _short(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Gap:
    """Cases (fnmatch patterns over case ids) where Hive differs from n8n, and why."""

    patterns: tuple[str, ...]
    reason: str

    def covers(self, case_id: str) -> bool:
        return any(fnmatch.fnmatchcase(case_id, pattern) for pattern in self.patterns)


def load_gaps(path: Path = KNOWN_GAPS) -> list[Gap]:
    """The committed known gaps; every entry must give its reason."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    gaps = []
    for entry in data.get("gap", []):
        reason = str(entry.get("reason", "")).strip()
        if not reason:
            raise ValueError(f"known gap {entry.get('cases')} gives no reason")
        gaps.append(Gap(tuple(entry["cases"]), reason))
    return gaps


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The recorded cases of one fixture file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class TypeReport:
    """Per node type: identical cases, differences listed as known gaps, new differences."""

    identical: int = 0
    known: int = 0
    new: list[str] = field(default_factory=list)


__all__ = ["FIXTURES", "KNOWN_GAPS", "Gap", "TypeReport", "difference", "load_cases", "load_gaps"]
