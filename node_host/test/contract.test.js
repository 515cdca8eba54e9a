'use strict';
// The Node side of the wire: Python's fixtures validate against the committed schema and run;
// what the node host returns validates too and is written for the Python side's test.
const test = require('node:test');
const assert = require('node:assert/strict');
const { validate } = require('./schema');
const { testRunner, fixture, writeFixture } = require('./helpers');

test('python task fixtures match the schema', () => {
  for (const name of ['task_markdown', 'task_error']) {
    assert.deepEqual(validate('task', fixture(name)), [], name);
  }
  assert.notDeepEqual(validate('task', { node: 1 }), [], 'the checker rejects a broken task');
  assert.deepEqual(validate('webhook_setup_task', fixture('task_webhook_setup')), []);
  assert.deepEqual(validate('webhook_task', fixture('task_webhook')), []);
  assert.deepEqual(validate('listen_task', fixture('task_listen')), []);
  assert.notDeepEqual(validate('webhook_task', { ...fixture('task_webhook'), request: 1 }), []);
});

test('markdown task runs with n8n expression against the input item', async () => {
  const runner = await testRunner();
  const result = await runner.run(fixture('task_markdown'));
  assert.equal(result.error, null);
  assert.deepEqual(result.outputs, [[{ json: { who: 'Ada', data: '<h1 id="hiada">Hi Ada</h1>' } }]]);
  assert.deepEqual(validate('result', result), []);
  writeFixture('result_markdown', { ...result, execution_time_ms: 0 });
});

test('a failing expression is a node error returned as data', async () => {
  const runner = await testRunner();
  const result = await runner.run(fixture('task_error'));
  assert.equal(result.outputs, null);
  assert.ok(result.error);
  assert.match(result.error.message, /Referenced node doesn't exist/);
  assert.deepEqual(validate('result', result), []);
  writeFixture('result_error', { ...result, execution_time_ms: 0 });
});

test('another contract version is refused', async () => {
  const runner = await testRunner();
  await assert.rejects(runner.run({ ...fixture('task_markdown'), contract_version: 99 }), /contract version/);
});
