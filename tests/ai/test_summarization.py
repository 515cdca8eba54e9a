"""Summarization Chain end to end through a real dev server on the fake Ollama: map_reduce,
refine and stuff with LangChain's prompts, n8n's "Simple" chunking and a connected splitter,
version 1 over a Document Loader, and the `{response: {output_text}}` shape."""

from __future__ import annotations

import base64
from typing import Any

from n8n_runtime.ai.summarization import DEFAULT_PROMPT
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from tests.pdf_fixture import pdf_bytes
from workflows.n8n_models import ExecutionStatus

TEXT = "alpha " * 30 + "omega " * 30  # 360 characters: three chunks of 150 with 0 overlap


def _flow(cluster: AiCluster, chain: dict[str, Any], subs: list[Any] | None = None) -> dict[str, Any]:
    return ai_workflow(
        "summaries",
        [base("Start", "manualTrigger", 1), code("Data", f"return [{{json: {{text: '{TEXT}'}}}}];"), chain],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", "Sum"),
            *(subs or []),
        ],
    )


def _prompts(cluster: AiCluster) -> list[str]:
    return [b["messages"][-1]["content"] for b in cluster.fake.stats.bodies if "messages" in b]


def _reply(prompt: str) -> str:
    if prompt.startswith("Your job is to produce a final summary"):
        return "refined"
    return "combined" if "summary of part" in prompt else "summary of part"


def _chain(method: str, **values: Any) -> dict[str, Any]:
    return lc(
        "Sum", "chainSummarization", 2.1, 200, chunkSize=150, chunkOverlap=0,
        options={"summarizationMethodAndPrompts": {"values": {"summarizationMethod": method, **values}}},
    )  # fmt: skip


async def test_map_reduce_summarizes_each_chunk_then_combines(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_reply)
    snapshot = await ai_cluster.run(_flow(ai_cluster, _chain("map_reduce")))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Sum") == [{"response": {"output_text": "combined"}}]
    prompts = _prompts(ai_cluster)
    assert len(prompts) == 4  # three chunks mapped, one combine
    assert prompts[0].startswith('Write a concise summary of the following:\n\n\n"alpha alpha')
    assert prompts[0].endswith('"\n\n\nCONCISE SUMMARY:')
    assert prompts[3] == DEFAULT_PROMPT.replace("{text}", "\n\n".join(["summary of part"] * 3))


async def test_refine_and_stuff(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_reply)
    snapshot = await ai_cluster.run(_flow(ai_cluster, _chain("refine")))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Sum") == [{"response": {"output_text": "refined"}}]
    prompts = _prompts(ai_cluster)
    assert len(prompts) == 3
    assert 'existing summary up to a certain point: "summary of part"' in prompts[1]
    assert 'existing summary up to a certain point: "refined"' in prompts[2]

    ai_cluster.configure(reply="all at once")
    snapshot = await ai_cluster.run(_flow(ai_cluster, _chain("stuff", prompt="Sum up: {text}")))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Sum") == [{"response": {"output_text": "all at once"}}]
    (prompt,) = _prompts(ai_cluster)
    assert prompt.startswith("Sum up: alpha") and prompt.count("\n\n") == 2  # three chunks joined


async def test_advanced_chunking_with_a_connected_splitter(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="short")
    chain = _chain("stuff")
    chain["parameters"] = {"chunkingMode": "advanced", "options": chain["parameters"]["options"]}
    splitter = lc(
        "Split", "textSplitterCharacterTextSplitter", 1, 300, separator=" ", chunkSize=60, chunkOverlap=0
    )
    snapshot = await ai_cluster.run(_flow(ai_cluster, chain, [(splitter, "ai_textSplitter", "Sum")]))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (prompt,) = _prompts(ai_cluster)
    assert prompt.count("\n\n") >= 5  # 360 characters in chunks of at most 60


async def test_version_1_summarizes_every_item_through_a_loader(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="one summary")
    chain = lc("Sum", "chainSummarization", 1, 200, type="stuff")
    loader = lc("Loader", "documentDefaultDataLoader", 1, 300)
    workflow = ai_workflow(
        "v1",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {a: 'first'}}, {json: {a: 'second'}}];"),
            chain,
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Sum"),
            (loader, "ai_document", "Sum"),
        ],
    )
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Sum") == [{"response": {"output_text": "one summary"}}]
    (prompt,) = _prompts(ai_cluster)
    assert '"first\n\nsecond"' in prompt


def _binary_flow(cluster: AiCluster) -> dict[str, Any]:
    to_file = base(
        "To File", "convertToFile", 1.1, 100, operation="toBinary", sourceProperty="file",
        options={"fileName": "doc.pdf", "mimeType": "application/pdf"},
    )  # fmt: skip
    chain = lc(
        "Sum", "chainSummarization", 2, 200, operationMode="nodeInputBinary",
        options={"binaryDataKey": "data", "summarizationMethodAndPrompts": {
            "values": {"summarizationMethod": "stuff", "prompt": "Sum up: {text}"}}},
    )  # fmt: skip
    return ai_workflow(
        "binary summary",
        [base("Start", "manualTrigger", 1), to_file, chain],
        [(lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", "Sum")],
    )


async def test_summarizing_binary_data_loads_the_file(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="a pdf summary")
    content = pdf_bytes(["Quarterly revenue grew", "Costs stayed flat"])
    item = {"json": {"file": base64.b64encode(content).decode("ascii")}}
    snapshot = await ai_cluster.run(_binary_flow(ai_cluster), trigger_items=[item])
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Sum") == [{"response": {"output_text": "a pdf summary"}}]
    (prompt,) = _prompts(ai_cluster)
    assert prompt == "Sum up: Quarterly revenue grew\n\nCosts stayed flat"

    corrupt = {"json": {"file": base64.b64encode(b"%PDF-1.4 nothing").decode("ascii")}}
    failed = await ai_cluster.run(_binary_flow(ai_cluster), trigger_items=[corrupt])
    assert failed.status is ExecutionStatus.ERROR
    assert failed.error is not None and failed.error["node"]["name"] == "Sum"
    assert "Invalid PDF structure." in failed.error["message"]


async def test_version_1_with_the_legacy_json_document_loader(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="from pointers")
    chain = lc("Sum", "chainSummarization", 1, 200, type="stuff")
    loader = lc("JSON", "documentJsonInputLoader", 1, 300, options={"pointers": "/a"})
    workflow = ai_workflow(
        "v1 json loader",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {a: 'kept', b: 'dropped'}}];"),
            chain,
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Sum"),
            (loader, "ai_document", "Sum"),
        ],
    )
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Sum") == [{"response": {"output_text": "from pointers"}}]
    (prompt,) = _prompts(ai_cluster)
    assert '"kept"' in prompt and "dropped" not in prompt
