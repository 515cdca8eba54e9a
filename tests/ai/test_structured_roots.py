"""Information Extractor, Text Classifier and Sentiment Analysis end to end through a real dev
server on the fake Ollama: n8n's prompts, output shapes and routing, the output-fixing retry,
and the clear error once a malformed reply cannot be fixed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_runtime.ai.classifiers import CLASSIFIER_PROMPT, EXTRACTOR_PROMPT, SENTIMENT_PARSE_ERROR
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

DATA = "return [{json: {text: 'Ada Lovelace, born 1815'}}, {json: {text: 'Alan Turing, born 1912'}}];"


def _root(cluster: AiCluster, root: dict[str, Any], data: str = DATA, **settings: Any) -> dict[str, Any]:
    root = {**root, **settings}
    return ai_workflow(
        "structured",
        [base("Start", "manualTrigger", 1), code("Data", data), root],
        [(lc("Model", "lmChatOllama", 1, 200, model=cluster.model), "ai_languageModel", root["name"])],
    )


def _chats(cluster: AiCluster) -> list[dict[str, Any]]:
    return [b for b in cluster.fake.stats.bodies if "messages" in b]


ATTRIBUTES = {
    "attributes": [
        {"name": "name", "type": "string", "description": "The person's name"},
        {"name": "born", "type": "number", "description": "Year of birth"},
    ]
}


def _person(prompt: str) -> str:
    name, _, year = prompt.partition(", born ")
    return json.dumps({"name": name, "born": int(year)})


async def test_information_extractor_from_attributes(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_person, follow_format=False)
    extractor = lc(
        "Extract", "informationExtractor", 1.2, 200, text="={{ $json.text }}", attributes=ATTRIBUTES
    )
    snapshot = await ai_cluster.run(_root(ai_cluster, extractor))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Extract") == [
        {"output": {"name": "Ada Lovelace", "born": 1815}},
        {"output": {"name": "Alan Turing", "born": 1912}},
    ]
    first = _chats(ai_cluster)[0]
    system, user = first["messages"]
    assert system["role"] == "system" and system["content"].startswith(EXTRACTOR_PROMPT + "\nYou must format")
    assert '"born":{"type":"number","description":"Year of birth"}' in system["content"]
    assert user == {"role": "user", "content": "Ada Lovelace, born 1815"}
    assert first["format"]["required"] == ["name", "born"]


async def test_extractor_fixes_a_malformed_reply_once_then_fails_clearly(ai_cluster: AiCluster) -> None:
    def fixed_on_retry(prompt: str) -> str:
        return (
            '{"name": "Ada", "born": 1815}' if "did not satisfy the constraints" in prompt else "Sure! Ada."
        )

    ai_cluster.configure(reply=fixed_on_retry, follow_format=False)
    data = "return [{json: {text: 'Ada Lovelace, born 1815'}}];"
    extractor = lc(
        "Extract", "informationExtractor", 1.1, 200, text="={{ $json.text }}", attributes=ATTRIBUTES
    )
    snapshot = await ai_cluster.run(_root(ai_cluster, extractor, data))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Extract") == [{"output": {"name": "Ada", "born": 1815}}]
    fix = _chats(ai_cluster)[1]["messages"][0]["content"]
    assert fix.startswith("Instructions:\n--------------\nYou must format your output")
    assert "Completion:\n--------------\nSure! Ada.\n--------------" in fix

    ai_cluster.configure(reply="never JSON", follow_format=False)
    snapshot = await ai_cluster.run(_root(ai_cluster, extractor, data))
    assert snapshot.status is ExecutionStatus.ERROR
    assert "does not fit the output parser 'Extract' after 2 attempts" in str(snapshot.error)
    assert len(_chats(ai_cluster)) == 2
    # With "continue" the item carries the error instead, as n8n's node does.
    snapshot = await ai_cluster.run(_root(ai_cluster, extractor, data, onError="continueRegularOutput"))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert "after 2 attempts" in output(snapshot, "Extract")[0]["error"]


CATEGORIES = {
    "categories": [
        {"category": "science", "description": "about research"},
        {"category": "sport", "description": ""},
    ]
}
TEXTS = "return [{json: {t: 'a lab study'}}, {json: {t: 'a football match'}}, {json: {t: 'a poem'}}];"


def _classification(prompt: str) -> str:
    return json.dumps(
        {"science": "lab" in prompt, "sport": "football" in prompt, "fallback": "poem" in prompt}
    )


async def test_text_classifier_routes_items_to_category_outputs(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_classification, follow_format=False)
    classifier = lc(
        "Classify", "textClassifier", 1.1, 200, inputText="={{ $json.t }}", categories=CATEGORIES,
        options={"fallback": "other"},
    )  # fmt: skip
    workflow = _root(ai_cluster, classifier, TEXTS)
    assert compile_export(workflow)[0].nodes["Classify"].output_count == 3
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Classify", 0) == [{"t": "a lab study"}]
    assert output(snapshot, "Classify", 1) == [{"t": "a football match"}]
    assert output(snapshot, "Classify", 2) == [{"t": "a poem"}]
    system = _chats(ai_cluster)[0]["messages"][0]["content"]
    expected = CLASSIFIER_PROMPT.replace("{categories}", "science, sport")
    assert system.startswith(expected + "\n\tYou must format")
    assert system.endswith(
        "\n\tCategories are mutually exclusive, and only one can be true"
        '\n\tIf no categories apply, select the "fallback" option.'
    )
    # The schema sits in the prompt as JSON text: the description's quotes are escaped.
    assert 'Should be true if the input has category \\"science\\" (description: about research)' in system


async def test_text_classifier_discards_unmatched_items(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_classification, follow_format=False)
    classifier = lc("Classify", "textClassifier", 1, 200, inputText="={{ $json.t }}", categories=CATEGORIES)
    snapshot = await ai_cluster.run(_root(ai_cluster, classifier, TEXTS))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert [len(output(snapshot, "Classify", i)) for i in range(2)] == [1, 1]


def _sentiment(prompt: str) -> str:
    mood = "Positive" if "love" in prompt else "Negative" if "hate" in prompt else "Unknown"
    return json.dumps({"sentiment": mood, "strength": 0.9, "confidence": 0.8})


async def test_sentiment_analysis_adds_its_result_and_routes(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_sentiment, follow_format=False)
    data = "return [{json: {t: 'I love it'}}, {json: {t: 'I hate it'}}];"
    node = lc(
        "Mood", "sentimentAnalysis", 1, 200, inputText="={{ $json.t }}",
        options={"categories": "Positive, Negative", "includeDetailedResults": True},
    )  # fmt: skip
    snapshot = await ai_cluster.run(_root(ai_cluster, node, data))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    detailed = {"strength": 0.9, "confidence": 0.8}
    assert output(snapshot, "Mood", 0) == [
        {"t": "I love it", "sentimentAnalysis": {"category": "Positive", **detailed}}
    ]
    assert output(snapshot, "Mood", 1) == [
        {"t": "I hate it", "sentimentAnalysis": {"category": "Negative", **detailed}}
    ]
    system = _chats(ai_cluster)[0]["messages"][0]["content"]
    assert "Categorize it into one of the following: Positive, Negative." in system
    assert "\n\t\t\tYou must format" in system


async def test_sentiment_outside_the_categories_is_a_parse_error(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=_sentiment, follow_format=False)
    node = lc("Mood", "sentimentAnalysis", 1.1, 200, inputText="={{ $json.t }}")
    snapshot = await ai_cluster.run(_root(ai_cluster, node, "return [{json: {t: 'meh'}}];"))
    assert snapshot.status is ExecutionStatus.ERROR
    assert SENTIMENT_PARSE_ERROR in str(snapshot.error)


def test_structured_roots_need_a_model() -> None:
    workflow = ai_workflow(
        "no model", [base("Start", "manualTrigger", 1), lc("X", "informationExtractor", 1, text="a")], []
    )
    with pytest.raises(CompileError, match="needs a language model"):
        compile_export(workflow)
