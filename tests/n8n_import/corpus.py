"""Where n8n's own test workflows live (read at run time, never copied) and a per-type tally."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from n8n_import.registry import N8N_BASE, get_spec

# ../shared/n8n-corpus beside the repository.
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "n8n-corpus"


def manifest() -> list[dict[str, Any]] | None:
    """The manifest's workflow entries, or None when the corpus is absent."""
    path = CORPUS / "manifest.json"
    if not path.is_file():
        return None
    return [e for e in json.loads(path.read_text()) if e["kind"] == "workflow"]


def unsupported_type_versions(entry: dict[str, Any]) -> set[str]:
    """`type@version` pairs of a manifest entry that the registry does not support."""
    full_names = {t.removeprefix(N8N_BASE): t for t in entry["node_types"]}
    missing: set[str] = set()
    for pair in entry["type_versions"]:
        short, version = pair.rsplit("@", 1)
        spec = get_spec(full_names.get(short, N8N_BASE + short))
        if spec is None or not spec.supports(float(version)):
            missing.add(pair)
    return missing


@dataclass
class Tally:
    """Compile outcomes collected by the corpus tests, printed in pytest's terminal summary."""

    compiled: int = 0
    rejected: int = 0
    supported_types: Counter[str] = field(default_factory=Counter)
    unsupported_types: Counter[str] = field(default_factory=Counter)

    def record(self, entry: dict[str, Any], unsupported: set[str], *, compiled: bool) -> None:
        if compiled:
            self.compiled += 1
        else:
            self.rejected += 1
        for pair in entry["type_versions"]:
            (self.unsupported_types if pair in unsupported else self.supported_types)[pair] += 1

    def lines(self) -> list[str]:
        if not self.compiled and not self.rejected:
            return []
        total = self.compiled + self.rejected
        fmt = ", ".join
        return [
            f"n8n corpus: {self.compiled}/{total} workflows compile, "
            f"{self.rejected} rejected for unsupported nodes",
            "  supported (workflows): " + fmt(f"{k} {v}" for k, v in sorted(self.supported_types.items())),
            "  unsupported (workflows): " + fmt(f"{k} {v}" for k, v in self.unsupported_types.most_common()),
        ]


TALLY = Tally()
