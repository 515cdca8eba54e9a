"""The cluster description (`hive.yaml`): typed models and a loader with readable errors."""

from hive_core.config.loader import load_cluster_config, parse_cluster_config
from hive_core.config.model_aliases import DEFAULT_MODEL_ALIASES, AliasMatch, ModelAliases, ProviderDefaults
from hive_core.config.models import (
    AgentConfig,
    AlertThresholds,
    ClusterConfig,
    ClusterInfo,
    CredentialConfig,
    Hardware,
    McpServers,
    MonitoringConfig,
    NodeHostConfig,
    PerformanceTargets,
    SecurityConfig,
    StageConfig,
    WorkflowsConfig,
    WorkflowTemplate,
    normalize_model_name,
)

__all__ = [
    "DEFAULT_MODEL_ALIASES",
    "AliasMatch",
    "ModelAliases",
    "ProviderDefaults",
    "AgentConfig",
    "AlertThresholds",
    "ClusterConfig",
    "ClusterInfo",
    "CredentialConfig",
    "Hardware",
    "McpServers",
    "MonitoringConfig",
    "NodeHostConfig",
    "PerformanceTargets",
    "SecurityConfig",
    "StageConfig",
    "WorkflowTemplate",
    "WorkflowsConfig",
    "load_cluster_config",
    "normalize_model_name",
    "parse_cluster_config",
]
