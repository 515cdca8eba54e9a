'use strict';
/**
 * Execute one n8n node with n8n-core's own engine (WorkflowExecute.runNode), as n8n does.
 *
 * The node gets n8n's execution context: parameters with the description's defaults (the
 * Workflow constructor fills them), expressions evaluated by n8n-workflow against the run data
 * Hive sent, getInputData, paired items, `continueOnFail`, helpers (httpRequest with credentials,
 * binary data in Hive's filesystem store) and workflow static data. Retries, onError routing,
 * executeOnce and alwaysOutputData stay in Hive's interpreter, so they are not applied here.
 */
const { Workflow } = require('n8n-workflow');
const { WorkflowExecute, ExecutionLifecycleHooks, PollContext } = require('n8n-core');
const { CredentialStoreUnavailable } = require('./credentials');
const { setupWebhooks, runWebhook } = require('./webhooks');
const { listenTrigger } = require('./listen');

/** @typedef {import('n8n-workflow').INode} INode */
/** @typedef {import('n8n-workflow').INodeExecutionData} Item */
/**
 * @typedef {object} NodeHostTask
 * @property {number} contract_version
 * @property {string} execution_id
 * @property {string} execution_mode
 * @property {{id?: string|null, name?: string, nodes: any[], connections?: any, settings?: any, static_data?: any}} workflow
 * @property {string} node
 * @property {number} run_index
 * @property {Array<Item[] | null>} inputs
 * @property {Array<any | null>} source
 * @property {Record<string, any[]>} run_data
 * @property {string | null} [resume_url]
 * @property {Record<string, string>} [variables]
 */
/**
 * @typedef {object} NodeHostError
 * @property {string} message
 * @property {string} name
 * @property {string | null} description
 * @property {number | null} item_index
 * @property {string | null} http_code
 * @property {Record<string, any>} extra
 */
/**
 * @typedef {object} NodeHostResult
 * @property {number} contract_version
 * @property {Array<Item[] | null> | null} outputs
 * @property {NodeHostError | null} error
 * @property {Record<string, any> | null} static_data
 * @property {number} execution_time_ms
 * @property {Record<string, string>} packages
 */
/**
 * @typedef {object} Prepared a task's workflow and node in n8n's classes
 * @property {Workflow} workflow
 * @property {INode} node
 * @property {any} nodeType
 * @property {any} additionalData
 * @property {import('n8n-workflow').WorkflowExecuteMode} mode
 * @property {(part: Partial<NodeHostResult> & Record<string, any>) => NodeHostResult & Record<string, any>} finish
 */

const CONTRACT_VERSION = 1;

/** The task's contract version is not one this node host speaks: retrying cannot help. */
class ContractMismatch extends Error {}

/**
 * @param {any} value
 * @returns {any}
 */
function plain(value) {
  // Items leave as JSON: Dates become strings, Buffers never appear (binary data is stored).
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * n8n's error object → the contract's NodeHostError.
 * @param {any} error
 * @returns {NodeHostError}
 */
function nodeError(error) {
  const context = error?.context && typeof error.context === 'object' ? plain(error.context) : {};
  /** @type {Record<string, any>} */
  const extra = {};
  if (Object.keys(context).length) extra.context = context;
  for (const key of ['level', 'errorResponse', 'functionality', 'obfuscate']) {
    if (error?.[key] !== undefined) {
      try {
        extra[key] = plain(error[key]);
      } catch {
        // not JSON-serialisable: left out
      }
    }
  }
  const itemIndex = typeof context.itemIndex === 'number' ? context.itemIndex : null;
  return {
    message: String(error?.message ?? error),
    name: error?.name && error.name !== 'Error' ? String(error.name) : 'NodeOperationError',
    description: error?.description == null ? null : String(error.description),
    item_index: itemIndex,
    http_code: error?.httpCode == null ? null : String(error.httpCode),
    extra,
  };
}

class NodeRunner {
  /**
   * @param {{
   *   nodeTypes: import('./node_types').NodeTypes,
   *   credentialsHelper: import('n8n-workflow').ICredentialsHelper,
   *   packages: Record<string, string>,
   *   urls?: {api?: string, webhook?: string},
   * }} options
   */
  constructor({ nodeTypes, credentialsHelper, packages, urls = {} }) {
    this.nodeTypes = nodeTypes;
    this.credentialsHelper = credentialsHelper;
    this.packages = packages;
    this.urls = urls;
  }

  /**
   * n8n's IWorkflowExecuteAdditionalData for one task (credentials, URLs, no sub-workflows).
   * @param {NodeHostTask} task
   * @param {Workflow} workflow
   * @param {any[]} nodes
   * @param {import('n8n-workflow').WorkflowExecuteMode} mode
   * @returns {any}
   */
  additionalData(task, workflow, nodes, mode) {
    const executionId = task.execution_id;
    const api = this.urls.api ?? '';
    const webhook = this.urls.webhook ?? api;
    return /** @type {any} */ ({
      credentialsHelper: this.credentialsHelper,
      hooks: new ExecutionLifecycleHooks(mode, executionId, /** @type {any} */ ({ id: workflow.id, name: workflow.name, nodes, connections: workflow.connectionsBySourceNode, active: false, settings: workflow.settings, createdAt: new Date(), updatedAt: new Date() })),
      executionId,
      currentNodeExecutionIndex: 0,
      restApiUrl: api ? `${api}/api` : '',
      instanceBaseUrl: api,
      formWaitingBaseUrl: webhook ? `${webhook}/form-waiting` : '',
      webhookBaseUrl: webhook ? `${webhook}/webhook` : '',
      webhookWaitingBaseUrl: webhook ? `${webhook}/webhook-waiting` : '',
      webhookTestBaseUrl: webhook ? `${webhook}/webhook-test` : '',
      variables: task.variables ?? {},
      userId: 'hive',
      setExecutionStatus: () => {},
      sendDataToUI: () => {},
      logAiEvent: () => {},
      getRunExecutionData: async () => undefined,
      executeWorkflow: async () => {
        throw new Error('Execute Workflow runs in Hive\'s interpreter, not on the node host');
      },
      startRunnerTask: async () => {
        throw new Error('n8n task runners are not available on the node host');
      },
      getRunnerStatus: () => ({ available: false, reason: 'no task runner on the node host' }),
      secretsHelpers: { getSecret: async () => undefined, hasSecret: () => false, hasProvider: () => false, listProviders: () => [], listSecrets: () => [] },
    });
  }

  /**
   * The task's workflow and node in n8n's classes, and `finish` to build the result (with the
   * static data when the node changed it).
   * @param {NodeHostTask} task
   * @param {string} defaultMode
   * @returns {Prepared | {done: NodeHostResult}}
   */
  prepare(task, defaultMode = 'manual') {
    if (task.contract_version !== CONTRACT_VERSION) {
      throw new ContractMismatch(
        `node host speaks contract version ${CONTRACT_VERSION}, the task is version ${task.contract_version}`,
      );
    }
    const started = performance.now();
    const mode = /** @type {import('n8n-workflow').WorkflowExecuteMode} */ (task.execution_mode || defaultMode);
    const nodes = task.workflow.nodes.map((n) => ({ position: [0, 0], ...structuredClone(n) }));
    const workflow = new Workflow({
      id: task.workflow.id ?? 'hive',
      name: task.workflow.name ?? '',
      nodes,
      connections: task.workflow.connections ?? {},
      active: false,
      nodeTypes: /** @type {any} */ (this.nodeTypes),
      settings: task.workflow.settings ?? {},
      staticData: structuredClone(task.workflow.static_data ?? {}),
    });
    const node = workflow.getNode(task.node);
    if (node === null) throw new ContractMismatch(`node "${task.node}" is not in the task's workflow`);
    const finish = (/** @type {Partial<NodeHostResult> & Record<string, any>} */ part) => ({
      contract_version: CONTRACT_VERSION,
      outputs: null,
      error: null,
      static_data: /** @type {any} */ (workflow.staticData).__dataChanged ? plain(workflow.staticData) : null,
      execution_time_ms: Math.round((performance.now() - started) * 1000) / 1000,
      packages: this.packages,
      ...part,
    });
    if (this.nodeTypes.fileOf(node.type) === undefined) {
      return { done: finish({ error: { ...nodeError(new Error(`Unrecognized node type: ${node.type}`)), name: 'NodeHostError' } }) };
    }
    const additionalData = this.additionalData(task, workflow, nodes, mode);
    const nodeType = /** @type {any} */ (this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion));
    return { workflow, node, nodeType, additionalData, mode, finish };
  }

  /**
   * A webhook trigger's registration with its service (`action` create or delete).
   * @param {NodeHostTask & {action: 'create' | 'delete', activation?: string, webhook_base_url: string}} task
   * @returns {Promise<NodeHostResult & Record<string, any>>}
   */
  async setupWebhooks(task) {
    const prepared = this.prepare(task, 'trigger');
    if ('done' in prepared) return { ...prepared.done, webhooks: [] };
    prepared.additionalData.webhookBaseUrl = task.webhook_base_url;
    const { error, ...rest } = await setupWebhooks(prepared, task);
    return prepared.finish({ ...rest, error: error === undefined ? null : nodeError(error) });
  }

  /**
   * One HTTP request to a webhook trigger: the node's `webhook()`.
   * @param {NodeHostTask & {request: any, webhook_base_url: string}} task
   * @returns {Promise<NodeHostResult & Record<string, any>>}
   */
  async runWebhook(task) {
    const prepared = this.prepare(task, 'webhook');
    if ('done' in prepared) return { ...prepared.done, found: false };
    prepared.additionalData.webhookBaseUrl = task.webhook_base_url;
    const { error, outputs, ...rest } = await runWebhook(prepared, task.request);
    return prepared.finish({
      ...rest,
      outputs: outputs == null ? null : plain(outputs),
      error: error === undefined ? null : nodeError(error),
    });
  }

  /**
   * One listening session of a trigger that keeps a connection open (its `trigger()`).
   * @param {NodeHostTask & {activation?: string, max_session_s?: number, quiet_ms?: number, max_emits?: number}} task
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Promise<NodeHostResult & Record<string, any>>}
   */
  async listenTrigger(task, { signal } = {}) {
    const prepared = this.prepare(task, 'trigger');
    if ('done' in prepared) return { ...prepared.done, emits: [], ended: 'error' };
    const { error, ...rest } = await listenTrigger(prepared, task, signal);
    return prepared.finish({ ...rest, error: error === undefined ? null : nodeError(error) });
  }

  /**
   * @param {NodeHostTask} task
   * @param {{ signal?: AbortSignal, poll?: boolean }} [options] poll: run the trigger's `poll()`
   *   (n8n's PollContext, activation mode `activate`) instead of its execute function.
   * @returns {Promise<NodeHostResult>}
   */
  async run(task, { signal, poll = false } = {}) {
    const prepared = this.prepare(task);
    if ('done' in prepared) return prepared.done;
    const { workflow, node, additionalData, mode, finish } = prepared;
    if (poll) return finish(await runPoll(this.nodeTypes, workflow, node, additionalData, mode));
    const runExecutionData = /** @type {any} */ ({
      startData: {},
      resultData: { runData: structuredClone(task.run_data ?? {}), pinData: {} },
      executionData: {
        contextData: {},
        nodeExecutionStack: [],
        metadata: {},
        waitingExecution: {},
        waitingExecutionSource: {},
      },
    });
    const executionData = /** @type {any} */ ({
      node,
      data: { main: task.inputs.length ? structuredClone(task.inputs) : [[]] },
      source: { main: task.source ?? [] },
    });
    const engine = new WorkflowExecute(additionalData, mode, runExecutionData);
    try {
      const response = /** @type {any} */ (
        await engine.runNode(workflow, executionData, runExecutionData, task.run_index, additionalData, mode, signal)
      );
      if (response && typeof response === 'object' && 'actions' in response) {
        return finish({ error: { ...nodeError(new Error('This node asks the engine to run sub-nodes (AI tools), which the node host does not do')), name: 'NodeHostError' } });
      }
      if (typeof response?.closeFunction === 'function') await response.closeFunction();
      return finish({ outputs: response?.data == null ? null : plain(response.data) });
    } catch (error) {
      if (error instanceof CredentialStoreUnavailable) throw error;
      if (signal?.aborted) throw error;
      return finish({ error: nodeError(error) });
    }
  }
}

/**
 * One `poll()` of a polling trigger, as n8n's ActiveWorkflows runs it on each poll time: its
 * `getWorkflowStaticData('node')` is the task's static data, returned changed in the result.
 * @param {import('./node_types').NodeTypes} nodeTypes
 * @param {Workflow} workflow
 * @param {INode} node
 * @param {any} additionalData
 * @param {import('n8n-workflow').WorkflowExecuteMode} mode
 * @returns {Promise<Partial<NodeHostResult>>}
 */
async function runPoll(nodeTypes, workflow, node, additionalData, mode) {
  const nodeType = /** @type {any} */ (nodeTypes.getByNameAndVersion(node.type, node.typeVersion));
  if (typeof nodeType?.poll !== 'function') {
    return { error: { ...nodeError(new Error(`${node.type} is not a polling trigger`)), name: 'NodeHostError' } };
  }
  try {
    const context = new PollContext(workflow, node, additionalData, mode, 'activate');
    const response = await nodeType.poll.call(context);
    // null: nothing new, n8n starts no execution.
    return { outputs: response == null ? null : plain(response) };
  } catch (error) {
    if (error instanceof CredentialStoreUnavailable) throw error;
    return { error: nodeError(error) };
  }
}

module.exports = { NodeRunner, ContractMismatch, CONTRACT_VERSION, nodeError };
