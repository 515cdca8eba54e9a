"""The pure half of n8n's structured AI roots: Information Extractor, Text Classifier and
Sentiment Analysis. Each item becomes one model call with n8n's system prompt, LangChain's
format instructions for a JSON schema, and (where n8n uses its output-fixing parser) one retry
that asks the model to fix a reply that does not fit.

    Information Extractor   {output: <object>} on its one output
    Text Classifier         the input item on the output of every category that is true
                            (plus "Other" when fallback = other); no category: dropped
    Sentiment Analysis      the input item + {sentimentAnalysis: {category[, strength, confidence]}}
                            on the output of its category
"""

from __future__ import annotations

from typing import Any

from hive_core.ollama.types import ChatMessage
from n8n_runtime.ai.instruction import AI_KEY, AiInstruction, ItemCall, ParserSpec
from n8n_runtime.ai.prepare import _model, _Scope
from n8n_runtime.ai.schema import parse_json_parameter, schema_from_example
from n8n_runtime.ai.structured import raw_format_instructions
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

LANGCHAIN = "@n8n/n8n-nodes-langchain."
INFORMATION_EXTRACTOR = LANGCHAIN + "informationExtractor"
TEXT_CLASSIFIER = LANGCHAIN + "textClassifier"
SENTIMENT_ANALYSIS = LANGCHAIN + "sentimentAnalysis"

EXTRACTOR_PROMPT = (
    "You are an expert extraction algorithm.\n"
    "Only extract relevant information from the text.\n"
    "If you do not know the value of an attribute asked to extract, you may omit the attribute's value."
)
CLASSIFIER_PROMPT = (
    "Please classify the text provided by the user into one of the following categories: {categories}, "
    "and use the provided formatting instructions below. Don't explain, and only output the json."
)
SENTIMENT_PROMPT = (
    "You are highly intelligent and accurate sentiment analyzer. Analyze the sentiment of the provided "
    "text. Categorize it into one of the following: {categories}. Use the provided formatting "
    "instructions. Only output the JSON."
)
SENTIMENT_CATEGORIES = "Positive, Neutral, Negative"
SENTIMENT_PARSE_ERROR = "Error during parsing of LLM output, please check your LLM model and configuration"
_ATTRIBUTE_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "format": "time"},
    "datetime": {"type": "string", "format": "date-time"},
}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    # zod objects: every key required; other keys are stripped, not rejected, so the schema
    # Hive validates with leaves `additionalProperties` open.
    return {"type": "object", "properties": properties, "required": list(properties)}


def _text(run: NodeRun, item: int, name: str, message: str) -> str:
    value = run.params.get(name, item, "")
    if value is None or not str(value).strip():
        raise NodeError(message, item_index=item)
    return str(value)


def _extractor_schema(run: NodeRun, item: int) -> dict[str, Any]:
    params, version = run.params, float(run.node.type_version)
    schema_type = params.get("schemaType", item, "fromAttributes")
    if schema_type == "fromAttributes":
        attributes = params.get("attributes.attributes", item, []) or []
        if not attributes:
            raise NodeError("At least one attribute must be specified", item_index=item)
        properties = {
            str(a.get("name", "")): {
                **_ATTRIBUTE_TYPES.get(a.get("type", "string"), {}),
                "description": a.get("description", ""),
            }
            for a in attributes
        }
        return _object(properties)
    if schema_type == "fromJson":
        example = parse_json_parameter(params.get("jsonSchemaExample", item, "{}"), "jsonSchemaExample")
        return schema_from_example(example, all_required=version >= 1.2)
    schema = parse_json_parameter(params.get("inputSchema", item, "{}"), "inputSchema")
    if not isinstance(schema, dict):
        raise NodeError("The schema in 'inputSchema' must be a JSON object", item_index=item)
    return schema


def _extract(scope: _Scope, item: int) -> ItemCall:
    run = scope.run
    text = _text(run, item, "text", f"Text for item {item} is not defined")
    schema = _extractor_schema(run, item)
    template = (run.params.get("options", item, {}) or {}).get("systemPromptTemplate") or EXTRACTOR_PROMPT
    system = f"{template}\n{raw_format_instructions(schema)}"
    return ItemCall(
        item_index=item,
        model=_model(scope, item),
        messages=[ChatMessage(role="system", content=system), ChatMessage(role="user", content=text)],
        # n8n wraps the extractor's parser in an OutputFixingParser: one fix attempt.
        parser=ParserSpec(node=run.node.name, output_schema=schema, fix_attempts=1, wrapped=False),
    )


def _categories(run: NodeRun, item: int) -> list[dict[str, str]]:
    categories = run.params.get("categories.categories", item, []) or []
    if not categories:
        raise NodeError("At least one category must be defined", item_index=item)
    return [
        {"category": str(c.get("category", "")), "description": str(c.get("description", ""))}
        for c in categories
    ]


def _classify(scope: _Scope, item: int) -> ItemCall:
    run = scope.run
    text = _text(run, item, "inputText", f"Text to classify for item {item} is not defined")
    categories = _categories(run, item)
    options = run.params.get("options", item, {}) or {}
    fallback = options.get("fallback", "discard")
    properties = {
        c["category"]: {
            "type": "boolean",
            "description": f'Should be true if the input has category "{c["category"]}" '
            f"(description: {c['description']})",
        }
        for c in categories
    }
    if fallback == "other":
        properties["fallback"] = {
            "type": "boolean",
            "description": "Should be true if none of the other categories apply",
        }
    schema = _object(properties)
    multi = (
        "Categories are not mutually exclusive, and multiple can be true"
        if options.get("multiClass")
        else "Categories are mutually exclusive, and only one can be true"
    )
    fallback_prompt = {
        "other": 'If no categories apply, select the "fallback" option.',
        "discard": "If there is not a very fitting category, select none of the categories.",
    }.get(fallback, "undefined")
    template = str(options.get("systemPromptTemplate") or CLASSIFIER_PROMPT)
    template = template.replace("{categories}", ", ".join(c["category"] for c in categories))
    system = f"{template}\n\t{raw_format_instructions(schema)}\n\t{multi}\n\t{fallback_prompt}"
    return ItemCall(
        item_index=item,
        model=_model(scope, item),
        messages=[ChatMessage(role="system", content=system), ChatMessage(role="user", content=text)],
        parser=ParserSpec(
            node=run.node.name,
            output_schema=schema,
            fix_attempts=1 if options.get("enableAutoFixing") else 0,
            wrapped=False,
        ),
        input_item=dict(run.items[item]),
        routing={"categories": [c["category"] for c in categories], "other": fallback == "other"},
    )


def _sentiment_categories(run: NodeRun, item: int) -> tuple[str, list[str]]:
    raw = str((run.params.get("options", item, {}) or {}).get("categories") or SENTIMENT_CATEGORIES)
    return raw, [c.strip() for c in raw.split(",") if c.strip()]


def _sentiment(scope: _Scope, item: int) -> ItemCall:
    run = scope.run
    raw, categories = _sentiment_categories(run, item)
    if not categories:
        raise NodeError("No sentiment categories provided", item_index=item)
    options = run.params.get("options", item, {}) or {}
    schema = _object(
        {
            "sentiment": {"type": "string", "enum": categories},
            "strength": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "Strength score for sentiment in relation to the category",
            },
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        }
    )
    template = str(options.get("systemPromptTemplate") or SENTIMENT_PROMPT).replace("{categories}", raw)
    # n8n's template literal indents the instructions differently in its batched (1.1) path.
    batched = run.node.type_version >= 1.1 and int((options.get("batching") or {}).get("batchSize", 5)) > 1
    system = f"{template}\n{chr(9) * (4 if batched else 3)}{raw_format_instructions(schema)}"
    return ItemCall(
        item_index=item,
        model=_model(scope, item),
        messages=[
            ChatMessage(role="system", content=system),
            ChatMessage(role="user", content=str(run.params.get("inputText", item, "") or "")),
        ],
        parser=ParserSpec(
            node=run.node.name,
            output_schema=schema,
            fix_attempts=1 if options.get("enableAutoFixing") else 0,
            wrapped=False,
            failure_message=SENTIMENT_PARSE_ERROR,
        ),
        input_item=dict(run.items[item]),
        routing={"categories": categories, "detailed": bool(options.get("includeDetailedResults"))},
    )


def output_count(node_type: str, run: NodeRun) -> int:
    """How many main outputs the node has (per its first item's parameters, as n8n reads them)."""
    if node_type == TEXT_CLASSIFIER:
        categories = run.params.get("categories.categories", 0, []) or []
        other = (run.params.get("options", 0, {}) or {}).get("fallback") == "other"
        return len(categories) + (1 if other else 0) or 1
    if node_type == SENTIMENT_ANALYSIS:
        return max(1, len(_sentiment_categories(run, 0)[1])) if run.items else 3
    return 1


_BUILDERS = {
    INFORMATION_EXTRACTOR: ("extract", _extract),
    TEXT_CLASSIFIER: ("classify", _classify),
    SENTIMENT_ANALYSIS: ("sentiment", _sentiment),
}


def run_structured_root(run: NodeRun) -> NodeOutput:
    """Record one call per item (an item whose parameters fail carries its error)."""
    scope = _Scope(run)
    kind, build = _BUILDERS[run.node.type]
    calls: list[ItemCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(build(scope, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            message = getattr(error, "message", None) or str(error)
            calls.append(ItemCall(item_index=item, error=str(message)))
    instruction = AiInstruction(
        kind=kind,
        type_version=float(run.node.type_version),
        items=calls,
        output_count=output_count(run.node.type, run),
    )
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


STRUCTURED_ROOTS: dict[str, Any] = dict.fromkeys(_BUILDERS, run_structured_root)

__all__ = ["STRUCTURED_ROOTS", "output_count", "run_structured_root"]
