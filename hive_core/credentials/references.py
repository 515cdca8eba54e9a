"""Which credentials a compiled workflow references that Hive does not hold (compile warnings).

The compiler does no I/O, so the layers that call it (`hive compile`, `hive workflows import`,
the workflows API) check the plan here: each reference of an enabled node is looked up as a node
would at run time, in the store and then in hive.yaml. A missing one is a warning, not an error:
templates arrive without credentials, and the node fails at run time naming the credential.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.config.models import CredentialConfig
from hive_core.credentials.store import find_credential, label
from hive_core.errors import NotFoundError
from n8n_import.diagnostics import Diagnostic, warning
from n8n_import.plan import Plan
from n8n_runtime.http.credentials import ConfigCredentials


async def credential_warnings(
    session: AsyncSession | None, plan: Plan, configured: Mapping[str, CredentialConfig]
) -> list[Diagnostic]:
    """A warning per enabled node's credential reference that neither the store nor hive.yaml holds.

    ``session`` None: there is no database yet (an empty store).
    """
    config = ConfigCredentials(configured)
    found: list[Diagnostic] = []
    for node in plan.nodes.values():
        if node.disabled:
            continue
        for credential_type, ref in node.credentials.items():
            if session is not None:
                try:
                    await find_credential(session, credential_type, ref.id, ref.name)
                    continue
                except NotFoundError:
                    pass
            try:
                config.resolve(credential_type, ref.id, ref.name)
                continue
            except NotFoundError:
                pass
            found.append(
                warning(
                    f"credential {label(ref.id, ref.name)} of type '{credential_type}' is not in Hive's "
                    "credential store or hive.yaml: the node fails until it is added "
                    "(`hive credentials import`, POST /api/credentials)",
                    node=node.name,
                    node_type=node.type,
                    field=f"credentials.{credential_type}",
                    workflow=plan.name or None,
                )
            )
    return found


__all__ = ["credential_warnings"]
