"""How pure nodes read their credential (JWT, Crypto, TOTP): resolved inside the activity.

The activity puts a `credential_data(node, type)` hook in the run's extras; only the node's
reference ({id, name}) ever travels in Temporal payloads, the secret stays in the worker.
"""

from __future__ import annotations

from collections.abc import Callable

from n8n_import.plan import PlanNode
from n8n_runtime.nodes.base import NodeError, NodeRun

CredentialData = Callable[[PlanNode, str], dict[str, str]]
EXTRA = "credential_data"


def credential(run: NodeRun, credential_type: str) -> dict[str, str]:
    """The decrypted fields of the node's `credential_type` credential, or n8n's error."""
    if credential_type not in run.node.credentials:
        raise NodeError(f'Node "{run.node.name}" does not have any credentials set for "{credential_type}"')
    resolve: CredentialData | None = run.extras.get(EXTRA)
    if resolve is None:
        raise NodeError(f"Credentials of type '{credential_type}' are not available here")
    try:
        return resolve(run.node, credential_type)
    except NodeError:
        raise
    except Exception as error:  # the resolver's NotFoundError names the credential
        raise NodeError(str(getattr(error, "message", error))) from None


__all__ = ["EXTRA", "CredentialData", "credential"]
