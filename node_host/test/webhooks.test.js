'use strict';
// Webhook triggers: registration (checkExists/create/delete) and webhook() of the Telegram
// Trigger against a local server speaking Telegram's Bot API (and Hive's credential resolve).
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { NodeRunner } = require('../src/run_node');
const { HiveCredentialStore, HiveCredentialsHelper } = require('../src/credentials');
const { testRunner, fixture, writeFixture } = require('./helpers');
const { validate } = require('./schema');

/** A Telegram Bot API stand-in that also answers the credential resolve endpoint. */
async function telegram() {
  /** @type {{path: string, body: any}[]} */
  const calls = [];
  const state = { url: '' };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/internal/credentials/resolve') {
        return res.end(JSON.stringify({ id: 'tg', name: 'bot', type: 'telegramApi', data: { accessToken: 'T0KEN', baseUrl: base } }));
      }
      calls.push({ path: String(req.url), body });
      if (!req.url?.startsWith('/botT0KEN/')) {
        res.statusCode = 404;
        return res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      }
      if (req.url?.endsWith('/getWebhookInfo')) return res.end(JSON.stringify({ ok: true, result: { url: state.url } }));
      if (req.url?.endsWith('/setWebhook')) {
        state.url = body.url;
        return res.end(JSON.stringify({ ok: true, result: true }));
      }
      if (req.url?.endsWith('/deleteWebhook')) {
        state.url = '';
        return res.end(JSON.stringify({ ok: true, result: true }));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ ok: false, description: 'Not Found' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(null)));
  const base = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  return { server, base, calls, state };
}

// Python's fixtures (tests/node_host/test_contract.py): the Telegram Trigger of workflow wf1.
/** @param {Record<string, any>} extra @returns {any} */
const task = (extra) => ({ ...fixture(extra.request ? 'task_webhook' : 'task_webhook_setup'), ...extra });

test('Telegram Trigger: create registers Hive URL once, webhook() checks the secret, delete unregisters', async (t) => {
  const tg = await telegram();
  t.after(() => tg.server.close());
  const base = await testRunner();
  const runner = new NodeRunner({
    nodeTypes: base.nodeTypes,
    credentialsHelper: new HiveCredentialsHelper(new HiveCredentialStore({ apiUrl: tg.base, apiKey: 'k' }), base.nodeTypes),
    packages: base.packages,
  });
  const created = await runner.setupWebhooks(task({ action: 'create' }));
  assert.equal(created.error, null);
  assert.deepEqual(validate('webhook_setup_result', created), []);
  writeFixture('result_webhook_setup', { ...created, execution_time_ms: 0 });
  assert.deepEqual(created.webhooks, [{ name: 'default', http_method: 'POST', path: 'hook-1/webhook', url: 'https://hive.example/webhook/hook-1/webhook' }]);
  const set = tg.calls.find((c) => c.path === '/botT0KEN/setWebhook');
  assert.deepEqual(set?.body, { url: 'https://hive.example/webhook/hook-1/webhook', allowed_updates: ['message'], secret_token: 'wf1_node-1' });
  // Already registered: checkExists is true, no second setWebhook.
  await runner.setupWebhooks(task({ action: 'create' }));
  assert.equal(tg.calls.filter((c) => c.path.endsWith('/setWebhook')).length, 1);

  const update = { update_id: 7, message: { message_id: 1, chat: { id: 42 }, from: { id: 5 }, text: 'hi' } };
  const request = (/** @type {Record<string, string>} */ headers) => ({
    method: 'POST', path: 'hook-1/webhook', headers: { 'content-type': 'application/json', ...headers }, query: {}, body: update,
    raw_body: Buffer.from(JSON.stringify(update)).toString('base64'),
  });
  const ok = await runner.runWebhook(task({ execution_mode: 'webhook', request: request({ 'x-telegram-bot-api-secret-token': 'wf1_node-1' }) }));
  assert.equal(ok.error, null);
  assert.equal(ok.found, true);
  assert.deepEqual(ok.outputs, [[{ json: update }]]);
  assert.equal(ok.response_mode, 'onReceived');
  assert.equal(ok.no_webhook_response, false);
  assert.deepEqual(validate('webhook_result', ok), []);
  writeFixture('result_webhook', { ...ok, execution_time_ms: 0 });

  const refused = await runner.runWebhook(task({ execution_mode: 'webhook', request: request({ 'x-telegram-bot-api-secret-token': 'wrong' }) }));
  assert.equal(refused.outputs, null);
  assert.equal(refused.no_webhook_response, true);
  assert.deepEqual(refused.response, { status: 403, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { message: 'Provided secret is not valid' }, body_base64: null });
  writeFixture('result_webhook_refused', { ...refused, execution_time_ms: 0 });

  const missing = await runner.runWebhook(task({ execution_mode: 'webhook', request: { ...request({}), method: 'GET' } }));
  assert.equal(missing.found, false);

  const deleted = await runner.setupWebhooks(task({ action: 'delete' }));
  assert.equal(deleted.error, null);
  assert.ok(tg.calls.some((c) => c.path === '/botT0KEN/deleteWebhook'));
  assert.equal(tg.state.url, '');
  assert.deepEqual(validate('webhook_setup_result', deleted), []);
});

test('a failing registration is the node error (the service refused)', async (t) => {
  const tg = await telegram();
  t.after(() => tg.server.close());
  const base = await testRunner();
  const store = new HiveCredentialStore({ apiUrl: tg.base, apiKey: 'k' });
  // A token the stand-in does not know: every Bot API call answers 404.
  store.resolve = async () => ({ id: 'tg', name: 'bot', type: 'telegramApi', data: { accessToken: 'T0KEN', baseUrl: `${tg.base}/nowhere` } });
  const runner = new NodeRunner({ nodeTypes: base.nodeTypes, credentialsHelper: new HiveCredentialsHelper(store, base.nodeTypes), packages: base.packages });
  const result = await runner.setupWebhooks(task({ action: 'create' }));
  assert.ok(result.error);
  assert.match(result.error.message, /could not be found/);
  assert.equal(result.error.http_code, '404');
});
