"""n8n → Hive compiler: n8n workflow JSON → validated model → graph → typed `Plan` (pure, no I/O).

parse_export(data)        JSON text/bytes/value → list[N8nWorkflow]
export_objects(data)      the export's raw workflow objects, unchanged
compile_workflow(wf)      N8nWorkflow → Plan        (raises CompileError with all diagnostics)
compile_export(data)      export → list[Plan]
"""

from n8n_import._node_host import CompileOptions
from n8n_import.compiler import compile_export, compile_workflow
from n8n_import.diagnostics import Diagnostic, Severity
from n8n_import.model import N8nConnection, N8nCredentialRef, N8nNode, N8nSettings, N8nWorkflow
from n8n_import.parse import export_objects, parse_export
from n8n_import.plan import CredentialRef, Edge, NodeSettings, Plan, PlanNode, PlanSettings, Source
from n8n_import.registry import REGISTRY, NodeKind, NodeSpec, get_spec, supported_types

__all__ = [
    "REGISTRY",
    "CompileOptions",
    "CredentialRef",
    "Diagnostic",
    "Edge",
    "N8nConnection",
    "N8nCredentialRef",
    "N8nNode",
    "N8nSettings",
    "N8nWorkflow",
    "NodeKind",
    "NodeSettings",
    "NodeSpec",
    "Plan",
    "PlanNode",
    "PlanSettings",
    "Severity",
    "Source",
    "compile_export",
    "compile_workflow",
    "export_objects",
    "get_spec",
    "parse_export",
    "supported_types",
]
