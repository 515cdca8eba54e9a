"""Load `hive.yaml` into a ClusterConfig; every failure is one ConfigError naming file and path."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic
import yaml

from hive_core.config.models import ClusterConfig
from hive_core.errors import ConfigError

_MAX_SHOWN_VALUE = 60


def _format_location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "(top level)"


def _format_value(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= _MAX_SHOWN_VALUE else shown[: _MAX_SHOWN_VALUE - 3] + "..."


def _describe(error: pydantic.ValidationError, prefix: str) -> list[str]:
    lines = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = _format_location(((prefix,) if prefix else ()) + loc)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        got = "" if item["type"] == "missing" else f" (got {_format_value(item.get('input'))})"
        lines.append(f"{path}: {message}{got}")
    return lines


_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand_credentials(raw: dict[str, Any], source: str, env: Mapping[str, str]) -> None:
    """Replace ``${VAR}`` in credential values; a missing variable is an error naming it."""
    for name, credential in (raw.get("credentials") or {}).items():
        data = credential.get("data") if isinstance(credential, dict) else None
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            if not isinstance(value, str):
                continue
            for variable in _ENV_REFERENCE.findall(value):
                if variable not in env:
                    raise ConfigError(
                        f"{source}: credentials.{name}.data.{key}: environment variable {variable} is not set"
                    )
            data[key] = _ENV_REFERENCE.sub(lambda match: env[match.group(1)], value)


def parse_cluster_config(
    raw: Any, source: str = "hive.yaml", env: Mapping[str, str] | None = None
) -> ClusterConfig:
    """Validate already-parsed YAML data (with or without the seed's top-level ``hive:`` key)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level, got {type(raw).__name__}")
    prefix = ""
    if set(raw) == {"hive"}:
        raw, prefix = raw["hive"] or {}, "hive"
    if isinstance(raw, dict) and raw.get("credentials"):
        raw = {**raw, "credentials": copy.deepcopy(raw["credentials"])}  # never edit the caller's data
        _expand_credentials(raw, source, os.environ if env is None else env)
    try:
        return ClusterConfig.model_validate(raw)
    except pydantic.ValidationError as exc:
        lines = _describe(exc, prefix)
        raise ConfigError(f"{source}: " + "; ".join(lines), source=source, errors=lines) from None


def load_cluster_config(path: Path | str) -> ClusterConfig:
    """Read and validate a hive.yaml file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found", source=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})", source=str(path)) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}: invalid YAML{where}: {problem}", source=str(path)) from None
    return parse_cluster_config(raw, source=str(path))
