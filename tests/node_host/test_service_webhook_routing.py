"""Which active service trigger a /webhook/ path reaches, and which triggers activation handles.

The paths are n8n's (NodeHelpers.getNodeWebhookPath): `<webhookId>/<path>`, or
`<workflow id>/<node name lowercased, URL-encoded>/<path>` for a node without a webhook id.
"""

from __future__ import annotations

from typing import Any

from hive_core.service_webhooks import find_service_webhook, is_service_webhook, path_prefix
from hive_core.trigger_listeners import is_listener_trigger, listener_id
from n8n_import import compile_export
from tests.builders import chain, node


def _plan(*nodes: dict[str, Any]) -> Any:
    return compile_export(chain("t", [*nodes, node("After", "noOp", 1)]))[0]


def test_paths_follow_n8n_webhook_paths() -> None:
    with_id = node("Telegram Trigger", "telegramTrigger", 1.2, updates=["message"])
    with_id["webhookId"] = "abc-123"
    plan_a = _plan(with_id)
    plan_b = _plan(node("GitHub Trigger", "githubTrigger", 1, owner="o", repository="r", events=["push"]))
    plans = [("wf-a", plan_a), ("wf-b", plan_b)]
    assert path_prefix("wf-b", plan_b.nodes["GitHub Trigger"]) == ["wf-b", "github%20trigger"]

    found = find_service_webhook(plans, "abc-123/webhook")
    assert found is not None and found.workflow_id == "wf-a" and found.node.name == "Telegram Trigger"
    found = find_service_webhook(plans, "/wf-b/github%20trigger/webhook/")
    assert found is not None and found.workflow_id == "wf-b"
    assert find_service_webhook(plans, "other/webhook") is None
    assert find_service_webhook(plans, "wf-b/webhook") is None


def test_activation_kinds() -> None:
    plan = _plan(node("Mail", "emailReadImap", 2))
    mail = plan.nodes["Mail"]
    assert is_listener_trigger(mail) and not is_service_webhook(mail)
    assert listener_id("wf 1", mail) == "hive-trigger-wf_1-Mail"
    telegram = _plan(node("TG", "telegramTrigger", 1.2, updates=["*"])).nodes["TG"]
    assert is_service_webhook(telegram) and not is_listener_trigger(telegram)
    rss = _plan(node("RSS", "rssFeedReadTrigger", 1, feedUrl="http://x/")).nodes["RSS"]
    assert not is_service_webhook(rss) and not is_listener_trigger(rss)  # a Temporal Schedule polls it
    disabled = node("TG", "telegramTrigger", 1.2, updates=["*"])
    disabled["disabled"] = True
    plan = _plan(node("Start", "manualTrigger", 1), disabled)
    assert not is_service_webhook(plan.nodes["TG"])
