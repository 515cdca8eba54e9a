'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { NodeTypes } = require('../src/node_types');
const { mainCount } = require('../scripts/build_catalog');

test('node types load by full name and version', () => {
  const types = new NodeTypes();
  const set = /** @type {any} */ (types.getByNameAndVersion('n8n-nodes-base.set', 3.4));
  assert.equal(set.description.name, 'set');
  assert.ok(types.fileOf('n8n-nodes-base.httpRequest'));
  assert.equal(types.getByNameAndVersion('n8n-nodes-base.noSuchNode', 1), undefined);
  assert.throws(() => types.getByName('@n8n/n8n-nodes-langchain.agent'), /Unrecognized node type/);
});

test('credential types load by name', () => {
  const types = new NodeTypes();
  assert.equal(types.credentialType('postgres')?.name, 'postgres');
  assert.equal(types.credentialType('httpHeaderAuth')?.name, 'httpHeaderAuth');
  assert.equal(types.credentialType('noSuchCredential'), undefined);
});

test('catalog counts main ports', () => {
  assert.equal(mainCount(['main']), 1);
  assert.equal(mainCount([{ type: 'main' }, 'main', 'ai_tool']), 2);
  assert.equal(mainCount('={{ $parameter.x }}'), null);
});
