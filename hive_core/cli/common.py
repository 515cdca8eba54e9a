"""What every command shares: settings from env + flags, one-line errors, consoles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from hive_core.config import ClusterConfig, load_cluster_config
from hive_core.errors import HiveError, UserError
from hive_core.settings import HiveSettings

# soft_wrap: never break long lines (paths, URLs) — output is read by scripts too.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def one_line_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn a HiveError into one red line and exit code 2 (user) or 1 (operational)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except HiveError as exc:
            err.print(f"[bold red]hive: error:[/] {exc.message}", highlight=False, soft_wrap=True)
            raise typer.Exit(2 if isinstance(exc, UserError) else 1) from None

    return wrapper


def build_settings(**overrides: Any) -> HiveSettings:
    """Settings from the environment, then the flags that were given (None = not given)."""
    settings = HiveSettings()
    update: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for key, value in overrides.items():
        if value is None:
            continue
        section, _, name = key.partition("__")
        if name:
            nested.setdefault(section, {})[name] = value
        else:
            update[key] = value
    for section, values in nested.items():
        update[section] = getattr(settings, section).model_copy(update=values)
    return settings.model_copy(update=update)


def load_cluster(settings: HiveSettings) -> ClusterConfig:
    path = settings.config_path
    return load_cluster_config(path) if path else ClusterConfig()


ConfigOption = typer.Option(
    None, "--config", "-c", help="Cluster description (hive.yaml). Env: HIVE_CONFIG.", show_default=False
)
DataDirOption = typer.Option(
    None, "--data-dir", help="Where Hive keeps its files (default .hive). Env: HIVE_DATA_DIR."
)
