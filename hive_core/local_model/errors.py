"""Errors of the local model server, placed in Hive's error tree (see ``hive_core.errors``).

ConfigError            ← WeightsNotFoundError   an explicit --model-path that is not a file
OperationalError       ← WeightsUnavailableError  no installed package, download failed
"""

from __future__ import annotations

from hive_core.errors import ConfigError, OperationalError


class WeightsNotFoundError(ConfigError):
    """The weights file the user named does not exist (a user error: fix the path)."""


class InvalidWeightsError(ConfigError):
    """The weights file is not a GGUF model llama.cpp can load."""


class WeightsUnavailableError(OperationalError):
    """No weights could be found or fetched (no package installed, no network, full disk)."""

    retryable = False


__all__ = ["InvalidWeightsError", "WeightsNotFoundError", "WeightsUnavailableError"]
