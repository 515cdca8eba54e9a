"""The pure half of n8n's Summarization Chain: each item's documents and prompts.

Version 1 summarizes the documents of every input item (from its Document Loader) in one run;
version 2 / 2.1 summarizes each item: its JSON or its files (`nodeInputBinary`, through
`binary_loader`), split by "Simple" chunking (1000/200 characters by default) or by a connected
text splitter, or its Document Loader's documents. The workflow
runs LangChain's map_reduce, refine or stuff chain (`workflows/ai_summarization.py`) and each
item's output is `{response: {output_text}}`, as n8n's node returns it.
"""

from __future__ import annotations

from typing import Any

from n8n_runtime.ai import vector_store
from n8n_runtime.ai.binary_loader import all_input_keys, binary_documents
from n8n_runtime.ai.documents import load_documents
from n8n_runtime.ai.instruction import AI_KEY, AiInstruction, ItemCall
from n8n_runtime.ai.prepare import _model, _Scope
from n8n_runtime.ai.text_splitter import Splitter, TextSplitter
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.files._binary import binary_handle

SUMMARIZATION = "@n8n/n8n-nodes-langchain.chainSummarization"
DEFAULT_PROMPT = 'Write a concise summary of the following:\n\n\n"{text}"\n\n\nCONCISE SUMMARY:'
REFINE_PROMPT = (
    "Your job is to produce a final summary\n"
    'We have provided an existing summary up to a certain point: "{existing_answer}"\n'
    "We have the opportunity to refine the existing summary\n"
    "(only if needed) with some more context below.\n"
    "------------\n"
    '"{text}"\n'
    "------------\n\n"
    "Given the new context, refine the original summary\n"
    "If the context isn't useful, return the original summary.\n\n"
    "REFINED SUMMARY:"
)
METHODS = ("map_reduce", "refine", "stuff")


def _prompts(method: str, values: dict[str, Any]) -> dict[str, str]:
    """The chain's prompts: n8n's overrides where given, LangChain's defaults otherwise."""
    if method == "map_reduce":
        return {
            "map": str(values.get("combineMapPrompt") or DEFAULT_PROMPT),
            "combine": str(values.get("prompt") or DEFAULT_PROMPT),
        }
    if method == "refine":
        return {
            "question": str(values.get("refineQuestionPrompt") or DEFAULT_PROMPT),
            "refine": str(values.get("refinePrompt") or REFINE_PROMPT),
        }
    return {"stuff": str(values.get("prompt") or DEFAULT_PROMPT)}


def _splitter(scope: _Scope, item: int) -> Splitter | None:
    """ "Simple" chunking (recursive, 1000/200 by default) or the connected splitter ("advanced")."""
    params = scope.run.params
    if params.get("chunkingMode", item, "simple") == "advanced":
        return vector_store._splitter(vector_store._Scope(scope.run), scope.node, item)
    size = int(params.get("chunkSize", item, 1000))
    return TextSplitter(chunk_size=size, chunk_overlap=int(params.get("chunkOverlap", item, 200)))


def _json_documents(scope: _Scope, item: int) -> list[str]:
    params = scope.run.params
    splitter = _splitter(scope, item)
    options = params.get("options", item, {}) or {}
    data = scope.run.items[item].get("json", {})
    documents = load_documents(data, pointers=str(options.get("pointers", "") or ""), splitter=splitter)
    return [d.page_content for d in documents]


def _binary_documents(scope: _Scope, item: int) -> list[str]:
    """`nodeInputBinary`: n8n's N8nBinaryLoader with the node's own options (`options.` prefix).

    The chain has no Binary Mode parameter, so the loader takes its default, All Input Data
    (the `binaryDataKey` option is then unused, as in n8n), and the loader type is auto.
    """
    params = scope.run.params
    options = params.get("options", item, {}) or {}
    items = scope.run.items
    documents = binary_documents(
        items[item],
        item,
        binary_handle(scope.run),
        keys=all_input_keys(items),
        options=options,
        splitter=_splitter(scope, item),
    )
    return [d.page_content for d in documents]


def _loader_documents(scope: _Scope, item: int) -> list[str]:
    return [d.page_content for d in vector_store._documents(vector_store._Scope(scope.run), item)]


def _call(scope: _Scope, item: int, documents: list[str]) -> ItemCall:
    params = scope.run.params
    if scope.node.type_version < 2:
        method = str(params.get("type", item, "map_reduce"))
        values = params.get("options", item, {}) or {}
    else:
        values = params.get("options.summarizationMethodAndPrompts.values", item, {}) or {}
        method = str(values.get("summarizationMethod") or "map_reduce")
    if method not in METHODS:
        raise NodeError(f"Unknown summarization method '{method}'", item_index=item)
    return ItemCall(
        item_index=item,
        model=_model(scope, item),
        routing={"method": method, "prompts": _prompts(method, values), "documents": documents},
    )


def run_summarization(run: NodeRun) -> NodeOutput:
    """Record one summarization per item (version 1: one over every item's documents)."""
    scope = _Scope(run)
    calls: list[ItemCall] = []
    if run.node.type_version < 2:
        try:
            documents = [text for item in range(len(run.items)) for text in _loader_documents(scope, item)]
            calls.append(_call(scope, 0, documents))
        except Exception as error:  # noqa: BLE001 - the run's failure, as that item's error
            calls.append(ItemCall(item_index=0, error=str(getattr(error, "message", None) or error)))
    else:
        mode = run.params.get("operationMode", 0, "nodeInputJson")
        for item in range(len(run.items)):
            try:
                if mode == "documentLoader":
                    documents = _loader_documents(scope, item)
                elif mode == "nodeInputBinary":
                    documents = _binary_documents(scope, item)
                else:
                    documents = _json_documents(scope, item)
                calls.append(_call(scope, item, documents))
            except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
                calls.append(ItemCall(item_index=item, error=str(getattr(error, "message", None) or error)))
    instruction = AiInstruction(kind="summarize", type_version=float(run.node.type_version), items=calls)
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


SUMMARIZATION_NODES: dict[str, Any] = {SUMMARIZATION: run_summarization}

__all__ = ["DEFAULT_PROMPT", "REFINE_PROMPT", "SUMMARIZATION_NODES", "run_summarization"]
