"""The node host's own checks, so the README's one test command runs them too.

`npm test` is Node's built-in test runner over node_host/test/ (the contract fixtures of the
Python side, binary references, node-type loading); `npm run lint` type-checks the JavaScript
with `tsc --checkJs`.
"""

from __future__ import annotations

import subprocess

import pytest

from hive_core.node_host.process import NODE_HOST_DIR
from tests.node_host.conftest import node_runtime


@pytest.mark.parametrize("script", ["test", "lint"])
def test_node_host_script_passes(script: str) -> None:
    runtime = node_runtime()
    assert runtime.npm is not None
    done = subprocess.run(
        [runtime.npm, "run", "--silent", script],
        cwd=NODE_HOST_DIR,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, f"npm run {script} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
