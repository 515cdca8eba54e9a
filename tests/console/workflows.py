"""The workflows the console tests open: a live run held at an HTTP call, an approval gate, a
failure, markup in names and items, an AI node with a sticky note."""

from __future__ import annotations

from typing import Any

from tests.ai.builders import ai_workflow, lc
from tests.builders import chain, node

XSS_NODE = "<script>window.pwned=1</script>"
XSS_ITEM = "<img src=x onerror=window.pwned=2><script>window.pwned=3</script>"
ITEMS = 120  # more than one page of the node panel


def _code(name: str, js: str, x: int) -> dict[str, Any]:
    return node(name, "code", 2, x, jsCode=js)


def live(gate_url: str) -> dict[str, Any]:
    """Start → Call (held by the gate) → Many (ITEMS items)."""
    call = node("Call", "httpRequest", 4.2, 220, url=f"{gate_url}/answer", options={})
    many = _code(
        "Many",
        f"return Array.from({{length: {ITEMS}}}, (_, i) => ({{json: {{n: i, label: 'item ' + i}}}}));",
        440,
    )
    return chain("Live run", [node("Start", "manualTrigger", 1), call, many])


def gated() -> dict[str, Any]:
    send = {
        **_code("Send", "return [{json: {sent: true}}];", 220),
        "notes": "Sends the mail.\nhive: approval",
    }
    return chain(
        "Gated",
        [node("Start", "manualTrigger", 1), send, _code("After", "return [{json: {after: 1}}];", 440)],
    )


def failing() -> dict[str, Any]:
    boom = _code("Boom", "throw new Error('disk <b>full</b>');", 220)
    return chain("Failing", [node("Start", "manualTrigger", 1), boom])


def markup() -> dict[str, Any]:
    evil = _code(XSS_NODE, f"return [{{json: {{html: {XSS_ITEM!r}}}}}];", 220)
    return chain("Markup", [node("Start", "manualTrigger", 1), evil])


FILE_TEXT = "hello <file>"


def files() -> dict[str, Any]:
    make = _code(
        "Make file",
        f"const f = await this.helpers.prepareBinaryData(Buffer.from({FILE_TEXT!r}), 'hello.txt',"
        " 'text/plain'); return [{json: {ok: true}, binary: {data: f}}];",
        220,
    )
    return chain("Files", [node("Start", "manualTrigger", 1), make])


def ai(model: str) -> dict[str, Any]:
    workflow = ai_workflow(
        "AI",
        [
            node("Start", "manualTrigger", 1),
            lc("Chain", "chainLlm", 1.7, 220, promptType="define", text="Say hi"),
        ],
        [
            (
                {**lc("Model", "lmChatOllama", 1, 220, model=model), "position": [220, 400]},
                "ai_languageModel",
                "Chain",
            )
        ],
    )
    workflow["nodes"].append(
        {
            "name": "Note",
            "type": "n8n-nodes-base.stickyNote",
            "typeVersion": 1,
            "position": [0, -200],
            "parameters": {"content": "## Read me <b>first</b>", "width": 300, "height": 120},
        }
    )
    return workflow


def all_workflows(gate_url: str, model: str) -> list[dict[str, Any]]:
    return [live(gate_url), gated(), failing(), markup(), files(), ai(model)]
