"""Host telemetry: the no-GPU path of this machine, rocm-smi through a real subprocess, NVML conversion."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from hive_core.host_telemetry import read_gpus, read_host_telemetry
from hive_core.host_telemetry.amd import gpu_from_amdsmi, parse_rocm_smi_json, read_rocm_smi
from hive_core.host_telemetry.nvidia import gpu_from_nvml, read_nvml

ROCM_SMI_OUTPUT = {
    "card0": {
        "GPU use (%)": "87",
        "VRAM Total Memory (B)": "25753026560",
        "VRAM Total Used Memory (B)": "12884901888",
        "Temperature (Sensor edge) (C)": "61.0",
        "Temperature (Sensor junction) (C)": "70.0",
        "Average Graphics Package Power (W)": "211.0",
        "Card Series": "Radeon RX 7900 XTX",
    },
    "card1": {
        "GPU use (%)": "3",
        "VRAM Total Memory (B)": "25753026560",
        "VRAM Total Used Memory (B)": "1048576",
        "Temperature (Sensor junction) (C)": "40.0",
        "Current Socket Graphics Package Power (W)": "25.5",
    },
    "system": {"Driver version": "6.8.5"},
}


def _no_gpu_tools_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


def _fake_rocm_smi(bin_dir: Path, body: str, exit_code: int = 0) -> Path:
    """A real executable called rocm-smi that prints ``body`` and records its arguments.

    Written in Python (this interpreter as its shebang) because PATH holds nothing else.
    """
    script = bin_dir / "rocm-smi"
    args_file = bin_dir / "args.txt"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        f"pathlib.Path({str(args_file)!r}).write_text(' '.join(sys.argv[1:]))\n"
        f"sys.stdout.write({body!r})\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return args_file


def test_this_machine_reports_no_gpu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _no_gpu_tools_on_path(monkeypatch, tmp_path)
    assert read_nvml() is None, "this machine has no NVIDIA driver"
    assert read_gpus() == ([], None)
    telemetry = read_host_telemetry(cpu_sample_s=0.05)
    assert telemetry.gpus == [] and telemetry.gpu_source is None
    assert 0 <= telemetry.cpu_percent <= 100
    assert 0 < telemetry.memory_percent <= 100
    assert telemetry.hostname


def test_rocm_smi_on_path_is_run_and_parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = _no_gpu_tools_on_path(monkeypatch, tmp_path)
    args_file = _fake_rocm_smi(bin_dir, json.dumps(ROCM_SMI_OUTPUT))
    gpus, source = read_gpus()
    assert source == "rocm-smi"
    assert "--json" in args_file.read_text()
    first, second = gpus
    assert first.model_dump() == {
        "index": 0,
        "name": "Radeon RX 7900 XTX",
        "utilization_percent": 87.0,
        "memory_used_bytes": 12884901888,
        "memory_total_bytes": 25753026560,
        "temperature_celsius": 61.0,
        "power_watts": 211.0,
    }
    # Other ROCm releases name the keys differently; a missing name is not invented.
    assert second.name == "AMD GPU 1"
    assert second.temperature_celsius == 40.0
    assert second.power_watts == 25.5


def test_failing_rocm_smi_means_no_gpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = _no_gpu_tools_on_path(monkeypatch, tmp_path)
    _fake_rocm_smi(bin_dir, "ERROR: GPU[0] : Unable to read", exit_code=2)
    assert read_rocm_smi() is None
    assert read_gpus() == ([], None)


def test_rocm_smi_without_cards() -> None:
    assert parse_rocm_smi_json(json.dumps({"system": {"Driver version": "6.8.5"}})) == []


def test_nvml_raw_values_conversion() -> None:
    gpu = gpu_from_nvml(
        1,
        b"NVIDIA GeForce RTX 4090",
        utilization_percent=93,
        memory_used_bytes=20 * 2**30,
        memory_total_bytes=24 * 2**30,
        temperature_celsius=74,
        power_milliwatts=412_345,
    )
    assert gpu.name == "NVIDIA GeForce RTX 4090"
    assert gpu.utilization_percent == 93.0
    assert gpu.power_watts == pytest.approx(412.345)
    assert gpu.memory_used_bytes == 20 * 2**30
    unsupported = gpu_from_nvml(
        0,
        "Tesla T4",
        utilization_percent=None,
        memory_used_bytes=None,
        memory_total_bytes=None,
        temperature_celsius=None,
        power_milliwatts=None,
    )
    assert unsupported.power_watts is None and unsupported.temperature_celsius is None


def test_amdsmi_raw_values_conversion() -> None:
    gpu = gpu_from_amdsmi(
        0,
        name="AMD Instinct MI300X",
        activity={"gfx_activity": 55, "umc_activity": 10},
        vram={"vram_total": 196592, "vram_used": 1024},
        temperature_celsius=48.0,
        power={"average_socket_power": 350},
    )
    assert gpu.memory_used_bytes == 1024 * 2**20
    assert gpu.utilization_percent == 55.0 and gpu.power_watts == 350.0
    assert gpu_from_amdsmi(
        2, name=None, activity=None, vram=None, temperature_celsius=None, power=None
    ).name == ("AMD GPU 2")
