"""Web console page load for a large run: a 300-node workflow with 10,000 items on one node.

A real stack in this process: `temporal server start-dev` (in memory), the central worker, the
API on uvicorn (SQLite in a temporary data dir), and Debian's headless `chromium` through
Playwright. The run is finished before timing starts. Figures (medians of --repeat loads):

- server: `GET /ui/executions/{id}` (Temporal describe + result, the canvas, the HTML) and the
  node panel's first page of the 10,000-item node (`GET .../items?node=Big`);
  `GET /api/executions/{id}` of the same run is timed too: the API's own read, for reference;
- browser: from navigation start, the page response received, DOMContentLoaded and the graph
  script done (zoom fitted, handlers on all 300 nodes) — the page embeds no run data (HTML size
  printed too); and click on the 10,000-item node → its first items page shown as a table.

    python bench/console_bench.py [--repeat 5] [--items 10000] [--nodes 300] [--save F] [--baseline F]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api.app import create_app  # noqa: E402
from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.auth import create_api_key  # noqa: E402
from hive_core.config import parse_cluster_config  # noqa: E402
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async  # noqa: E402
from hive_core.db.models import UserRole  # noqa: E402
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from hive_core.workflow_store import import_workflows  # noqa: E402
from tests.live.server import serve  # noqa: E402
from workers.factory import build_central_worker  # noqa: E402


def big_workflow(nodes: int, items: int) -> dict[str, Any]:
    """Start → Big (``items`` items) → Limit (1 item) → No Op × (nodes - 3), on a grid."""

    def at(index: int) -> list[int]:
        return [(index % 20) * 220, (index // 20) * 160]

    chain: list[dict[str, Any]] = [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "parameters": {}},
        {
            "name": "Big",
            "type": "n8n-nodes-base.code",
            "typeVersion": 2,
            "parameters": {
                "jsCode": f"return Array.from({{length: {items}}}, "
                "(_, i) => ({json: {n: i, label: 'item ' + i}}));"
            },
        },
        {"name": "Limit", "type": "n8n-nodes-base.limit", "typeVersion": 1, "parameters": {"maxItems": 1}},
    ]
    chain += [
        {"name": f"Step {i}", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "parameters": {}}
        for i in range(nodes - len(chain))
    ]
    for index, node in enumerate(chain):
        node["position"] = at(index)
    connections = {
        a["name"]: {"main": [[{"node": b["name"], "type": "main", "index": 0}]]}
        for a, b in zip(chain, chain[1:], strict=False)
    }
    return {
        "name": "console bench",
        "nodes": chain,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


async def _median_ms(call: Any, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def main(args: argparse.Namespace) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium installed (apt-get install chromium)")
    from playwright.async_api import async_playwright

    env = await start_ephemeral_server()
    data = Path(tempfile.mkdtemp(prefix="console-bench-"))
    try:
        url = f"sqlite+aiosqlite:///{data / 'hive.db'}"
        await upgrade_database_async(url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            (row,) = await import_workflows(session, [big_workflow(args.nodes, args.items)], activate=True)
            key = (await create_api_key(session, name="bench", role=UserRole.OPERATOR)).secret
            await session.commit()
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        settings = HiveSettings(
            data_dir=data,
            temporal=TemporalSettings(address=env.client.service_client.config.target_host, task_queue=queue),
            database=DatabaseSettings(url=url),
            worker=WorkerSettings(metrics_port=0),
        )
        cluster = parse_cluster_config({"security": {"api_rate_limit": 1_000_000}})
        async with build_central_worker(env.client, settings, cluster, sessions=sessions):
            with serve(create_app(settings, cluster)) as base:
                figures = await _measure(base, key, row.id, chromium, args, async_playwright)
        await engine.dispose()
    finally:
        await env.shutdown()
        shutil.rmtree(data, ignore_errors=True)
    report(figures, args)


async def _measure(
    base: str, key: str, workflow_id: str, chromium: str, args: argparse.Namespace, playwright_factory: Any
) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=120) as api:
        started = await api.post(f"/api/workflows/{workflow_id}/executions", json={})
        execution_id = started.json()["id"]
        while True:
            # Under load the run's workflow task may be retried (a query then fails): keep asking.
            answer = await api.get(f"/api/executions/{execution_id}")
            if answer.status_code == 200 and answer.json()["status"] in ("success", "error"):
                break
            await asyncio.sleep(0.5)
    page_url = f"/ui/executions/{execution_id}"
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        login = await http.post("/ui/login", data={"api_key": key})
        http.cookies.set(
            "hive_console", login.cookies["hive_console"]
        )  # Secure: httpx sends it only over https
        html = (await http.get(page_url)).text
        assert html.count('class="node ') == args.nodes, "the page does not show every node"
        page_ms = await _median_ms(lambda: http.get(page_url), args.repeat)
        items_ms = await _median_ms(
            lambda: http.get(f"{page_url}/items", params={"node": "Big", "limit": 50}), args.repeat
        )
        api_ms = await _median_ms(
            lambda: http.get(f"/api/executions/{execution_id}", headers={"X-API-Key": key}), args.repeat
        )
        last_ms = await _median_ms(
            lambda: http.get(f"{page_url}/items", params={"node": "Big", "offset": args.items - 50}),
            args.repeat,
        )
    async with playwright_factory() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await page.goto(f"{base}/ui/login?next={page_url}")
        await page.fill('#login-key input[name="api_key"]', key)
        await page.click('#login-key button[type="submit"]')
        await page.wait_for_selector("#execution[data-rendered]")
        dom, rendered, received, fetches, script = [], [], [], [], []
        for _ in range(args.repeat):
            await page.goto(f"{base}{page_url}")
            await page.wait_for_selector("#execution[data-rendered]")
            timing = await page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " const root = document.getElementById('execution');"
                " return [n.domContentLoadedEventEnd, Number(root.dataset.rendered), n.responseEnd,"
                " Number(root.dataset.scriptStart)]; }"
            )
            dom.append(timing[0])
            rendered.append(timing[1])
            received.append(timing[2])
            script.append(timing[1] - timing[3])
        clicks = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            await page.click('#canvas .node[data-name="Big"]')
            await page.wait_for_selector("#panel:not([hidden]) #panel-table table")
            clicks.append((time.perf_counter() - start) * 1000)
            fetches.append(
                await page.evaluate(
                    "() => performance.getEntriesByType('resource')"
                    ".filter(e => e.name.includes('/items?')).pop().duration"
                )
            )
            await page.click("#panel-close")
            await page.evaluate("document.getElementById('panel-table').replaceChildren()")
        panel_ms = statistics.median(clicks)
        await browser.close()
    return {
        f"server: execution page, {args.nodes} nodes (ms)": page_ms,
        "server: GET /api/executions/{id}, same run (ms)": api_ms,
        "server: items page 1 of the 10k-item node (ms)": items_ms,
        "server: last items page of the 10k-item node (ms)": last_ms,
        "page HTML (KB)": len(html.encode()) / 1024,
        "browser: page response received (ms)": statistics.median(received),
        "browser: DOMContentLoaded (ms)": statistics.median(dom),
        "browser: graph script done (ms)": statistics.median(rendered),
        "browser: parse + script after the response (ms)": statistics.median(
            [r - e for r, e in zip(rendered, received, strict=True)]
        ),
        "browser: of which the graph script itself (ms)": statistics.median(script),
        "browser: click node → items table (ms)": panel_ms,
        "browser: of which the items fetch (ms)": statistics.median(fetches),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=300)
    add_baseline_args(parser)
    asyncio.run(main(parser.parse_args()))
