"""`hive up` start-up: seconds to ready and RSS of each process, over N cold starts.

Usage: python bench/stack_bench.py [--runs 3] [--save FILE] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.stack.ports import free_port  # noqa: E402


def _role(process: psutil.Process) -> str:
    cmd = " ".join(process.cmdline())
    if "server start-dev" in cmd:
        return "temporal dev server"
    if "hive_core.cli api" in cmd:
        return "hive api"
    if "hive_core.cli worker" in cmd:
        return "hive worker"
    return process.name()


def one_run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        argv = [
            sys.executable, "-m", "hive_core.cli", "up", "--data-dir", data_dir,
            "--config", str(REPO / "config" / "hive.local.yaml"),
            "--api-port", str(free_port()), "--temporal-port", str(free_port()),
            "--ui-port", str(free_port()), "--worker-metrics-port", str(free_port()),
        ]  # fmt: skip
        started = time.monotonic()
        up = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert up.stdout is not None
        for line in up.stdout:
            if "Hive is up" in line:
                break
        else:
            raise SystemExit("hive up failed to start")
        figures = {"seconds to ready": time.monotonic() - started}
        time.sleep(2)  # let the processes settle before reading memory
        supervisor = psutil.Process(up.pid)
        figures["RSS MiB: hive up (supervisor)"] = supervisor.memory_info().rss / 2**20
        for child in supervisor.children(recursive=True):
            figures[f"RSS MiB: {_role(child)}"] = child.memory_info().rss / 2**20
        stop_started = time.monotonic()
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)
        figures["seconds to stop"] = time.monotonic() - stop_started
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    add_baseline_args(parser)
    args = parser.parse_args()
    runs = [one_run() for _ in range(args.runs)]
    report({key: statistics.median(r[key] for r in runs if key in r) for key in runs[0]}, args)


if __name__ == "__main__":
    main()
