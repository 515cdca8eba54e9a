"""Seeded input items for the differential cases: numbers, unicode strings, nulls, nested values,
dates, missing fields, empty input."""

from __future__ import annotations

import base64
import random
from typing import Any

Item = dict[str, Any]

_NAMES = ["Ada", "Zoë", "李雷", "Ольга", "José", "ada", "Émile", "", "O'Brien", "🐝 Bee", "a b  c", "Ada"]
_CITIES = ["Berlin", "berlin", "Paris", "São Paulo", "Tōkyō", "Paris", None]
_TAGS = ["red", "green", "blue", "Red", "ß", "", "x,y"]
_DATES = [
    "2024-01-31T23:59:59.000Z",
    "2023-12-25",
    "2024-02-29T12:00:00+02:00",
    "2021-06-01 08:15:00",
    "2024-05-15T10:30:00.123Z",
    "2020-03-08T02:30:00",
    "not a date",
    "1999-12-31T23:00:00-05:00",
]


def _maybe(rng: random.Random, value: Any, missing: float = 0.15) -> Any:
    return _MISSING if rng.random() < missing else value


class _Missing:
    pass


_MISSING = _Missing()


def person(rng: random.Random, index: int) -> dict[str, Any]:
    """One record with every JSON type, some fields missing or null."""
    age_choices: list[Any] = [
        rng.randint(0, 90),
        round(rng.uniform(0, 90), 2),
        None,
        str(rng.randint(1, 60)),
        0,
    ]
    record: dict[str, Any] = {
        "id": index + 1,
        "name": rng.choice(_NAMES),
        "age": rng.choice(age_choices),
        "city": rng.choice(_CITIES),
        "tags": rng.sample(_TAGS, rng.randint(0, 3)),
        "address": {"street": f"{rng.randint(1, 99)} Main St", "zip": rng.choice(["10115", 75001, None])},
        "created": rng.choice(_DATES),
        "active": rng.choice([True, False, None]),
        "score": rng.choice([1.5, -2, 1e21, 0.1, 3, 100]),
    }
    # `id` is always there (the key of Merge / Compare Datasets cases); any other field may be missing.
    return {
        k: v
        for k, v in ((k, v if k == "id" else _maybe(rng, v)) for k, v in record.items())
        if v is not _MISSING
    }


def datasets(seed: int = 10) -> dict[str, list[Item]]:
    """Named input item lists (each item `{"json": ...}`)."""
    rng = random.Random(seed)
    sets: dict[str, list[dict[str, Any]]] = {
        "empty": [],
        "blank": [{}],
        "one": [person(rng, 0)],
    }
    for size in (3, 5, 8):
        sets[f"people{size}"] = [person(rng, i) for i in range(size)]
    sets["dups"] = [
        {"id": 1, "k": "a", "v": 1, "n": {"x": 1}},
        {"id": 2, "k": "a", "v": 1, "n": {"x": 1}},
        {"id": 3, "k": "b", "v": 2, "n": {"x": 2}},
        {"id": 1, "k": "a", "v": 1, "n": {"x": 1}},
        {"id": 4, "k": None, "v": "1", "n": {"x": "1"}},
    ]
    sets["odd"] = [
        {"s": "0", "z": 0, "f": False, "e": "", "l": [], "o": {}, "deep": {"a": [{"b": [1, {"c": "ü"}]}]}},
        {"s": " spaced ", "z": -0.5, "f": True, "e": None, "l": [1, "1", None], "o": {"k": None}},
        {"s": "ÄÖÜ äöü", "z": 12345678901234, "dotted.key": "dot", "arr": [[1, 2], [3]]},
    ]
    return {name: [{"json": j} for j in items] for name, items in sets.items()}


def text_file(text: str, name: str = "file.txt", mime: str = "text/plain") -> dict[str, Any]:
    """An n8n binary entry with its bytes inline (n8n's default binary mode)."""
    data = text.encode("utf-8")
    extension = name.rsplit(".", 1)[-1] if "." in name else None
    entry: dict[str, Any] = {
        "data": base64.b64encode(data).decode("ascii"),
        "mimeType": mime,
        "fileName": name,
    }
    if extension:
        entry["fileExtension"] = extension
    return entry


def bytes_file(data: bytes, name: str, mime: str) -> dict[str, Any]:
    """A binary entry over raw bytes."""
    entry = text_file("", name, mime)
    entry["data"] = base64.b64encode(data).decode("ascii")
    return entry


__all__ = ["bytes_file", "datasets", "person", "text_file"]
