"""The AI Agent's SQL agent type (typeVersion ≤ 1.7, `agent: sqlAgent`) as a tools agent.

n8n builds LangChain's SQL agent: a ReAct agent with the SqlToolkit's tools on the database
of the node's data source. Hive runs it as its tool-calling agent on the mapped cluster model
with the toolkit's tools, each call a durable activity on the central worker
(`activities/sql_agent/`):

    list-tables-sql   the tables (after includedTables / ignoredTables), comma-separated
    info-sql          CREATE TABLE text and `includedSampleRows` sample rows of the named tables
    query-sql         the query's rows as JSON, or the database's error for the model to fix

LangChain's `query-checker` (a second LLM call that rereads the query) is left out: the model
sees the database's own error from `query-sql` and rewrites the query, which is what the
checker's advice is for. The system message is the prefix prompt (n8n's default, or
`options.prefixPrompt`) with `{dialect}` / `{sqlDialect}` and `{top_k}` filled. The suffix prompt
is ReAct scaffolding ("Thought:", the scratchpad) for the text format the tool-calling agent
replaces, so it is not sent, as for the ReAct agent type.
"""

from __future__ import annotations

from typing import Any

from n8n_import.ai_agent_types import SQL_DATA_SOURCES
from n8n_import.plan import PlanNode
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.nodes.base import NodeError, ParameterAccess

# n8n's SqlAgent/other/prompts.ts SQL_PREFIX, verbatim.
SQL_PREFIX = (
    "You are an agent designed to interact with an SQL database.\n"
    "Given an input question, create a syntactically correct {sqlDialect} query to run, then look at "
    "the results of the query and return the answer.\n"
    "Unless the user specifies a specific number of examples they wish to obtain, always limit your "
    "query to at most {top_k} results using the LIMIT clause.\n"
    "You can order the results by a relevant column to return the most interesting examples in the "
    "database.\n"
    "Never query for all the columns from a specific table, only ask for a the few relevant columns "
    "given the question.\n"
    "You have access to tools for interacting with the database.\n"
    "Only use the below tools. Only use the information returned by the below tools to construct "
    "your final answer.\n"
    "You MUST double check your query before executing it. If you get an error while executing a "
    "query, rewrite the query and try again.\n\n"
    "DO NOT make any DML statements (INSERT, UPDATE, DELETE, DROP etc.) to the database.\n\n"
    'If the question does not seem related to the database, just return "I don\'t know" as the answer.'
)
DATA_SOURCES = SQL_DATA_SOURCES
# The n8n credential type each server data source reads.
CREDENTIAL_TYPES = {"postgres": "postgres", "mysql": "mySql"}

# LangChain JS SqlToolkit's tools: name → description (tools/sql.ts, whitespace tidied).
SQL_TOOLS = {
    "query-sql": (
        "query",
        "Input to this tool is a detailed and correct SQL query, output is a result from the database. "
        "If the query is not correct, an error message will be returned. "
        "If an error is returned, rewrite the query, check the query, and try again.",
    ),
    "info-sql": (
        "info",
        "Input to this tool is a comma-separated list of tables, output is the schema and sample rows "
        "for those tables. Be sure that the tables actually exist by calling list-tables-sql first!\n\n"
        'Example Input: "table1, table2, table3.',
    ),
    "list-tables-sql": (
        "list",
        "Input is an empty string, output is a comma-separated list of tables in the database.",
    ),
}
# LangChain's Tool: one optional string argument.
_PLAIN_INPUT = {"type": "object", "properties": {"input": {"type": "string"}}, "required": []}


def data_source(node: PlanNode, params: ParameterAccess, item: int) -> str:
    """The node's `dataSource` (n8n's default: SQLite before 1.4, Postgres from 1.4)."""
    default = "sqlite" if node.type_version < 1.4 else "postgres"
    return str(params.get("dataSource", item, default) or default)


def parse_tables(value: Any) -> list[str]:
    """n8n's parseTablesString: comma-separated names, trimmed, empty ones dropped."""
    return [name.strip() for name in str(value or "").split(",") if name.strip()]


def sql_system_message(options: dict[str, Any], dialect: str) -> str:
    """The prefix prompt with LangChain's `{dialect}` (n8n's default says `{sqlDialect}`) and `{top_k}`."""
    prefix = str(options.get("prefixPrompt") or SQL_PREFIX)
    top_k = options.get("topK")
    return (
        prefix.replace("{sqlDialect}", dialect)
        .replace("{dialect}", dialect)
        .replace("{top_k}", str(10 if top_k is None else top_k))
    )


def sql_prompt(node: PlanNode, params: ParameterAccess, item: int) -> str | None:
    """Versions up to 1.2 take the question from `input`; None: use the agent's usual prompt."""
    if node.type_version > 1.2:
        return None
    value = params.get("input", item, None)
    if value is None or str(value) == "":
        raise NodeError("The ‘prompt’ parameter is empty.", item_index=item)
    return str(value)


def _sqlite_file(params: ParameterAccess, items: list[dict[str, Any]], item: int) -> dict[str, Any]:
    binary = items[item].get("binary") if item < len(items) else None
    if not binary:
        raise NodeError(
            "No binary data found, please connect a binary to the input if you want to use SQLite as "
            "data source",
            item_index=item,
        )
    field = str(params.get("binaryPropertyName", item, "data") or "data")
    entry = binary.get(field)
    if not isinstance(entry, dict):
        raise NodeError(f"The item has no binary field '{field}'", item_index=item)
    # The reference (store id or inline base64) and its name; the file is read on the worker.
    return {k: entry[k] for k in ("id", "data", "fileName", "mimeType") if k in entry}


def sql_tools(
    node: PlanNode, params: ParameterAccess, items: list[dict[str, Any]], item: int
) -> tuple[list[ToolSpec], str]:
    """The SQL toolkit's tools on the node's database, and its dialect name."""
    source = data_source(node, params, item)
    if source not in DATA_SOURCES:
        raise NodeError(f"The data source '{source}' is not supported", item_index=item)
    options = params.get("options", item, {}) or {}
    sample_rows = options.get("includedSampleRows")
    database: dict[str, Any] = {
        "source": source,
        "include_tables": parse_tables(options.get("includedTables")),
        "ignore_tables": parse_tables(options.get("ignoredTables")),
        "sample_rows": 3 if sample_rows is None else int(sample_rows),
    }
    credentials: dict[str, dict[str, str | None]] = {}
    if source == "sqlite":
        database["binary"] = _sqlite_file(params, items, item)
    else:
        kind = CREDENTIAL_TYPES[source]
        ref = node.credentials.get(kind)
        if ref is not None:  # missing: the activity fails the item naming the credential
            credentials[kind] = {"id": ref.id, "name": ref.name}
    tools = [
        ToolSpec(
            node=node.name,
            kind="sql",
            name=name,
            description=description,
            parameters=_PLAIN_INPUT,
            credentials=credentials,
            sql={**database, "tool": tool},
        )
        for name, (tool, description) in SQL_TOOLS.items()
    ]
    return tools, source


__all__ = [
    "CREDENTIAL_TYPES",
    "DATA_SOURCES",
    "SQL_PREFIX",
    "SQL_TOOLS",
    "data_source",
    "parse_tables",
    "sql_prompt",
    "sql_system_message",
    "sql_tools",
]
