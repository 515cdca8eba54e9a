// Hive prelude, part 1: sandbox hardening and a deterministic runtime.
//
// Loaded once per V8 context. Everything user code can observe must be a function of the
// inputs Hive pushes (workflow time, seed, data): no wall clock, no host locale or time zone,
// no native microtasks (mini-racer runs those outside any timeout, see _async.py).
(function () {
  'use strict';
  const G = globalThis;
  const NativeDate = Date;
  const NativePromise = Promise;
  const NativeFunction = Function;
  const nativeEval = G.eval;
  const defineHidden = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  // mini-racer declares setTimeout & co. with `var`: such globals cannot be deleted or
  // redefined, only overwritten.
  const defineGlobal = (name, value) => {
    try {
      defineHidden(G, name, value);
    } catch (e) {
      G[name] = value;
    }
  };

  const H = {};
  Object.defineProperty(G, '__hive', { value: H, writable: false, configurable: false, enumerable: false });
  // Wall clock, only for splitting long batches into several calls; never reaches results.
  H.realNow = () => NativeDate.now();
  H.now = 0;

  // --- globals that are nondeterministic, host-facing or create native promises -------------
  for (const name of [
    'FinalizationRegistry', 'WeakRef', 'WebAssembly', 'Temporal', 'AsyncDisposableStack',
    '__timer_manager', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'console',
  ]) {
    try {
      delete G[name];
    } catch (e) {
      G[name] = undefined;
    }
  }
  delete Atomics.wait;
  delete Atomics.waitAsync;
  delete Array.fromAsync;

  // --- eval / Function cannot smuggle in native async code ---------------------------------
  const FORBIDDEN_SOURCE = /\b(async|await|import)\b/;
  const guardSource = (parts) => {
    for (const p of parts) {
      if (FORBIDDEN_SOURCE.test(String(p))) {
        throw new SyntaxError('async/await and import() are not supported in eval() or new Function() in Hive');
      }
    }
  };
  const SafeFunction = function Function(...args) {
    guardSource(args);
    return NativeFunction(...args);
  };
  SafeFunction.prototype = NativeFunction.prototype;
  defineHidden(NativeFunction.prototype, 'constructor', SafeFunction);
  defineHidden(G, 'Function', SafeFunction);
  const NativeGeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
  const SafeGeneratorFunction = function GeneratorFunction(...args) {
    guardSource(args);
    return NativeGeneratorFunction(...args);
  };
  SafeGeneratorFunction.prototype = NativeGeneratorFunction.prototype;
  defineHidden(NativeGeneratorFunction.prototype, 'constructor', SafeGeneratorFunction);
  defineHidden(G, 'eval', function (src) {
    if (typeof src === 'string') guardSource([src]);
    return nativeEval(src);
  });

  // --- deterministic random: sfc32 seeded per node -----------------------------------------
  let ra = 1, rb = 2, rc = 3, rd = 4;
  H.seed = (s) => {
    [ra, rb, rc, rd] = s.map((x) => x >>> 0);
    for (let i = 0; i < 12; i++) H.random();
  };
  H.random = () => {
    ra >>>= 0; rb >>>= 0; rc >>>= 0; rd >>>= 0;
    let t = (ra + rb) | 0;
    ra = rb ^ (rb >>> 9);
    rb = (rc + (rc << 3)) | 0;
    rc = (rc << 21) | (rc >>> 11);
    rd = (rd + 1) | 0;
    t = (t + rd) | 0;
    rc = (rc + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  defineHidden(Math, 'random', function random() { return H.random(); });

  // --- locale and time zone never come from the host ---------------------------------------
  const LOCALE = 'en-US';
  for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat',
    'ListFormat', 'Segmenter', 'DisplayNames', 'DurationFormat']) {
    const Native = Intl[name];
    if (!Native) continue;
    const isDtf = name === 'DateTimeFormat';
    const Wrapped = function (locales, options) {
      if (locales === undefined) locales = LOCALE;
      if (isDtf && (options === undefined || options.timeZone === undefined)) {
        options = Object.assign({}, options, { timeZone: 'UTC' });
      }
      return Reflect.construct(Native, [locales, options], new.target || Wrapped);
    };
    Wrapped.prototype = Native.prototype;
    Wrapped.supportedLocalesOf = Native.supportedLocalesOf;
    defineHidden(Intl, name, Wrapped);
  }
  const withLocale = (proto, name, tz) => {
    const nat = proto[name];
    defineHidden(proto, name, function (locales, options) {
      if (tz && (options === undefined || options.timeZone === undefined)) {
        options = Object.assign({}, options, { timeZone: 'UTC' });
      }
      return nat.call(this, locales === undefined ? LOCALE : locales, options);
    });
  };
  withLocale(Number.prototype, 'toLocaleString');
  withLocale(BigInt.prototype, 'toLocaleString');
  for (const n of ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']) withLocale(NativeDate.prototype, n, true);
  const natLocaleCompare = String.prototype.localeCompare;
  defineHidden(String.prototype, 'localeCompare', function (that, locales, options) {
    return natLocaleCompare.call(this, that, locales === undefined ? LOCALE : locales, options);
  });
  for (const n of ['toLocaleUpperCase', 'toLocaleLowerCase']) {
    const nat = String.prototype[n];
    defineHidden(String.prototype, n, function (locales) { return nat.call(this, locales === undefined ? LOCALE : locales); });
  }

  // --- Date: workflow time, and UTC as the "local" zone on any host ------------------------
  const probe = [0, 1e12, 1.5e12, 1.7e12].some((t) => new NativeDate(t).getTimezoneOffset() !== 0);
  const hostIsUtc = !probe;
  const ZONED = /(Z|[+-]\d{2}:?\d{2}|\b(GMT|UTC|UT|[ECMP][SD]T)\b[^)]*)\s*(\([^)]*\))?\s*$/i;
  const DATE_ONLY = /^\s*[+-]?\d{4,6}(-\d{2}(-\d{2})?)?\s*$/;
  const nativeOffset = NativeDate.prototype.getTimezoneOffset;
  const parseUtc = (s) => {
    const t = NativeDate.parse(s);
    if (hostIsUtc || isNaN(t)) return t;
    const str = String(s).trim();
    if (ZONED.test(str) || DATE_ONLY.test(str)) return t;
    return t - nativeOffset.call(new NativeDate(t)) * 60000;
  };
  const HiveDate = function Date(...args) {
    if (!new.target) return new HiveDate().toString();
    if (args.length === 0) return Reflect.construct(NativeDate, [H.now], new.target);
    if (args.length === 1 && typeof args[0] === 'string' && !hostIsUtc) {
      return Reflect.construct(NativeDate, [parseUtc(args[0])], new.target);
    }
    if (args.length >= 2 && !hostIsUtc) {
      return Reflect.construct(NativeDate, [NativeDate.UTC(...args)], new.target);
    }
    return Reflect.construct(NativeDate, args, new.target);
  };
  HiveDate.prototype = NativeDate.prototype;
  HiveDate.now = function now() { return H.now; };
  HiveDate.parse = function parse(s) { return parseUtc(s); };
  HiveDate.UTC = NativeDate.UTC;
  defineHidden(NativeDate.prototype, 'constructor', HiveDate);
  defineHidden(G, 'Date', HiveDate);
  if (!hostIsUtc) {
    const P = NativeDate.prototype;
    for (const n of ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds']) {
      defineHidden(P, 'get' + n, P['getUTC' + n]);
      if (n !== 'Day') defineHidden(P, 'set' + n, P['setUTC' + n]);
    }
    defineHidden(P, 'getYear', function () { return this.getUTCFullYear() - 1900; });
    defineHidden(P, 'getTimezoneOffset', function () { return isNaN(this.getTime()) ? NaN : 0; });
    const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const p2 = (x) => String(x).padStart(2, '0');
    const dateStr = (d) => `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${d.getUTCFullYear()}`;
    const timeStr = (d) => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
    const guard = (fn) => function () { return isNaN(this.getTime()) ? 'Invalid Date' : fn(this); };
    defineHidden(P, 'toString', guard((d) => `${dateStr(d)} ${timeStr(d)}`));
    defineHidden(P, 'toDateString', guard(dateStr));
    defineHidden(P, 'toTimeString', guard(timeStr));
  }

  // --- errors Hive raises on purpose ---------------------------------------------------------
  class ExpressionError extends Error {
    constructor(message, extra) {
      super(message);
      this.name = 'ExpressionError';
      defineHidden(this, '__n8n', true);
      if (extra) Object.assign(this, extra);
    }
  }
  H.ExpressionError = ExpressionError;
  H.xerr = (message, extra) => new ExpressionError(message, extra);
  // Thrown when an expression reaches node data that was not pushed yet: Python pushes it and
  // evaluates again. Recorded in H.need too, in case user code catches the error.
  class NeedData extends Error {
    constructor(node) {
      super(`Hive needs the run data of node '${node}'`);
      this.name = 'HiveNeedData';
      defineHidden(this, '__need', node);
    }
  }
  H.need = [];
  H.needNode = (node) => {
    if (!H.need.includes(node)) H.need.push(node);
    return new NeedData(node);
  };

  // --- promises and timers on a queue the prelude drains itself -----------------------------
  const jobs = [];
  let jobHead = 0;
  const enqueue = (fn) => { jobs.push(fn); };
  H.drainJobs = () => {
    while (jobHead < jobs.length) {
      const fn = jobs[jobHead];
      jobs[jobHead++] = undefined;
      fn();
      if (jobHead > 4096) { jobs.splice(0, jobHead); jobHead = 0; }
    }
    jobs.length = 0;
    jobHead = 0;
  };
  const PENDING = 0, FULFILLED = 1, REJECTED = 2;
  const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
  class HivePromise {
    constructor(executor) {
      if (typeof executor !== 'function') throw new TypeError('Promise resolver is not a function');
      defineHidden(this, '_s', PENDING);
      defineHidden(this, '_v', undefined);
      defineHidden(this, '_cb', []);
      let done = false;
      const resolve = (v) => { if (!done) { done = true; settleWith(this, v); } };
      const reject = (e) => { if (!done) { done = true; finish(this, REJECTED, e); } };
      try { executor(resolve, reject); } catch (e) { reject(e); }
    }
    then(onFulfilled, onRejected) {
      return new HivePromise((resolve, reject) => {
        this._cb.push({ onFulfilled, onRejected, resolve, reject });
        if (this._s !== PENDING) flush(this);
      });
    }
    catch(onRejected) { return this.then(undefined, onRejected); }
    finally(fn) {
      return this.then(
        (v) => HivePromise.resolve(fn && fn()).then(() => v),
        (e) => HivePromise.resolve(fn && fn()).then(() => { throw e; }),
      );
    }
    static resolve(v) {
      if (v instanceof HivePromise) return v;
      return new HivePromise((res) => res(v));
    }
    static reject(e) { return new HivePromise((_, rej) => rej(e)); }
    static withResolvers() {
      let resolve, reject;
      const promise = new HivePromise((a, b) => { resolve = a; reject = b; });
      return { promise, resolve, reject };
    }
    static all(list) {
      return new HivePromise((resolve, reject) => {
        const arr = Array.from(list);
        const out = new Array(arr.length);
        let left = arr.length;
        if (!left) resolve(out);
        arr.forEach((p, i) => HivePromise.resolve(p).then((v) => { out[i] = v; if (--left === 0) resolve(out); }, reject));
      });
    }
    static allSettled(list) {
      return HivePromise.all(Array.from(list).map((p) => HivePromise.resolve(p).then(
        (value) => ({ status: 'fulfilled', value }), (reason) => ({ status: 'rejected', reason }))));
    }
    static race(list) {
      return new HivePromise((resolve, reject) => {
        for (const p of list) HivePromise.resolve(p).then(resolve, reject);
      });
    }
    static any(list) {
      return new HivePromise((resolve, reject) => {
        const arr = Array.from(list);
        const errors = new Array(arr.length);
        let left = arr.length;
        if (!left) reject(new AggregateError([], 'All promises were rejected'));
        arr.forEach((p, i) => HivePromise.resolve(p).then(resolve, (e) => {
          errors[i] = e;
          if (--left === 0) reject(new AggregateError(errors, 'All promises were rejected'));
        }));
      });
    }
  }
  Object.defineProperty(HivePromise.prototype, Symbol.toStringTag, { value: 'Promise' });
  Object.defineProperty(HivePromise, 'name', { value: 'Promise' });
  function settleWith(p, v) {
    if (v === p) { finish(p, REJECTED, new TypeError('Chaining cycle detected for promise')); return; }
    if (v instanceof NativePromise) {
      finish(p, REJECTED, new TypeError('native Promises are not supported in Hive'));
      return;
    }
    if (isThenable(v)) {
      enqueue(() => {
        let done = false;
        try {
          v.then((x) => { if (!done) { done = true; settleWith(p, x); } },
            (e) => { if (!done) { done = true; finish(p, REJECTED, e); } });
        } catch (e) { if (!done) { done = true; finish(p, REJECTED, e); } }
      });
      return;
    }
    finish(p, FULFILLED, v);
  }
  function finish(p, state, v) {
    if (p._s !== PENDING) return;
    p._s = state;
    p._v = v;
    flush(p);
  }
  function flush(p) {
    const cbs = p._cb.splice(0);
    for (const cb of cbs) {
      enqueue(() => {
        const handler = p._s === FULFILLED ? cb.onFulfilled : cb.onRejected;
        if (typeof handler !== 'function') {
          (p._s === FULFILLED ? cb.resolve : cb.reject)(p._v);
          return;
        }
        let r;
        try { r = handler(p._v); } catch (e) { cb.reject(e); return; }
        cb.resolve(r);
      });
    }
  }
  defineHidden(G, 'Promise', HivePromise);
  H.Promise = HivePromise;

  // Drives a generator produced by _async.py's rewrite of an async function.
  defineHidden(G, '__hive_co', function (genFn, self, args) {
    return new HivePromise((resolve, reject) => {
      const gen = genFn.apply(self, args || []);
      const step = (method, arg) => {
        let r;
        try { r = gen[method](arg); } catch (e) { reject(e); return; }
        if (r.done) { resolve(r.value); return; }
        HivePromise.resolve(r.value).then((v) => step('next', v), (e) => step('throw', e));
      };
      step('next', undefined);
    });
  });

  // Virtual timers: they fire in (time, creation) order when the job queue is empty, and
  // advance the workflow clock instead of waiting.
  let timers = [];
  let timerSeq = 0;
  const addTimer = (fn, ms, args, interval) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const id = ++timerSeq;
    const delay = Math.max(0, Number(ms) || 0);
    timers.push({ id, at: H.now + delay, seq: id, fn, args, interval: interval ? Math.max(1, delay) : 0 });
    return id;
  };
  const clearTimer = (id) => { timers = timers.filter((t) => t.id !== id); };
  defineGlobal('setTimeout', (fn, ms, ...args) => addTimer(fn, ms, args, false));
  defineGlobal('setInterval', (fn, ms, ...args) => addTimer(fn, ms, args, true));
  defineGlobal('setImmediate', (fn, ...args) => addTimer(fn, 0, args, false));
  defineGlobal('clearTimeout', clearTimer);
  defineGlobal('clearInterval', clearTimer);
  defineGlobal('clearImmediate', clearTimer);
  defineGlobal('queueMicrotask', (fn) => { enqueue(fn); });
  const runNextTimer = () => {
    if (!timers.length) return false;
    let best = 0;
    for (let i = 1; i < timers.length; i++) {
      const a = timers[i], b = timers[best];
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const t = timers[best];
    if (t.at > H.now) H.now = t.at;
    if (t.interval) {
      t.at += t.interval;
      t.seq = ++timerSeq;
    } else {
      timers.splice(best, 1);
    }
    t.fn(...t.args);
    return true;
  };
  H.resetTimers = () => { timers = []; };
  // Runs queued jobs and timers until `value` (maybe a promise) settles.
  H.settle = (value) => {
    if (!isThenable(value)) {
      H.drainJobs();
      return { ok: true, value };
    }
    let state = PENDING, result;
    HivePromise.resolve(value).then((v) => { state = FULFILLED; result = v; }, (e) => { state = REJECTED; result = e; });
    for (;;) {
      H.drainJobs();
      if (state !== PENDING || !runNextTimer()) break;
    }
    if (state === FULFILLED) return { ok: true, value: result };
    if (state === REJECTED) return { ok: false, error: result };
    return { ok: false, error: new Error('The code returned a promise that never settles') };
  };

  // --- JSON out: DateTime/Date become ISO strings, cycles and BigInts don't throw ----------
  const safeReplacer = () => {
    const seen = new WeakSet();
    return function (key, v) {
      if (typeof v === 'bigint') return v.toString();
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[Circular Reference]';
        seen.add(v);
      }
      return v;
    };
  };
  H.toJson = (v) => {
    try {
      return JSON.stringify(v);
    } catch (e) {
      return JSON.stringify(v, safeReplacer());
    }
  };

  // Globals present after the prelude; anything a Code node adds is removed afterwards.
  H.snapshotGlobals = () => { H.baseGlobals = new Set(Object.getOwnPropertyNames(G)); };
  H.cleanGlobals = () => {
    for (const name of Object.getOwnPropertyNames(G)) {
      if (!H.baseGlobals.has(name)) {
        try { delete G[name]; } catch (e) { /* non-configurable: leave it */ }
      }
    }
  };
})();
