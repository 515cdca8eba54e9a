"""Record real n8n's output for the parity workflows (fixtures/*.json). CI only replays them.

Needs the n8n CLI of the pinned release, installed outside the repository (about 1.8 GB; the
two overrides are the node host's, see node_host/package.json; on these 2-core machines the
install took ~35 min, most of it building isolated-vm from source):

    mkdir -p /work/n8n-cli && cd /work/n8n-cli && npm init -y >/dev/null && \
      npm pkg set 'overrides.xlsx=0.18.5' 'overrides.isolated-vm=5.0.4' && npm install n8n@1.123.81
    .venv/bin/python -m tests.node_host.n8n_parity.record --n8n /work/n8n-cli/node_modules/.bin/n8n [NAME ...]

It starts the same stand-ins as the tests (and uses the same local PostgreSQL, MariaDB, Redis,
RabbitMQ and Mosquitto), imports the credentials into a fresh n8n user folder whose database is a
throw-away one on the local PostgreSQL (`n8n import:credentials`, `n8n import:workflow`), runs each
workflow (`n8n execute --id ... --rawOutput`, ~30 s each: the CLI starts n8n every time) and keeps
n8n's run data and what reached the servers, with this run's placeholder values written back as
placeholders. Binary data in n8n's filesystem mode and the legacy expression engine, as the node
host runs them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from tests.node_host.n8n_parity import cases
from tests.node_host.n8n_parity.comparer import compact_run_data, restore_placeholders
from tests.node_host.n8n_parity.observe import observe
from tests.node_host.n8n_parity.stand_ins import ParityServers, parity_servers

N8N_RELEASE = "1.123.81"


# n8n's own database: a throw-away database on the local PostgreSQL (n8n's SQLite driver is a
# native module whose build needs a download; `pg` is plain JavaScript).
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


def n8n_env(user_folder: Path, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "N8N_USER_FOLDER": str(user_folder),
        "DB_TYPE": "postgresdb",
        "DB_POSTGRESDB_HOST": PG["host"],
        "DB_POSTGRESDB_PORT": PG["port"],
        "DB_POSTGRESDB_USER": PG["user"],
        "DB_POSTGRESDB_DATABASE": database,
        # Binary data as the node host keeps it (metadata in items, bytes in files).
        "N8N_DEFAULT_BINARY_DATA_MODE": "filesystem",
        "N8N_DIAGNOSTICS_ENABLED": "false",
        "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
        "N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS": "false",
        # `execute` prints the run through n8n's logger at level info.
        "N8N_LOG_LEVEL": "info",
        "N8N_BLOCK_ENV_ACCESS_IN_NODE": "true",
        # The expression engine the node host runs (n8n-workflow's default without init): the
        # CLI's "vm" engine wants isolated-vm 6, which needs Node 22 (the install pins 5.0.4).
        "N8N_EXPRESSION_ENGINE": "legacy",
    }


def _json_from(stdout: str) -> dict[str, Any]:
    """The JSON document `--rawOutput` prints (n8n may log lines before it)."""
    # JSON.stringify(run, null, 2) starts with a line holding only "{".
    start = stdout.find("\n{\n") + 1 if not stdout.startswith("{\n") else 0
    if start < 0 or (start == 0 and not stdout.startswith("{")):
        raise RuntimeError(f"n8n printed no JSON:\n{stdout[-2000:]}")
    decoded, _ = json.JSONDecoder().raw_decode(stdout[start:])
    result: dict[str, Any] = decoded
    return result


def compact_json(fixture: dict[str, Any]) -> str:
    """The fixture with one line per node run and per sent entry: small diffs, easy to read."""

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=False)

    def block(mapping: dict[str, list[Any]]) -> str:
        rows = [
            f"  {line(key)}: [\n" + ",\n".join(f"   {line(entry)}" for entry in entries) + "\n  ]"
            for key, entries in mapping.items()
        ]
        return "{\n" + ",\n".join(rows) + "\n }" if rows else "{}"

    head = [f" {line(k)}: {line(v)}" for k, v in fixture.items() if k not in ("run_data", "sent")]
    sent = fixture["sent"]  # every entry is a list (observe.py)
    return (
        "{\n"
        + ",\n".join([*head, f' "run_data": {block(fixture["run_data"])}', f' "sent": {block(sent)}'])
        + "\n}\n"
    )


def n8n(binary: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([binary, *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(
            f"n8n {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    if "--rawOutput" in args and "{" not in done.stdout:
        output = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        raise RuntimeError(f"n8n {' '.join(args)} printed no run data:\n{output}")
    return done.stdout


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(
        host=PG["host"], port=int(PG["port"]), user=PG["user"], database="test"
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def record_all(binary: str, names: list[str], work: Path) -> None:
    database = f"n8n_record_{uuid.uuid4().hex[:8]}"
    await _admin(f"CREATE DATABASE {database}")
    try:
        await _record_all(binary, names, work, database)
    finally:
        await _admin(f"DROP DATABASE IF EXISTS {database}")


async def _record_all(binary: str, names: list[str], work: Path, database: str) -> None:
    """One n8n user folder and one set of stand-ins for every workflow (n8n starts slowly)."""
    env = n8n_env(work / "n8n", database)
    with parity_servers(work / "files") as servers:
        values = servers.values
        creds_file = work / "credentials.json"
        creds_file.write_text(json.dumps(cases.credentials(values)))
        n8n(binary, env, "import:credentials", f"--input={creds_file}")
        workflows = work / "workflows"
        workflows.mkdir()
        for name in names:
            workflow = cases.materialise(cases.load_workflow(name), values)
            (workflows / f"{name}.json").write_text(json.dumps(workflow))
        n8n(binary, env, "import:workflow", "--separate", f"--input={workflows}")
        for name in names:
            servers.received.clear()
            fixture = await record(binary, env, name, servers)
            path = cases.FIXTURES / f"{name}.json"
            path.write_text(compact_json(fixture))
            print(f"recorded {path}", file=sys.stderr)


async def record(binary: str, env: dict[str, str], name: str, servers: ParityServers) -> dict[str, Any]:
    values = servers.values
    workflow_id = cases.load_workflow(name)["id"]
    async with observe(name, servers) as sent:
        stdout = await asyncio.to_thread(n8n, binary, env, "execute", f"--id={workflow_id}", "--rawOutput")
    run = _json_from(stdout)
    result = run.get("data", run).get("resultData", {})
    if result.get("error"):
        raise RuntimeError(f"{name}: n8n's run failed: {result['error'].get('message')}")
    return {
        "workflow": f"workflows/{name}.json",
        "workflow_sha256": cases.workflow_digest(name),
        "recorded_with": f"n8n {N8N_RELEASE} CLI: n8n execute --id <workflow> --rawOutput",
        "run_data": restore_placeholders(compact_run_data(result["runData"]), values),
        "sent": restore_placeholders(sent, values),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n8n", required=True, help="the n8n CLI binary (node_modules/.bin/n8n)")
    parser.add_argument("names", nargs="*", help="workflows to record (default: all)")
    args = parser.parse_args()
    cases.FIXTURES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="n8n-record-") as tmp:
        await record_all(args.n8n, args.names or cases.case_names(), Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
