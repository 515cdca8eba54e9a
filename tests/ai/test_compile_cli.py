"""`hive compile` on a workflow with provider models: each model node shows its cluster model and
the rule that chose it; an unmapped model is an error printing the hive.yaml lines to add."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ai.builders import ai_workflow, base, lc

ROOT = Path(__file__).resolve().parents[2]


def _hive(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    return subprocess.run(
        [sys.executable, "-m", "hive_core.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def _export(tmp_path: Path, model: str) -> Path:
    workflow = ai_workflow(
        "aliases",
        [base("Start", "manualTrigger", 1), lc("Chain", "chainLlm", 1.7, 200)],
        [
            (
                lc("GPT", "lmChatOpenAi", 1.2, 200, model={"__rl": True, "value": model}),
                "ai_languageModel",
                "Chain",
            )
        ],
    )
    path = tmp_path / "w.json"
    path.write_text(json.dumps(workflow))
    return path


def test_compile_shows_the_cluster_model_of_each_model_node(tmp_path: Path) -> None:
    result = _hive(
        "compile",
        str(_export(tmp_path, "gpt-4o-mini")),
        "--config",
        str(ROOT / "config/hive.yaml"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "→ model llama3.1:8b" in result.stdout
    assert (
        'runs on cluster model "llama3.1:8b" (model "gpt-4o-mini" mapped by model_aliases.chat."gpt-4o-mini")'
        in result.stdout
    )


def test_compile_names_an_unmapped_model_and_the_yaml_that_maps_it(tmp_path: Path) -> None:
    config = tmp_path / "hive.yaml"
    config.write_text('hive:\n  model_aliases:\n    chat:\n      "claude-*": "llama3.2"\n')
    result = _hive("compile", str(_export(tmp_path, "gpt-5-turbo")), "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2
    assert 'node "GPT" (@n8n/n8n-nodes-langchain.lmChatOpenAi@1.2)' in result.stderr
    assert 'model "gpt-5-turbo" (openai) is not mapped to a cluster model' in result.stderr
    assert '"gpt-5-turbo": llama3.2' in result.stderr
