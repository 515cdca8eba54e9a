"""n8n's training nodes, used by its own tests and tutorials: Customer Datastore and Customer
Messenger (``n8n-nodes-base.n8nTrainingCustomerDatastore`` / ``...Messenger`` v1). Both are
fixed-data dummies in n8n too; nothing is sent anywhere."""

from __future__ import annotations

import copy
from typing import Any

from n8n_runtime.jsvalues import to_string
from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import param

PEOPLE: tuple[dict[str, Any], ...] = (
    {"id": "23423532", "name": "Jay Gatsby", "email": "gatsby@west-egg.com",
     "notes": "Keeps asking about a green light??", "country": "US", "created": "1925-04-10"},
    {"id": "23423533", "name": "José Arcadio Buendía", "email": "jab@macondo.co",
     "notes": "Lots of people named after him. Very confusing", "country": "CO", "created": "1967-05-05"},
    {"id": "23423534", "name": "Max Sendak", "email": "info@in-and-out-of-weeks.org",
     "notes": "Keeps rolling his terrible eyes", "country": "US", "created": "1963-04-09"},
    {"id": "23423535", "name": "Zaphod Beeblebrox", "email": "captain@heartofgold.com",
     "notes": "Felt like I was talking to more than one person", "country": None, "created": "1979-10-12"},
    {"id": "23423536", "name": "Edmund Pevensie", "email": "edmund@narnia.gov",
     "notes": "Passionate sailor", "country": "UK", "created": "1950-10-16"},
)  # fmt: skip


def run_customer_datastore(run: NodeRun) -> NodeOutput:
    """``getOnePerson`` (default): the first person per item; ``getAllPeople``: all or `limit`."""
    operation = param(run, "operation", 0, "getOnePerson")
    output: list[Item] = []
    for index in range(len(run.items)):
        if operation == "getAllPeople":
            people = (
                list(PEOPLE)
                if param(run, "returnAll", index, False)
                else list(PEOPLE)[: int(param(run, "limit", index, 5))]
            )
        else:
            people = [PEOPLE[0]]
        output.extend({"json": copy.deepcopy(p), "pairedItem": {"item": index}} for p in people)
    return [output]


def run_customer_messenger(run: NodeRun) -> NodeOutput:
    """One `{output: "Sent message to customer <id>:  <message>"}` per item (n8n's two spaces)."""
    output: list[Item] = []
    for index in range(len(run.items)):
        customer = to_string(param(run, "customerId", index, ""))
        message = to_string(param(run, "message", index, ""))
        text = f"Sent message to customer {customer}:  {message}"
        output.append({"json": {"output": text}, "pairedItem": {"item": index}})
    return [output]


__all__ = ["PEOPLE", "run_customer_datastore", "run_customer_messenger"]
