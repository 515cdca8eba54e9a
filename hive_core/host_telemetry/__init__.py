"""Host telemetry: CPU and memory through psutil, GPUs through the vendor's own interface.

GPUs are read from NVIDIA's NVML, else AMD's ``amdsmi`` library, else the ``rocm-smi`` CLI;
when none answers the GPU fields are absent. Reading is blocking (a short CPU sampling
window, maybe a subprocess): call `read_host_telemetry` from a thread in async code.
"""

from __future__ import annotations

import socket

import psutil

from hive_core.host_telemetry.amd import read_amdsmi, read_rocm_smi
from hive_core.host_telemetry.models import GpuReading, GpuSource, HostTelemetry
from hive_core.host_telemetry.nvidia import read_nvml

# psutil's CPU percentage needs a window; a short one keeps a probe quick.
CPU_SAMPLE_S = 0.2


def read_gpus() -> tuple[list[GpuReading], GpuSource | None]:
    """The host's GPUs and which interface reported them; ([], None) without any GPU driver."""
    gpus = read_nvml()
    if gpus:
        return gpus, "nvml"
    gpus = read_amdsmi()
    if gpus:
        return gpus, "amdsmi"
    gpus = read_rocm_smi()
    if gpus:
        return gpus, "rocm-smi"
    return [], None


def read_host_telemetry(cpu_sample_s: float = CPU_SAMPLE_S) -> HostTelemetry:
    """A sample of this host: CPU % over ``cpu_sample_s``, memory %, and its GPUs."""
    cpu = psutil.cpu_percent(interval=cpu_sample_s)
    gpus, source = read_gpus()
    return HostTelemetry(
        hostname=socket.gethostname(),
        cpu_percent=cpu,
        memory_percent=psutil.virtual_memory().percent,
        gpus=gpus,
        gpu_source=source,
    )


__all__ = ["GpuReading", "GpuSource", "HostTelemetry", "read_gpus", "read_host_telemetry"]
