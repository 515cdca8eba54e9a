// Hive prelude, part 5: n8n's data proxies ($json, $input, $('Node'), $node, $items, …) and
// the entry points Python calls (setNode, evalBatch, runCode).
//
// Python pushes one node's data once (H.setNode); each evaluation then only passes item
// indices. Run data of other nodes is pushed on demand: touching a node that ran but was not
// pushed throws H.needNode(name); Python pushes the node again with it and starts over.
(function () {
  'use strict';
  const G = globalThis;
  const H = G.__hive;
  const { DateTime } = H;
  const xerr = H.xerr;
  const defineHidden = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const defineGetter = (obj, name, get) =>
    Object.defineProperty(obj, name, { get, configurable: true, enumerable: false });
  const SCRIPTING = new Set(['n8n-nodes-base.code', 'n8n-nodes-base.function', 'n8n-nodes-base.functionItem']);

  H.fn = Object.create(null);
  H.code = Object.create(null);
  H.item = 0;
  H.logs = [];
  let S = null;

  // ---------------------------------------------------------------- node state
  H.setNode = (d) => {
    S = d;
    H.now = d.now;
    H.tz = d.tz;
    H.seed(d.seed);
    H.resetTimers();
    H.need = [];
    H.item = 0;
    d.inputs = d.inputs && d.inputs.length ? d.inputs : [[]];
    // Like n8n before it runs a node: each input item is paired with its own position.
    d.inputs.forEach((items, k) => {
      if (!items) return;
      items.forEach((it, i) => {
        if (it && typeof it === 'object') it.pairedItem = k ? { item: i, input: k } : { item: i };
      });
    });
    S.inputs0 = d.inputs[0] || [];
    S.source = d.source || [];
    S.runData = d.runData || {};
    S.nodes = d.nodes || {};
    S.contexts = d.contexts || {};
    S.outputIndex = d.outputIndex || {};
    S.executed = new Set(d.executed || []);
    S.nodeNames = d.nodeNames ? new Set(d.nodeNames) : null;
    S.paramTemplates = d.paramTemplates || {};
    S.customData = d.customData || {};
    S.staticData = d.staticData || {};
    S.env = Object.freeze(Object.assign({}, d.env));
    S.vars = Object.freeze(Object.assign({}, d.vars));
    S.refs = new Map();
    S.nowDT = DateTime.fromMillis(d.now);
    S.todayDT = S.nowDT.set({ hour: 0, minute: 0, second: 0, millisecond: 0 });
    S.scripting = SCRIPTING.has(d.node.type);
  };

  // ---------------------------------------------------------------- errors (n8n's wording)
  const isNeed = (e) => e !== null && typeof e === 'object' && e.__need !== undefined;
  const pick = (normal, scripting) => (S.scripting && scripting ? scripting : normal);
  const notExecuted = (name) => xerr(`Node '${name}' hasn't been executed`, {
    description: 'An expression references this node, but the node is unexecuted. Consider re-wiring your nodes or checking for execution first, i.e. {{ $if( $("' + name + '").isExecuted, <action_if_executed>, "") }}',
    type: 'no_execution_data', nodeCause: name,
  });
  const noConnection = (name) => xerr('Invalid expression', {
    description: 'No path back to referenced node', type: 'paired_item_no_connection', nodeCause: name,
  });
  const missingPaired = (name, method) => xerr(
    `Paired item data for ${method} from node '${name}' is unavailable. Ensure '${name}' is providing the required output.`,
    { type: 'paired_item_no_info', nodeCause: name, description: `Missing pairedItem data (node '${name}' probably didn't supply it)` },
  );
  const invalidPaired = (name) => xerr(pick("Can't get data for expression", "Can't get data"), {
    description: 'Expression info invalid', type: 'paired_item_invalid_info', nodeCause: name,
  });
  const pairedNotFound = (dest, cause) => xerr(pick('Paired item resolution failed', 'Data not found'), {
    description: `Could not trace back to node '${dest}'`, type: 'paired_item_no_info', nodeCause: cause,
  });
  const branchNotFound = (node, item, cause) => xerr(pick('Branch not found', 'Invalid branch reference'), {
    description: `Item ${item} in node ${node} references a branch that doesn't exist.`, type: 'paired_item_invalid_info', nodeCause: cause,
  });
  const multipleMatches = (dest, item) => xerr(pick('Multiple matches found', 'Multiple matches'), {
    description: `Multiple matching items for item [${item}]`, type: 'paired_item_multiple_matches', nodeCause: dest,
  });
  const cantGetData = (description) => xerr(pick('Can’t get data for expression', 'Can’t get data'), {
    description, type: 'paired_item_intermediate_nodes',
  });

  // ---------------------------------------------------------------- run data access
  const checkNode = (name) => {
    if (S.nodeNames && !S.nodeNames.has(name) && !S.executed.has(name)) {
      throw xerr("Referenced node doesn't exist", { nodeCause: name, descriptionKey: 'nodeNotFound' });
    }
  };
  const runsOf = (name) => {
    const runs = S.runData[name];
    if (runs) return runs;
    if (S.executed.has(name)) throw H.needNode(name);
    return null;
  };
  const defaultBranch = (name) => (S.outputIndex[name] !== undefined ? S.outputIndex[name] : 0);
  const nodeOutput = (name, branch, runIndex) => {
    checkNode(name);
    const runs = runsOf(name);
    if (!runs) throw notExecuted(name);
    const r = runIndex === undefined || runIndex === null || runIndex === -1 ? runs.length - 1 : runIndex;
    if (r < 0 || r >= runs.length) throw xerr(`Run ${r} of node "${name}" not found`);
    const main = runs[r] && runs[r].data && runs[r].data.main;
    if (!main || !main.length || main[0] === null) throw xerr('No data found from `main` input');
    const b = branch === undefined || branch === null ? defaultBranch(name) : branch;
    if (main.length <= b) throw xerr(`Node "${name}" has no branch with index ${b}.`);
    return main[b] || [];
  };
  const nodeMeta = (name) => {
    const meta = S.nodes[name];
    if (meta) return meta;
    if (S.nodeNames && S.nodeNames.has(name)) throw H.needNode(name);
    return undefined;
  };
  const binaryView = (item) => {
    const out = {};
    if (!item || !item.binary) return out;
    for (const key of Object.keys(item.binary)) {
      const b = item.binary[key];
      const copy = {};
      for (const p in b) if (p !== 'data') copy[p] = b[p];
      out[key] = copy;
    }
    return out;
  };
  H.binaryView = binaryView;

  // ---------------------------------------------------------------- paired items
  const normalizePaired = (p) => {
    if (p === null || p === undefined) return [];
    return (Array.isArray(p) ? p : [p]).map((x) => (typeof x === 'number' ? { item: x } : x));
  };
  const getPairedItem = (dest, incoming, initial, method, nodeBeforeLast) => {
    const pairedItem = typeof initial === 'number' ? { item: initial } : initial;
    const src = pairedItem.sourceOverwrite || incoming;
    if (!src) throw pairedNotFound(dest, nodeBeforeLast);
    const runs = runsOf(src.previousNode);
    const task = runs ? runs[src.previousNodeRun || 0] : undefined;
    const outIndex = src.previousNodeOutput || 0;
    const outputs = task && task.data && task.data.main && task.data.main[outIndex];
    if (!outputs) {
      throw xerr(pick('Can’t get data for expression', 'Missing output'), {
        description: `Expected output #${outIndex} from node ${src.previousNode}`, type: 'internal', nodeCause: nodeBeforeLast,
      });
    }
    const item = outputs[pairedItem.item];
    const sourceArray = (task && task.source) || [];
    if (src.previousNode === dest) {
      if (pairedItem.item >= outputs.length) throw invalidPaired(src.previousNode);
      return item;
    }
    if (!item) throw invalidPaired(src.previousNode);
    const next = normalizePaired(item.pairedItem);
    if (!next.length) throw missingPaired(src.previousNode, method);
    const results = [];
    for (const np of next) {
      const inputIndex = np.input || 0;
      if (inputIndex >= sourceArray.length) continue;
      const nextSource = np.sourceOverwrite || sourceArray[inputIndex];
      try {
        results.push({ ok: true, v: getPairedItem(dest, nextSource, Object.assign({}, np, { input: inputIndex }), method, src.previousNode) });
      } catch (e) {
        if (isNeed(e)) throw e;
        results.push({ ok: false, e });
      }
    }
    if (results.length && results.every((r) => !r.ok)) throw results[0].e;
    const matched = results.filter((r) => r.ok).map((r) => r.v);
    if (!matched.length) {
      if (!sourceArray.length) throw noConnection(dest);
      throw branchNotFound(src.previousNode, pairedItem.item, nodeBeforeLast);
    }
    if (matched.slice(1).some((m) => m !== matched[0])) throw multipleMatches(dest, pairedItem.item);
    return matched[0];
  };
  const pairedItemFor = (name, method, itemIndex) => {
    checkNode(name);
    if (!S.executed.has(name)) throw notExecuted(name);
    if (itemIndex === undefined) {
      if (method === 'itemMatching') throw xerr('Missing item index for .itemMatching()');
      itemIndex = H.item;
    }
    const input = S.inputs0[itemIndex];
    if (!input) {
      throw cantGetData(`Some intermediate nodes between ‘${name}‘ and ‘${S.node.name}‘ have not executed yet.`);
    }
    const sources = S.source.filter(Boolean);
    if (!sources.length) throw cantGetData('Missing sourceData (probably an internal error)');
    const pairedItem = input.pairedItem || { item: itemIndex };
    const sourceData = S.source[pairedItem.input || 0] || S.source[0];
    try {
      return getPairedItem(name, sourceData, pairedItem, method);
    } catch (e) {
      if (isNeed(e) || !['paired_item_no_info', 'paired_item_no_connection'].includes(e.type)) throw e;
      // Lineage lost on the way, but the node produced exactly one item: that is the match.
      const out = nodeOutput(name);
      if (out.length === 1) return out[0];
      throw e;
    }
  };

  // ---------------------------------------------------------------- parameters
  const isResourceLocator = (v) => v !== null && typeof v === 'object' && v.__rl === true;
  const evalTemplateString = (raw) => {
    const id = S.paramTemplates[raw];
    if (id === undefined || !H.fn[id]) return raw.slice(1);
    return H.callTemplate(id, H.item);
  };
  const paramProxy = (name, resolve) => {
    const meta = name === undefined ? S.node : nodeMeta(name);
    const params = (meta && meta.parameters) || {};
    return new Proxy(params, {
      get(target, prop) {
        if (typeof prop !== 'string') return undefined;
        if (prop === 'toJSON') return () => params;
        if (!Object.prototype.hasOwnProperty.call(params, prop)) return undefined;
        let v = params[prop];
        if (v === `={{ $parameter.${prop} }}`) return undefined;
        if (isResourceLocator(v)) {
          if (v.__regex && typeof v.value === 'string') {
            const m = new RegExp(v.__regex).exec(v.value);
            v = m && m.length >= 2 ? m[1] : v.value;
          } else v = v.value;
        }
        if (resolve && typeof v === 'string' && v[0] === '=') return evalTemplateString(v);
        return v;
      },
    });
  };

  // ---------------------------------------------------------------- the proxies
  class NodeRef {
    constructor(name) { defineHidden(this, 'name', name); }
    get isExecuted() { return S.executed.has(this.name); }
    get item() { return pairedItemFor(this.name, 'item'); }
    pairedItem(i) { return pairedItemFor(this.name, 'pairedItem', i); }
    itemMatching(i) { return pairedItemFor(this.name, 'itemMatching', i); }
    first(branch, run) {
      if (!S.executed.has(this.name)) throw notExecuted(this.name);
      return nodeOutput(this.name, branch, run)[0];
    }
    last(branch, run) {
      if (!S.executed.has(this.name)) throw notExecuted(this.name);
      const d = nodeOutput(this.name, branch, run);
      return d[d.length - 1];
    }
    all(branch, run) {
      if (!S.executed.has(this.name)) throw notExecuted(this.name);
      return nodeOutput(this.name, branch, run);
    }
    get params() { const m = nodeMeta(this.name); return m ? m.parameters : undefined; }
    get context() { return S.contexts[this.name] || {}; }
  }
  defineHidden(G, '$', (name) => {
    if (!name) throw xerr('When calling $(), please specify a node');
    checkNode(name);
    let ref = S.refs.get(name);
    if (!ref) {
      ref = new NodeRef(name);
      S.refs.set(name, ref);
    }
    return ref;
  });

  const legacyData = (name, itemIndex, run) => {
    checkNode(name);
    const data = nodeOutput(name, undefined, run);
    if (!data.length) throw notExecuted(name);
    if (data.length <= itemIndex) {
      throw xerr(`"${name}" node has ${data.length} item(s) but you're trying to access item ${itemIndex}`, {
        description: `Adjust your expression to access an existing item index (0-${data.length - 1})`, nodeCause: name,
      });
    }
    return data[itemIndex];
  };
  const legacyNode = (name, itemIndex, run) => ({
    get json() { return legacyData(name, itemIndex(), run).json; },
    get data() { return legacyData(name, itemIndex(), run).json; },
    get binary() { return binaryView(legacyData(name, itemIndex(), run)); },
    get parameter() { return paramProxy(name, true); },
    get context() { return S.contexts[name] || {}; },
    get runIndex() {
      const runs = runsOf(name);
      return runs ? runs.length - 1 : -1;
    },
  });
  const nodeProxy = (itemIndex, run) => new Proxy({}, {
    get(_, prop) {
      if (typeof prop !== 'string') return undefined;
      checkNode(prop);
      return legacyNode(prop, itemIndex, run);
    },
  });
  const currentItem = () => H.item;
  defineGetter(G, '$node', () => nodeProxy(currentItem, -1));
  defineHidden(G, '$items', (name, outputIndex, runIndex) => {
    if (name === undefined) return S.inputs0;
    return nodeOutput(name, outputIndex || 0, runIndex === undefined ? -1 : runIndex);
  });
  defineHidden(G, '$item', (i, runIndex) => new Proxy({}, {
    get(_, prop) {
      switch (prop) {
        case '$node': return nodeProxy(() => i, runIndex === undefined ? -1 : runIndex);
        case '$json': case '$data': return (S.inputs0[i] || {}).json;
        case '$binary': return binaryView(S.inputs0[i]);
        case '$itemIndex': case '$position': case '$thisItemIndex': return i;
        case '$thisItem': return S.inputs0[i];
        default: return typeof prop === 'string' ? G[prop] : undefined;
      }
    },
  }));
  const requireInput = () => {
    if (!S.inputs0.length) throw xerr('No execution data available', { type: 'no_execution_data' });
  };
  const source0 = () => S.source.find(Boolean) || null;
  const $input = {
    get item() { requireInput(); return S.inputs0[H.item]; },
    all(inputIndex) { return (inputIndex ? S.inputs[inputIndex] : S.inputs0) || []; },
    first() { requireInput(); return S.inputs0[0]; },
    last() { requireInput(); return S.inputs0[S.inputs0.length - 1]; },
    get params() { const s = source0(); if (!s) return undefined; const m = nodeMeta(s.previousNode); return m ? m.parameters : undefined; },
    get context() { const s = source0(); return s ? S.contexts[s.previousNode] || {} : {}; },
  };
  defineHidden(G, '$input', $input);
  defineGetter(G, '$prevNode', () => {
    const s = S.source[0];
    return {
      name: s ? s.previousNode : undefined,
      outputIndex: s ? s.previousNodeOutput || 0 : undefined,
      runIndex: s ? s.previousNodeRun || 0 : undefined,
    };
  });
  defineGetter(G, '$parameter', () => paramProxy(undefined, true));
  defineGetter(G, '$rawParameter', () => paramProxy(undefined, false));
  defineGetter(G, '$workflow', () => Object.assign({}, S.workflow));
  const customData = {
    set(key, value) { S.customData[String(key)] = String(value); },
    setAll(obj) { for (const k of Object.keys(obj || {})) customData.set(k, obj[k]); },
    get(key) { return S.customData[key]; },
    getAll() { return Object.assign({}, S.customData); },
  };
  defineGetter(G, '$execution', () => ({
    id: S.execution.id,
    mode: S.mode === 'manual' ? 'test' : 'production',
    resumeUrl: S.execution.resumeUrl,
    resumeFormUrl: S.execution.resumeFormUrl,
    customData,
  }));
  defineGetter(G, '$env', () => S.env);
  defineGetter(G, '$vars', () => S.vars);
  defineGetter(G, '$secrets', () => ({}));
  defineGetter(G, '$now', () => S.nowDT);
  defineGetter(G, '$today', () => S.todayDT);
  defineGetter(G, '$runIndex', () => S.runIndex);
  defineGetter(G, '$thisRunIndex', () => S.runIndex);
  defineGetter(G, '$mode', () => S.mode);
  defineGetter(G, '$nodeVersion', () => S.node.typeVersion);
  defineGetter(G, '$nodeId', () => S.node.id);
  defineGetter(G, '$webhookId', () => S.node.webhookId);
  defineGetter(G, '$self', () => ({}));
  defineHidden(G, '$jmespath', (data, query) => H.jmespath(data, query));
  defineHidden(G, '$jmesPath', (data, query) => H.jmespath(data, query));
  defineHidden(G, '$fromAI', () => { throw xerr('$fromAI() is only available in nodes used as AI tools'); });
  defineHidden(G, '$evaluateExpression', (expression, itemIndex) => {
    const parts = String(expression).split(/\{\{([\s\S]*?)\}\}/);
    const i = itemIndex || H.item;
    const item = S.inputs0[i];
    const json = item ? item.json : undefined;
    const evalPart = (code) => new G.Function('$json', '$binary', '$itemIndex', `return (\n${code}\n);`)(json, binaryView(item), i);
    if (parts.length === 3 && parts[0] === '' && parts[2] === '') return evalPart(parts[1]);
    return parts.map((p, k) => (k % 2 ? H.part(() => evalPart(p)) : p)).join('');
  });

  // ---------------------------------------------------------------- console capture
  const MAX_LOG = 1000;
  const format = (args) => args.map((a) => {
    if (typeof a === 'string') return a;
    if (a instanceof Error) return `${a.name}: ${a.message}`;
    if (a === undefined) return 'undefined';
    if (typeof a === 'function') return `[Function: ${a.name || 'anonymous'}]`;
    const s = H.toJson(a);
    return s === undefined ? String(a) : s;
  }).join(' ');
  const logAt = (level) => (...args) => {
    if (H.logs.length < MAX_LOG) H.logs.push([level, format(args).slice(0, 10000)]);
  };
  H.console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) H.console[level] = logAt(level);
  for (const name of ['dir', 'table']) H.console[name] = logAt('log');
  for (const name of ['time', 'timeEnd', 'timeLog', 'assert', 'clear', 'count', 'countReset', 'group', 'groupEnd',
    'groupCollapsed', 'dirxml', 'profile', 'profileEnd', 'timeStamp']) H.console[name] = () => {};
  defineHidden(G, 'console', H.console);

  // ---------------------------------------------------------------- evaluation
  const lenientSwallows = (e) => S.lenient && !(e && (e.__n8n || e.__need !== undefined));
  H.part = (fn) => {
    let v;
    try { v = fn(); } catch (e) { if (lenientSwallows(e)) v = undefined; else throw e; }
    return v || v === 0 || v === false ? v : '';
  };
  H.callTemplate = (id, i) => {
    const prev = H.item;
    H.item = i;
    try {
      const item = S.inputs0[i];
      const json = item ? item.json : undefined;
      const binary = item && item.binary ? binaryView(item) : {};
      return H.fn[id](json, binary, i, i, item, i, json);
    } finally {
      H.item = prev;
    }
  };
  const finalize = (v) => {
    if (typeof v === 'function') {
      throw xerr(v === DateTime ? 'this is a DateTime, please access its methods' : 'this is a function, please add ()');
    }
    return v;
  };
  H.errorInfo = (e, codeId) => {
    if (isNeed(e)) return { need: e.__need };
    if (e === null || (typeof e !== 'object' && typeof e !== 'function')) {
      return { name: 'Error', message: H.toJson(e) === undefined ? String(e) : H.toJson(e), nonError: true };
    }
    const info = { name: String(e.name || 'Error'), message: String(e.message === undefined ? '' : e.message), n8n: !!e.__n8n };
    if (e.description) info.description = String(e.description);
    if (e.type) info.type = String(e.type);
    if (codeId !== undefined) {
      const m = new RegExp(`hive-code-${codeId}\\.js:(\\d+):(\\d+)`).exec(String(e.stack || ''));
      if (m) info.line = +m[1] - 1;
    }
    return info;
  };
  const finish = (payload) => {
    H.drainJobs();
    H.cleanGlobals();
    payload.need = H.need;
    payload.customData = S.customData;
    payload.staticData = S.staticData;
    return H.toJson(payload);
  };
  // Evaluates template `ids` for each input item in `items` from `start`; stops early after
  // `budget` ms of wall time so one call stays well inside the per-call timeout.
  H.evalBatch = (req) => {
    H.need = [];
    const t0 = H.realNow();
    const rows = [];
    let next = null;
    for (let k = req.start; k < req.items.length; k++) {
      const i = req.items[k];
      H.item = i;
      const item = S.inputs0[i];
      const json = item ? item.json : undefined;
      const binary = item && item.binary ? binaryView(item) : {};
      const vals = new Array(req.ids.length);
      let failed = null;
      for (let s = 0; s < req.ids.length; s++) {
        H.slot = s;
        try {
          vals[s] = finalize(H.fn[req.ids[s]](json, binary, i, i, item, i, json));
        } catch (e) {
          if (lenientSwallows(e) && !(e && e.__n8n)) { vals[s] = undefined; continue; }
          failed = { e: H.errorInfo(e), s };
          break;
        }
      }
      rows.push(failed || vals);
      if (H.need.length) break;
      if (H.realNow() - t0 > req.budget && k + 1 < req.items.length) { next = k + 1; break; }
    }
    return finish({ r: rows, next });
  };

  // ---------------------------------------------------------------- Code / Function nodes
  const requireStub = (name) => { throw new Error(`Module '${name}' is disallowed`); };
  const staticDataFor = (type) => {
    const key = type === 'node' ? 'node' : 'global';
    if (!S.staticData[key] || typeof S.staticData[key] !== 'object') S.staticData[key] = {};
    return S.staticData[key];
  };
  // `this` of Code node code: n8n's binary helpers over the items' inline (base64) data. Stored
  // files are loaded into `data` before the run and new files stored after it (n8n_runtime.code_binary).
  const codeThis = {
    helpers: {
      getBinaryDataBuffer: (itemIndex, prop) => {
        const item = S.inputs0[itemIndex];
        const b = item && item.binary ? item.binary[prop] : undefined;
        if (!b) throw new Error(`The item has no binary field '${prop}' [item ${itemIndex}]`);
        if (!b.data || b.data === 'filesystem-v2') throw new Error(`The binary data of '${prop}' could not be loaded`);
        return Promise.resolve(Buffer.from(b.data, 'base64'));
      },
      prepareBinaryData: (data, filePath, mimeType) => {
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
        return Promise.resolve({ __hivePrepare: true, data: bytes.toString('base64'), filePath, mimeType });
      },
      binaryToBuffer: (data) => Promise.resolve(Buffer.from(data)),
      binaryToString: (data, encoding) => Promise.resolve(Buffer.from(data).toString(encoding || 'utf8')),
    },
  };
  const runOne = (fn, i, mode, kind) => {
    H.item = i;
    const item = S.inputs0[i];
    const json = item ? item.json : undefined;
    const binary = item && item.binary ? binaryView(item) : {};
    let binaryOut = item ? item.binary : undefined;
    const itemArg = mode === 'all' ? undefined : kind === 'functionItem' ? json : item;
    const r = H.settle(fn.call(codeThis, json, binary, i, i, item, i, json, mode === 'all' ? S.inputs0 : undefined, itemArg,
      H.console, requireStub, () => binaryOut, (b) => { binaryOut = b; }, staticDataFor, staticDataFor));
    if (!r.ok) return { ok: false, error: r.error };
    return kind === 'functionItem' ? { ok: true, value: r.value, binary: binaryOut } : { ok: true, value: r.value };
  };
  H.runCode = (req) => {
    H.need = [];
    H.logs = [];
    const fn = H.code[req.id];
    const describe = (res) => (res.ok ? { ok: true, v: res.value, binary: res.binary } : { ok: false, error: H.errorInfo(res.error, req.id) });
    if (req.mode === 'all') {
      let res;
      try { res = describe(runOne(fn, 0, 'all', req.kind)); } catch (e) { res = { ok: false, error: H.errorInfo(e, req.id) }; }
      return finish({ r: [res], next: null, logs: H.logs });
    }
    const t0 = H.realNow();
    const rows = [];
    let next = null;
    for (let i = req.start; i < S.inputs0.length; i++) {
      let res;
      try { res = describe(runOne(fn, i, 'each', req.kind)); } catch (e) { res = { ok: false, error: H.errorInfo(e, req.id) }; }
      rows.push(res);
      if (H.need.length || (!res.ok && !req.continueOnFail)) break;
      if (H.realNow() - t0 > req.budget && i + 1 < S.inputs0.length) { next = i + 1; break; }
    }
    return finish({ r: rows, next, logs: H.logs });
  };

  // Where a runaway evaluation was when V8 terminated it.
  H.where = () => H.toJson({ item: H.item, slot: H.slot === undefined ? null : H.slot });
  H.snapshotGlobals();
})();
