"""DebugHelper node (``n8n-nodes-base.debugHelper`` v1): do nothing, throw, waste memory, or fake data.

Random data comes from a generator seeded by the node's Seed or, when empty, by the run's seed
with the node name and run index: a replay produces the same items (n8n's minifaker output is
random per run, so values differ from n8n's but the shapes are n8n's).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import param

_FIRST = ("Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger")
_LAST = ("Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen")
_STREETS = ("Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St")
_CITIES = ("Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton")
_STATES = ("California", "Texas", "New York", "Ohio", "Oregon", "Maine")
_COUNTRIES = ("United States", "Canada", "Germany", "France", "Japan", "Brazil")
_DOMAINS = ("example.com", "example.org", "example.net")
_ERROR_NAMES = {"NodeApiError": "NodeApiError", "NodeOperationError": "NodeOperationError"}


def run_debug_helper(run: NodeRun) -> NodeOutput:
    """Per item: ``doNothing`` (outputs nothing, as n8n does), ``throwError`` (default), ``oom``,
    ``randomData``; with onError continue, a failure becomes `{error: message}`."""
    category = param(run, "category", 0, "throwError")
    continue_on_fail = run.node.settings.on_error != "stopWorkflow"
    output: list[Item] = []
    for index, item in enumerate(run.items):
        try:
            output.extend(_one(run, category, index, item))
        except NodeError as error:
            if not continue_on_fail:
                raise
            output.append({"json": {"error": error.message}, "pairedItem": {"item": index}})
    return [output]


def _one(run: NodeRun, category: str, index: int, item: Item) -> list[Item]:
    if category == "throwError":
        kind = param(run, "throwErrorType", 0, "NodeApiError")
        message = str(param(run, "throwErrorMessage", 0, "Node has thrown an error"))
        if kind in ("NodeApiError", "NodeOperationError", "Error"):
            raise NodeError(message, item_index=index)
        category = "oom"  # n8n's switch falls through from an unknown error type
    if category == "oom":
        size_mb = float(param(run, "memorySizeValue", 0, 10))
        # n8n really allocates the memory; Hive reports the same shape without exhausting the worker.
        return [{"json": {"memoryUsed": size_mb}, "pairedItem": {"item": index}}]
    if category == "randomData":
        return _random_items(run, index)
    return []


def _random_items(run: NodeRun, index: int) -> list[Item]:
    kind = str(param(run, "randomDataType", 0, "user"))
    count = int(param(run, "randomDataCount", 0, 10))
    seed = str(param(run, "randomDataSeed", 0, "") or "")
    single = bool(param(run, "randomDataSingleArray", 0, False))
    if not seed:
        seed = f"{run.extras.get('random_seed', 0)}:{run.node.name}:{run.run_index}:{index}"
    rng = random.Random(seed)
    make = _generators(run, rng).get(kind, _generators(run, rng)["user"])
    generated = [make() for _ in range(max(0, count))]
    if single:
        return [{"json": {"generatedItems": generated}, "pairedItem": {"item": index}}]
    # n8n puts bare strings (uuid, url, ...) in `json`; Hive items need objects, so they are keyed.
    return [
        {"json": value if isinstance(value, dict) else {kind: value}, "pairedItem": {"item": index}}
        for value in generated
    ]


def _generators(run: NodeRun, rng: random.Random) -> dict[str, Callable[[], Any]]:
    def name() -> tuple[str, str]:
        return rng.choice(_FIRST), rng.choice(_LAST)

    def email() -> str:
        first, last = name()
        return f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(_DOMAINS)}".lower()

    def user() -> dict[str, Any]:
        first, last = name()
        password = "".join(
            rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(12)
        )
        return {
            "uid": _uuid(rng),
            "email": email(),
            "firstname": first,
            "lastname": last,
            "password": password,
        }

    def address() -> dict[str, Any]:
        first, last = name()
        return {
            "firstname": first,
            "lastname": last,
            "street": f"{rng.randint(1, 9999)} {rng.choice(_STREETS)}",
            "city": rng.choice(_CITIES),
            "zip": f"{rng.randint(0, 99999):05d}",
            "state": rng.choice(_STATES),
            "country": rng.choice(_COUNTRIES),
        }

    def credit_card() -> dict[str, Any]:
        first, last = name()
        return {
            "type": "MasterCard" if rng.random() < 0.5 else "Visa",
            "number": "-".join(f"{rng.randint(0, 9999):04d}" for _ in range(4)),
            "ccv": f"{rng.randint(0, 999):03d}",
            "exp": f"{rng.randint(1, 12):02d}/{rng.randint(1, 40):02d}",
            "holder_name": f"{first} {last}",
        }

    def nanoid() -> str:
        alphabet = str(
            param(run, "nanoidAlphabet", 0, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        )
        length = int(str(param(run, "nanoidLength", 0, "16")) or 16)
        return "".join(rng.choice(alphabet) for _ in range(length))

    return {
        "user": user,
        "email": lambda: {"email": email(), "confirmed": rng.random() < 0.5},
        "address": address,
        "creditCard": credit_card,
        "uuid": lambda: _uuid(rng),
        "macAddress": lambda: ":".join(f"{rng.randint(0, 255):02x}" for _ in range(6)),
        "ipv4": lambda: ".".join(str(rng.randint(0, 255)) for _ in range(4)),
        "ipv6": lambda: ":".join(f"{rng.randint(0, 65535):x}" for _ in range(8)),
        "latLong": lambda: {
            "latitude": round(rng.uniform(-90, 90), 6),
            "longitude": round(rng.uniform(-180, 180), 6),
        },
        "semver": lambda: f"{rng.randint(0, 20)}.{rng.randint(0, 20)}.{rng.randint(0, 20)}",
        "url": lambda: (
            f"https://{rng.choice(('www.', ''))}{rng.choice(_LAST).lower()}"
            f".{rng.choice(('com', 'org', 'net'))}"
        ),
        "nanoid": nanoid,
    }


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


__all__ = ["run_debug_helper"]
