"""Build Temporal workers: the central one (interpreter, pure nodes) and one set per agent."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from activities.agent_info import AgentInfoActivities
from activities.ai_memory_stores import ExternalMemoryActivities
from activities.ai_support import AiToolActivities, ChatMemoryActivities
from activities.ai_vector_store import VectorStoreActivities
from activities.ai_web_tools import WebToolActivities
from activities.health import HealthActivities
from activities.health_store import HealthStoreActivities
from activities.mcp_client import McpClientActivities
from activities.n8n_nodes import FileAccess, NodeActivities
from activities.ollama import OllamaActivities
from activities.project_store import ProjectStoreActivities
from activities.review_planning import ReviewPlanningActivities
from activities.routing import AgentDirectory, RoutingActivities
from activities.sql_agent import SqlAgentActivities
from activities.trigger_state import TriggerStateActivities
from activities.workflow_store import WorkflowStoreActivities
from hive_core.agent_stats import AgentStats
from hive_core.binary_data import BinaryStore
from hive_core.config import AgentConfig, ClusterConfig
from hive_core.credentials import CredentialCipher, StoreCredentials, load_cipher
from hive_core.monitoring.payloads import health_queue
from hive_core.node_host.options import compile_options
from hive_core.queues import queues_for_agent
from hive_core.settings import HiveSettings
from n8n_runtime.code_python import PythonPool
from n8n_runtime.http import ConfigCredentials, CredentialSource
from workers.local_dispatch import HOST_DOWN_PAUSE_S, LocalDispatch
from workers.registry import CENTRAL_WORKFLOWS
from workers.slots import SharedSlotPool


def _common_options(settings: HiveSettings) -> dict[str, object]:
    return {
        "sticky_queue_schedule_to_start_timeout": timedelta(
            seconds=settings.worker.sticky_schedule_to_start_s
        ),
        "graceful_shutdown_timeout": timedelta(seconds=settings.worker.graceful_shutdown_s),
    }


def build_central_worker(
    client: Client,
    settings: HiveSettings,
    cluster: ClusterConfig | None = None,
    http: httpx.AsyncClient | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    agent_directory: AgentDirectory | None = None,
    local: LocalDispatch | None = None,
    *,
    sandboxed: bool = False,
) -> Worker:
    """The worker that runs Hive's workflows and their n8n nodes.

    ``http`` is the client of HTTP Request nodes (the caller closes it); credentials come from
    Hive's credential store, then the cluster description; ``sessions`` reach the database
    (workflow store for sub-workflows and error workflows, credential store). AI calls are
    routed to the cluster's enabled agents plus those
    ``agent_directory`` returns (agents registered at run time). Agents with ``dispatch: local``
    are called from here directly (``local``: their slots, shared with their queue workers when
    this process drives them; default: the cluster's, with slots of their own). ``sandboxed``
    runs the workflows in Temporal's sandbox (see ``_workflow_runner``).
    """
    cluster = cluster or ClusterConfig()
    store = WorkflowStoreActivities(sessions, compile_options(cluster))
    trigger_state = TriggerStateActivities(sessions)
    projects = ProjectStoreActivities(sessions)
    memory = ChatMemoryActivities(sessions)
    review_planning = ReviewPlanningActivities(cluster)
    env = {name: os.environ[name] for name in settings.worker.expression_env if name in os.environ}
    # HTTP Request nodes, HTTP Request tools and vector databases share one client and one
    # credential resolver.
    http = http or httpx.AsyncClient()
    credentials: CredentialSource = ConfigCredentials(cluster.credentials)
    if sessions is not None:
        # The key is read (or its file created) only when a stored credential is first used.
        cipher = _lazy_cipher(settings)
        credentials = StoreCredentials(sessions, cipher, ConfigCredentials(cluster.credentials), http)
    vectors = VectorStoreActivities(sessions, http, credentials)
    binary = settings.binary_data
    files = FileAccess(
        BinaryStore(binary.storage_path(settings.data_dir), max_file_bytes=binary.max_file_bytes),
        binary.allowed_roots(settings.data_dir),
    )
    python = PythonPool(cluster.code_python)
    nodes = NodeActivities(
        http,
        credentials,
        env=env,
        variables=cluster.variables,
        files=files,
        python=python,
    )
    ai_tools = AiToolActivities(http, credentials, python)
    mcp_client = McpClientActivities(credentials, cluster.mcp_servers.registry)
    external_memory = ExternalMemoryActivities(credentials)
    sql_agent = SqlAgentActivities(credentials, files.store)
    web_tools = WebToolActivities(
        http,
        credentials,
        wikipedia_url=settings.worker.wikipedia_api_url,
        serpapi_url=settings.worker.serpapi_url,
    )
    health = HealthStoreActivities(sessions, cluster)
    local = local or LocalDispatch.from_cluster(cluster)
    routing = RoutingActivities(cluster, client, agent_directory, local.agents)
    local_calls = local.activities(http, routing.resolve)
    return Worker(
        client,
        task_queue=settings.temporal.task_queue,
        workflows=CENTRAL_WORKFLOWS,
        workflow_runner=_workflow_runner(sandboxed),
        activities=[
            nodes.run_pure_node,
            nodes.run_http_node,
            store.load_plan,
            # Polling triggers' static data between polls.
            trigger_state.load_trigger_state,
            trigger_state.save_trigger_state,
            # Tasks and projects: progress rows, and standalone tasks waiting for their dependencies.
            projects.task_started,
            projects.task_finished,
            projects.project_status,
            projects.await_tasks,
            # `hive:code-review` called from an n8n workflow: its seats from hive.yaml.
            review_planning.plan_review,
            # AI nodes: agent tools (Code, HTTP Request) and Window Buffer Memory in the database.
            ai_tools.run_code_tool,
            ai_tools.run_http_tool,
            web_tools.run_web_tool,
            # The SQL agent's database tools (list tables, table info, query), read-only.
            sql_agent.run_sql_tool,
            # MCP Client Tool: list a server's tools, call one (hive_mcp/client/).
            mcp_client.list_tools,
            mcp_client.call_tool,
            web_tools.fetch_images,
            memory.load_memory,
            memory.append_memory,
            memory.replace_memory,
            # Postgres / Redis Chat Memory on the user's servers.
            external_memory.load_external_memory,
            external_memory.append_external_memory,
            # Vector store documents: Hive's database or a vector database (embeddings run on agents).
            vectors.insert_documents,
            vectors.search_documents,
            health.list_agents,
            health.record_health,
            routing.resolve,
            routing.live_pollers,
            # LLM calls: routed, and run here if a local agent (dispatch: local) takes them.
            local_calls.chat,
            local_calls.generate,
            local_calls.embed,
        ],
        # Heartbeats (one a second while a call runs) reach the server at once, not after
        # 0.8 × the heartbeat timeout: a dead worker is told from a slow beat with margin.
        max_heartbeat_throttle_interval=timedelta(seconds=1),
        **_common_options(settings),  # type: ignore[arg-type]
    )


def _workflow_runner(sandboxed: bool) -> WorkflowRunner:
    """Unsandboxed by default: the sandbox guards nothing of Hive's and costs each run ~15 ms.

    Every module the interpreter uses is passed through the sandbox already (its restrictions
    apply only to modules it imports afresh), so it only re-imports the workflow modules for each
    new run: ~15 ms of worker CPU per run, measured by bench/llm_overhead_bench.py — a third of an
    LLM call's whole overhead once the call is a local activity. Workflow code stays deterministic
    by tests/test_determinism.py (AST scan of workflows/) and the replay tests.
    """
    return SandboxedWorkflowRunner() if sandboxed else UnsandboxedWorkflowRunner()


def _lazy_cipher(settings: HiveSettings) -> Callable[[], CredentialCipher]:
    loaded: list[CredentialCipher] = []

    def cipher() -> CredentialCipher:
        if not loaded:
            loaded.append(load_cipher(settings))
        return loaded[0]

    return cipher


def build_agent_workers(
    client: Client,
    agent: AgentConfig,
    settings: HiveSettings,
    http: httpx.AsyncClient | None = None,
    stats: AgentStats | None = None,
    identity: str | None = None,
    slots: SharedSlotPool | None = None,
) -> list[Worker]:
    """One worker per queue the agent serves (its own, per model, per capability).

    Together they share ONE pool of the agent's ``max_concurrent`` activity slots (an agent
    with no free slot polls no queue) and call the agent's Ollama through ``http`` (the caller
    closes it). ``stats`` records the agent's calls (a new one if not given); ``identity``
    names the workers' pollers (default: the client's); ``slots`` is the agent's pool when its
    local calls share it (``workers.local_dispatch``).
    """
    stats = stats if stats is not None else AgentStats()
    slots = slots if slots is not None else SharedSlotPool(agent.max_concurrent)
    info = AgentInfoActivities(agent)
    ollama = OllamaActivities(
        http or httpx.AsyncClient(),
        agent,
        stats,
        host_slot=slots.hold,
        # A host that refuses or fails: stop taking work for a moment, others take it over.
        on_unavailable=lambda: slots.pause(HOST_DOWN_PAUSE_S),
    )
    return [
        Worker(
            client,
            task_queue=queue,
            activities=[info.describe_agent, ollama.chat, ollama.generate, ollama.embed],
            tuner=slots.tuner(),
            identity=identity,
            # Token progress reaches the server (and live updates) about every second instead of
            # every 0.8 × heartbeat timeout: one small RPC per second per running generation.
            max_heartbeat_throttle_interval=timedelta(seconds=1),
            **_common_options(settings),  # type: ignore[arg-type]
        )
        for queue in queues_for_agent(agent)
    ] + [
        # Health probes have their own queue and slots: a busy agent still answers them.
        Worker(
            client,
            task_queue=health_queue(agent.id),
            # describe_agent here is the liveness check of AI calls (workflows/ai_dispatch.py).
            activities=[
                HealthActivities(agent, http or httpx.AsyncClient(), stats).probe,
                info.describe_agent,
            ],
            max_concurrent_activities=2,
            **_common_options(settings),  # type: ignore[arg-type]
        )
    ]
