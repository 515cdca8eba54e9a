"""Hive's custom search attributes, so `temporal workflow list --query 'HiveWorkflow="x"'` works."""

from __future__ import annotations

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeKey

HIVE_WORKFLOW = SearchAttributeKey.for_keyword("HiveWorkflow")
HIVE_AGENT = SearchAttributeKey.for_keyword("HiveAgent")
HIVE_STATUS = SearchAttributeKey.for_keyword("HiveStatus")

HIVE_SEARCH_ATTRIBUTES = (HIVE_WORKFLOW, HIVE_AGENT, HIVE_STATUS)


async def ensure_search_attributes(client: Client) -> list[str]:
    """Register any missing Hive search attribute; returns the names added."""
    existing = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    known = set(existing.custom_attributes) | set(existing.system_attributes)
    missing = [key.name for key in HIVE_SEARCH_ATTRIBUTES if key.name not in known]
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes=dict.fromkeys(missing, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            )
        )
    return missing
