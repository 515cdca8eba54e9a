"""The n8n node catalog: what the node host can run, read from the committed `node_catalog.json`.

`node_host/scripts/build_catalog.js` writes the JSON from the installed n8n packages (node types,
their typeVersions, main input/output counts, credentials, required parameters, trigger kinds),
so compiling needs no Node.js. `displayed` evaluates n8n's `displayOptions` on top-level
parameters, the way n8n decides whether a required parameter is shown (and so must be set).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_PATH = Path(__file__).with_name("node_catalog.json")


@dataclass(frozen=True, slots=True)
class CatalogVersion:
    """One typeVersion of an n8n node type, as its description declares it."""

    inputs: int | None
    outputs: int | None
    credentials: tuple[Mapping[str, Any], ...]
    required: tuple[Mapping[str, Any], ...]
    defaults: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One n8n node type."""

    type: str
    display_name: str
    trigger: bool
    poll: bool
    webhook: bool
    versions: Mapping[float, CatalogVersion]
    # A VersionedNodeType (one description per version) rejects other typeVersions; a plain node
    # type's one description serves any typeVersion (n8n's NodeHelpers.getVersionedNodeType).
    versioned: bool = True

    def version_for(self, version: float) -> CatalogVersion | None:
        """The description n8n uses for ``version``: its own, or a plain node's only one."""
        found = self.versions.get(version)
        if found is None and not self.versioned and self.versions:
            return self.versions[max(self.versions)]
        return found


@dataclass(frozen=True, slots=True)
class NodeCatalog:
    """Every node type of the pinned n8n release."""

    packages: Mapping[str, str]
    nodes: Mapping[str, CatalogEntry]

    @property
    def version(self) -> str:
        """`n8n-nodes-base@1.121.53`."""
        return f"n8n-nodes-base@{self.packages.get('n8n-nodes-base', '?')}"

    def get(self, node_type: str) -> CatalogEntry | None:
        return self.nodes.get(node_type)


def _entry(node_type: str, raw: Mapping[str, Any]) -> CatalogEntry:
    return CatalogEntry(
        type=node_type,
        display_name=raw.get("display_name", node_type),
        trigger=bool(raw.get("trigger")),
        poll=bool(raw.get("poll")),
        webhook=bool(raw.get("webhook")),
        versioned=bool(raw.get("versioned", True)),
        versions={
            float(v): CatalogVersion(
                inputs=spec.get("inputs"),
                outputs=spec.get("outputs"),
                credentials=tuple(spec.get("credentials", ())),
                required=tuple(spec.get("required", ())),
                defaults=spec.get("defaults", {}),
            )
            for v, spec in raw["versions"].items()
        },
    )


@cache
def load_catalog(path: Path = CATALOG_PATH) -> NodeCatalog:
    """The committed catalog (read once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return NodeCatalog(
        packages=data.get("packages", {}),
        nodes={name: _entry(name, raw) for name, raw in data["nodes"].items()},
    )


def _matches(condition: Any, value: Any) -> bool:
    """One displayOptions value: a literal, or n8n's `{"_cnd": {op: operand}}`."""
    if isinstance(condition, dict) and "_cnd" in condition:
        ((op, operand),) = condition["_cnd"].items()
        try:
            if op == "eq":
                return bool(value == operand)
            if op == "not":
                return bool(value != operand)
            if op == "gte":
                return bool(value >= operand)
            if op == "lte":
                return bool(value <= operand)
            if op == "gt":
                return bool(value > operand)
            if op == "lt":
                return bool(value < operand)
            if op == "between":
                return bool(operand["from"] <= value <= operand["to"])
            if op == "startsWith":
                return str(value).startswith(operand)
            if op == "endsWith":
                return str(value).endswith(operand)
            if op == "includes":
                return operand in str(value)
            if op == "regex":
                return re.search(operand, str(value)) is not None
            if op == "exists":
                return value is not None
        except (TypeError, KeyError):
            return False
        return False
    return bool(value == condition)


def displayed(
    display_options: Mapping[str, Any] | None,
    params: Mapping[str, Any],
    defaults: Mapping[str, Any],
    version: float,
) -> bool | None:
    """Whether a top-level parameter is shown; None when it cannot be told at compile time
    (a condition on a nested or expression-valued parameter)."""
    if not display_options:
        return True
    for mode in ("show", "hide"):
        for name, wanted in (display_options.get(mode) or {}).items():
            if name == "@version":
                value: Any = version
            elif name.startswith("/") or "." in name:
                return None
            elif name in params:
                value = params[name]
            elif name in defaults:
                value = defaults[name]
            else:
                return None
            if isinstance(value, str) and value.startswith("="):
                return None
            hit = any(_matches(c, value) for c in wanted)
            if mode == "show" and not hit:
                return False
            if mode == "hide" and hit:
                return False
    return True


def missing_required(entry: CatalogVersion, params: Mapping[str, Any], version: float) -> list[str]:
    """Top-level parameters n8n marks required that are shown but not set."""
    missing: list[str] = []
    for prop in entry.required:
        name = prop["name"]
        value = params.get(name)
        empty = (
            value is None
            or value == ""
            or (isinstance(value, dict) and value.get("__rl") and value.get("value") == "")
        )
        if empty and displayed(prop.get("displayOptions"), params, entry.defaults, version) is True:
            missing.append(name)
    return missing


__all__ = [
    "CATALOG_PATH",
    "CatalogEntry",
    "CatalogVersion",
    "NodeCatalog",
    "displayed",
    "load_catalog",
    "missing_required",
]
