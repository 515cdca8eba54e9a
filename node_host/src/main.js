'use strict';
/**
 * `node src/main.js`: the node host's Temporal worker (what `hive node-host` starts).
 *
 * Settings from the environment (set by `hive up` / `hive node-host`):
 *   HIVE_TEMPORAL_ADDRESS   (127.0.0.1:7233)    HIVE_TEMPORAL_NAMESPACE (default)
 *   HIVE_NODE_HOST_QUEUE    (hive-n8n-nodes)    HIVE_DATA_DIR (.hive)
 *   HIVE_API_URL, HIVE_API_KEY (credential store)  HIVE_NODE_HOST_CONCURRENCY (20)
 */
const { NativeConnection, Worker, Runtime, DefaultLogger } = require('@temporalio/worker');
const { buildRunner } = require('./host');
const { createActivities } = require('./activity');

/** @param {string} line */
function log(line) {
  process.stderr.write(`${new Date().toISOString()} node-host ${line}\n`);
}

async function main() {
  const env = process.env;
  const address = env.HIVE_TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = env.HIVE_TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = env.HIVE_NODE_HOST_QUEUE ?? 'hive-n8n-nodes';
  const started = performance.now();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const runner = await buildRunner({
    dataDir: env.HIVE_DATA_DIR ?? '.hive',
    apiUrl: env.HIVE_API_URL,
    apiKey: env.HIVE_API_KEY,
  });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    activities: createActivities(runner, { log: env.HIVE_NODE_HOST_DEBUG ? log : undefined }),
    maxConcurrentActivityTaskExecutions: Number(env.HIVE_NODE_HOST_CONCURRENCY ?? 20),
    shutdownGraceTime: '5s',
  });
  const versions = Object.entries(runner.packages).map(([k, v]) => `${k}@${v}`).join(' ');
  log(`ready in ${Math.round(performance.now() - started)} ms: polling ${taskQueue} on ${address} (${versions})`);
  await worker.run();
  await connection.close();
}

main().catch((error) => {
  // One line, like `hive worker`; the stack only when debugging.
  log(`fatal: ${process.env.HIVE_NODE_HOST_DEBUG ? error?.stack : error?.message ?? error}`);
  process.exit(1);
});
