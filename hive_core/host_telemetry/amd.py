"""AMD GPUs: the ``amdsmi`` Python library when importable, else the ``rocm-smi --json`` CLI.

Both are optional; on a host with neither, this module reports no GPUs (None). ``rocm-smi``
prints every value as a string and its key names vary between ROCm releases, hence the lists
of accepted keys below.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from collections.abc import Callable, Mapping
from typing import Any

from hive_core.host_telemetry.models import GpuReading

log = logging.getLogger(__name__)

ROCM_SMI = "rocm-smi"
ROCM_SMI_ARGS = (
    "--showuse",
    "--showmeminfo",
    "vram",
    "--showtemp",
    "--showpower",
    "--showproductname",
    "--json",
)
# Well inside a health probe's few seconds.
ROCM_SMI_TIMEOUT_S = 2.0

_UTILIZATION_KEYS = ("GPU use (%)",)
_MEMORY_USED_KEYS = ("VRAM Total Used Memory (B)",)
_MEMORY_TOTAL_KEYS = ("VRAM Total Memory (B)",)
_TEMPERATURE_KEYS = (
    "Temperature (Sensor edge) (C)",
    "Temperature (Sensor junction) (C)",
    "Temperature (Sensor memory) (C)",
)
_POWER_KEYS = (
    "Average Graphics Package Power (W)",
    "Current Socket Graphics Package Power (W)",
)
_NAME_KEYS = ("Card Series", "Card series", "Card Model", "Card model", "Device Name")


def _number(card: Mapping[str, Any], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        try:
            return float(str(card[key]).strip().rstrip("%"))
        except (KeyError, ValueError):
            continue
    return None


def _integer(card: Mapping[str, Any], keys: tuple[str, ...]) -> int | None:
    value = _number(card, keys)
    return None if value is None else int(value)


def parse_rocm_smi_json(text: str) -> list[GpuReading]:
    """``rocm-smi --json`` output → readings, one per ``cardN`` key, in card order."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("rocm-smi --json did not print an object")
    readings: list[GpuReading] = []
    cards = [
        (key, value) for key, value in data.items() if key.startswith("card") and isinstance(value, dict)
    ]
    for key, card in sorted(cards, key=lambda kv: int(kv[0][4:]) if kv[0][4:].isdigit() else 0):
        index = int(key[4:]) if key[4:].isdigit() else len(readings)
        name = next((str(card[k]) for k in _NAME_KEYS if card.get(k)), f"AMD GPU {index}")
        readings.append(
            GpuReading(
                index=index,
                name=name,
                utilization_percent=_number(card, _UTILIZATION_KEYS),
                memory_used_bytes=_integer(card, _MEMORY_USED_KEYS),
                memory_total_bytes=_integer(card, _MEMORY_TOTAL_KEYS),
                temperature_celsius=_number(card, _TEMPERATURE_KEYS),
                power_watts=_number(card, _POWER_KEYS),
            )
        )
    return readings


def read_rocm_smi() -> list[GpuReading] | None:
    """Run ``rocm-smi`` found on PATH; None when it is absent or fails."""
    executable = shutil.which(ROCM_SMI)
    if executable is None:
        return None
    try:
        done = subprocess.run(
            [executable, *ROCM_SMI_ARGS],
            capture_output=True,
            text=True,
            timeout=ROCM_SMI_TIMEOUT_S,
            check=True,
        )
        return parse_rocm_smi_json(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.warning("rocm-smi gave no usable GPU readings: %s", exc)
        return None


def gpu_from_amdsmi(
    index: int,
    *,
    name: str | None,
    activity: Mapping[str, Any] | None,
    vram: Mapping[str, Any] | None,
    temperature_celsius: float | None,
    power: Mapping[str, Any] | None,
) -> GpuReading:
    """amdsmi's raw dictionaries → a reading (amdsmi reports VRAM in MiB, power in watts)."""

    def number(source: Mapping[str, Any] | None, *keys: str) -> float | None:
        for key in keys:
            value = (source or {}).get(key)
            if isinstance(value, int | float):
                return float(value)
        return None

    used, total = number(vram, "vram_used"), number(vram, "vram_total")
    return GpuReading(
        index=index,
        name=name or f"AMD GPU {index}",
        utilization_percent=number(activity, "gfx_activity"),
        memory_used_bytes=None if used is None else int(used * 1024 * 1024),
        memory_total_bytes=None if total is None else int(total * 1024 * 1024),
        temperature_celsius=temperature_celsius,
        power_watts=number(power, "average_socket_power", "current_socket_power"),
    )


def read_amdsmi() -> list[GpuReading] | None:
    """Every AMD GPU through the ``amdsmi`` library; None when it is not installed or fails."""
    try:
        import amdsmi
    except ImportError:
        return None
    try:
        amdsmi.amdsmi_init()
    except Exception as exc:  # amdsmi raises its own AmdSmiException family and OSError
        log.debug("amdsmi unavailable: %s", exc)
        return None
    try:
        return [_read_amd_device(amdsmi, i, h) for i, h in enumerate(amdsmi.amdsmi_get_processor_handles())]
    finally:
        amdsmi.amdsmi_shut_down()


def _read_amd_device(smi: Any, index: int, handle: Any) -> GpuReading:
    def optional(call: Callable[..., Any], *args: Any) -> Any:
        # A query the GPU does not support raises; that field stays empty.
        try:
            return call(*args)
        except Exception:
            return None

    asic = optional(smi.amdsmi_get_gpu_asic_info, handle) or {}
    temperature = optional(
        smi.amdsmi_get_temp_metric,
        handle,
        smi.AmdSmiTemperatureType.EDGE,
        smi.AmdSmiTemperatureMetric.CURRENT,
    )
    return gpu_from_amdsmi(
        index,
        name=asic.get("market_name") if isinstance(asic, dict) else None,
        activity=optional(smi.amdsmi_get_gpu_activity, handle),
        vram=optional(smi.amdsmi_get_gpu_vram_usage, handle),
        temperature_celsius=float(temperature) if isinstance(temperature, int | float) else None,
        power=optional(smi.amdsmi_get_power_info, handle),
    )


__all__ = ["gpu_from_amdsmi", "parse_rocm_smi_json", "read_amdsmi", "read_rocm_smi"]
