"""NVIDIA GPUs through NVML (the ``pynvml`` module of NVIDIA's ``nvidia-ml-py``).

``pynvml`` is pure Python and loads ``libnvidia-ml`` only at ``nvmlInit``; on a host without
the driver that call fails and this module reports no GPUs (None), never zeros.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from hive_core.host_telemetry.models import GpuReading

log = logging.getLogger(__name__)


def gpu_from_nvml(
    index: int,
    name: str | bytes,
    *,
    utilization_percent: float | None,
    memory_used_bytes: int | None,
    memory_total_bytes: int | None,
    temperature_celsius: float | None,
    power_milliwatts: float | None,
) -> GpuReading:
    """NVML's raw values → a reading (NVML reports power in milliwatts, older bindings names as bytes)."""
    return GpuReading(
        index=index,
        name=name.decode(errors="replace") if isinstance(name, bytes) else name,
        utilization_percent=None if utilization_percent is None else float(utilization_percent),
        memory_used_bytes=memory_used_bytes,
        memory_total_bytes=memory_total_bytes,
        temperature_celsius=None if temperature_celsius is None else float(temperature_celsius),
        power_watts=None if power_milliwatts is None else power_milliwatts / 1000.0,
    )


def read_nvml() -> list[GpuReading] | None:
    """Every NVIDIA GPU of this host, or None when NVML is not available here."""
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as exc:
        log.debug("NVML unavailable: %s", exc)
        return None
    try:
        return [_read_device(pynvml, i) for i in range(pynvml.nvmlDeviceGetCount())]
    finally:
        pynvml.nvmlShutdown()


def _optional(nv: Any, call: Callable[..., Any], *args: Any) -> Any:
    """One NVML query; a GPU that does not support it (NVMLError) leaves the field empty."""
    try:
        return call(*args)
    except nv.NVMLError:
        return None


def _read_device(nv: Any, index: int) -> GpuReading:
    handle = nv.nvmlDeviceGetHandleByIndex(index)
    utilization = _optional(nv, nv.nvmlDeviceGetUtilizationRates, handle)
    memory = _optional(nv, nv.nvmlDeviceGetMemoryInfo, handle)
    temperature = _optional(nv, nv.nvmlDeviceGetTemperature, handle, nv.NVML_TEMPERATURE_GPU)
    power = _optional(nv, nv.nvmlDeviceGetPowerUsage, handle)
    name = _optional(nv, nv.nvmlDeviceGetName, handle)
    return gpu_from_nvml(
        index,
        name if isinstance(name, str | bytes) else f"GPU {index}",
        utilization_percent=getattr(utilization, "gpu", None),
        memory_used_bytes=getattr(memory, "used", None),
        memory_total_bytes=getattr(memory, "total", None),
        temperature_celsius=temperature if isinstance(temperature, int | float) else None,
        power_milliwatts=power if isinstance(power, int | float) else None,
    )


__all__ = ["gpu_from_nvml", "read_nvml"]
