'use strict';
// Binary data: n8n's own nodes write to and read from Hive's store (filesystem-v2 ids, files
// under <data_dir>/binary-data); only the references are in the result.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { testRunner } = require('./helpers');

const workflow = {
  id: 'wf1',
  name: 'binary',
  nodes: [
    { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
    { name: 'ToFile', type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, parameters: { operation: 'toJson', options: {} } },
    { name: 'FromFile', type: 'n8n-nodes-base.extractFromFile', typeVersion: 1, parameters: { operation: 'fromJson', options: {} } },
  ],
  connections: {},
};

test('Convert to File stores the file; Extract from File reads it back', async () => {
  const runner = await testRunner();
  const base = { contract_version: 1, execution_id: 'ex1', execution_mode: 'manual', workflow, run_index: 0, source: [null], run_data: {} };
  const written = await runner.run({ ...base, node: 'ToFile', inputs: [[{ json: { a: 1 } }]] });
  assert.equal(written.error, null);
  const ref = /** @type {any} */ (written.outputs?.[0]?.[0]?.binary?.data);
  assert.equal(ref.data, 'filesystem-v2');
  assert.match(ref.id, /^filesystem-v2:workflows\/wf1\/executions\/ex1\/binary_data\/[0-9a-f-]{36}$/);
  const file = path.join(/** @type {string} */ (process.env.N8N_BINARY_DATA_STORAGE_PATH), ref.id.slice('filesystem-v2:'.length));
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), [{ a: 1 }]);
  assert.equal(JSON.parse(fs.readFileSync(`${file}.metadata`, 'utf8')).mimeType, 'application/json');
  const read = await runner.run({ ...base, node: 'FromFile', inputs: written.outputs ?? [] });
  assert.equal(read.error, null);
  assert.deepEqual(read.outputs?.[0]?.[0]?.json, { data: [{ a: 1 }] });
});

test('a binary reference whose file is gone is a node error', async () => {
  const runner = await testRunner();
  const gone = { mimeType: 'application/json', fileName: 'x.json', data: 'filesystem-v2', id: 'filesystem-v2:workflows/wf1/executions/ex9/binary_data/00000000-0000-0000-0000-000000000000' };
  const result = await runner.run({
    contract_version: 1, execution_id: 'ex9', execution_mode: 'manual', workflow, node: 'FromFile', run_index: 0,
    inputs: [[{ json: {}, binary: { data: gone } }]], source: [null], run_data: {},
  });
  assert.equal(result.outputs, null);
  assert.ok(result.error);
});
