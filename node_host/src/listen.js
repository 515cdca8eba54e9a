'use strict';
/**
 * Triggers that keep a connection open (Email Trigger (IMAP), MQTT, RabbitMQ, Redis, Postgres...):
 * the node's own `trigger()` in n8n-core's TriggerContext for one listening session.
 *
 * A session lasts until the trigger emitted and then stayed quiet for `quiet_ms` (the emitted
 * items go back to Hive, which starts one run per emit), until `max_session_s` passed, until
 * the trigger reported an error (`emitError`), or until the activity is cancelled (the
 * workflow was deactivated); then the node's `closeFunction` closes its connection, as n8n's
 * ActiveWorkflows does on deactivation. Each emit gets its own execution id, and the files its
 * items hold (`prepareBinaryData`: e-mail attachments) are stored under that id, so they belong
 * to the run Hive starts with them. Static data (the IMAP trigger's `lastMessageUid`) comes in
 * the task and goes back changed.
 */
const { randomUUID } = require('node:crypto');
const { TriggerContext, prepareBinaryData } = require('n8n-core');
const { CredentialStoreUnavailable } = require('./credentials');

/**
 * @param {import('./run_node').Prepared} prepared
 * @param {{execution_id: string, activation?: string, max_session_s?: number, quiet_ms?: number, max_emits?: number}} task
 * @param {AbortSignal} [signal] aborted when the activity is cancelled
 * @returns {Promise<{emits: {execution_id: string, outputs: any}[], error?: any, ended: string}>}
 */
async function listenTrigger({ workflow, node, additionalData, mode, nodeType }, task, signal) {
  if (typeof nodeType?.trigger !== 'function') {
    return { emits: [], error: new Error(`${node.type} has no trigger() function`), ended: 'error' };
  }
  const maxSessionMs = (task.max_session_s ?? 3600) * 1000;
  const quietMs = task.quiet_ms ?? 1000;
  // The emits travel back in one activity result: a busy trigger ends its session early.
  const maxEmits = task.max_emits ?? 50;
  /** @type {{execution_id: string, outputs: any}[]} */
  const emits = [];
  let currentId = `${task.execution_id}-${randomUUID().slice(0, 8)}`;
  /** @type {any} */
  let failure;
  /** @type {(reason: string) => void} */
  let end = () => {};
  const ended = new Promise((resolve) => {
    end = resolve;
  });
  /** @type {NodeJS.Timeout | undefined} */
  let quietTimer;
  const emit = (/** @type {any} */ data) => {
    emits.push({ execution_id: currentId, outputs: JSON.parse(JSON.stringify(data ?? [])) });
    currentId = `${task.execution_id}-${randomUUID().slice(0, 8)}`;
    clearTimeout(quietTimer);
    if (emits.length >= maxEmits) end('full');
    else quietTimer = setTimeout(() => end('emitted'), quietMs);
  };
  const emitError = (/** @type {any} */ error) => {
    failure ??= error;
    end('error');
  };
  const context = new TriggerContext(workflow, node, additionalData, mode, /** @type {any} */ (task.activation ?? 'activate'), emit, emitError);
  // Files go under the id of the run the next emit starts, not one id for the whole session.
  const helpers = /** @type {any} */ (context.helpers);
  helpers.prepareBinaryData = async (/** @type {any} */ data, /** @type {string} */ filePath, /** @type {string} */ mimeType) =>
    await prepareBinaryData(data, currentId, workflow.id, filePath, mimeType);
  const sessionTimer = setTimeout(() => end('session'), maxSessionMs);
  const onAbort = () => end('cancelled');
  signal?.addEventListener('abort', onAbort);
  /** @type {any} */
  let response;
  try {
    response = await nodeType.trigger.call(context);
  } catch (error) {
    if (error instanceof CredentialStoreUnavailable) throw error;
    failure ??= error;
    end('error');
  }
  const reason = /** @type {string} */ (await ended);
  clearTimeout(sessionTimer);
  clearTimeout(quietTimer);
  signal?.removeEventListener('abort', onAbort);
  try {
    if (typeof response?.closeFunction === 'function') await response.closeFunction();
  } catch {
    // n8n logs a failing close as a warning (TriggerCloseError) and deactivates anyway.
  }
  return { emits, error: failure, ended: reason };
}

module.exports = { listenTrigger };
