'use strict';
// Listening triggers: `listenTrigger` runs the node's trigger() until it emitted and went quiet,
// returns the emits with their execution ids and closes the trigger. MQTT Trigger against the
// local Mosquitto (skipped without it); a trigger that cannot start is the session's error.
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { NodeRunner } = require('../src/run_node');
const { HiveCredentialStore, HiveCredentialsHelper } = require('../src/credentials');
const { testRunner, fixture, writeFixture } = require('./helpers');
const { validate } = require('./schema');

/** @returns {Promise<boolean>} */
function mosquittoUp() {
  return new Promise((resolve) => {
    const socket = net.connect(1883, '127.0.0.1');
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

test('a trigger that cannot start ends its session with the node error (no credential)', async () => {
  const runner = await testRunner();
  const result = await runner.listenTrigger(fixture('task_listen'));
  assert.equal(result.ended, 'error');
  assert.deepEqual(result.emits, []);
  assert.match(result.error?.message ?? '', /credentials set for "imap"/);
  assert.deepEqual(validate('listen_result', result), []);
  writeFixture('result_listen', { ...result, execution_time_ms: 0 });
});

test('MQTT Trigger: each message is one emit with its own execution id; the session closes after going quiet', async (t) => {
  if (!(await mosquittoUp())) return t.skip('Mosquitto is not listening on 127.0.0.1:1883');
  const base = await testRunner();
  const store = new HiveCredentialStore({});
  store.resolve = async () => ({ id: 'mq', name: 'mqtt', type: 'mqtt', data: { protocol: 'mqtt', host: '127.0.0.1', port: 1883, clean: true, passwordless: true, ssl: false } });
  const runner = new NodeRunner({ nodeTypes: base.nodeTypes, credentialsHelper: new HiveCredentialsHelper(store, base.nodeTypes), packages: base.packages });
  const topic = `hive/test/${Date.now()}`;
  const node = { name: 'MQTT', type: 'n8n-nodes-base.mqttTrigger', typeVersion: 1, parameters: { topics: topic, options: {} }, credentials: { mqtt: { id: 'mq' } } };
  const session = runner.listenTrigger({
    contract_version: 1, execution_id: 'trigger-t1', execution_mode: 'trigger', node: 'MQTT', run_index: 0, inputs: [], source: [], run_data: {},
    workflow: { id: 'wfm', name: 'mqtt', nodes: [node], connections: {}, static_data: {} },
    max_session_s: 30, quiet_ms: 500,
  });
  // Publish once the trigger subscribed (retry until a message comes through).
  const mqtt = require('mqtt');
  const publisher = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
  let done = false;
  session.finally(() => { done = true; });
  for (let i = 0; i < 20 && !done; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (i === 4) {
      await publisher.publishAsync(topic, JSON.stringify({ n: 1 }));
      await publisher.publishAsync(topic, JSON.stringify({ n: 2 }));
    }
  }
  await publisher.endAsync();
  const result = await session;
  assert.equal(result.error, null);
  assert.equal(result.ended, 'emitted');
  assert.deepEqual(result.emits.map((/** @type {any} */ e) => e.outputs[0][0].json), [{ message: '{"n":1}', topic }, { message: '{"n":2}', topic }]);
  const ids = result.emits.map((/** @type {any} */ e) => e.execution_id);
  assert.equal(new Set(ids).size, 2);
  assert.ok(ids.every((/** @type {string} */ id) => id.startsWith('trigger-t1-')));
  assert.deepEqual(validate('listen_result', result), []);
});
