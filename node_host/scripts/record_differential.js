'use strict';
/**
 * Record n8n's own outputs for Hive's differential cases (tests/differential/).
 *
 *   python -m tests.differential.generate_cases /tmp/cases.jsonl
 *   node node_host/scripts/record_differential.js /tmp/cases.jsonl tests/differential/fixtures
 *
 * Every case (one JSON line: the node, its input items, credentials, workflow settings) runs
 * through the node host's NodeRunner (n8n-core's WorkflowExecute.runNode, the n8n packages the
 * node host pins) in this one process, with the clock frozen at the cases' `now_ms` so that
 * time-dependent nodes (JWT's `iat`, Date & Time's "now", TOTP) are reproducible. Each case's
 * result is written next to it, one fixture file per node type: output items with binary data
 * reduced to metadata plus a sha256 of the bytes, or n8n's error (message, description, name).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

/** The moment every case runs at (2024-05-15T10:30:00Z); the Python side uses the same. */
const DEFAULT_NOW_MS = 1715769000000;

/**
 * Freeze `Date.now()` and `new Date()` at a moment the current case sets (before n8n loads).
 * @returns {{ set: (ms: number) => void }}
 */
function freezeClock() {
  const RealDate = Date;
  let now = DEFAULT_NOW_MS;
  class FrozenDate extends RealDate {
    /** @param {any[]} args */
    constructor(...args) {
      if (args.length === 0) super(now);
      else super(.../** @type {[any]} */ (args));
    }

    static now() {
      return now;
    }
  }
  globalThis.Date = /** @type {any} */ (FrozenDate);
  return { set: (ms) => (now = ms) };
}

/**
 * Binary entries compared by content: the store reference becomes a hash of the bytes.
 * @param {Record<string, any>} binary
 * @param {string} storagePath
 */
function describeBinary(binary, storagePath) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, entry] of Object.entries(binary)) {
    if (entry === null || typeof entry !== 'object') {
      out[key] = entry;
      continue;
    }
    const { data, id, directory, ...meta } = entry;
    let bytes;
    if (typeof id === 'string' && id.startsWith('filesystem-v2:')) {
      bytes = fs.readFileSync(path.join(storagePath, id.slice('filesystem-v2:'.length)));
    } else {
      bytes = Buffer.from(String(data ?? ''), 'base64');
    }
    out[key] = { ...meta, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  }
  return out;
}

/**
 * @param {any} outputs
 * @param {string} storagePath
 */
function normalizeOutputs(outputs, storagePath) {
  if (!Array.isArray(outputs)) return outputs;
  return outputs.map((items) =>
    Array.isArray(items)
      ? items.map((item) => {
          const { pairedItem, ...rest } = item;
          if (rest.binary && typeof rest.binary === 'object') rest.binary = describeBinary(rest.binary, storagePath);
          if (rest.binary && Object.keys(rest.binary).length === 0) delete rest.binary;
          return rest;
        })
      : items,
  );
}

/**
 * One case; an error n8n's node throws outside its promise (the CSV parser's stream errors, which
 * would crash n8n itself) is recorded as the case's error, named `UncaughtException`.
 * @param {any} runner
 * @param {any} task
 * @returns {Promise<any>}
 */
function runCase(runner, task) {
  return new Promise((resolve, reject) => {
    /** @param {any} error */
    const crashed = (error) => resolve({ error: { message: String(error?.message ?? error), description: null, name: 'UncaughtException' } });
    process.once('uncaughtException', crashed);
    runner
      .run(task)
      // a stream's error surfaces a few ticks after the node returned: wait for it here
      .then((/** @type {any} */ result) => new Promise((settle) => setTimeout(() => settle(result), 2)))
      .then(resolve, reject)
      .finally(() => process.removeListener('uncaughtException', crashed));
  });
}

async function main() {
  const [casesFile, outDir] = process.argv.slice(2);
  if (!casesFile || !outDir) {
    process.stderr.write('usage: record_differential.js <cases.jsonl> <fixtures dir>\n');
    process.exit(2);
  }
  process.env.TZ = 'UTC';
  const clock = freezeClock();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-differential-'));
  const { configureEnvironment } = require('../src/host');
  configureEnvironment({ dataDir });
  const { Container } = require('@n8n/di');
  const { BinaryDataService } = require('n8n-core');
  const { NodeTypes } = require('../src/node_types');
  const { HiveCredentialsHelper } = require('../src/credentials');
  const { NodeRunner, CONTRACT_VERSION } = require('../src/run_node');
  await Container.get(BinaryDataService).init();
  const storagePath = /** @type {string} */ (process.env.N8N_BINARY_DATA_STORAGE_PATH);

  /** @type {Record<string, any>} credential data of the case being run, by type */
  let credentials = {};
  const store = {
    /** @param {string} type @param {{id?: string, name?: string}} ref */
    resolve: async (type, ref) => {
      if (!(type in credentials)) throw new Error(`Credentials of type "${type}" are not set`);
      return { id: ref.id ?? type, name: ref.name ?? type, data: credentials[type] };
    },
    update: async () => {},
  };
  const nodeTypes = new NodeTypes();
  /** @type {Record<string, string>} */
  const packages = {};
  for (const name of ['n8n-nodes-base', 'n8n-core', 'n8n-workflow']) packages[name] = require(`${name}/package.json`).version;
  const runner = new NodeRunner({ nodeTypes, credentialsHelper: new HiveCredentialsHelper(/** @type {any} */ (store), nodeTypes), packages });

  const lines = fs.readFileSync(casesFile, 'utf8').split('\n').filter(Boolean);
  /** @type {Map<string, string[]>} */
  const byFile = new Map();
  const started = performance.now();
  let errors = 0;
  for (const line of lines) {
    const testCase = JSON.parse(line);
    credentials = testCase.credentials ?? {};
    clock.set(testCase.now_ms ?? DEFAULT_NOW_MS);
    const node = { name: testCase.node.name ?? 'Node', id: 'node-under-test', position: [0, 0], ...testCase.node };
    const task = {
      contract_version: CONTRACT_VERSION,
      execution_id: 'differential',
      execution_mode: 'manual',
      workflow: { id: 'differential', name: 'differential', nodes: [node], connections: {}, settings: { executionOrder: 'v1', ...(testCase.settings ?? {}) } },
      node: node.name,
      run_index: 0,
      inputs: testCase.inputs,
      source: testCase.inputs.map(() => null),
      run_data: {},
    };
    const result = await runCase(runner, task);
    const error = result.error && { message: result.error.message, description: result.error.description, name: result.error.name };
    if (error) errors += 1;
    const recorded = { ...testCase, expected: { outputs: error ? null : normalizeOutputs(result.outputs, storagePath), error } };
    const file = testCase.id.split('/')[0];
    if (!byFile.has(file)) byFile.set(file, []);
    /** @type {string[]} */ (byFile.get(file)).push(JSON.stringify(recorded));
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, recorded] of byFile) fs.writeFileSync(path.join(outDir, `${file}.jsonl`), `${recorded.join('\n')}\n`);
  fs.writeFileSync(path.join(outDir, 'RECORDED_WITH.json'), `${JSON.stringify({ packages, cases: lines.length }, null, 2)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`recorded ${lines.length} cases (${errors} n8n errors) into ${byFile.size} files in ${seconds} s\n`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
