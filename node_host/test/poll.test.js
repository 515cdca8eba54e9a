'use strict';
// Polling triggers: `run(task, { poll: true })` runs the node's poll() in n8n's PollContext with
// the task's static data, and returns the changed static data beside the items.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { testRunner } = require('./helpers');

/** @param {string[]} dates ISO dates of the feed's items, newest first */
function rss(dates) {
  const items = dates.map((d, i) => `<item><title>i${i}</title><pubDate>${new Date(d).toUTCString()}</pubDate></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items.join('')}</channel></rss>`;
}

test('RSS Feed Trigger: poll() emits only items newer than its static data, and saves the newest date', async (t) => {
  const dates = ['2026-01-03T00:00:00.000Z', '2026-01-01T00:00:00.000Z'];
  const server = http.createServer((_, res) => res.end(rss(dates)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(null)));
  t.after(() => server.close());
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const node = { name: 'RSS', type: 'n8n-nodes-base.rssFeedReadTrigger', typeVersion: 1, parameters: { feedUrl: `http://127.0.0.1:${address.port}/` } };
  const task = (/** @type {any} */ staticData) => ({
    contract_version: 1, execution_id: 'poll1', execution_mode: 'trigger', node: 'RSS', run_index: 0, inputs: [], source: [], run_data: {},
    workflow: { id: 'wf', name: 'poll', nodes: [node], connections: {}, static_data: staticData },
  });
  const runner = await testRunner();
  const newer = await runner.run(task({ 'node:RSS': { lastItemDate: '2026-01-02T00:00:00.000Z' } }), { poll: true });
  assert.equal(newer.error, null);
  assert.deepEqual(newer.outputs?.[0]?.map((item) => item.json.title), ['i0']);
  assert.equal(newer.static_data?.['node:RSS']?.lastItemDate, '2026-01-03T00:00:00.000Z');
  const none = await runner.run(task(newer.static_data), { poll: true });
  assert.equal(none.error, null);
  assert.equal(none.outputs, null);
});

test('poll of a node without poll() is a node error', async () => {
  const runner = await testRunner();
  const node = { name: 'NoOp', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
  const result = await runner.run(
    { contract_version: 1, execution_id: 'p2', execution_mode: 'trigger', node: 'NoOp', run_index: 0, inputs: [], source: [], run_data: {}, workflow: { nodes: [node] } },
    { poll: true },
  );
  assert.match(result.error?.message ?? '', /not a polling trigger/);
});
