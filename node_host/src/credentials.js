'use strict';
/**
 * Credentials for n8n nodes, resolved from Hive's credential store over HTTP.
 *
 * Contract (TEAM.md): `POST {apiUrl}/api/internal/credentials/resolve` with `X-API-Key`, body
 * `{type, id, name}` → 200 `{id, name, type, data}` or 404 `{error}`; refreshed OAuth2 token data
 * goes back with `PUT {apiUrl}/api/internal/credentials/{id}/data` body `{data}`. Secrets live
 * only in this process's memory for the duration of one node run; they never enter the activity's
 * input or output.
 */
const { ICredentialsHelper, NodeHelpers, isExpression, NodeOperationError } = require('n8n-workflow');

/** @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} CredentialData */
/** @typedef {import('n8n-workflow').INodeCredentialsDetails} CredentialRef */
/** @typedef {import('n8n-workflow').INodeProperties} INodeProperties */
/** @typedef {import('./node_types').NodeTypes} NodeTypes */

/** A credential the store does not hold, or that the store refused: the node's own error. */
class CredentialNotFound extends Error {}

/** The store could not be reached: infrastructure, Temporal retries the activity. */
class CredentialStoreUnavailable extends Error {}

class HiveCredentialStore {
  /**
   * @param {{ apiUrl?: string, apiKey?: string, fetchImpl?: typeof fetch }} options
   */
  constructor({ apiUrl, apiKey, fetchImpl }) {
    this.apiUrl = apiUrl ? apiUrl.replace(/\/+$/, '') : undefined;
    this.apiKey = apiKey ?? '';
    this.fetch = fetchImpl ?? fetch;
  }

  /**
   * @param {string} type
   * @param {CredentialRef} ref
   * @returns {Promise<{id: string, name: string, type: string, data: CredentialData}>}
   */
  async resolve(type, ref) {
    const label = `"${ref.name ?? ref.id ?? '?'}" (${type})`;
    if (this.apiUrl === undefined) {
      throw new CredentialNotFound(
        `Credential ${label} is not available: the node host has no credential store (set HIVE_API_URL)`,
      );
    }
    let response;
    try {
      response = await this.fetch(`${this.apiUrl}/api/internal/credentials/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
        body: JSON.stringify({ type, id: ref.id ?? null, name: ref.name ?? null }),
      });
    } catch (error) {
      throw new CredentialStoreUnavailable(
        `Hive's credential store at ${this.apiUrl} is unreachable: ${/** @type {Error} */ (error).message}`,
      );
    }
    if (response.status === 404 || response.status === 422 || response.status === 400) {
      const body = await response.json().catch(() => ({}));
      throw new CredentialNotFound(`Credential ${label} not found in Hive's credential store${body.error ? `: ${body.error}` : ''}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new CredentialStoreUnavailable(`Hive's credential store refused the node host's key (HTTP ${response.status})`);
    }
    if (!response.ok) {
      throw new CredentialStoreUnavailable(`Hive's credential store answered HTTP ${response.status}`);
    }
    return await response.json();
  }

  /**
   * @param {string} id
   * @param {CredentialData} data
   */
  async update(id, data) {
    if (this.apiUrl === undefined) return;
    const response = await this.fetch(`${this.apiUrl}/api/internal/credentials/${encodeURIComponent(id)}/data`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
      body: JSON.stringify({ data }),
    });
    if (!response.ok) throw new CredentialStoreUnavailable(`storing refreshed credential data: HTTP ${response.status}`);
  }
}

/**
 * n8n's ICredentialsHelper over Hive's store; the authentication logic follows n8n's own
 * CredentialsHelper (generic `authenticate` blocks with `={{$credentials.x}}` expressions).
 */
class HiveCredentialsHelper extends ICredentialsHelper {
  /**
   * @param {HiveCredentialStore} store
   * @param {NodeTypes} types
   */
  constructor(store, types) {
    super();
    this.store = store;
    this.types = types;
  }

  /**
   * @param {string} name
   * @returns {import('n8n-workflow').ICredentialType}
   */
  credentialType(name) {
    const type = this.types.credentialType(name);
    if (type === undefined) throw new CredentialNotFound(`Unknown credential type "${name}"`);
    return type;
  }

  /** @param {string} name @returns {string[]} */
  getParentTypes(name) {
    const type = this.types.credentialType(name);
    if (type?.extends === undefined) return [];
    /** @type {string[]} */
    const parents = [];
    for (const parent of type.extends) parents.push(parent, ...this.getParentTypes(parent));
    return parents;
  }

  /** @param {string} type @returns {INodeProperties[]} */
  getCredentialsProperties(type) {
    const credentialType = this.credentialType(type);
    if (credentialType.extends === undefined) {
      if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
        return [
          ...credentialType.properties,
          { displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
        ];
      }
      return credentialType.properties;
    }
    /** @type {INodeProperties[]} */
    const combined = [];
    for (const parent of credentialType.extends) {
      NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
    }
    NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
    return combined;
  }

  /**
   * @param {CredentialRef} ref
   * @param {string} type
   * @returns {Promise<import('n8n-workflow').ICredentials>}
   */
  async getCredentials(ref, type) {
    const stored = await this.store.resolve(type, ref);
    return /** @type {any} */ ({
      id: stored.id,
      name: stored.name,
      type,
      data: undefined,
      getData: () => stored.data,
      getDataToSave: () => ({ id: stored.id, name: stored.name, type, data: '' }),
      setData: () => {
        throw new Error('credentials are read-only on the node host');
      },
    });
  }

  /**
   * @param {import('n8n-workflow').IWorkflowExecuteAdditionalData} _additionalData
   * @param {CredentialRef} ref
   * @param {string} type
   * @param {import('n8n-workflow').WorkflowExecuteMode} mode
   * @param {import('n8n-workflow').IExecuteData} [executeData]
   * @param {boolean} [raw]
   * @param {import('n8n-workflow').ICredentialsExpressionResolveValues} [resolveValues]
   * @returns {Promise<CredentialData>}
   */
  async getDecrypted(_additionalData, ref, type, mode, executeData, raw, resolveValues) {
    const stored = await this.store.resolve(type, ref);
    if (stored.id && ref.id !== stored.id) ref.id = stored.id;
    if (raw === true) return { ...stored.data };
    const withDefaults = /** @type {CredentialData} */ (
      NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), /** @type {any} */ ({ ...stored.data }), true, false, null, null)
    );
    if (stored.data.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.data.oauthTokenData;
    if (resolveValues === undefined) return withDefaults;
    return /** @type {CredentialData} */ (
      resolveValues.workflow.expression.getParameterValue(
        /** @type {any} */ (withDefaults),
        resolveValues.runExecutionData,
        resolveValues.runIndex,
        resolveValues.itemIndex,
        resolveValues.node.name,
        resolveValues.connectionInputData,
        mode,
        {},
        executeData,
        false,
        withDefaults,
      )
    );
  }

  /**
   * @param {CredentialData} credentials
   * @param {string} typeName
   * @param {any} requestOptions
   * @param {import('n8n-workflow').Workflow} workflow
   * @param {import('n8n-workflow').INode} node
   * @returns {Promise<import('n8n-workflow').IHttpRequestOptions>}
   */
  async authenticate(credentials, typeName, requestOptions, workflow, node) {
    const { authenticate } = this.credentialType(typeName);
    if (authenticate === undefined) return requestOptions;
    if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
    if (authenticate.type !== 'generic') return requestOptions;
    /** @param {string} value */
    const resolve = (value) => {
      if (!isExpression(value)) return value;
      const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
      return resolved ? String(resolved) : '';
    };
    for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
      requestOptions[outerKey] ??= {};
      for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (entries))) {
        requestOptions[outerKey][resolve(key)] = resolve(value);
      }
    }
    return requestOptions;
  }

  /**
   * @param {import('n8n-workflow').IHttpRequestHelper} helpers
   * @param {CredentialData} credentials
   * @param {string} typeName
   * @param {import('n8n-workflow').INode} node
   * @param {boolean} expired
   * @returns {Promise<CredentialData | undefined>}
   */
  async preAuthentication(helpers, credentials, typeName, node, expired) {
    const credentialType = this.credentialType(typeName);
    const expirable = credentialType.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
    if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') return undefined;
    if (credentials[expirable.name] !== '' && !expired) return undefined;
    const output = await credentialType.preAuthentication.call(helpers, credentials);
    if (output[expirable.name] === undefined) return undefined;
    const updated = /** @type {CredentialData} */ ({ ...credentials, ...output });
    const ref = node.credentials?.[typeName];
    if (ref?.id) await this.store.update(ref.id, updated);
    return updated;
  }

  /** @param {CredentialRef} ref @param {string} _type @param {CredentialData} data */
  async updateCredentials(ref, _type, data) {
    if (ref.id) await this.store.update(ref.id, data);
  }

  /** @param {CredentialRef} ref @param {string} type @param {CredentialData} data */
  async updateCredentialsOauthTokenData(ref, type, data) {
    if (!ref.id) return;
    const current = await this.store.resolve(type, ref);
    await this.store.update(ref.id, { ...current.data, oauthTokenData: data.oauthTokenData });
  }
}

module.exports = { HiveCredentialStore, HiveCredentialsHelper, CredentialNotFound, CredentialStoreUnavailable, NodeOperationError };
