"""Which active workflow's Form Trigger serves `/form/<path>` (its `path`, else its webhook id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from api.webhooks.matching import TriggerTarget, segments
from n8n_import.plan import Plan
from n8n_runtime.forms import FORM_NODE, FORM_TRIGGER

WAIT_NODE = "n8n-nodes-base.wait"


@dataclass(frozen=True)
class FormTarget(TriggerTarget):
    @property
    def fields(self) -> list[dict[str, Any]]:
        values = (self.node.parameters.get("formFields") or {}).get("values") or []
        return [dict(v) for v in values if isinstance(v, dict)]

    @property
    def has_pages(self) -> bool:
        """Form nodes (or Wait "On Form Submitted") follow: the submission goes on to their
        pages (n8n's multi-page form)."""
        return any(
            not n.disabled
            and (n.type == FORM_NODE or (n.type == WAIT_NODE and n.parameters.get("resume") == "form"))
            for n in self.plan.nodes.values()
        )

    def submitted_text(self) -> tuple[str | None, str | None]:
        """(text, redirect URL) shown after the submission when no Form ending answers."""
        respond = (self.options.get("respondWithOptions") or {}).get("values") or {}
        if respond.get("respondWith") == "redirect" and respond.get("redirectUrl"):
            url = str(respond["redirectUrl"])
            return None, url if "://" in url else f"http://{url}"
        text = respond.get("formSubmittedText") if respond else self.options.get("formSubmittedText")
        return (str(text) if text is not None else None), None


def find_form_trigger(plans: Iterable[tuple[str, Plan]], path: str) -> FormTarget | None:
    """The first active Form Trigger listening on ``path``."""
    wanted = segments(path)
    for workflow_id, plan in plans:
        for node in plan.nodes.values():
            if node.type != FORM_TRIGGER or node.disabled:
                continue
            own = str(node.parameters.get("path") or node.webhook_id or "")
            if segments(own) == wanted:
                return FormTarget(workflow_id, plan, node)
    return None


__all__ = ["FormTarget", "find_form_trigger"]
