"""Routing pins in an AI node's n8n notes: `hive: agent=<id>` or `hive: capability=<name>`.

Pure text parsing; the compiler knows nothing of the cluster, so whether the agent or capability
exists is checked where the call is routed, not here.
"""

from __future__ import annotations

import re

from n8n_import._approvals import is_approval_line
from n8n_import.plan import RoutePin

# One directive per line, e.g. "hive: agent=acacia" (case-insensitive key, spaces allowed).
_LINE = re.compile(r"^\s*hive\s*:\s*(?P<body>.*?)\s*$", re.IGNORECASE)
_PAIR = re.compile(r"^(?P<key>[A-Za-z_]+)\s*=\s*(?P<value>[A-Za-z0-9_.:/-]+)$")
_KEYS = ("agent", "capability")


def parse_route(notes: str | None) -> tuple[RoutePin | None, list[str]]:
    """The routing pin in `notes` (None when there is none) and problems found, as messages."""
    if not notes:
        return None, []
    found: dict[str, str] = {}
    problems: list[str] = []
    for line in notes.splitlines():
        match = _LINE.match(line)
        if match is None or is_approval_line(match.group("body")):
            # Approval markings share the `hive:` prefix; n8n_import._approvals reads them.
            continue
        pair = _PAIR.match(match.group("body"))
        key = pair.group("key").lower() if pair else None
        if pair is None or key not in _KEYS:
            problems.append(
                f'notes line "{line.strip()}" is not a routing pin (use "hive: agent=<id>" or '
                '"hive: capability=<name>")'
            )
            continue
        assert key is not None
        if key in found and found[key] != pair.group("value"):
            problems.append(f"notes pin {key} twice ({found[key]!r} and {pair.group('value')!r})")
            continue
        found[key] = pair.group("value")
    if "agent" in found and "capability" in found:
        problems.append("notes pin both an agent and a capability; pin one of them")
    if not found:
        return None, problems
    return RoutePin(agent=found.get("agent"), capability=found.get("capability")), problems


__all__ = ["parse_route"]
