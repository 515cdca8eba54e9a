'use strict';
/**
 * Webhook triggers of service nodes (Telegram, GitHub, Typeform...): their registration
 * (`webhookMethods.<name>.checkExists` / `create` / `delete`) and their `webhook()` method, run
 * with n8n-core's own HookContext and WebhookContext as n8n's WebhookService runs them.
 *
 * The webhook paths follow n8n's `getNodeWebhooks`: `{webhookId}/{path}` (or
 * `{workflowId}/{node name}/{path}` without a webhook id); the URL the service is given is
 * `{task.webhook_base_url}/{that path}`. The node's static data (where registrations keep the
 * service's webhook id, secrets...) comes in the task and goes back changed in the result.
 */
const { NodeHelpers } = require('n8n-workflow');
const { HookContext, WebhookContext } = require('n8n-core');
const { CredentialStoreUnavailable } = require('./credentials');
const { RecordedResponse, webhookRequest } = require('./webhook_http');

/** @typedef {import('./run_node').NodeHostTask} NodeHostTask */
/** @typedef {import('./run_node').NodeHostResult} NodeHostResult */
/**
 * @typedef {object} NodeWebhook one (webhook description, HTTP method) of a node, n8n's IWebhookData
 * @property {string} httpMethod
 * @property {string} node
 * @property {string} path
 * @property {any} webhookDescription
 * @property {string} workflowId
 * @property {any} workflowExecuteAdditionalData
 */

/**
 * The node's webhooks, as n8n's WebhookService.getNodeWebhooks lists them (restart webhooks left out).
 * @param {import('n8n-workflow').Workflow} workflow
 * @param {import('n8n-workflow').INode} node
 * @param {any} additionalData
 * @returns {NodeWebhook[]}
 */
function nodeWebhooks(workflow, node, additionalData) {
  const nodeType = /** @type {any} */ (workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion));
  /** @type {NodeWebhook[]} */
  const webhooks = [];
  for (const description of nodeType?.description?.webhooks ?? []) {
    const expression = workflow.expression;
    if (expression.getSimpleParameterValue(node, description.restartWebhook, 'internal', {}, undefined, false) === true) continue;
    let path = expression.getSimpleParameterValue(node, description.path, 'internal', {});
    if (path === undefined) continue;
    path = String(path).replace(/^\//, '').replace(/\/$/, '');
    const isFullPath = expression.getSimpleParameterValue(node, description.isFullPath, 'internal', {}, undefined, false);
    const fullPath = NodeHelpers.getNodeWebhookPath(workflow.id, node, path, /** @type {boolean} */ (isFullPath), false);
    const methods = expression.getSimpleParameterValue(node, description.httpMethod, 'internal', {}, undefined, 'GET');
    if (methods === undefined) continue;
    for (const httpMethod of [methods].flat()) {
      webhooks.push({
        httpMethod: String(httpMethod).toUpperCase(),
        node: node.name,
        path: fullPath,
        webhookDescription: description,
        workflowId: workflow.id ?? '',
        workflowExecuteAdditionalData: additionalData,
      });
    }
  }
  return webhooks;
}

/**
 * `:name` segments of a webhook path match any segment and fill `params`.
 * @param {string} pattern
 * @param {string} actual
 * @returns {Record<string, string> | null}
 */
function matchPath(pattern, actual) {
  const want = pattern.split('/').filter(Boolean);
  const got = actual.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  /** @type {Record<string, string>} */
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/**
 * The description's response fields, evaluated as n8n's executeWebhook does.
 * @param {import('n8n-workflow').Workflow} workflow
 * @param {import('n8n-workflow').INode} node
 * @param {any} description
 * @param {import('n8n-workflow').WorkflowExecuteMode} mode
 */
function responseOptions(workflow, node, description, mode) {
  const expression = workflow.expression;
  return {
    response_mode: String(expression.getSimpleParameterValue(node, description.responseMode, mode, {}, undefined, 'onReceived')),
    response_code: Number(expression.getSimpleParameterValue(node, description.responseCode, mode, {}, undefined, 200)),
    response_data: expression.getComplexParameterValue(node, description.responseData, mode, {}, undefined, 'firstEntryJson') ?? null,
  };
}

/**
 * @param {any} error
 */
function rethrowInfrastructure(error) {
  if (error instanceof CredentialStoreUnavailable) throw error;
}

/**
 * Registration on activation (`create`: checkExists, then create when it does not exist) or
 * deactivation (`delete`). A failing create deletes what was registered, as n8n's
 * ActiveWorkflowManager clears a workflow's webhooks when its activation fails.
 * @param {import('./run_node').Prepared} prepared
 * @param {{action: 'create' | 'delete', activation?: string}} task
 * @returns {Promise<Partial<NodeHostResult> & {webhooks: any[]}>}
 */
async function setupWebhooks({ workflow, node, additionalData, mode, nodeType }, task) {
  const activation = /** @type {any} */ (task.activation ?? 'activate');
  const webhooks = nodeWebhooks(workflow, node, additionalData);
  const listed = webhooks.map((w) => ({ name: w.webhookDescription.name, http_method: w.httpMethod, path: w.path, url: `${additionalData.webhookBaseUrl}/${w.path}` }));
  /** @param {NodeWebhook} webhook @param {'checkExists' | 'create' | 'delete'} method */
  const call = async (webhook, method) => {
    const fn = nodeType.webhookMethods?.[webhook.webhookDescription.name]?.[method];
    if (typeof fn !== 'function') return undefined;
    return await fn.call(new HookContext(workflow, node, additionalData, mode, activation, /** @type {any} */ (webhook)));
  };
  if (task.action === 'delete') {
    for (const webhook of webhooks) {
      try {
        await call(webhook, 'delete');
      } catch (error) {
        rethrowInfrastructure(error);
        // n8n's deactivation goes on when the service refuses the delete.
      }
    }
    return { webhooks: listed };
  }
  try {
    for (const webhook of webhooks) {
      if (!(await call(webhook, 'checkExists'))) await call(webhook, 'create');
    }
  } catch (error) {
    rethrowInfrastructure(error);
    for (const webhook of webhooks) {
      try {
        await call(webhook, 'delete');
      } catch {
        // best effort, as n8n's clearWebhooks after a failed activation
      }
    }
    return { webhooks: listed, error: /** @type {any} */ (error) };
  }
  return { webhooks: listed };
}

/**
 * One request to a webhook of the node: its `webhook()` with the request, as n8n's
 * WebhookService.runWebhook. What the node wrote to the response object itself comes back in
 * `response` (with `no_webhook_response`), its `workflowData` in `outputs`.
 * @param {import('./run_node').Prepared} prepared
 * @param {any} request the contract's WireWebhookRequest
 * @returns {Promise<Record<string, any>>}
 */
async function runWebhook({ workflow, node, additionalData, mode, nodeType }, request) {
  const method = String(request.method).toUpperCase();
  let match;
  /** @type {Record<string, string> | null} */
  let params = null;
  for (const webhook of nodeWebhooks(workflow, node, additionalData)) {
    if (webhook.httpMethod !== method) continue;
    params = matchPath(webhook.path, request.path);
    if (params !== null) {
      match = webhook;
      break;
    }
  }
  if (match === undefined || params === null) return { found: false };
  if (typeof nodeType.webhook !== 'function') {
    return { found: true, error: new Error(`${node.type} has no webhook() method`) };
  }
  const response = new RecordedResponse();
  additionalData.httpRequest = webhookRequest(request, params);
  additionalData.httpResponse = response;
  const context = new WebhookContext(workflow, node, additionalData, mode, /** @type {any} */ (match), [], null);
  const options = responseOptions(workflow, node, match.webhookDescription, mode);
  let data;
  try {
    data = (await nodeType.webhook.call(context)) ?? {};
  } catch (error) {
    rethrowInfrastructure(error);
    return { found: true, webhook_name: match.webhookDescription.name, ...options, error: /** @type {any} */ (error) };
  }
  return {
    found: true,
    webhook_name: match.webhookDescription.name,
    ...options,
    outputs: data.workflowData ?? null,
    webhook_response: data.webhookResponse === undefined ? null : data.webhookResponse,
    has_webhook_response: data.webhookResponse !== undefined,
    no_webhook_response: data.noWebhookResponse === true,
    response: response.written ? response.toWire() : null,
  };
}

module.exports = { nodeWebhooks, matchPath, setupWebhooks, runWebhook };
