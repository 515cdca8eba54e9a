"""How many real-world templates' AI nodes compile, and why the others fail, by node type.

Compiles every template of ../shared/real-world/workflows (or --dir) with the model aliases of a
hive.yaml (default config/hive.yaml) and counts, per AI node type (@n8n/n8n-nodes-langchain.*
and the base OpenAI node), the nodes whose compile diagnostics contain no error about them.

    python bench/ai_template_report.py                 # counts and the failure causes
    python bench/ai_template_report.py --config none   # without a hive.yaml (built-in aliases)
"""

from __future__ import annotations

import argparse
import collections
import inspect
import json
import sys
from pathlib import Path
from typing import Any

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hive_core.errors import CompileError  # noqa: E402
from n8n_import import compile_export  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "real-world" / "workflows"
AI_PREFIX = "@n8n/n8n-nodes-langchain."


def _is_ai(node_type: str) -> bool:
    return node_type.startswith(AI_PREFIX) or node_type == "n8n-nodes-base.openAi"


def _short(node_type: str) -> str:
    return node_type.removeprefix(AI_PREFIX)


def _compile(data: Any, aliases: Any) -> list[dict[str, Any]]:
    """The error diagnostics of one export (empty: it compiles)."""
    kwargs = {"aliases": aliases} if "aliases" in inspect.signature(compile_export).parameters else {}
    try:
        compile_export(data, **kwargs)
    except CompileError as exc:
        return [d for d in exc.details.get("diagnostics") or [] if d.get("severity") == "error"]
    except Exception as exc:  # noqa: BLE001 - a crash is a failure cause too
        return [{"node": None, "message": f"compiler crashed: {exc!r}"}]
    return []


def _aliases(config: str) -> Any:
    if config == "none":
        return None
    from hive_core.config import load_cluster_config

    cluster = load_cluster_config(config)
    return getattr(cluster, "model_aliases", None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--config", default=str(ROOT / "config" / "hive.yaml"))
    parser.add_argument("--causes", type=int, default=3, help="failure messages shown per node type")
    args = parser.parse_args()
    aliases = _aliases(args.config)
    total: collections.Counter[str] = collections.Counter()
    ok: collections.Counter[str] = collections.Counter()
    causes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    files = sorted(args.dir.glob("*.json"))
    whole_ok = ai_files = 0
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        workflows = data if isinstance(data, list) else [data]
        nodes = [n for wf in workflows for n in wf.get("nodes", []) if _is_ai(str(n.get("type", "")))]
        if not nodes:
            continue
        ai_files += 1
        errors = _compile(data, aliases)
        by_node: dict[str, list[str]] = collections.defaultdict(list)
        for diag in errors:
            by_node[str(diag.get("node"))].append(str(diag.get("message")))
        if not any(name in by_node for name in (str(n.get("name")) for n in nodes)):
            whole_ok += not errors
        for node in nodes:
            kind = f"{_short(node['type'])}@{node.get('typeVersion')}"
            total[kind] += 1
            problems = by_node.get(str(node.get("name")))
            if problems:
                for message in problems:
                    causes[kind][message.split("; supported:")[0][:140]] += 1
            else:
                ok[kind] += 1
    print(f"templates with AI nodes: {ai_files}; compiling with no error at all: {whole_ok}")
    print(f"AI nodes compiling: {sum(ok.values())} / {sum(total.values())}\n")
    print(f"{'node type@version':<56} {'ok':>4} {'all':>4}")
    for kind, count in sorted(total.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{kind:<56} {ok[kind]:>4} {count:>4}")
        for message, n in causes[kind].most_common(args.causes):
            print(f"    {n:>3} × {message}")


if __name__ == "__main__":
    main()
