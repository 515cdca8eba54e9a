"""Per-node cost of every file node on 100 and 10,000 items, with a real binary store on disk.

Each case calls the node function the way the pure-node activity does (bytes in the store, only
references in items) and reports the median of `--runs` calls in milliseconds.

    python bench/file_nodes_bench.py                  # table: case, median ms
    python bench/file_nodes_bench.py --runs 3 --save files.json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._table import add_baseline_args, report  # noqa: E402
from bench._timing import median_ms  # noqa: E402
from hive_core.binary_data import BinaryStore, ExecutionBinary  # noqa: E402
from n8n_import.plan import PlanNode  # noqa: E402
from n8n_import.registry import NodeKind  # noqa: E402
from n8n_runtime.nodes.base import Item, NodeRun  # noqa: E402
from n8n_runtime.nodes.files import FILE_NODES  # noqa: E402
from tests.n8n_runtime.nodes_data.helpers import LiteralParams  # noqa: E402


def _call(kind: str, params: dict[str, Any], items: list[Item], binary: ExecutionBinary) -> list[Item]:
    node = PlanNode(
        name=kind, type=f"n8n-nodes-base.{kind}", type_version=1, kind=NodeKind.DATA, parameters=params
    )
    run = NodeRun(node=node, inputs=[items], params=LiteralParams(params), extras={"binary": binary})
    return FILE_NODES[node.type](run)[0] or []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    add_baseline_args(parser)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as root:
        binary = ExecutionBinary(BinaryStore(Path(root)), "bench", "bench")
        for count in (100, 10_000):
            rows = [
                {"json": {"id": i, "name": f"name {i}", "price": i * 1.5, "ok": i % 2 == 0}}
                for i in range(count)
            ]
            for fmt in ("csv", "xlsx", "ods", "html"):
                convert = {"operation": fmt, "options": {}}
                figures[f"convertToFile {fmt} {count} items (ms)"] = median_ms(
                    partial(_call, "convertToFile", convert, rows, binary), args.runs
                )
                files = _call("convertToFile", convert, rows, binary)
                figures[f"extractFromFile {fmt} {count} rows (ms)"] = median_ms(
                    partial(_call, "extractFromFile", convert, files, binary), args.runs
                )
            to_json = {"operation": "toJson", "mode": "each", "options": {}}
            figures[f"convertToFile toJson each {count} items (ms)"] = median_ms(
                partial(_call, "convertToFile", to_json, rows, binary), args.runs
            )
            files = _call("convertToFile", to_json, rows, binary)
            figures[f"extractFromFile fromJson {count} files (ms)"] = median_ms(
                partial(_call, "extractFromFile", {"operation": "fromJson"}, files, binary), args.runs
            )
            # the other file nodes: Move Binary Data, Spreadsheet File, Compression
            to_binary = {"mode": "jsonToBinary", "options": {}}
            figures[f"moveBinaryData jsonToBinary {count} items (ms)"] = median_ms(
                partial(_call, "moveBinaryData", to_binary, rows, binary), args.runs
            )
            moved = _call("moveBinaryData", to_binary, rows, binary)
            figures[f"moveBinaryData binaryToJson {count} files (ms)"] = median_ms(
                partial(_call, "moveBinaryData", {"mode": "binaryToJson", "options": {}}, moved, binary),
                args.runs,
            )
            sheet = {"operation": "toFile", "fileFormat": "csv", "options": {}}
            figures[f"spreadsheetFile toFile csv {count} items (ms)"] = median_ms(
                partial(_call, "spreadsheetFile", sheet, rows, binary), args.runs
            )
            gzip_each = {"operation": "compress", "outputFormat": "gzip", "binaryPropertyName": "data"}
            figures[f"compression gzip {count} files (ms)"] = median_ms(
                partial(_call, "compression", gzip_each, moved, binary), args.runs
            )
            zipped = _call("compression", gzip_each, moved, binary)
            # gzip names its output after the input's index (`data0`)
            unzip = {"operation": "decompress", "binaryPropertyName": next(iter(zipped[0]["binary"]))}
            figures[f"compression gunzip {count} files (ms)"] = median_ms(
                partial(_call, "compression", unzip, zipped, binary), args.runs
            )
    report(figures, args, unit_width=52)


if __name__ == "__main__":
    main()
