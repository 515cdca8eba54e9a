"""`hive up --local-model`: a small real model served on this machine, as the agent ``local``.

The server is ``hive_core.local_model`` (an Ollama-compatible front over llama.cpp serving
SmolLM2-135M); ``hive up`` starts and supervises it like its other processes, and the central
worker drives the ``local`` agent over loopback like any remote Ollama host.
"""

from __future__ import annotations

import sys

from hive_core.config import AgentConfig, ClusterConfig

LOCAL_AGENT_ID = "local"
LOCAL_MODEL = "smollm2:135m"


def local_model_argv(host: str, port: int) -> list[str]:
    """How to run the local model server (it answers GET /api/version when ready)."""
    return [sys.executable, "-m", "hive_core.local_model", "--host", host, "--port", str(port)]


def local_agent(url: str) -> AgentConfig:
    """The agent that serves the local model: one slot (one CPU thread), driven centrally."""
    return AgentConfig(
        id=LOCAL_AGENT_ID,
        name="Local SmolLM2 (llama.cpp)",
        endpoint=url,
        models=[LOCAL_MODEL],
        max_concurrent=1,
        worker="central",
    )


def with_local_agent(cluster: ClusterConfig, url: str) -> ClusterConfig:
    """``cluster`` plus the ``local`` agent (replacing one of that id from hive.yaml)."""
    return cluster.model_copy(update={"agents": {**cluster.agents, LOCAL_AGENT_ID: local_agent(url)}})


__all__ = ["LOCAL_AGENT_ID", "LOCAL_MODEL", "local_agent", "local_model_argv", "with_local_agent"]
