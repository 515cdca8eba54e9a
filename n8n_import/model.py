"""Pydantic models of an n8n workflow export, as n8n writes it (camelCase field names kept).

Unknown keys are ignored everywhere: n8n adds fields over time (`versionId`, `triggerCount`,
`meta.templateCredsSetupCompleted`, ...) and an import must not break on them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

OnError = Literal["stopWorkflow", "continueRegularOutput", "continueErrorOutput"]
ExecutionOrder = Literal["v0", "v1"]


class _N8nModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class N8nConnection(_N8nModel):
    """One edge end: the target node, its input type and input index."""

    node: str
    type: str = "main"
    index: int = Field(default=0, ge=0)


# {sourceName: {connectionType: [output 0 targets | null, output 1 targets | null, ...]}}
N8nConnections = dict[str, dict[str, list[list[N8nConnection] | None]]]


class N8nCredentialRef(_N8nModel):
    """A credential reference; the secret itself never appears in an export."""

    id: str | None = None
    name: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class N8nNode(_N8nModel):
    """One node of the canvas, with its per-node settings."""

    id: str | None = None
    name: str
    type: str
    # n8n's own camelCase field names are kept so exports validate unchanged.
    typeVersion: float
    position: tuple[float, float] = (0.0, 0.0)
    parameters: dict[str, Any] = Field(default_factory=dict)
    disabled: bool = False
    notes: str | None = None
    notesInFlow: bool = False
    credentials: dict[str, N8nCredentialRef] = Field(default_factory=dict)
    retryOnFail: bool = False
    maxTries: int | None = None
    waitBetweenTries: int | None = None
    alwaysOutputData: bool = False
    executeOnce: bool = False
    onError: OnError | None = None
    continueOnFail: bool = False
    webhookId: str | None = None

    @field_validator("parameters", "credentials", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("credentials", mode="before")
    @classmethod
    def _legacy_credential_names(cls, value: Any) -> Any:
        # Very old exports store `{"httpBasicAuth": "My credential"}` (a bare name).
        if isinstance(value, dict):
            return {k: {"name": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("typeVersion")
    @classmethod
    def _integral_version_is_int(cls, value: float) -> float:
        # Keep `3` as 3 and `3.4` as 3.4 so versions print the way n8n writes them.
        return int(value) if value.is_integer() else value

    @model_validator(mode="after")
    def _legacy_continue_on_fail(self) -> N8nNode:
        # n8n: an explicit `onError` wins; otherwise legacy `continueOnFail: true` means
        # "continue with the regular output".
        if self.onError is None and self.continueOnFail:
            self.onError = "continueRegularOutput"
        return self


class N8nSettings(_N8nModel):
    """Workflow settings. An absent `executionOrder` means n8n's legacy v0 order."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    executionOrder: ExecutionOrder = "v0"
    errorWorkflow: str | None = None
    timezone: str | None = None
    saveManualExecutions: bool | None = None
    saveDataErrorExecution: str | None = None
    saveDataSuccessExecution: str | None = None
    saveExecutionProgress: bool | None = None
    executionTimeout: int | None = None
    callerPolicy: str | None = None
    callerIds: str | None = None

    @field_validator("errorWorkflow", "callerIds", mode="before")
    @classmethod
    def _to_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class N8nWorkflow(_N8nModel):
    """A whole workflow export (file download, CLI export or public-API object)."""

    id: str | None = None
    name: str = ""
    nodes: list[N8nNode]
    connections: N8nConnections = Field(default_factory=dict)
    settings: N8nSettings = Field(default_factory=N8nSettings)
    pinData: dict[str, list[dict[str, Any]]] | None = None
    staticData: Any = None
    meta: dict[str, Any] | None = None
    active: bool = False
    tags: list[Any] = Field(default_factory=list)
    versionId: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("connections", "settings", "tags", mode="before")
    @classmethod
    def _null_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return [] if info.field_name == "tags" else {}
        return value


__all__ = [
    "ExecutionOrder",
    "N8nConnection",
    "N8nConnections",
    "N8nCredentialRef",
    "N8nNode",
    "N8nSettings",
    "N8nWorkflow",
    "OnError",
]
