"""A small pool of started interpreter processes, each used for one Python Code node run.

Each process is ``python -I _child.py`` (isolated mode: no PYTHON* variables, no user site, no
script directory on ``sys.path``) in its own session and its own empty working directory, with
an environment of a few locale/threading variables only. A process runs one task and exits, so
no state crosses runs or workflows; the pool starts the next one while the current one works.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Any

from hive_core.config.code_python import PythonCodePolicy

__all__ = ["PythonPool", "PythonTaskFailed"]

_CHILD = Path(__file__).with_name("_child.py")
# Passed through so numeric libraries behave as in the worker (OpenBLAS kernels on this CPU).
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


class PythonTaskFailed(Exception):
    """The interpreter did not answer: killed at the time limit, crashed or out of memory."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class _Process:
    def __init__(self, policy: PythonCodePolicy) -> None:
        self.workdir = tempfile.mkdtemp(prefix="hive-python-code-")
        env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
        # One thread each: a node run must not take every core of the worker's host.
        env.update({"HOME": self.workdir, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-I", str(_CHILD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.workdir,
            env=env,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.popen.wait()
        for stream in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class PythonPool:
    """Runs tasks in pre-started interpreter processes; thread-safe; close() when done."""

    def __init__(self, policy: PythonCodePolicy | None = None) -> None:
        self.policy = policy or PythonCodePolicy()
        self._idle: deque[_Process] = deque()
        self._lock = threading.Lock()
        self._closed = False

    def _take(self) -> _Process:
        with self._lock:
            while self._idle:
                process = self._idle.popleft()
                if process.popen.poll() is None:
                    break
                process.kill()
            else:
                process = _Process(self.policy)
            # Start the next one now: it boots while this one runs the task.
            while not self._closed and len(self._idle) < self.policy.pool_size:
                self._idle.append(_Process(self.policy))
        return process

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one task, wait for its answer (at most the policy's time limit).

        Raises:
            PythonTaskFailed: the process timed out, crashed or answered nothing readable.
        """
        timeout = self.policy.task_timeout_s
        payload = {
            **request,
            "policy": {
                "stdlib_allow": self.policy.stdlib_allow,
                "external_allow": self.policy.external_allow,
                "builtins_deny": self.policy.builtins_deny,
                "memory_mb": self.policy.memory_mb,
                # A CPU limit just past the wall-clock one: a backstop if the kill is missed.
                "cpu_seconds": int(timeout) + 2,
                "max_console_lines": self.policy.max_console_lines,
            },
        }
        process = self._take()
        try:
            out, err = process.popen.communicate(json.dumps(payload).encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PythonTaskFailed(
                f"Task execution timed out after {timeout:g} seconds", timed_out=True
            ) from None
        finally:
            process.kill()
        if process.popen.returncode != 0 or not out:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            code = process.popen.returncode
            reason = "out of memory" if "MemoryError" in "".join(tail) else f"exit code {code}"
            raise PythonTaskFailed(f"The Python process ended without a result ({reason})")
        try:
            return dict(json.loads(out))
        except ValueError as exc:
            raise PythonTaskFailed(f"The Python process answered unreadable data: {exc}") from None

    def close(self) -> None:
        """Stop the waiting processes."""
        with self._lock:
            self._closed = True
            idle, self._idle = list(self._idle), deque()
        for process in idle:
            process.kill()
