'use strict';
/**
 * A whole workflow in real n8n's own engine, in memory: n8n-core's WorkflowExecute.run with the
 * node host's installed packages (n8n 1.123.81's n8n-core, n8n-workflow, n8n-nodes-base), no
 * Temporal, no database. The baseline of bench/node_host_bench.py.
 *
 *   node node_host/scripts/n8n_engine_bench.js WORKFLOW.json [RUNS]
 *
 * Prints one JSON line: {"first_ms", "median_ms", "runs", "nodes", "rss_mib"} (a run: start node
 * to last node, every node executed; the first run loads the node files).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { configureEnvironment } = require('../src/host');

/**
 * @param {number[]} values
 * @returns {number}
 */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const [file, runsArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: n8n_engine_bench.js WORKFLOW.json [RUNS]');
  const runs = Number(runsArg ?? 20);
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  configureEnvironment({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-engine-bench-')) });
  const { Workflow } = require('n8n-workflow');
  const { WorkflowExecute } = require('n8n-core');
  const { NodeTypes } = require('../src/node_types');
  const { NodeRunner } = require('../src/run_node');
  const nodeTypes = new NodeTypes();
  // No credentials: the benchmarked workflow uses none.
  const runner = new NodeRunner({ nodeTypes, credentialsHelper: /** @type {any} */ ({}), packages: {} });
  const start = data.nodes.find((/** @type {any} */ n) => n.type.endsWith('.manualTrigger'));
  /** @type {number[]} */
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const nodes = data.nodes.map((/** @type {any} */ n) => structuredClone(n));
    const workflow = new Workflow({
      id: 'bench', name: data.name, nodes, connections: data.connections, active: false,
      nodeTypes: /** @type {any} */ (nodeTypes), settings: data.settings ?? {},
    });
    const task = /** @type {any} */ ({ execution_id: `bench-${i}`, variables: {} });
    const additionalData = runner.additionalData(task, workflow, nodes, 'manual');
    const started = performance.now();
    const run = await new WorkflowExecute(additionalData, 'manual').run(workflow, workflow.getNode(start.name) ?? undefined);
    const elapsed = performance.now() - started;
    const error = run.data.resultData.error;
    if (error) throw new Error(`run failed: ${error.message}`);
    const executed = Object.keys(run.data.resultData.runData).length;
    if (executed !== data.nodes.length) throw new Error(`only ${executed} of ${data.nodes.length} nodes ran`);
    times.push(elapsed);
  }
  const result = {
    first_ms: times[0],
    median_ms: median(times.slice(1)),
    runs,
    nodes: data.nodes.length,
    rss_mib: process.memoryUsage().rss / 1024 / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // n8n-core keeps timers (binary data pruning, ...) that would keep the process alive.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
