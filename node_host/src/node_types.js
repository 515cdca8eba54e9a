'use strict';
/**
 * n8n's node and credential types, read from the installed n8n-nodes-base package.
 *
 * `package.json` of n8n-nodes-base lists every compiled `X.node.js` / `X.credentials.js` file
 * (`n8n.nodes`, `n8n.credentials`); a file exports a class named like the file. Node files are
 * loaded on first use only: loading all 439 costs seconds and hundreds of MB.
 */
const path = require('node:path');

const PACKAGE = 'n8n-nodes-base';

/** @typedef {import('n8n-workflow').INodeType} INodeType */
/** @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType */
/** @typedef {import('n8n-workflow').ICredentialType} ICredentialType */

/**
 * @param {string} pkg
 * @returns {{ root: string, version: string, nodes: string[], credentials: string[] }}
 */
function packageFiles(pkg = PACKAGE) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath);
  return {
    root: path.dirname(manifestPath),
    version: manifest.version,
    nodes: manifest.n8n?.nodes ?? [],
    credentials: manifest.n8n?.credentials ?? [],
  };
}

/**
 * `dist/nodes/Markdown/Markdown.node.js` → `Markdown`.
 * @param {string} file
 */
function className(file) {
  return path.basename(file).replace(/\.(node|credentials)(\.ee)?\.js$/, '');
}

/**
 * @param {string} file absolute path
 * @returns {any}
 */
function instantiate(file) {
  const exported = require(file);
  const Class = exported[className(file)] ?? Object.values(exported)[0];
  return new Class();
}

class NodeTypes {
  /** @param {string} [pkg] */
  constructor(pkg = PACKAGE) {
    const files = packageFiles(pkg);
    this.version = files.version;
    this.prefix = `${pkg}.`;
    /** @type {Map<string, string>} lowercased short name → file */
    this.files = new Map();
    for (const rel of files.nodes) {
      this.files.set(className(rel).toLowerCase(), path.join(files.root, rel));
    }
    /** @type {Map<string, INodeType | IVersionedNodeType>} */
    this.loaded = new Map();
    /** @type {Map<string, string>} full type name → file, filled as files load */
    this.byType = new Map();
    /** @type {Map<string, string>} */
    this.credentialFiles = new Map();
    for (const rel of files.credentials) {
      this.credentialFiles.set(className(rel), path.join(files.root, rel));
    }
    /** @type {Map<string, ICredentialType>} */
    this.credentialTypes = new Map();
    /** @type {Map<string, string> | null} */
    this.credentialIndex = null;
  }

  /**
   * The file that defines `type`. n8n names node files after the node's class, which is not
   * always the type's short name (`n8n-nodes-base.set` is `Set`, `httpRequest` is
   * `HttpRequest`), so we match case-insensitively and fall back to a scan.
   * @param {string} type
   * @returns {string | undefined}
   */
  fileOf(type) {
    if (this.byType.has(type)) return this.byType.get(type);
    if (!type.startsWith(this.prefix)) return undefined;
    const short = type.slice(this.prefix.length).toLowerCase();
    const guess = this.files.get(short);
    if (guess !== undefined && this.typeOf(guess) === type) return guess;
    for (const file of this.files.values()) {
      if (this.typeOf(file) === type) return file;
    }
    return undefined;
  }

  /**
   * The full type name a file defines (undefined if it does not load).
   * @param {string} file
   * @returns {string | undefined}
   */
  typeOf(file) {
    try {
      return this.prefix + /** @type {any} */ (this.load(file)).description.name;
    } catch {
      return undefined;
    }
  }

  /**
   * @param {string} file
   * @returns {INodeType | IVersionedNodeType}
   */
  load(file) {
    let instance = this.loaded.get(file);
    if (instance === undefined) {
      instance = instantiate(file);
      this.loaded.set(file, /** @type {any} */ (instance));
      this.byType.set(this.prefix + /** @type {any} */ (instance).description.name, file);
    }
    return /** @type {any} */ (instance);
  }

  /**
   * @param {string} type
   * @returns {INodeType | IVersionedNodeType}
   */
  getByName(type) {
    const file = this.fileOf(type);
    if (file === undefined) throw new Error(`Unrecognized node type: ${type}`);
    return this.load(file);
  }

  /**
   * @param {string} type
   * @param {number} [version]
   * @returns {INodeType}
   */
  getByNameAndVersion(type, version) {
    // n8n's Workflow skips nodes whose type is unknown (undefined), e.g. AI nodes around this one.
    const file = this.fileOf(type);
    if (file === undefined) return /** @type {any} */ (undefined);
    const instance = /** @type {any} */ (this.load(file));
    if (typeof instance.getNodeType === 'function') return instance.getNodeType(version);
    return instance;
  }

  getKnownTypes() {
    return {};
  }

  /**
   * @param {string} name
   * @returns {ICredentialType | undefined}
   */
  credentialType(name) {
    let type = this.credentialTypes.get(name);
    if (type !== undefined) return type;
    let file = this.credentialFiles.get(name.charAt(0).toUpperCase() + name.slice(1));
    if (file === undefined) file = this.scanCredentials(name);
    if (file === undefined) return undefined;
    type = instantiate(file);
    if (type === undefined || type.name !== name) {
      file = this.scanCredentials(name);
      if (file === undefined) return undefined;
      type = instantiate(file);
    }
    this.credentialTypes.set(name, /** @type {ICredentialType} */ (type));
    return type;
  }

  /**
   * @param {string} name
   * @returns {string | undefined}
   */
  scanCredentials(name) {
    if (this.credentialIndex === null) {
      this.credentialIndex = new Map();
      for (const file of this.credentialFiles.values()) {
        try {
          this.credentialIndex.set(instantiate(file).name, file);
        } catch {
          // a credential file that does not load is simply not offered
        }
      }
    }
    return this.credentialIndex.get(name);
  }
}

module.exports = { NodeTypes, packageFiles, className, instantiate, PACKAGE };
