'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** One runner per test process, on a temporary data dir. */
/** @type {import('../src/run_node').NodeRunner | undefined} */
let runner;
async function testRunner() {
  if (runner === undefined) {
    const { buildRunner } = require('../src/host');
    runner = await buildRunner({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'hive-node-host-test-')) });
  }
  return runner;
}

/** @param {string} name */
function fixture(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'contract', 'fixtures', `${name}.json`), 'utf8'));
}

/**
 * @param {string} name
 * @param {any} value
 */
function writeFixture(name, value) {
  fs.writeFileSync(path.join(__dirname, '..', 'contract', 'fixtures', `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}

module.exports = { testRunner, fixture, writeFixture };

// n8n-core keeps timers alive after a node ran; end the test process once its tests finished.
require('node:test').after(() => {
  setTimeout(() => process.exit(), 50).unref();
});
