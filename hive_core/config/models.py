"""Pydantic models of `hive.yaml`, accepting the seed's file as written.

The seed nests everything under a top-level ``hive:`` key and keys agents by name;
an agent has one ``model`` or a list of ``models``. Every model forbids unknown keys
so that a typo is an error, not a silently ignored setting.
"""

from __future__ import annotations

import graphlib
from typing import Annotated, Literal, Self
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hive_core.config.code_python import PythonCodePolicy
from hive_core.config.model_aliases import DEFAULT_MODEL_ALIASES, ModelAliases

AGENT_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"

Percent = Annotated[float, Field(gt=0, le=100)]
PositiveSeconds = Annotated[float, Field(gt=0)]


def normalize_model_name(model: str) -> str:
    """Ollama treats ``llama3.2`` and ``llama3.2:latest`` as one model."""
    model = model.strip()
    return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClusterInfo(_Strict):
    name: str = "Hive Cluster"
    region: str | None = None


class Hardware(_Strict):
    gpu_type: str | None = None
    vram_gb: Annotated[float, Field(ge=0)] | None = None
    cpu_cores: Annotated[int, Field(ge=1)] | None = None


class PerformanceTargets(_Strict):
    min_tps: Annotated[float, Field(gt=0)] | None = None
    # Seconds, as in the seed.
    max_response_time: PositiveSeconds | None = None


class AgentConfig(_Strict):
    """One Ollama host. ``id`` is the key under ``agents:`` and names its task queue."""

    id: Annotated[str, Field(pattern=AGENT_ID_PATTERN)]
    name: str
    endpoint: str
    models: Annotated[list[str], Field(min_length=1)]
    specialization: str | None = None
    capabilities: list[str] = []
    hardware: Hardware = Hardware()
    performance_targets: PerformanceTargets = PerformanceTargets()
    max_concurrent: Annotated[int, Field(ge=1, le=256)] = 2
    enabled: bool = True
    # Who runs the agent's worker: its own daemon on the GPU host (`hive worker --agent ID`), the
    # central worker (drives the Ollama over the network), or auto: central unless a daemon
    # already polls the agent's queue when the central worker starts.
    worker: Literal["auto", "central", "daemon"] = "auto"
    # How AI calls reach the agent. `queue`: through its task queues (three Temporal hops, ~100 ms
    # here). `local`: the central worker calls its Ollama itself as a local activity (a few ms;
    # for hosts the central worker reaches), falling back to the queue when the host is busy,
    # down, or a call runs past `local_call_limit_s` seconds (no heartbeats without a queue; see
    # workflows/ai_dispatch.py). Live token events need the queue path.
    dispatch: Literal["queue", "local"] = "queue"
    local_call_limit_s: Annotated[float, Field(gt=0, le=600)] = 60

    @model_validator(mode="after")
    def _local_dispatch_needs_the_central_worker(self) -> Self:
        # The slots of a host are counted where its calls run: a daemon could not see the central
        # worker's local calls and would overload the host (and its Ollama may listen on localhost).
        if self.dispatch == "local" and self.worker == "daemon":
            raise ValueError(
                f"agent {self.id!r}: dispatch: local means the central worker calls the Ollama at "
                f"{self.endpoint} itself, which worker: daemon rules out; use worker: central or "
                "auto, or dispatch: queue"
            )
        return self

    @model_validator(mode="before")
    @classmethod
    def _accept_model_or_models(cls, data: object) -> object:
        if isinstance(data, dict) and "model" in data:
            data = dict(data)
            single = data.pop("model")
            if "models" in data:
                raise ValueError("give either 'model' or 'models', not both")
            data["models"] = [single] if isinstance(single, str) else single
        return data

    @field_validator("endpoint")
    @classmethod
    def _endpoint_is_http_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:11434")
        return value.rstrip("/")

    @field_validator("models")
    @classmethod
    def _normalize_models(cls, value: list[str]) -> list[str]:
        if any(not m.strip() for m in value):
            raise ValueError("model names must not be empty")
        return list(dict.fromkeys(normalize_model_name(m) for m in value))

    @property
    def model(self) -> str:
        """The agent's primary model."""
        return self.models[0]


class StageConfig(_Strict):
    """One stage of a project template: a task for an agent of the template.

    A stage written as a bare name depends on the stage before it; an object names its own
    ``depends_on`` (``[]``: a first stage), so independent stages run in parallel.
    """

    name: Annotated[str, Field(min_length=1, max_length=100)]
    # Who takes it: one agent, or any agent with a capability; neither: an agent of the template
    # whose capabilities or specialization name the stage, else the template's agents in turn.
    agent: str | None = None
    capability: str | None = None
    depends_on: list[str] | None = None
    # What the agent is asked, besides the project's goal; default: "Do the <name> stage".
    instructions: str | None = None
    # Run the stage as a multi-agent code review (author + reviewers) instead of one call.
    review: bool = False
    priority: int = 0


class WorkflowTemplate(_Strict):
    agents: list[str] = []
    stages: list[str | StageConfig] = []

    def stage_configs(self) -> list[StageConfig]:
        """Every stage as an object, bare names chained one after the other."""
        configs: list[StageConfig] = []
        for index, stage in enumerate(self.stages):
            if isinstance(stage, str):
                before = [configs[index - 1].name] if index else []
                stage = StageConfig(name=stage, depends_on=before)
            elif stage.depends_on is None:
                before = [configs[index - 1].name] if index else []
                stage = stage.model_copy(update={"depends_on": before})
            configs.append(stage)
        return configs


class WorkflowsConfig(_Strict):
    templates: dict[str, WorkflowTemplate] = {}


class AlertThresholds(_Strict):
    cpu_usage: Percent = 85
    memory_usage: Percent = 90
    gpu_usage: Percent = 95
    # Seconds.
    response_time: PositiveSeconds = 60


class MonitoringConfig(_Strict):
    metrics_retention_days: Annotated[int, Field(ge=1)] = 30
    alert_thresholds: AlertThresholds = AlertThresholds()
    # Seconds between health checks.
    health_check_interval: Annotated[float, Field(ge=1)] = 30


class McpServers(_Strict):
    registry: dict[str, str] = {}


class SecurityConfig(_Strict):
    require_approval: bool = False
    # Seconds an approval gate waits for a decision when its marking sets no `timeout=`;
    # a gate that times out counts as rejected.
    approval_timeout: Annotated[int, Field(ge=1)] = 86_400
    # Requests per minute per API key.
    api_rate_limit: Annotated[int, Field(ge=1)] = 100
    # Seconds a login session stays valid.
    session_timeout: Annotated[int, Field(ge=60)] = 3600
    # Per-role override of api_rate_limit (requests per minute), e.g. {viewer: 30, admin: 600}.
    rate_limits: dict[
        Literal["admin", "operator", "approver", "viewer", "service"], Annotated[int, Field(ge=1)]
    ] = {}

    def rate_limit_for(self, role: str) -> int:
        """Requests per minute allowed to one principal of ``role``."""
        return next((n for name, n in self.rate_limits.items() if name == role), self.api_rate_limit)


class CredentialConfig(_Strict):
    """A credential n8n nodes reference by name or id (`credentials: {httpHeaderAuth: {name: ...}}`).

    ``type`` is n8n's credential type (httpHeaderAuth, httpBasicAuth, httpBearerAuth,
    httpQueryAuth, httpCustomAuth, oAuth2Api with an access token, ollamaApi...); ``data`` holds
    its fields as n8n names them. ``${ENV_VAR}`` in a value is replaced when the file is loaded,
    so secrets stay out of the file.
    """

    type: str
    data: dict[str, str] = {}


class NodeHostConfig(_Strict):
    """The n8n node host (node_host/): n8n's own node code for types Hive does not implement."""

    # False: only native nodes compile; `hive up` does not start the node host.
    enabled: bool = True
    task_queue: str = "hive-n8n-nodes"
    # Natively implemented types to run with n8n's implementation anyway ("markdown" or
    # "n8n-nodes-base.markdown").
    force_types: list[str] = []
    # Types n8n 2.x disables by default (executeCommand, localFileTrigger) that may run here.
    enable_types: list[str] = []
    # Node runs one node host process executes at once.
    concurrency: Annotated[int, Field(ge=1, le=500)] = 20


def _stage_cycle(stages: list[StageConfig]) -> list[str] | None:
    sorter = graphlib.TopologicalSorter({stage.name: stage.depends_on or [] for stage in stages})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        return [str(node) for node in exc.args[1]]
    return None


class ClusterConfig(_Strict):
    cluster: ClusterInfo = ClusterInfo()
    agents: dict[str, AgentConfig] = {}
    workflows: WorkflowsConfig = WorkflowsConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    mcp_servers: McpServers = McpServers()
    security: SecurityConfig = SecurityConfig()
    credentials: dict[str, CredentialConfig] = {}
    # n8n's Variables: what expressions read as `$vars.NAME`.
    variables: dict[str, str] = {}
    node_host: NodeHostConfig = NodeHostConfig()
    # Python Code nodes: import allowlists, builtins deny list, time and memory limits.
    code_python: PythonCodePolicy = PythonCodePolicy()
    # Provider models (gpt-4o-mini, claude-*, ...) → cluster models; absent: Hive's defaults.
    model_aliases: ModelAliases | None = None

    @model_validator(mode="before")
    @classmethod
    def _agents_keyed_by_id(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("agents"), dict):
            agents = {}
            for key, agent in data["agents"].items():
                if isinstance(agent, dict):
                    agent = {"id": str(key), "name": str(key), **agent}
                agents[key] = agent
            data = {**data, "agents": agents}
        return data

    @model_validator(mode="after")
    def _templates_name_known_agents(self) -> Self:
        capabilities = {cap for agent in self.agents.values() for cap in agent.capabilities}
        for name, template in self.workflows.templates.items():
            where = f"workflows.templates.{name}"
            unknown = [a for a in template.agents if a not in self.agents]
            if unknown:
                raise ValueError(
                    f"{where}.agents names unknown agent(s) {unknown}; known: {sorted(self.agents)}"
                )
            stages = template.stage_configs()
            names = [stage.name for stage in stages]
            if len(set(names)) != len(names):
                raise ValueError(f"{where}.stages names a stage twice: {names}")
            for stage in stages:
                if stage.agent is not None and stage.agent not in self.agents:
                    raise ValueError(
                        f"{where}.stages.{stage.name}.agent {stage.agent!r} is not an agent; "
                        f"known: {sorted(self.agents)}"
                    )
                if stage.capability is not None and stage.capability not in capabilities:
                    raise ValueError(
                        f"{where}.stages.{stage.name}.capability {stage.capability!r} is offered by "
                        f"no agent; known: {sorted(capabilities)}"
                    )
                missing = [dep for dep in stage.depends_on or [] if dep not in names]
                if missing:
                    raise ValueError(
                        f"{where}.stages.{stage.name}.depends_on names unknown stage(s) {missing}"
                    )
            cycle = _stage_cycle(stages)
            if cycle:
                raise ValueError(f"{where}.stages depend on each other in a cycle: {' → '.join(cycle)}")
        return self

    def agent(self, agent_id: str) -> AgentConfig:
        """The agent called ``agent_id``; raises KeyError listing the known ones."""
        try:
            return self.agents[agent_id]
        except KeyError:
            raise KeyError(f"unknown agent {agent_id!r}; known: {sorted(self.agents)}") from None

    def agents_serving(self, model: str) -> list[AgentConfig]:
        wanted = normalize_model_name(model)
        return [a for a in self.agents.values() if a.enabled and wanted in a.models]

    @property
    def aliases(self) -> ModelAliases:
        """The model aliases in force: hive.yaml's `model_aliases:`, else Hive's defaults."""
        return self.model_aliases if self.model_aliases is not None else DEFAULT_MODEL_ALIASES

    @property
    def models(self) -> list[str]:
        return sorted({m for a in self.agents.values() if a.enabled for m in a.models})
