'use strict';
/**
 * Builds the node host's pieces in the order n8n-core needs: environment first (n8n-core reads
 * its settings from the environment when its modules load), then node types, credentials,
 * binary data storage, the runner.
 */
const path = require('node:path');
const fs = require('node:fs');

/**
 * @typedef {object} HostOptions
 * @property {string} dataDir Hive's data dir: n8n's user folder and the binary store live under it
 * @property {string} [apiUrl] Hive's API (credential resolve endpoint, webhook URLs)
 * @property {string} [apiKey] a service key for the resolve endpoint
 */

/**
 * n8n-core configuration through its environment variables (read at module load).
 * @param {HostOptions} options
 */
function configureEnvironment({ dataDir }) {
  const userFolder = path.join(dataDir, 'node-host');
  fs.mkdirSync(userFolder, { recursive: true });
  process.env.N8N_USER_FOLDER = userFolder;
  // Binary data in Hive's store, in n8n's filesystem layout (ids "filesystem-v2:...").
  process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
  process.env.N8N_AVAILABLE_BINARY_DATA_MODES = 'filesystem';
  process.env.N8N_BINARY_DATA_STORAGE_PATH = path.join(dataDir, 'binary-data');
  // n8n 2.x defaults: expressions and Code cannot read the process environment (the node
  // host's own environment holds its service key).
  process.env.N8N_BLOCK_ENV_ACCESS_IN_NODE ??= 'true';
  process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
  process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
}

/**
 * @param {HostOptions} options
 */
async function buildRunner(options) {
  configureEnvironment(options);
  const { Container } = require('@n8n/di');
  const { BinaryDataService } = require('n8n-core');
  const { NodeTypes } = require('./node_types');
  const { HiveCredentialStore, HiveCredentialsHelper } = require('./credentials');
  const { NodeRunner } = require('./run_node');
  await Container.get(BinaryDataService).init();
  const nodeTypes = new NodeTypes();
  const store = new HiveCredentialStore({ apiUrl: options.apiUrl, apiKey: options.apiKey });
  /** @type {Record<string, string>} */
  const packages = {};
  for (const name of ['n8n-nodes-base', 'n8n-core', 'n8n-workflow']) {
    packages[name] = require(`${name}/package.json`).version;
  }
  return new NodeRunner({
    nodeTypes,
    credentialsHelper: new HiveCredentialsHelper(store, nodeTypes),
    packages,
    urls: { api: options.apiUrl },
  });
}

module.exports = { buildRunner, configureEnvironment };
