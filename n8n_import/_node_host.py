"""Which nodes compile to node-host steps (n8n's own implementation run by node_host/).

Native implementations keep precedence; a node type or typeVersion Hive does not implement
compiles to a node-host step when the n8n catalog has it, and `force_types` sends natively
implemented types there too. Like n8n 2.x, Execute Command and Local File Trigger are disabled
unless enabled (`enable_types`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hive_core.config.model_aliases import ModelAliases
from hive_core.node_host.contract import DEFAULT_TASK_QUEUE
from n8n_import import _ports
from n8n_import.model import N8nNode
from n8n_import.node_catalog import CatalogEntry, NodeCatalog, load_catalog, missing_required
from n8n_import.registry import LANGCHAIN, NodeKind, NodeSpec, format_version, get_spec
from n8n_import.tool_variants import tool_variant_base

# n8n 2.x disables these by default (NODES_EXCLUDE): they reach the host's shell and files.
DISABLED_BY_DEFAULT = frozenset({"n8n-nodes-base.executeCommand", "n8n-nodes-base.localFileTrigger"})


@dataclass(frozen=True)
class CompileOptions:
    """How the compiler uses the node host (from hive.yaml's `node_host:`)."""

    # Fall back to the node host for types the catalog has (False: native nodes only).
    node_host: bool = True
    # Natively implemented types sent to the node host anyway (full names).
    force_types: frozenset[str] = frozenset()
    # Types n8n 2.x disables by default that this installation allows.
    enable_types: frozenset[str] = frozenset()
    node_host_queue: str = DEFAULT_TASK_QUEUE
    # How long a node waits for a node host before the run logs that it is waiting.
    node_host_wait_notice_s: float = 30.0
    # Set when the node host cannot run here (no Node.js >= 20): node-host nodes are errors saying so.
    node_host_unavailable: str | None = None
    catalog: NodeCatalog | None = field(default=None, compare=False)
    # Provider model → cluster model table (hive.yaml's `model_aliases`; None: Hive's defaults).
    aliases: ModelAliases | None = field(default=None, compare=False)

    def load(self) -> NodeCatalog:
        return self.catalog or load_catalog()


def _counted(count: int | None) -> _ports.PortRule:
    if count is None:
        return lambda version, params: None
    return _ports.fixed(count)


@dataclass(frozen=True)
class NodeHostChoice:
    """The outcome for one node: a spec to compile with (None: an error was reported)."""

    spec: NodeSpec | None
    errors: list[tuple[str, str, str | None]]  # (field, message, hint)


def plain_any_version(node_type: str) -> bool:
    """True when n8n runs ``node_type`` at any typeVersion (a plain node, not a VersionedNodeType)."""
    entry = load_catalog().get(node_type)
    return entry is not None and not entry.versioned


def unknown_version_warning(node: N8nNode) -> str | None:
    """The compile warning for a plain node at a typeVersion its description does not list."""
    entry = load_catalog().get(node.type)
    if entry is None or entry.versioned or float(node.typeVersion) in entry.versions:
        return None
    versions = ", ".join(format_version(v) for v in sorted(entry.versions))
    return (
        f"typeVersion {format_version(node.typeVersion)} is not one n8n defines ({versions}); "
        "n8n runs the node's only description at any typeVersion, and so does Hive"
    )


def choose(node: N8nNode, options: CompileOptions) -> NodeHostChoice | None:
    """None: compile natively. Otherwise the node-host spec, or why the node cannot compile."""
    native = get_spec(node.type)
    native_ok = native is not None and (native.supports(node.typeVersion) or plain_any_version(node.type))
    if native_ok and node.type not in options.force_types:
        return None
    if not options.node_host:
        return None
    catalog = options.load()
    entry = catalog.get(node.type)
    # n8n's generated `<node>Tool` variant: the base node's catalog entry, as an AI tool sub-node.
    tool_base = tool_variant_base(node.type) if entry is None else None
    if tool_base is not None:
        entry = catalog.get(tool_base)
    if entry is None:
        if native is not None or node.type.startswith(LANGCHAIN):
            # A native type at an unknown version, or an AI node (AI nodes stay native): the
            # native compiler's error, with its list of supported types, is the clearer one.
            return None
        return NodeHostChoice(None, [("type", _unknown_message(node.type, catalog), None)])
    version = float(node.typeVersion)
    spec_version = entry.version_for(version)
    if spec_version is None:
        versions = ", ".join(format_version(v) for v in sorted(entry.versions))
        return NodeHostChoice(
            None,
            [
                (
                    "typeVersion",
                    f"unsupported typeVersion {format_version(version)} (n8n defines {versions})",
                    None,
                )
            ],
        )
    errors: list[tuple[str, str, str | None]] = []
    if node.type in DISABLED_BY_DEFAULT and node.type not in options.enable_types:
        errors.append(
            (
                "type",
                "disabled by default, as in n8n 2.x (it can run commands or read files on the host)",
                f"add {node.type.rsplit('.', 1)[-1]} to node_host.enable_types in hive.yaml to allow it",
            )
        )
    if tool_base is not None and entry.trigger:
        errors.append(("type", f"{entry.display_name} is a trigger: it cannot be used as an AI tool", None))
    # Polling triggers run their poll() on a Temporal Schedule (hive_core.schedules); webhook
    # triggers of services are served at /webhook/ and registered on activation
    # (hive_core.service_webhooks); the others keep a connection open in their trigger(), run
    # by a listening workflow (hive_core.trigger_listeners). Native trigger types forced onto
    # the node host stay native-only (Hive serves their webhooks and schedules itself).
    elif (
        entry.trigger
        and not entry.poll
        and native is not None
        and (entry.webhook or node.type not in options.force_types)
    ):
        errors.append(("type", _trigger_message(entry), None))
    if entry.poll and tool_base is None:
        errors += _poll_times_errors(node.parameters.get("pollTimes"))
    # A tool variant's parameters may come from the model ($fromAI): n8n checks them at run time.
    for name in [] if tool_base else missing_required(spec_version, node.parameters, version):
        errors.append((f"parameters.{name}", f'required parameter "{name}" is not set', None))
    if options.node_host_unavailable is not None:
        errors.append(
            (
                "type",
                f"runs on the n8n node host, which cannot run here: {options.node_host_unavailable}",
                None,
            )
        )
    kind = NodeKind.TRIGGER if entry.trigger else NodeKind.ACTIVITY
    if tool_base is not None:  # an AI tool sub-node: no main ports, run per tool call
        kind = NodeKind.SUB_NODE
    spec = NodeSpec(
        type=node.type,
        versions=tuple(sorted(entry.versions)),
        kind=kind,
        outputs=_counted(0 if tool_base else spec_version.outputs),
        inputs=_counted(0 if tool_base else spec_version.inputs),
        # A node-host node may close a loop (e.g. an IF-like service node): n8n allows it.
        loop=True,
    )
    return NodeHostChoice(spec if not errors else None, errors)


# n8n's pollTimes modes (NodeHelpers' cronNodeOptions), as hive_core.schedules maps them.
POLL_MODES = frozenset(
    {"everyMinute", "everyHour", "everyDay", "everyWeek", "everyMonth", "everyX", "custom"}
)


def _poll_times_errors(poll_times: Any) -> list[tuple[str, str, str | None]]:
    items = (poll_times or {}).get("item") if isinstance(poll_times, dict) else None
    errors: list[tuple[str, str, str | None]] = []
    for item in items or []:
        mode = item.get("mode", "everyDay") if isinstance(item, dict) else None
        if mode not in POLL_MODES:
            errors.append(("parameters.pollTimes", f"poll time mode {mode!r} is not supported", None))
    return errors


def _unknown_message(node_type: str, catalog: NodeCatalog) -> str:
    if node_type.startswith("n8n-nodes-base.") and node_type.endswith("Tool"):
        return f"a node used as an AI agent tool, but n8n's own nodes ({catalog.version}) lack its base node"
    if not node_type.startswith(("n8n-nodes-base.", "@n8n/")):
        return f"unknown node type: a community node? Only n8n's own nodes ({catalog.version}) run here"
    return f"unknown node type: neither Hive nor n8n's own nodes ({catalog.version}) define it"


def _trigger_message(entry: CatalogEntry) -> str:
    return f"{entry.display_name} is a trigger Hive runs natively: it cannot be forced onto the node host"


def credential_types(entry: CatalogEntry, version: float) -> list[Mapping[str, Any]]:
    spec = entry.versions.get(version)
    return list(spec.credentials) if spec else []


__all__ = [
    "DISABLED_BY_DEFAULT",
    "CompileOptions",
    "NodeHostChoice",
    "choose",
    "plain_any_version",
    "unknown_version_warning",
]
