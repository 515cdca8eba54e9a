"""AI Agent typeVersions 1 to 1.9 and their agent types, mapped onto Hive's tool-calling agent.

n8n's Agent V1 offers several LangChain agents. Hive runs each one whose behaviour carries over
as the tools agent (the model calls tools natively; the answer is `{output}`), with that agent
type's own default system message; the compiler rejects the others (n8n_import/_ai_checks.py).

    conversationalAgent   default for 1 – 1.5; its system message, tools called natively
    openAiFunctionsAgent  OpenAI function calling = tool calling; "You are a helpful AI assistant."
    reActAgent            the "prefix" message as system message; thought/action text format unused
    toolsAgent            unchanged
    sqlAgent              LangChain's SQL toolkit as tools, its prefix prompt (n8n_runtime/ai/sql_agent.py)
    planAndExecuteAgent   not run (compile error)
"""

from __future__ import annotations

from typing import Any

CONVERSATIONAL_SYSTEM_MESSAGE = (  # n8n's ConversationalAgent/prompt.ts SYSTEM_MESSAGE, verbatim
    "Assistant is a large language model trained by OpenAI.\n\n"
    "Assistant is designed to be able to assist with a wide range of tasks, from answering simple "
    "questions to providing in-depth explanations and discussions on a wide range of topics. As a "
    "language model, Assistant is able to generate human-like text based on the input it receives, "
    "allowing it to engage in natural-sounding conversations and provide responses that are coherent "
    "and relevant to the topic at hand.\n\n"
    "Assistant is constantly learning and improving, and its capabilities are constantly evolving. It "
    "is able to process and understand large amounts of text, and can use this knowledge to provide "
    "accurate and informative responses to a wide range of questions. Additionally, Assistant is able "
    "to generate its own text based on the input it receives, allowing it to engage in discussions and "
    "provide explanations and descriptions on a wide range of topics.\n\n"
    "Overall, Assistant is a powerful system that can help with a wide range of tasks and provide "
    "valuable insights and information on a wide range of topics. Whether you need help with a "
    "specific question or just want to have a conversation about a particular topic, Assistant is "
    "here to assist."
)
# LangChain's defaults for the OpenAI functions agent and the ReAct agent's prefix.
FUNCTIONS_SYSTEM_MESSAGE = "You are a helpful AI assistant."
REACT_PREFIX = "Answer the following questions as best you can. You have access to the following tools:"
TOOLS_SYSTEM_MESSAGE = "You are a helpful assistant"

# Agent types the tools agent stands in for, and those it cannot.
MAPPED_TYPES = ("toolsAgent", "conversationalAgent", "openAiFunctionsAgent", "reActAgent", "sqlAgent")
REJECTED_TYPES = {
    "planAndExecuteAgent": "it plans all steps first, then runs them; the tools agent decides step by step",
}
# The SQL agent's data sources Hive connects to (n8n also offers Oracle).
SQL_DATA_SOURCES = ("sqlite", "postgres", "mysql")
# The prompt parameter's default before `promptType` existed (1.3).
_LEGACY_TEXT = {1.0: "={{ $json.input }}", 1.1: "={{ $json.chat_input }}", 1.2: "={{ $json.chatInput }}"}


def agent_type(version: float, parameters: dict[str, Any]) -> str:
    """The agent type of an AI Agent node (n8n's default: conversational up to 1.5, tools after)."""
    if version >= 1.8:
        return "toolsAgent"  # the parameter is hidden from 1.8 on
    default = "conversationalAgent" if version <= 1.5 else "toolsAgent"
    value = parameters.get("agent") or default
    return str(value)


def legacy_prompt_default(version: float) -> str | None:
    """The `text` parameter's default of versions without `promptType` (None: it has one)."""
    return _LEGACY_TEXT.get(float(version))


def system_message(kind: str, options: dict[str, Any]) -> str:
    """The system message of agent type `kind`: its option, else n8n's default for that type."""
    if kind == "reActAgent":
        return str(options.get("prefix") or REACT_PREFIX)
    if kind == "conversationalAgent":
        return str(options.get("systemMessage") or CONVERSATIONAL_SYSTEM_MESSAGE)
    if kind == "openAiFunctionsAgent":
        return str(options.get("systemMessage") or FUNCTIONS_SYSTEM_MESSAGE)
    return str(options.get("systemMessage", TOOLS_SYSTEM_MESSAGE))


__all__ = [
    "MAPPED_TYPES",
    "REJECTED_TYPES",
    "SQL_DATA_SOURCES",
    "agent_type",
    "legacy_prompt_default",
    "system_message",
]
