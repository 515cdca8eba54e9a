"""Write the differential case list (one JSON case per line) for the n8n recording script.

    python -m tests.differential.generate_cases /tmp/cases.jsonl
    node node_host/scripts/record_differential.js /tmp/cases.jsonl tests/differential/fixtures

Cases are every parameter variant of `node_cases` crossed with its input datasets (`inputs`),
seeded, so the same command always writes the same cases.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.differential.inputs import Item, bytes_file, datasets, text_file
from tests.differential.node_cases import variants

SEED = 10
NOW_MS = 1_715_769_000_000  # 2024-05-15T10:30:00Z: the recording's frozen clock
CREDENTIALS: dict[str, dict[str, dict[str, Any]]] = {
    "jwt": {"jwtAuth": {"keyType": "passphrase", "secret": "differential-secret", "algorithm": "HS256"}},
    "totp": {"totpApi": {"secret": "JBSWY3DPEHPK3PXP", "label": "hive:ada@example.com"}},
}
_ZONES = (None, "UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles")


def _special_datasets() -> dict[str, list[Item]]:
    csv = 'id,name,price\n1,Zoë,1.5\n2,"a, b",\n3,李雷,-2\n'
    return {
        "xml_docs": [
            {"json": {"data": "<r a='1'><x>1</x><x>ü</x><y/></r>"}},
            {"json": {"data": "<?xml version='1.0'?><root><item id='7'>  text  </item></root>"}},
            {"json": {"data": "<a><B>t</B><b>u</b></a>"}},
        ],
        "html_pages": [
            {
                "json": {
                    "page": "<html><body><h1 class='t'> Title ü </h1><ul><li>a</li><li data-x='2'>b</li></ul>"
                    "<a href='/x'>link</a><input value='v'/><p>one <b>two</b>\n  three</p></body></html>"
                }
            },
            {"json": {"page": "<p>only</p>"}},
        ],
        "file_csv": [{"json": {"n": 1}, "binary": {"data": text_file(csv, "data.csv", "text/csv")}}],
        "file_json": [
            {
                "json": {},
                "binary": {
                    "data": text_file('{"a": [1, {"b": "ü"}], "c": null}', "d.json", "application/json")
                },
            },
            {"json": {"keep": 1}, "binary": {"data": text_file("[1, 2]", "e.json", "application/json")}},
        ],
        "file_text": [{"json": {}, "binary": {"data": text_file("héllo\nwörld 🐝\n")}}],
        "file_gzip": [
            {
                "json": {},
                "binary": {
                    "data": bytes_file(gzip.compress(b"zipped text", mtime=0), "t.txt.gz", "application/gzip")
                },
            },
        ],
        "b64": [{"json": {"b64": "aMOpbGxv"}}, {"json": {"b64": "AAEC"}}],
    }


def _inputs(name: str, sets: dict[str, list[Item]]) -> list[list[Item]]:
    return [sets[part] for part in name.split("+")]


def cases(seed: int = SEED) -> Iterator[dict[str, Any]]:
    """Every case: id, node, inputs (per input index), settings, credentials, clock."""
    sets = {**datasets(seed), **_special_datasets()}
    rng = random.Random(seed)
    counters: dict[str, int] = {}
    for node_type, version, parameters, names in variants():
        for name in names:
            index = counters.get(node_type, 0)
            counters[node_type] = index + 1
            node: dict[str, Any] = {
                "name": "Node",
                "type": f"n8n-nodes-base.{node_type}",
                "typeVersion": version,
                "parameters": parameters,
            }
            case: dict[str, Any] = {"id": f"{node_type}/{index:04d}", "data": name, "node": node}
            credentials = CREDENTIALS.get(node_type)
            if credentials:
                node["credentials"] = {kind: {"id": f"cred-{kind}", "name": kind} for kind in credentials}
                case["credentials"] = credentials
            zone = rng.choice(_ZONES) if node_type in ("dateTime", "if", "filter", "code") else None
            case["settings"] = {"timezone": zone} if zone else {}
            case["now_ms"] = NOW_MS
            case["inputs"] = _inputs(name, sets)
            yield case


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="where to write the cases (JSON lines)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    lines = [json.dumps(case, ensure_ascii=False, separators=(",", ":")) for case in cases(args.seed)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
