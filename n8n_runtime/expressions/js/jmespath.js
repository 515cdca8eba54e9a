// Hive prelude, part 4: JMESPath (https://jmespath.org/specification.html) for $jmespath().
// A Pratt parser and tree interpreter following the reference implementation's structure.
(function () {
  'use strict';
  const H = globalThis.__hive;
  const fail = (msg) => { throw new H.ExpressionError(`JMESPath: ${msg}`); };

  // ---------------------------------------------------------------- lexer
  const SIMPLE = { '.': 'Dot', '*': 'Star', ',': 'Comma', ':': 'Colon', '{': 'Lbrace', '}': 'Rbrace', ']': 'Rbracket',
    '(': 'Lparen', ')': 'Rparen', '@': 'Current' };
  function lex(s) {
    const toks = [];
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (/[A-Za-z_]/.test(c)) {
        let j = i + 1;
        while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
        toks.push({ type: 'UnquotedIdentifier', value: s.slice(i, j), start: i });
        i = j;
      } else if (SIMPLE[c]) {
        toks.push({ type: SIMPLE[c], value: c, start: i });
        i++;
      } else if (/[0-9-]/.test(c)) {
        let j = i + 1;
        while (j < s.length && /[0-9]/.test(s[j])) j++;
        toks.push({ type: 'Number', value: parseInt(s.slice(i, j), 10), start: i });
        i = j;
      } else if (c === '[') {
        if (s[i + 1] === ']') { toks.push({ type: 'Flatten', value: '[]', start: i }); i += 2; }
        else if (s[i + 1] === '?') { toks.push({ type: 'Filter', value: '[?', start: i }); i += 2; }
        else { toks.push({ type: 'Lbracket', value: '[', start: i }); i++; }
      } else if (c === "'") {
        let j = i + 1, out = '';
        while (j < s.length && s[j] !== "'") {
          if (s[j] === '\\' && (s[j + 1] === "'" || s[j + 1] === '\\')) { out += s[j + 1]; j += 2; } else { out += s[j]; j++; }
        }
        if (j >= s.length) fail('unterminated raw string');
        toks.push({ type: 'Literal', value: out, start: i });
        i = j + 1;
      } else if (c === '"') {
        let j = i + 1;
        while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
        if (j >= s.length) fail('unterminated quoted identifier');
        toks.push({ type: 'QuotedIdentifier', value: JSON.parse(s.slice(i, j + 1)), start: i });
        i = j + 1;
      } else if (c === '`') {
        let j = i + 1;
        while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
        if (j >= s.length) fail('unterminated literal');
        const raw = s.slice(i + 1, j).replace(/\\`/g, '`').trim();
        let value;
        try { value = JSON.parse(raw); } catch (e) { value = JSON.parse(`"${raw}"`); }
        toks.push({ type: 'Literal', value, start: i });
        i = j + 1;
      } else if (c === '|') {
        if (s[i + 1] === '|') { toks.push({ type: 'Or', start: i }); i += 2; } else { toks.push({ type: 'Pipe', start: i }); i++; }
      } else if (c === '&') {
        if (s[i + 1] === '&') { toks.push({ type: 'And', start: i }); i += 2; } else { toks.push({ type: 'Expref', start: i }); i++; }
      } else if (c === '!') {
        if (s[i + 1] === '=') { toks.push({ type: 'NE', start: i }); i += 2; } else { toks.push({ type: 'Not', start: i }); i++; }
      } else if (c === '=' && s[i + 1] === '=') {
        toks.push({ type: 'EQ', start: i }); i += 2;
      } else if (c === '<' || c === '>') {
        const eq = s[i + 1] === '=';
        toks.push({ type: (c === '<' ? 'LT' : 'GT') + (eq ? 'E' : ''), start: i });
        i += eq ? 2 : 1;
      } else if (/\s/.test(c)) {
        i++;
      } else {
        fail(`unknown character '${c}' at ${i}`);
      }
    }
    toks.push({ type: 'EOF', start: s.length });
    return toks;
  }

  // ---------------------------------------------------------------- parser
  const BP = { EOF: 0, UnquotedIdentifier: 0, QuotedIdentifier: 0, Rbracket: 0, Rparen: 0, Comma: 0, Rbrace: 0,
    Number: 0, Current: 0, Expref: 0, Colon: 0, Literal: 0, Pipe: 1, Or: 2, And: 3, EQ: 5, GT: 5, LT: 5, GTE: 5,
    LTE: 5, NE: 5, Flatten: 9, Star: 20, Filter: 21, Dot: 40, Not: 45, Lbrace: 50, Lbracket: 55, Lparen: 60 };
  function parse(expr) {
    const toks = lex(expr);
    let pos = 0;
    const peek = (n = 0) => toks[pos + n].type;
    const tok = (n = 0) => toks[pos + n];
    const advance = () => { pos++; };
    const match = (type) => { if (peek() !== type) fail(`expected ${type}, got ${peek()}`); advance(); };
    const expression = (rbp) => {
      const left0 = tok();
      advance();
      let left = nud(left0);
      while (rbp < BP[peek()]) {
        const t = peek();
        advance();
        left = led(t, left);
      }
      return left;
    };
    const nud = (t) => {
      switch (t.type) {
        case 'Literal': return { type: 'Literal', value: t.value };
        case 'UnquotedIdentifier': return { type: 'Field', name: t.value };
        case 'QuotedIdentifier':
          if (peek() === 'Lparen') fail('quoted identifier not allowed for function names');
          return { type: 'Field', name: t.value };
        case 'Not': return { type: 'Not', child: expression(BP.Not) };
        case 'Star': {
          const right = peek() === 'Rbracket' ? { type: 'Identity' } : projectionRHS(BP.Star);
          return { type: 'ValueProjection', left: { type: 'Identity' }, right };
        }
        case 'Filter': return led('Filter', { type: 'Identity' });
        case 'Lbrace': return multiselectHash();
        case 'Flatten': return { type: 'Projection', left: { type: 'Flatten', child: { type: 'Identity' } }, right: projectionRHS(BP.Flatten) };
        case 'Lbracket':
          if (peek() === 'Number' || peek() === 'Colon') return projectIfSlice({ type: 'Identity' }, indexExpression());
          if (peek() === 'Star' && peek(1) === 'Rbracket') {
            advance(); advance();
            return { type: 'Projection', left: { type: 'Identity' }, right: projectionRHS(BP.Star) };
          }
          return multiselectList();
        case 'Current': return { type: 'Current' };
        case 'Expref': return { type: 'Expref', child: expression(BP.Expref) };
        case 'Lparen': { const e = expression(0); match('Rparen'); return e; }
        default: return fail(`unexpected token ${t.type}`);
      }
    };
    const led = (type, left) => {
      switch (type) {
        case 'Dot':
          if (peek() !== 'Star') return { type: 'Subexpression', left, right: dotRHS(BP.Dot) };
          advance();
          return { type: 'ValueProjection', left, right: projectionRHS(BP.Dot) };
        case 'Pipe': return { type: 'Pipe', left, right: expression(BP.Pipe) };
        case 'Or': return { type: 'Or', left, right: expression(BP.Or) };
        case 'And': return { type: 'And', left, right: expression(BP.And) };
        case 'Lparen': {
          const args = [];
          while (peek() !== 'Rparen') {
            if (peek() === 'Current') { args.push({ type: 'Current' }); advance(); } else args.push(expression(0));
            if (peek() === 'Comma') match('Comma');
          }
          match('Rparen');
          return { type: 'Function', name: left.name, args };
        }
        case 'Filter': {
          const condition = expression(0);
          match('Rbracket');
          const right = peek() === 'Flatten' ? { type: 'Identity' } : projectionRHS(BP.Filter);
          return { type: 'FilterProjection', left, right, condition };
        }
        case 'Flatten': return { type: 'Projection', left: { type: 'Flatten', child: left }, right: projectionRHS(BP.Flatten) };
        case 'EQ': case 'NE': case 'GT': case 'GTE': case 'LT': case 'LTE':
          return { type: 'Comparator', op: type, left, right: expression(BP[type]) };
        case 'Lbracket':
          if (peek() === 'Number' || peek() === 'Colon') return projectIfSlice(left, indexExpression());
          match('Star');
          match('Rbracket');
          return { type: 'Projection', left, right: projectionRHS(BP.Star) };
        default: return fail(`unexpected token ${type}`);
      }
    };
    const indexExpression = () => {
      if (peek() === 'Colon' || peek(1) === 'Colon') {
        const parts = [null, null, null];
        let idx = 0;
        while (peek() !== 'Rbracket' && idx < 3) {
          if (peek() === 'Colon') { idx++; advance(); } else if (peek() === 'Number') { parts[idx] = tok().value; advance(); } else fail('bad slice');
        }
        match('Rbracket');
        return { type: 'Slice', parts };
      }
      const n = tok().value;
      advance();
      match('Rbracket');
      return { type: 'Index', value: n };
    };
    const projectIfSlice = (left, right) => {
      const ie = { type: 'IndexExpression', left, right };
      return right.type === 'Slice' ? { type: 'Projection', left: ie, right: projectionRHS(BP.Star) } : ie;
    };
    const dotRHS = (rbp) => {
      const t = peek();
      if (t === 'UnquotedIdentifier' || t === 'QuotedIdentifier' || t === 'Star') return expression(rbp);
      if (t === 'Lbracket') { match('Lbracket'); return multiselectList(); }
      if (t === 'Lbrace') { match('Lbrace'); return multiselectHash(); }
      return fail(`unexpected token after dot: ${t}`);
    };
    const projectionRHS = (rbp) => {
      const t = peek();
      if (BP[t] < 10) return { type: 'Identity' };
      if (t === 'Lbracket' || t === 'Filter') return expression(rbp);
      if (t === 'Dot') { match('Dot'); return dotRHS(rbp); }
      return fail(`unexpected token in projection: ${t}`);
    };
    const multiselectList = () => {
      const children = [];
      while (peek() !== 'Rbracket') {
        children.push(expression(0));
        if (peek() === 'Comma') { match('Comma'); if (peek() === 'Rbracket') fail('unexpected ]'); }
      }
      match('Rbracket');
      return { type: 'MultiSelectList', children };
    };
    const multiselectHash = () => {
      const pairs = [];
      for (;;) {
        const key = tok();
        if (key.type !== 'UnquotedIdentifier' && key.type !== 'QuotedIdentifier') fail('expected identifier as hash key');
        advance();
        match('Colon');
        pairs.push({ key: key.value, value: expression(0) });
        if (peek() === 'Comma') match('Comma');
        else if (peek() === 'Rbrace') { match('Rbrace'); break; }
      }
      return { type: 'MultiSelectHash', pairs };
    };
    const ast = expression(0);
    if (peek() !== 'EOF') fail(`unexpected token ${peek()} at ${tok().start}`);
    return ast;
  }

  // ---------------------------------------------------------------- interpreter
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isFalse = (v) => v === '' || v === false || v === null || v === undefined ||
    (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
  const typeOf = (v) => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return 'array';
    if (v && v.type === 'Expref' && v.__expref) return 'expref';
    return typeof v === 'object' ? 'object' : typeof v;
  };
  const sliceParams = (len, [start, stop, step]) => {
    if (step === null) step = 1;
    if (step === 0) fail('slice step cannot be 0');
    const cap = (v, def) => {
      if (v === null) return def;
      if (v < 0) { v += len; return v < 0 ? (step < 0 ? -1 : 0) : v; }
      return v >= len ? (step < 0 ? len - 1 : len) : v;
    };
    return [cap(start, step < 0 ? len - 1 : 0), cap(stop, step < 0 ? -1 : len), step];
  };
  function visit(node, value) {
    switch (node.type) {
      case 'Field': return isObj(value) && value[node.name] !== undefined ? value[node.name] : null;
      case 'Subexpression': return visit(node.right, visit(node.left, value));
      case 'IndexExpression': return visit(node.right, visit(node.left, value));
      case 'Index': {
        if (!Array.isArray(value)) return null;
        const i = node.value < 0 ? value.length + node.value : node.value;
        return value[i] === undefined ? null : value[i];
      }
      case 'Slice': {
        if (!Array.isArray(value)) return null;
        const [start, stop, step] = sliceParams(value.length, node.parts);
        const out = [];
        if (step > 0) for (let i = start; i < stop; i += step) out.push(value[i]);
        else for (let i = start; i > stop; i += step) out.push(value[i]);
        return out;
      }
      case 'Projection': {
        const base = visit(node.left, value);
        if (!Array.isArray(base)) return null;
        return base.map((x) => visit(node.right, x)).filter((x) => x !== null);
      }
      case 'ValueProjection': {
        const base = visit(node.left, value);
        if (!isObj(base)) return null;
        return Object.values(base).map((x) => visit(node.right, x)).filter((x) => x !== null);
      }
      case 'FilterProjection': {
        const base = visit(node.left, value);
        if (!Array.isArray(base)) return null;
        return base.filter((x) => !isFalse(visit(node.condition, x))).map((x) => visit(node.right, x)).filter((x) => x !== null);
      }
      case 'Comparator': {
        const a = visit(node.left, value), b = visit(node.right, value);
        switch (node.op) {
          case 'EQ': return H.isEqual(a, b);
          case 'NE': return !H.isEqual(a, b);
          default:
            if (typeof a !== 'number' || typeof b !== 'number') return null;
            return node.op === 'GT' ? a > b : node.op === 'GTE' ? a >= b : node.op === 'LT' ? a < b : a <= b;
        }
      }
      case 'Flatten': {
        const base = visit(node.child, value);
        if (!Array.isArray(base)) return null;
        const out = [];
        for (const x of base) if (Array.isArray(x)) out.push(...x); else out.push(x);
        return out;
      }
      case 'Identity': case 'Current': return value;
      case 'MultiSelectList': return value === null ? null : node.children.map((c) => visit(c, value));
      case 'MultiSelectHash': {
        if (value === null) return null;
        const out = {};
        for (const p of node.pairs) out[p.key] = visit(p.value, value);
        return out;
      }
      case 'Or': { const a = visit(node.left, value); return isFalse(a) ? visit(node.right, value) : a; }
      case 'And': { const a = visit(node.left, value); return isFalse(a) ? a : visit(node.right, value); }
      case 'Not': return isFalse(visit(node.child, value));
      case 'Literal': return node.value;
      case 'Pipe': return visit(node.right, visit(node.left, value));
      case 'Expref': return { type: 'Expref', __expref: true, node: node.child };
      case 'Function': return callFunction(node.name, node.args.map((a) => visit(a, value)));
      default: return fail(`unknown node ${node.type}`);
    }
  }
  const want = (name, v, ...types) => {
    if (!types.includes(typeOf(v))) fail(`invalid type for ${name}(): expected ${types.join('|')}, got ${typeOf(v)}`);
    return v;
  };
  const byExpr = (arr, ref) => arr.map((x) => visit(ref.node, x));
  const FUNCS = {
    abs: ([n]) => Math.abs(want('abs', n, 'number')),
    avg: ([a]) => (want('avg', a, 'array').length ? a.reduce((x, y) => x + y, 0) / a.length : null),
    ceil: ([n]) => Math.ceil(want('ceil', n, 'number')),
    floor: ([n]) => Math.floor(want('floor', n, 'number')),
    contains: ([s, x]) => (want('contains', s, 'array', 'string'), Array.isArray(s) ? s.some((y) => H.isEqual(y, x)) : s.includes(x)),
    ends_with: ([s, x]) => want('ends_with', s, 'string').endsWith(x),
    starts_with: ([s, x]) => want('starts_with', s, 'string').startsWith(x),
    join: ([sep, a]) => want('join', a, 'array').join(sep),
    keys: ([o]) => Object.keys(want('keys', o, 'object')),
    values: ([o]) => Object.values(want('values', o, 'object')),
    length: ([v]) => (isObj(v) ? Object.keys(v).length : want('length', v, 'string', 'array').length),
    map: ([ref, a]) => byExpr(want('map', a, 'array'), ref),
    max: ([a]) => (want('max', a, 'array').length ? a.reduce((x, y) => (y > x ? y : x)) : null),
    min: ([a]) => (want('min', a, 'array').length ? a.reduce((x, y) => (y < x ? y : x)) : null),
    max_by: ([a, ref]) => {
      if (!want('max_by', a, 'array').length) return null;
      const keys = byExpr(a, ref);
      let best = 0;
      keys.forEach((k, i) => { if (k > keys[best]) best = i; });
      return a[best];
    },
    min_by: ([a, ref]) => {
      if (!want('min_by', a, 'array').length) return null;
      const keys = byExpr(a, ref);
      let best = 0;
      keys.forEach((k, i) => { if (k < keys[best]) best = i; });
      return a[best];
    },
    merge: (objs) => Object.assign({}, ...objs),
    not_null: (args) => { for (const a of args) if (a !== null && a !== undefined) return a; return null; },
    reverse: ([v]) => (typeof v === 'string' ? Array.from(v).reverse().join('') : want('reverse', v, 'array').slice().reverse()),
    sort: ([a]) => want('sort', a, 'array').slice().sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    sort_by: ([a, ref]) => {
      const keys = byExpr(want('sort_by', a, 'array'), ref);
      return a.map((v, i) => [keys[i], i, v]).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1])).map((x) => x[2]);
    },
    sum: ([a]) => want('sum', a, 'array').reduce((x, y) => x + y, 0),
    to_array: ([v]) => (Array.isArray(v) ? v : [v]),
    to_string: ([v]) => (typeof v === 'string' ? v : JSON.stringify(v)),
    to_number: ([v]) => {
      if (typeof v === 'number') return v;
      if (typeof v !== 'string') return null;
      const n = +v;
      return v.trim() === '' || isNaN(n) ? null : n;
    },
    type: ([v]) => typeOf(v),
  };
  function callFunction(name, args) {
    const fn = FUNCS[name];
    if (!fn) fail(`unknown function: ${name}()`);
    return fn(args);
  }
  const cache = new Map();
  H.jmespath = (data, query) => {
    if (typeof data !== 'object' || typeof query !== 'string') {
      throw new H.ExpressionError('expected two arguments (Object, string) for this function');
    }
    let ast = cache.get(query);
    if (!ast) {
      ast = parse(query);
      cache.set(query, ast);
    }
    return visit(ast, data);
  };
})();
