"""`hive local-model serve`: starts, answers, stops cleanly on SIGTERM; a busy port is one line."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytest.importorskip(
    "xllamacpp", reason="xllamacpp (llama.cpp binding) is not installed: pip install -e '.[local-model]'"
)

from tests.local_model.conftest import MODEL, start_local_model, stop_local_model  # noqa: E402

pytestmark = pytest.mark.timeout(60)


# The `hive` console script of this interpreter's environment.
HIVE = [sys.executable, "-m", "hive_core.cli"]


def test_hive_local_model_serve_answers_and_exits_zero_on_sigterm(tmp_path: Path) -> None:
    argv = [*HIVE, "local-model", "serve", "--port", "0", "--threads", "1", "--ctx", "512"]
    server = start_local_model(tmp_path / "serve.log", argv)
    try:
        tags = httpx.get(f"{server.url}/api/tags", timeout=10).json()
        assert [m["name"] for m in tags["models"]] == [MODEL]
        ps = httpx.get(f"{server.url}/api/ps", timeout=10).json()
        assert ps["models"][0]["context_length"] == 512
    finally:
        code = stop_local_model(server)
    assert code == 0, server.log()
    assert "local model server stopped" in server.log()


def test_a_busy_port_is_one_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*HIVE, "local-model", "serve", "--port", str(port)], capture_output=True, text=True, timeout=30
        )
    assert done.returncode == 1
    assert done.stderr.strip() == f"hive: error: port {port} on 127.0.0.1 is already in use"


def test_a_file_that_is_not_a_model_is_a_user_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("not weights")
    argv = [sys.executable, "-m", "hive_core.local_model", "--port", "0", "--model-path", str(bogus)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip() == f"hive local-model: error: {bogus} is not a GGUF file"
