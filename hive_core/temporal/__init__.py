"""Temporal plumbing shared by the API, the workers and the CLI."""

from hive_core.temporal.client import connect_temporal
from hive_core.temporal.search_attributes import (
    HIVE_AGENT,
    HIVE_SEARCH_ATTRIBUTES,
    HIVE_STATUS,
    HIVE_WORKFLOW,
    ensure_search_attributes,
)

__all__ = [
    "HIVE_AGENT",
    "HIVE_SEARCH_ATTRIBUTES",
    "HIVE_STATUS",
    "HIVE_WORKFLOW",
    "connect_temporal",
    "ensure_search_attributes",
]
