'use strict';
/**
 * The express request and response objects a node's `webhook()` reads and writes
 * (`getRequestObject()`, `getResponseObject()`), rebuilt from the request Hive's API received and
 * recorded so the API can answer with what the node wrote (`res.status(403).json(...)`).
 */

/**
 * n8n's express request: parsed body, lowercased headers, query, path params, `rawBody` (Buffer).
 * @param {{method: string, path: string, headers?: Record<string, string>, query?: Record<string, any>, body?: any, raw_body?: string | null}} request
 * @param {Record<string, string>} params
 * @returns {any}
 */
function webhookRequest(request, params) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [key, value] of Object.entries(request.headers ?? {})) headers[key.toLowerCase()] = value;
  const rawBody = Buffer.from(request.raw_body ?? '', 'base64');
  const contentType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const get = (/** @type {string} */ name) => headers[name.toLowerCase()];
  return {
    method: String(request.method).toUpperCase(),
    path: `/webhook/${request.path}`,
    url: `/webhook/${request.path}`,
    originalUrl: `/webhook/${request.path}`,
    headers,
    query: request.query ?? {},
    params,
    body: request.body ?? {},
    rawBody,
    readRawBody: async () => {},
    contentType,
    ip: headers['x-forwarded-for']?.split(',')[0]?.trim() ?? '127.0.0.1',
    get,
    header: get,
    on: () => {},
    once: () => {},
  };
}

/** An express response that records status, headers and body instead of sending them. */
class RecordedResponse {
  constructor() {
    this.statusCode = 200;
    /** @type {Record<string, string>} */
    this.headers = {};
    /** @type {Buffer[]} */
    this.chunks = [];
    /** @type {any} */
    this.jsonBody = undefined;
    this.written = false;
    this.headersSent = false;
    this.writableEnded = false;
  }

  /** @param {number} code */
  status(code) {
    this.statusCode = code;
    this.written = true;
    return this;
  }

  /** @param {number} code */
  sendStatus(code) {
    return this.status(code).end();
  }

  /** @param {string | Record<string, string>} name @param {any} [value] */
  set(name, value) {
    if (typeof name === 'object') {
      for (const [k, v] of Object.entries(name)) this.set(k, v);
    } else {
      this.headers[name.toLowerCase()] = String(value);
    }
    this.written = true;
    return this;
  }

  /** @param {string} name @param {any} value */
  setHeader(name, value) {
    return this.set(name, value);
  }

  /** @param {string} name @param {any} value */
  header(name, value) {
    return this.set(name, value);
  }

  /** @param {string} name */
  getHeader(name) {
    return this.headers[name.toLowerCase()];
  }

  /** @param {string} value */
  type(value) {
    return this.set('content-type', value.includes('/') ? value : value === 'json' ? 'application/json' : `text/${value}`);
  }

  /** @param {number} code @param {Record<string, string>} [headers] */
  writeHead(code, headers = {}) {
    this.status(code);
    return this.set(headers);
  }

  /** @param {any} body */
  json(body) {
    this.headers['content-type'] ??= 'application/json; charset=utf-8';
    this.jsonBody = body;
    return this.end();
  }

  /** @param {any} body */
  send(body) {
    if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return this.json(body);
    if (typeof body === 'string') this.headers['content-type'] ??= 'text/html; charset=utf-8';
    return this.end(body);
  }

  /** @param {string} url */
  redirect(url) {
    return this.status(302).set('location', url).end();
  }

  /** @param {any} chunk */
  write(chunk) {
    if (chunk !== undefined && chunk !== null) this.chunks.push(Buffer.from(chunk));
    this.written = true;
    return true;
  }

  /** @param {any} [chunk] */
  end(chunk) {
    this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    return this;
  }

  on() {
    return this;
  }

  once() {
    return this;
  }

  flushHeaders() {}

  /** The contract's WireWebhookResponse. */
  toWire() {
    const bytes = Buffer.concat(this.chunks);
    return {
      status: this.statusCode,
      headers: this.headers,
      body: this.jsonBody === undefined ? null : JSON.parse(JSON.stringify(this.jsonBody)),
      body_base64: this.jsonBody === undefined && bytes.length ? bytes.toString('base64') : null,
    };
  }
}

module.exports = { RecordedResponse, webhookRequest };
