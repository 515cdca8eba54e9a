"""Finding Node.js, installing the node host's npm packages, and the command that runs it.

n8n's packages are installed from npm on this machine (`npm ci` from node_host/'s lock file),
never shipped with Hive: they are under n8n's Sustainable Use License.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hive_core.errors import ConfigError

MIN_NODE_MAJOR = 20
NODE_HOST_DIR = Path(__file__).resolve().parents[2] / "node_host"
INSTALL_HINT = (
    "install Node.js >= 20 (e.g. `apt-get install nodejs npm`, or from nodejs.org); "
    "`hive up` then installs the node host's n8n packages from npm on first use"
)


@dataclass(frozen=True)
class NodeRuntime:
    """A usable `node` and `npm`."""

    node: str
    npm: str | None
    version: str


def find_node(which: Callable[[str], str | None] = shutil.which) -> NodeRuntime | None:
    """Node.js >= 20 on PATH, else None."""
    node = which("node")
    if node is None:
        return None
    try:
        version = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.match(r"v(\d+)\.", version)
    if match is None or int(match.group(1)) < MIN_NODE_MAJOR:
        return None
    return NodeRuntime(node=node, npm=which("npm"), version=version)


def unavailable_reason(which: Callable[[str], str | None] = shutil.which) -> str | None:
    """Why the node host cannot run on this machine (None: it can)."""
    if find_node(which) is None:
        return f"Node.js >= {MIN_NODE_MAJOR} was not found: {INSTALL_HINT}"
    return None


def installed(root: Path = NODE_HOST_DIR) -> bool:
    """Whether node_host/'s dependencies are installed and match its lock file."""
    marker = root / "node_modules" / ".package-lock.json"
    lock = root / "package-lock.json"
    return marker.exists() and lock.exists() and marker.stat().st_mtime >= lock.stat().st_mtime


def ensure_installed(
    runtime: NodeRuntime, root: Path = NODE_HOST_DIR, progress: Callable[[str], None] | None = None
) -> None:
    """`npm ci` from the lock file when node_modules is missing or older than the lock file.

    Progress lines go to `progress` (the install takes about two minutes the first time).
    """
    if installed(root):
        return
    if runtime.npm is None:
        raise ConfigError(f"npm was not found next to Node.js {runtime.version}: {INSTALL_HINT}")
    command = [runtime.npm, "ci", "--no-audit", "--no-fund", "--foreground-scripts"]
    if progress:
        progress(f"installing the n8n node host's npm packages in {root} (first use; about 2 minutes)")
    with subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if progress and line.strip():
                progress(line.rstrip())
    if proc.returncode != 0:
        raise ConfigError(f"`npm ci` in {root} failed (exit {proc.returncode})")


@dataclass(frozen=True)
class NodeHostLaunch:
    """Everything needed to start one node host process."""

    temporal_address: str
    namespace: str = "default"
    task_queue: str = "hive-n8n-nodes"
    data_dir: Path = Path(".hive")
    api_url: str | None = None
    api_key: str | None = None
    concurrency: int = 20

    def command(self, runtime: NodeRuntime, root: Path = NODE_HOST_DIR) -> list[str]:
        return [runtime.node, str(root / "src" / "main.js")]

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env.update(
            HIVE_TEMPORAL_ADDRESS=self.temporal_address,
            HIVE_TEMPORAL_NAMESPACE=self.namespace,
            HIVE_NODE_HOST_QUEUE=self.task_queue,
            HIVE_DATA_DIR=str(self.data_dir.resolve()),
            HIVE_NODE_HOST_CONCURRENCY=str(self.concurrency),
        )
        if self.api_url:
            env["HIVE_API_URL"] = self.api_url
        if self.api_key:
            env["HIVE_API_KEY"] = self.api_key
        return env


__all__ = [
    "INSTALL_HINT",
    "MIN_NODE_MAJOR",
    "NODE_HOST_DIR",
    "NodeHostLaunch",
    "NodeRuntime",
    "ensure_installed",
    "find_node",
    "installed",
    "unavailable_reason",
]
