"""Pure data-transform nodes: Set, Code, Split Out, Aggregate, Limit, Sort, Remove Duplicates,
Summarize, Rename Keys, Date & Time, Item Lists, Compare Datasets, XML, HTML, HTML Extract,
Markdown, Crypto, JWT, TOTP, Execution Data, DebugHelper and n8n's training nodes, as
``(NodeRun) -> NodeOutput`` functions."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeFunction
from n8n_runtime.nodes.data.aggregate import run_aggregate
from n8n_runtime.nodes.data.code import run_code_node, run_function, run_function_item
from n8n_runtime.nodes.data.compare_datasets import run_compare_datasets
from n8n_runtime.nodes.data.crypto_node import run_crypto
from n8n_runtime.nodes.data.date_time import run_date_time
from n8n_runtime.nodes.data.debug_helper import run_debug_helper
from n8n_runtime.nodes.data.execution_data import run_execution_data
from n8n_runtime.nodes.data.html_node import run_html, run_html_extract
from n8n_runtime.nodes.data.item_lists import run_item_lists
from n8n_runtime.nodes.data.jwt_node import run_jwt
from n8n_runtime.nodes.data.limit import run_limit
from n8n_runtime.nodes.data.markdown_node import run_markdown
from n8n_runtime.nodes.data.n8n_training import run_customer_datastore, run_customer_messenger
from n8n_runtime.nodes.data.remove_duplicates import run_remove_duplicates
from n8n_runtime.nodes.data.rename_keys import run_rename_keys
from n8n_runtime.nodes.data.set_node import run_set
from n8n_runtime.nodes.data.sort import run_sort
from n8n_runtime.nodes.data.split_out import run_split_out
from n8n_runtime.nodes.data.summarize import run_summarize
from n8n_runtime.nodes.data.totp_node import run_totp
from n8n_runtime.nodes.data.xml_node import run_xml

_BASE = "n8n-nodes-base."

DATA_NODES: dict[str, NodeFunction] = {
    _BASE + "set": run_set,
    _BASE + "code": run_code_node,
    _BASE + "function": run_function,
    _BASE + "functionItem": run_function_item,
    _BASE + "splitOut": run_split_out,
    _BASE + "aggregate": run_aggregate,
    _BASE + "limit": run_limit,
    _BASE + "sort": run_sort,
    _BASE + "removeDuplicates": run_remove_duplicates,
    _BASE + "summarize": run_summarize,
    _BASE + "renameKeys": run_rename_keys,
    _BASE + "dateTime": run_date_time,
    _BASE + "itemLists": run_item_lists,
    _BASE + "compareDatasets": run_compare_datasets,
    _BASE + "xml": run_xml,
    _BASE + "executionData": run_execution_data,
    _BASE + "debugHelper": run_debug_helper,
    _BASE + "html": run_html,
    _BASE + "htmlExtract": run_html_extract,
    _BASE + "jwt": run_jwt,
    _BASE + "markdown": run_markdown,
    _BASE + "crypto": run_crypto,
    _BASE + "totp": run_totp,
    _BASE + "n8nTrainingCustomerDatastore": run_customer_datastore,
    _BASE + "n8nTrainingCustomerMessenger": run_customer_messenger,
}

__all__ = ["DATA_NODES"]
