'use strict';
/**
 * The Temporal activity: one n8n node run, heartbeating every second while the node works.
 *
 * A node's own failure is returned as data (`result.error`); only infrastructure problems are
 * thrown (Temporal retries them): the credential store unreachable, the node host shutting down.
 * A task of another contract version is a non-retryable ApplicationFailure.
 */
const { Context } = require('@temporalio/activity');
const { ApplicationFailure } = require('@temporalio/common');
const { ContractMismatch } = require('./run_node');

const ACTIVITY_NAME = 'hive.n8n_node_host.run_node';
const POLL_ACTIVITY_NAME = 'hive.n8n_node_host.poll_node';
const WEBHOOK_SETUP_ACTIVITY_NAME = 'hive.n8n_node_host.setup_webhooks';
const WEBHOOK_ACTIVITY_NAME = 'hive.n8n_node_host.run_webhook';
const LISTEN_ACTIVITY_NAME = 'hive.n8n_node_host.listen_trigger';
const HEARTBEAT_MS = 1000;

/**
 * @param {import('./run_node').NodeRunner} runner
 * @param {{ heartbeatMs?: number, log?: (line: string) => void }} [options]
 */
function createActivities(runner, { heartbeatMs = HEARTBEAT_MS, log = () => {} } = {}) {
  /**
   * @param {import('./run_node').NodeHostTask} task
   * @returns {Promise<import('./run_node').NodeHostResult>}
   */
  async function runNode(task) {
    return execute(task, false);
  }

  /**
   * One poll of a polling trigger (its `poll()`); outputs null when it found nothing new.
   * @param {import('./run_node').NodeHostTask} task
   * @returns {Promise<import('./run_node').NodeHostResult>}
   */
  async function pollNode(task) {
    return execute(task, true);
  }

  /**
   * A webhook trigger's registration (`checkExists`/`create`, or `delete`) with its service.
   * @param {any} task
   */
  async function setupWebhooks(task) {
    return guarded(task, `${task.action} webhooks of`, () => runner.setupWebhooks(task));
  }

  /**
   * One request to a webhook trigger: the node's `webhook()`.
   * @param {any} task
   */
  async function runWebhook(task) {
    return guarded(task, 'webhook of', () => runner.runWebhook(task));
  }

  /**
   * One listening session of a trigger (its `trigger()`); cancelling the activity (the workflow
   * was deactivated) closes the trigger's connection and ends the session.
   * @param {any} task
   */
  async function listenTrigger(task) {
    const abort = new AbortController();
    Context.current().cancelled.catch((reason) => abort.abort(reason));
    const result = await guarded(task, 'listened to', () => runner.listenTrigger(task, { signal: abort.signal }));
    if (abort.signal.aborted) throw abort.signal.reason;
    return result;
  }

  /**
   * @template T
   * @param {{node: string, execution_id: string}} task
   * @param {string} what
   * @param {() => Promise<T>} work
   * @returns {Promise<T>}
   */
  async function guarded(task, what, work) {
    const context = Context.current();
    const beat = () => context.heartbeat({ node: task.node });
    beat();
    const timer = setInterval(beat, heartbeatMs);
    const started = Date.now();
    try {
      // A cancelled listen still closes its trigger first (work() sees the abort).
      const result = await (what === 'listened to' ? work() : Promise.race([work(), context.cancelled]));
      log(`${what} node "${task.node}" of ${task.execution_id} in ${Date.now() - started} ms`);
      return /** @type {T} */ (result);
    } catch (error) {
      if (error instanceof ContractMismatch) {
        throw ApplicationFailure.create({ message: error.message, type: 'NodeHostContractMismatch', nonRetryable: true });
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * @param {import('./run_node').NodeHostTask} task
   * @param {boolean} poll
   * @returns {Promise<import('./run_node').NodeHostResult>}
   */
  async function execute(task, poll) {
    const context = Context.current();
    const abort = new AbortController();
    const beat = () => context.heartbeat({ node: task.node });
    beat();
    const timer = setInterval(beat, heartbeatMs);
    // Cancellation reaches an activity through its heartbeats; the node's requests are aborted.
    context.cancelled.catch((reason) => abort.abort(reason));
    const started = Date.now();
    try {
      const result = await Promise.race([runner.run(task, { signal: abort.signal, poll }), context.cancelled]);
      log(`${poll ? 'polled' : 'ran'} node "${task.node}" of ${task.execution_id}: ${result.error ? 'node error' : 'ok'} in ${Date.now() - started} ms`);
      return result;
    } catch (error) {
      if (error instanceof ContractMismatch) {
        throw ApplicationFailure.create({ message: error.message, type: 'NodeHostContractMismatch', nonRetryable: true });
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }
  return {
    [ACTIVITY_NAME]: runNode,
    [POLL_ACTIVITY_NAME]: pollNode,
    [WEBHOOK_SETUP_ACTIVITY_NAME]: setupWebhooks,
    [WEBHOOK_ACTIVITY_NAME]: runWebhook,
    [LISTEN_ACTIVITY_NAME]: listenTrigger,
  };
}

module.exports = { createActivities, ACTIVITY_NAME, POLL_ACTIVITY_NAME, WEBHOOK_SETUP_ACTIVITY_NAME, WEBHOOK_ACTIVITY_NAME, LISTEN_ACTIVITY_NAME, HEARTBEAT_MS };
