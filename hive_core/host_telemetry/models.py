"""What a host reports about itself: CPU, memory and its GPUs (pure models, safe in workflows)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

GpuSource = Literal["nvml", "amdsmi", "rocm-smi"]


class GpuReading(BaseModel):
    """One GPU as its driver reports it; a field the driver does not give stays None."""

    index: int
    name: str
    utilization_percent: float | None = None
    memory_used_bytes: int | None = None
    memory_total_bytes: int | None = None
    temperature_celsius: float | None = None
    power_watts: float | None = None


class HostTelemetry(BaseModel):
    """A sample of the host the reading process runs on.

    ``gpus`` is empty and ``gpu_source`` None when no GPU driver answered: GPU figures are
    never guessed.
    """

    hostname: str
    cpu_percent: float
    memory_percent: float
    gpus: list[GpuReading] = []
    gpu_source: GpuSource | None = None


__all__ = ["GpuReading", "GpuSource", "HostTelemetry"]
