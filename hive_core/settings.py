"""Process settings (pydantic-settings, env prefix ``HIVE_``, nested with ``__``).

Examples: ``HIVE_DATA_DIR=.hive``, ``HIVE_TEMPORAL__ADDRESS=temporal:7233``,
``HIVE_DATABASE__URL=postgresql+asyncpg://...``, ``HIVE_API__PORT=8000``.
Built once in each entry point; nothing here runs at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hive_core.binary_data.settings import BinaryDataSettings


class TemporalSettings(BaseModel):
    """Where Temporal lives. With no ``address``, ``hive up`` runs the embedded dev server."""

    address: str | None = None
    namespace: str = "default"
    host: str = "127.0.0.1"
    port: int = Field(default=7233, ge=1, le=65535)
    ui_port: int = Field(default=8233, ge=1, le=65535)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    task_queue: str = "hive-workflows"
    connect_timeout_s: float = 10.0

    @property
    def target(self) -> str:
        return self.address or f"{self.host}:{self.port}"


class DatabaseSettings(BaseModel):
    """Hive's own database; the default is a SQLite file in the data dir."""

    url: str | None = None
    echo: bool = False


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # How callers reach the API (webhook and resume URLs); default: this host and port.
    public_url: str | None = None
    # Request bodies larger than this are refused with 413 (counted as they stream in).
    # Env: HIVE_API__MAX_BODY_BYTES.
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    # File uploads to webhooks (multipart, binary bodies) stream into the binary store instead;
    # n8n's N8N_FORMDATA_FILE_SIZE_MAX default. Env: HIVE_API__MAX_UPLOAD_BYTES.
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    # When set, GET /metrics needs `Authorization: Bearer <token>` (what Prometheus scrapers send);
    # unset or empty: /metrics is open. Env: HIVE_API__METRICS_TOKEN.
    metrics_token: SecretStr | None = None
    # Run the central worker inside the API process, on the API's own Temporal client: runs the
    # API starts are then started eagerly (their first workflow task comes back with the start
    # reply, no poll), which with `dispatch: local` agents makes a whole LLM workflow one
    # server round trip. The cost: CPU-heavy nodes share the API's event loop, and the API and
    # the worker go down together. Env: HIVE_API__EMBEDDED_WORKER; `hive api --with-worker`.
    embedded_worker: bool = False

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        # Compose passes `${HIVE_METRICS_TOKEN:-}` through as "" when the variable is not set.
        return None if value == "" else value

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"


class WorkerSettings(BaseModel):
    # Prometheus endpoint of the worker's Temporal SDK runtime metrics; 0 disables it.
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    # Short sticky timeout: a killed worker's workflows move on in seconds, not ~10 s
    # (temporal-calibration: 2 s measured to matter for kill → done).
    sticky_schedule_to_start_s: float = 2.0
    graceful_shutdown_s: float = 10.0
    # Environment variables n8n expressions may read as `$env.NAME` (nothing else leaks in).
    # Env: HIVE_WORKER__EXPRESSION_ENV='["API_BASE","REGION"]'.
    expression_env: list[str] = []
    # APIs of the Wikipedia and SerpAPI agent tools (a local stand-in in tests).
    wikipedia_api_url: str = "https://en.wikipedia.org/w/api.php"
    serpapi_url: str = "https://serpapi.com"


class CredentialsSettings(BaseModel):
    """The key of the credential store (see ``hive_core.credentials.crypto``).

    ``key``: Fernet key(s), comma-separated, the first encrypts (rotation: put the new key first,
    keep the old one after it). Env: HIVE_CREDENTIALS__KEY. Unset: the key file
    (``key_file``, default ``<data_dir>/credentials.key``), created with mode 0600 on first use.
    """

    key: SecretStr | None = None
    key_file: Path | None = None

    @field_validator("key", mode="before")
    @classmethod
    def _empty_key_is_none(cls, value: object) -> object:
        return None if value == "" else value


class TelemetrySettings(BaseModel):
    # OpenTelemetry traces are off unless an OTLP endpoint is set.
    otlp_endpoint: str | None = None
    service_name: str = "hive"


class McpSettings(BaseModel):
    """Hive's MCP server (`/mcp`, `hive mcp`)."""

    # A tool call waits this long for its run; a longer run answers with its execution id
    # (the call's `_meta` may set `hive/wait_seconds`). Env: HIVE_MCP__WAIT_SECONDS.
    wait_seconds: float = Field(default=120.0, ge=0)


class HiveSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HIVE_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    data_dir: Path = Path(".hive")
    config: Path | None = None
    log_level: str = "INFO"
    temporal: TemporalSettings = TemporalSettings()
    database: DatabaseSettings = DatabaseSettings()
    api: ApiSettings = ApiSettings()
    worker: WorkerSettings = WorkerSettings()
    telemetry: TelemetrySettings = TelemetrySettings()
    credentials: CredentialsSettings = CredentialsSettings()
    binary_data: BinaryDataSettings = BinaryDataSettings()
    mcp: McpSettings = McpSettings()

    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'hive.db').resolve()}"

    @property
    def config_path(self) -> Path | None:
        """hive.yaml to load: explicit setting, else ``config/hive.yaml`` if present."""
        if self.config is not None:
            return self.config
        default = Path("config/hive.yaml")
        return default if default.is_file() else None


__all__ = [
    "ApiSettings",
    "CredentialsSettings",
    "DatabaseSettings",
    "HiveSettings",
    "McpSettings",
    "TelemetrySettings",
    "TemporalSettings",
    "WorkerSettings",
]
