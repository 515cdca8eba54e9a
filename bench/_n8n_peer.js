'use strict';
/**
 * n8n's own engine over a whole workflow, in memory: the n8n half of bench/n8n_peer_bench.py.
 *
 *   node bench/_n8n_peer.js <request.json>
 *
 * The request holds the workflow JSON, the trigger's items and the number of runs. Each run is
 * n8n-core's `WorkflowExecute.run` (processRunExecutionData over every node), the trigger's items
 * given as its pin data, with the node types, credentials helper and additional data the node
 * host builds. Prints {"times_ms": [...], "output": items of the last node of the last run}.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NODE_HOST = path.join(__dirname, '..', 'node_host');

async function main() {
  const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-peer-bench-'));
  const { buildRunner } = require(path.join(NODE_HOST, 'src', 'host'));
  const runner = await buildRunner({ dataDir });
  const { Workflow } = require(path.join(NODE_HOST, 'node_modules', 'n8n-workflow'));
  const { WorkflowExecute } = require(path.join(NODE_HOST, 'node_modules', 'n8n-core'));
  const spec = request.workflow;
  const nodes = spec.nodes.map((/** @type {any} */ n) => ({ id: n.name, position: [0, 0], ...n }));
  const workflow = new Workflow({
    id: 'peer-bench',
    name: spec.name,
    nodes,
    connections: spec.connections,
    active: false,
    nodeTypes: /** @type {any} */ (runner.nodeTypes),
    settings: spec.settings ?? {},
  });
  const pinData = { [request.trigger]: request.items };
  /** @type {number[]} */
  const times = [];
  let last;
  for (let i = 0; i < request.runs; i++) {
    const additionalData = runner.additionalData(
      /** @type {any} */ ({ execution_id: `peer-${i}`, variables: {} }),
      workflow,
      nodes,
      'manual',
    );
    const started = performance.now();
    last = await new WorkflowExecute(additionalData, 'manual').run(workflow, undefined, undefined, pinData);
    times.push(performance.now() - started);
  }
  const runData = /** @type {any} */ (last)?.data?.resultData;
  if (runData?.error) throw new Error(`n8n run failed: ${runData.error.message}`);
  const final = runData?.runData?.[request.last]?.[0]?.data?.main?.[0] ?? null;
  // n8n-core logs to stdout too: the result is the last line
  /** @type {Record<string, number>} */
  const nodeMs = {};
  for (const [name, tasks] of Object.entries(runData?.runData ?? {})) nodeMs[name] = /** @type {any} */ (tasks)[0]?.executionTime;
  process.stdout.write(`\n${JSON.stringify({ times_ms: times, node_ms: nodeMs, output: final })}\n`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
