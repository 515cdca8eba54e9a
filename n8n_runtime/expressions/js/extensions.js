// Hive prelude, part 3: n8n's data transformation functions ("extensions").
//
// n8n rewrites `x.name(args)` into `extend(x, 'name', args)`. Hive's compiler rewrites
// `x.name(` into `x[__hx.name](` for the names below, and each `__hx.name` symbol holds a
// dispatcher on Object.prototype: a real method called `name` wins (like n8n), otherwise the
// extension for the value's type runs. Plain property reads (`obj.values`) are untouched, and
// symbols never show up in JSON, `for…in` or Object.keys.
(function () {
  'use strict';
  const G = globalThis;
  const H = G.__hive;
  const { DateTime } = H;
  const NDate = Object.getPrototypeOf(new Date(0)).constructor;
  const defineHidden = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const xerr = (m) => new H.ExpressionError(m);

  // ---------------------------------------------------------------- utf-8, base64, hashes
  const utf8 = (s) => {
    const out = [];
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  };
  const fromUtf8 = (bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i++];
      let c;
      if (b < 0x80) c = b;
      else if (b >= 0xf0) { c = ((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63); }
      else if (b >= 0xe0) { c = ((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63); }
      else if (b >= 0xc0) { c = ((b & 31) << 6) | (bytes[i++] & 63); }
      else c = 0xfffd;
      s += String.fromCodePoint(c);
    }
    return s;
  };
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const b64encode = (bytes) => {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
      out += i + 2 < bytes.length ? B64[n & 63] : '=';
    }
    return out;
  };
  const b64decode = (s) => {
    const clean = String(s).replace(/[\s=]/g, '').replace(/-/g, '+').replace(/_/g, '/');
    const out = [];
    let buf = 0, bits = 0;
    for (const ch of clean) {
      const v = B64.indexOf(ch);
      if (v < 0) throw new Error('Invalid base64 string');
      buf = (buf << 6) | v;
      bits += 6;
      if (bits >= 8) { bits -= 8; out.push((buf >> bits) & 255); }
    }
    return out;
  };
  const hex = (words, n) => words.slice(0, n).map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
  function md5(str) {
    const bytes = utf8(str);
    const K = [], S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
    const len = bytes.length;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    const bitLen = len * 8;
    for (let i = 0; i < 8; i++) bytes.push(i < 4 ? (bitLen >>> (8 * i)) & 255 : Math.floor(bitLen / 2 ** (8 * i)) & 255);
    let a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
    for (let off = 0; off < bytes.length; off += 64) {
      const M = [];
      for (let i = 0; i < 16; i++) M[i] = bytes[off + i * 4] | (bytes[off + i * 4 + 1] << 8) | (bytes[off + i * 4 + 2] << 16) | (bytes[off + i * 4 + 3] << 24);
      let A = a0, B = b0, C = c0, D = d0;
      for (let i = 0; i < 64; i++) {
        let F, g;
        if (i < 16) { F = (B & C) | (~B & D); g = i; } else if (i < 32) { F = (D & B) | (~D & C); g = (5 * i + 1) % 16; } else if (i < 48) { F = B ^ C ^ D; g = (3 * i + 5) % 16; } else { F = C ^ (B | ~D); g = (7 * i) % 16; }
        const tmp = D;
        D = C;
        C = B;
        const x = (A + F + K[i] + M[g]) | 0;
        const s = S[(i >> 4) * 4 + (i % 4)];
        B = (B + ((x << s) | (x >>> (32 - s)))) | 0;
        A = tmp;
      }
      a0 = (a0 + A) | 0; b0 = (b0 + B) | 0; c0 = (c0 + C) | 0; d0 = (d0 + D) | 0;
    }
    return [a0, b0, c0, d0].map((w) => [0, 8, 16, 24].map((s) => ((w >>> s) & 255).toString(16).padStart(2, '0')).join('')).join('');
  }
  const padBlocks = (bytes, lenBytes) => {
    const len = bytes.length;
    bytes.push(0x80);
    while (bytes.length % (lenBytes === 16 ? 128 : 64) !== (lenBytes === 16 ? 112 : 56)) bytes.push(0);
    const bitLen = len * 8;
    for (let i = lenBytes - 1; i >= 0; i--) bytes.push(i < 6 ? Math.floor(bitLen / 2 ** (8 * i)) & 255 : 0);
    return bytes;
  };
  function sha1(str) {
    const bytes = padBlocks(utf8(str), 8);
    let h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
    const rotl = (x, n) => (x << n) | (x >>> (32 - n));
    for (let off = 0; off < bytes.length; off += 64) {
      const w = [];
      for (let i = 0; i < 16; i++) w[i] = (bytes[off + 4 * i] << 24) | (bytes[off + 4 * i + 1] << 16) | (bytes[off + 4 * i + 2] << 8) | bytes[off + 4 * i + 3];
      for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
      let [a, b, c, d, e] = h;
      for (let i = 0; i < 80; i++) {
        const [f, k] = i < 20 ? [(b & c) | (~b & d), 0x5a827999] : i < 40 ? [b ^ c ^ d, 0x6ed9eba1] : i < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
        const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
        e = d; d = c; c = rotl(b, 30); b = a; a = t;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e].map((x) => x | 0);
    }
    return hex(h, 5);
  }
  const K256 = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  function sha256(str, is224) {
    const bytes = padBlocks(utf8(str), 8);
    let h = is224
      ? [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4]
      : [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let off = 0; off < bytes.length; off += 64) {
      const w = [];
      for (let i = 0; i < 16; i++) w[i] = (bytes[off + 4 * i] << 24) | (bytes[off + 4 * i + 1] << 16) | (bytes[off + 4 * i + 2] << 8) | bytes[off + 4 * i + 3];
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + hh].map((x) => x | 0);
    }
    return hex(h, is224 ? 7 : 8);
  }
  const K512 = [
    '428a2f98d728ae22', '7137449123ef65cd', 'b5c0fbcfec4d3b2f', 'e9b5dba58189dbbc', '3956c25bf348b538', '59f111f1b605d019',
    '923f82a4af194f9b', 'ab1c5ed5da6d8118', 'd807aa98a3030242', '12835b0145706fbe', '243185be4ee4b28c', '550c7dc3d5ffb4e2',
    '72be5d74f27b896f', '80deb1fe3b1696b1', '9bdc06a725c71235', 'c19bf174cf692694', 'e49b69c19ef14ad2', 'efbe4786384f25e3',
    '0fc19dc68b8cd5b5', '240ca1cc77ac9c65', '2de92c6f592b0275', '4a7484aa6ea6e483', '5cb0a9dcbd41fbd4', '76f988da831153b5',
    '983e5152ee66dfab', 'a831c66d2db43210', 'b00327c898fb213f', 'bf597fc7beef0ee4', 'c6e00bf33da88fc2', 'd5a79147930aa725',
    '06ca6351e003826f', '142929670a0e6e70', '27b70a8546d22ffc', '2e1b21385c26c926', '4d2c6dfc5ac42aed', '53380d139d95b3df',
    '650a73548baf63de', '766a0abb3c77b2a8', '81c2c92e47edaee6', '92722c851482353b', 'a2bfe8a14cf10364', 'a81a664bbc423001',
    'c24b8b70d0f89791', 'c76c51a30654be30', 'd192e819d6ef5218', 'd69906245565a910', 'f40e35855771202a', '106aa07032bbd1b8',
    '19a4c116b8d2d0c8', '1e376c085141ab53', '2748774cdf8eeb99', '34b0bcb5e19b48a8', '391c0cb3c5c95a63', '4ed8aa4ae3418acb',
    '5b9cca4f7763e373', '682e6ff3d6b2b8a3', '748f82ee5defb2fc', '78a5636f43172f60', '84c87814a1f0ab72', '8cc702081a6439ec',
    '90befffa23631e28', 'a4506cebde82bde9', 'bef9a3f7b2c67915', 'c67178f2e372532b', 'ca273eceea26619c', 'd186b8c721c0c207',
    'eada7dd6cde0eb1e', 'f57d4f7fee6ed178', '06f067aa72176fba', '0a637dc5a2c898a6', '113f9804bef90dae', '1b710b35131c471b',
    '28db77f523047d84', '32caab7b40c72493', '3c9ebe0a15c9bebc', '431d67c49c100d4c', '4cc5d4becb3e42b6', '597f299cfc657e2a',
    '5fcb6fab3ad6faec', '6c44198c4a475817',
  ].map((x) => BigInt('0x' + x));
  function sha512(str, is384) {
    const M = 0xffffffffffffffffn;
    const bytes = padBlocks(utf8(str), 16);
    let h = (is384
      ? ['cbbb9d5dc1059ed8', '629a292a367cd507', '9159015a3070dd17', '152fecd8f70e5939', '67332667ffc00b31', '8eb44a8768581511', 'db0c2e0d64f98fa7', '47b5481dbefa4fa4']
      : ['6a09e667f3bcc908', 'bb67ae8584caa73b', '3c6ef372fe94f82b', 'a54ff53a5f1d36f1', '510e527fade682d1', '9b05688c2b3e6c1f', '1f83d9abfb41bd6b', '5be0cd19137e2179']
    ).map((x) => BigInt('0x' + x));
    const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M;
    for (let off = 0; off < bytes.length; off += 128) {
      const w = [];
      for (let i = 0; i < 16; i++) {
        let v = 0n;
        for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(bytes[off + i * 8 + j]);
        w[i] = v;
      }
      for (let i = 16; i < 80; i++) {
        const s0 = rotr(w[i - 15], 1n) ^ rotr(w[i - 15], 8n) ^ (w[i - 15] >> 7n);
        const s1 = rotr(w[i - 2], 19n) ^ rotr(w[i - 2], 61n) ^ (w[i - 2] >> 6n);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & M;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 80; i++) {
        const t1 = (hh + (rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n)) + ((e & f) ^ (~e & M & g)) + K512[i] + w[i]) & M;
        const t2 = ((rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & M;
        hh = g; g = f; f = e; e = (d + t1) & M; d = c; c = b; b = a; a = (t1 + t2) & M;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + hh].map((x) => x & M);
    }
    return h.slice(0, is384 ? 6 : 8).map((x) => x.toString(16).padStart(16, '0')).join('');
  }
  H.hash = (value, algorithm) => {
    const alg = (algorithm || 'md5').toLowerCase();
    switch (alg) {
      case 'base64': return b64encode(utf8(value));
      case 'md5': return md5(value);
      case 'sha1': return sha1(value);
      case 'sha224': return sha256(value, true);
      case 'sha256': return sha256(value, false);
      case 'sha384': return sha512(value, true);
      case 'sha512': return sha512(value, false);
      default: throw xerr(`Unknown algorithm ${alg}. Available algorithms are: md5,sha1,sha224,sha256,sha384,sha512, and Base64.`);
    }
  };
  H.utf8 = utf8;
  H.fromUtf8 = fromUtf8;
  H.b64encode = b64encode;
  H.b64decode = b64decode;

  // Globals the n8n task runner exposes to Code nodes.
  defineHidden(G, 'btoa', (s) => {
    const str = String(s);
    const bytes = [];
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      if (c > 255) throw new Error('Invalid character');
      bytes.push(c);
    }
    return b64encode(bytes);
  });
  defineHidden(G, 'atob', (s) => String.fromCharCode(...b64decode(s)));
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(s) { return new Uint8Array(utf8(String(s === undefined ? '' : s))); }
  }
  class TextDecoder {
    get encoding() { return 'utf-8'; }
    decode(b) { return b === undefined ? '' : fromUtf8(Array.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b)); }
  }
  defineHidden(G, 'TextEncoder', TextEncoder);
  defineHidden(G, 'TextDecoder', TextDecoder);
  // A small Buffer: enough for the usual base64 / hex / utf-8 conversions in Code nodes.
  class Buffer extends Uint8Array {
    static from(value, encoding) {
      if (typeof value === 'string') {
        const enc = (encoding || 'utf8').toLowerCase();
        let bytes;
        if (enc === 'base64' || enc === 'base64url') bytes = b64decode(value);
        else if (enc === 'hex') bytes = (value.match(/../g) || []).map((h) => parseInt(h, 16));
        else if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') bytes = Array.from(value, (c) => c.charCodeAt(0) & 255);
        else bytes = utf8(value);
        const b = new Buffer(bytes.length);
        b.set(bytes);
        return b;
      }
      if (value && value.type === 'Buffer' && Array.isArray(value.data)) value = value.data;
      const arr = Array.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value);
      const b = new Buffer(arr.length);
      b.set(arr);
      return b;
    }
    static alloc(n, fill) { const b = new Buffer(n); if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : 0); return b; }
    static isBuffer(b) { return b instanceof Buffer; }
    static byteLength(s, enc) { return Buffer.from(s, enc).length; }
    static concat(list) {
      const total = list.reduce((n, b) => n + b.length, 0);
      const out = new Buffer(total);
      let off = 0;
      for (const b of list) { out.set(b, off); off += b.length; }
      return out;
    }
    toString(encoding) {
      const enc = (encoding || 'utf8').toLowerCase();
      if (enc === 'base64') return b64encode(Array.from(this));
      if (enc === 'base64url') return b64encode(Array.from(this)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      if (enc === 'hex') return Array.from(this, (x) => x.toString(16).padStart(2, '0')).join('');
      if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') return String.fromCharCode(...this);
      return fromUtf8(Array.from(this));
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(o) { return this.length === o.length && this.every((x, i) => x === o[i]); }
  }
  defineHidden(G, 'Buffer', Buffer);

  // ---------------------------------------------------------------- deep equality (lodash isEqual)
  const isEqual = (a, b) => {
    if (a === b) return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return a !== a && b !== b;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (a instanceof NDate && b instanceof NDate) return a.getTime() === b.getTime();
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isEqual(a[k], b[k]));
  };
  H.isEqual = isEqual;

  // ---------------------------------------------------------------- string helpers
  const CURRENCY = /(\u004c\u0065\u006b|\u060b|\u0024|\u0192|\u20bc|\u0042\u0072|\u0042\u005a\u0024|\u0024\u0062|\u004b\u004d|\u0050|\u043b\u0432|\u0052\u0024|\u17db|\u00a5|\u20a1|\u006b\u006e|\u20b1|\u004b\u010d|\u006b\u0072|\u0052\u0044\u0024|\u00a3|\u20ac|\u00a2|\u0051|\u004c|\u0046\u0074|\u20b9|\u0052\u0070|\ufdfc|\u20aa|\u004a\u0024|\u20a9|\u20ad|\u0434\u0435\u043d|\u0052\u004d|\u20a8|\u20ae|\u004d\u0054|\u0043\u0024|\u20a6|\u0042\u002f\u002e|\u0047\u0073|\u0053\u002f\u002e|\u007a\u0142|\u006c\u0065\u0069|\u20bd|\u0414\u0438\u043d\u002e|\u0053|\u0052|\u0043\u0048\u0046|\u004e\u0054\u0024|\u0e3f|\u0054\u0054\u0024|\u20ba|\u20b4|\u0024\u0055|\u0042\u0073|\u20ab|\u005a\u0024)/gu;
  const EMAIL = /(([^<>()\[\]\\.,;:\s@"]+(\.[^<>()\[\]\\.,;:\s@"]+)*)|(".+"))@(?<domain>(\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))/;
  const DOMAIN_EXTRACT = /^(?:(?:https?|ftp):\/\/)?(?:mailto:)?(?:\/\/)?((?:www\.)?(?:(?:[-\w]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?]*)?(?:\?[^\s#]*)?(?:#[^\s]*)?$/i;
  const DOMAIN = /^(?:www\.)?((?:(?:[-\w]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?]*)?(?:\?[^\s#]*)?(?:#[^\s]*)?$/i;
  const URL_EXACT = /^(?:(?:https?|ftp):\/\/)(?:www\.)?((?:(?:[-\w]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?#]*)?(?:\?[^\s#]*)?(?=([^\s]+#.*)?)#?[^\s]*$/i;
  const URL_ANY = /(?:(?:https?|ftp):\/\/)(?:www\.)?((?:(?:[-\w]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?#]*)?(?:\?[^\s#]*)?(?=([^\s]+#.*)?)#?[^\s]*/i;
  const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'because', 'but', 'by', 'en', 'for', 'if', 'in', 'neither',
    'nor', 'of', 'on', 'only', 'or', 'over', 'per', 'so', 'some', 'than', 'that', 'the', 'to', 'up', 'upon', 'v', 'versus',
    'via', 'vs', 'when', 'with', 'without', 'yet']);
  const titleCase = (input) => {
    let out = '';
    const re = /[^\s:–—-]+|./g;
    let m;
    while ((m = re.exec(input)) !== null) {
      const token = m[0];
      const index = m.index;
      if (/^\s$/.test(token) || /^[:–—-]$/.test(token)) { out += token; continue; }
      if (/.(?=[\p{Lu}]|\..)/u.test(token) || /^\w+:\/\//.test(token) || token.includes('@')) { out += token; continue; }
      const isFirst = index === 0 || /[:–—-]\s*$/.test(input.slice(0, index));
      const isLast = index + token.length >= input.length;
      if (!isFirst && !isLast && SMALL_WORDS.has(token)) { out += token; continue; }
      const i = token.search(/\p{L}|\p{N}/u);
      out += i < 0 ? token : token.slice(0, i) + token[i].toUpperCase() + token.slice(i + 1);
    }
    return out;
  };
  const TRANSLIT = { ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L',
    þ: 'th', Þ: 'Th', ð: 'd', Ð: 'D', ı: 'i', '“': '"', '”': '"', '‘': "'", '’': "'", '–': '-', '—': '-', '…': '...' };
  const replaceSpecialChars = (v) => v.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x00-\x7f]/g, (c) => (TRANSLIT[c] !== undefined ? TRANSLIT[c] : '?'));
  const removeMarkdown = (value) => {
    let output = value.replace(/^([\s\t]*)([*\-+]|\d\.)\s+/gm, '$1');
    output = output.replace(/\n={2,}/g, '\n').replace(/~~/g, '').replace(/`{3}.*\n/g, '');
    return output
      .replace(/<[\w|\s|=|'|"|:|(|)|,|;|/|0-9|.|-]+[>|\\>]/g, '')
      .replace(/^[=-]{2,}\s*$/g, '')
      .replace(/\[\^.+?\](: .*?$)?/g, '')
      .replace(/\s{0,2}\[.*?\]: .*?$/g, '')
      .replace(/!\[.*?\][[(].*?[\])]/g, '')
      .replace(/\[(.*?)\][[(].*?[\])]/g, '$1')
      .replace(/>/g, '')
      .replace(/^\s{1,2}\[(.*?)\]: (\S+)( ".*?")?\s*$/g, '')
      .replace(/^#{1,6}\s*([^#]*)\s*(#{1,6})?/gm, '$1')
      .replace(/([*_]{1,3})(\S.*?\S)\1/g, '$2')
      .replace(/(`{3,})(.*?)\1/gm, '$2')
      .replace(/^-{3,}\s*$/g, '')
      .replace(/`(.+?)`/g, '$1')
      .replace(/\n{2,}/g, '\n\n');
  };
  const isEmail = (v) => EMAIL.test(v) && !v.includes(' ');
  const toSentenceCase = (value) => {
    let current = value.slice();
    let buffer = '';
    while (/\p{L}/u.test(current)) {
      const ci = current.search(/\p{L}/u);
      current = current.slice(0, ci) + current[ci].toLocaleUpperCase() + current.slice(ci + 1).toLocaleLowerCase();
      const pi = current.search(/[!?.]/);
      if (pi === -1) { buffer += current; current = ''; break; }
      buffer += current.slice(0, pi + 1);
      current = current.slice(pi + 1);
    }
    return buffer + current;
  };
  const urlEncodeObject = (obj) => Object.entries(obj)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`.replace(/%20/g, '+'))
    .join('&');

  // ---------------------------------------------------------------- the extension tables
  const unique = (value, keys) => {
    const view = (item) => (keys.length && item && typeof item === 'object'
      ? keys.reduce((acc, k) => { acc[k] = item[k]; return acc; }, {}) : item);
    const out = [];
    for (const v of value) if (!out.some((o) => isEqual(view(o), view(v)))) out.push(v);
    return out;
  };
  const numbers = (arr, fn) => {
    if (arr.some((i) => typeof i !== 'number')) throw xerr(`${fn}(): all array elements must be numbers`);
    return arr;
  };
  const compactObject = (value) => {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined || v === 'nil' || v === '') continue;
      if (typeof v === 'object') {
        if (Object.keys(v).length === 0) continue;
        out[k] = Array.isArray(v) ? compactArray(v) : compactObject(v);
      } else out[k] = v;
    }
    return out;
  };
  const compactArray = (value) => value
    .filter((v) => !(v && typeof v === 'object' && Object.keys(v).length === 0) && v !== null && v !== undefined && v !== 'nil' && v !== '')
    .map((v) => (v !== null && typeof v === 'object' ? (Array.isArray(v) ? compactArray(v) : compactObject(v)) : v));
  const mergeObjects = (value, other) => {
    if (!other) return value;
    if (typeof other !== 'object') throw xerr('merge(): expected object arg');
    const out = Object.assign({}, value);
    for (const [k, v] of Object.entries(other)) if (!(k in out)) out[k] = v;
    return out;
  };
  const chunk = (value, [size]) => {
    if (typeof size !== 'number' || size === 0) throw xerr('chunk(): expected non-zero numeric arg, e.g. .chunk(5)');
    const out = [];
    for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
    return out;
  };
  const nothing = () => undefined;

  const STRING = {
    hash: (v, [alg]) => H.hash(v, alg),
    isEmpty: (v) => v === '',
    isNotEmpty: (v) => v !== '',
    isBlank: (v) => v.trim() === '',
    isNotBlank: (v) => v.trim() !== '',
    length: (v) => v.length,
    toJsonString: (v) => JSON.stringify(v),
    removeMarkdown,
    removeTags: (v) => v.replace(/<[^>]*>?/gm, ''),
    toDate: (v) => {
      const d = new NDate(NDate.parse(v));
      if (isNaN(d.getTime())) throw xerr('cannot convert to date');
      if (!/:/.test(v)) d.setHours(0, 0, 0);
      return d;
    },
    toDateTime: (v, [fmt]) => {
      if (fmt) {
        if (['ms', 's', 'us', 'excel'].includes(fmt)) return NUMBER.toDateTime(Number(v), [fmt]);
        const dt = DateTime.fromFormat(v, fmt);
        if (!dt.isValid) throw xerr('cannot convert to Luxon DateTime');
        return dt;
      }
      try { return H.parseDateTime(v); } catch (e) { throw xerr('cannot convert to Luxon DateTime'); }
    },
    urlDecode: (v, [all]) => (all ? decodeURI(v) : decodeURIComponent(v)),
    urlEncode: (v, [all]) => (all ? encodeURI(v) : encodeURIComponent(v)),
    toInt: (v, [radix]) => {
      const n = parseInt(v.replace(CURRENCY, ''), radix);
      if (isNaN(n)) throw xerr('cannot convert to integer');
      return n;
    },
    toFloat: (v) => {
      if (v.includes(',')) throw xerr('cannot convert to float, expected . as decimal separator');
      const n = parseFloat(v.replace(CURRENCY, ''));
      if (isNaN(n)) throw xerr('cannot convert to float');
      return n;
    },
    toNumber: (v) => {
      const n = Number(v.replace(CURRENCY, ''));
      if (isNaN(n)) throw xerr('cannot convert to number');
      return n;
    },
    quote: (v, [q = '"']) => `${q}${v.replace(/\\/g, '\\\\').split(q).join('\\' + q)}${q}`,
    isNumeric: (v) => !v.includes(' ') && !isNaN(v) && !isNaN(parseFloat(v)),
    isUrl: (v) => URL_EXACT.test(v),
    isDomain: (v) => DOMAIN.test(v),
    isEmail,
    toTitleCase: titleCase,
    replaceSpecialChars,
    toSentenceCase,
    toSnakeCase: (v) => v.toLocaleLowerCase().replace(/[ \-]/g, '_').replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, ''),
    extractEmail: (v) => { const m = EMAIL.exec(v); return m ? m[0] : undefined; },
    extractDomain: (v) => {
      if (isEmail(v)) { const m = EMAIL.exec(v); return m ? m.groups.domain : undefined; }
      const m = v.match(DOMAIN_EXTRACT);
      return m ? m[1] : undefined;
    },
    extractUrl: (v) => { const m = URL_ANY.exec(v); return m ? m[0] : undefined; },
    extractUrlPath: (v) => { const m = /^[a-z][\w+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(v); return m ? m[1] || '/' : undefined; },
    parseJson: (v) => {
      try { return JSON.parse(v); } catch (e) {
        throw xerr(v.includes("'") ? "Parsing failed. Check you're using double quotes" : 'Parsing failed');
      }
    },
    toBoolean: (v) => { const n = v.toLowerCase(); return n.length > 0 && !['false', 'no', '0'].includes(n); },
    base64Encode: (v) => b64encode(utf8(v)),
    base64Decode: (v) => fromUtf8(b64decode(v)),
  };
  STRING.toWholeNumber = STRING.toInt;
  STRING.toDecimalNumber = STRING.toFloat;

  const ARRAY = {
    first: (v) => v[0],
    last: (v) => v[v.length - 1],
    isEmpty: (v) => v.length === 0,
    isNotEmpty: (v) => v.length > 0,
    pluck: (v, fields) => {
      if (!fields.length) return v;
      const out = [];
      for (const cur of v) {
        if (!cur || typeof cur !== 'object') continue;
        const p = [];
        Object.keys(cur).forEach((k) => fields.forEach((f) => { if (f === k) p.push(cur[k]); }));
        if (p.length) out.push(p.length === 1 ? p[0] : p);
      }
      return out;
    },
    randomItem: (v) => (v.length ? v[Math.floor(H.random() * v.length)] : undefined),
    unique: (v, keys) => unique(v, keys),
    sum: (v) => numbers(v, 'sum').reduce((a, b) => a + b, 0),
    min: (v) => Math.min(...numbers(v, 'min')),
    max: (v) => Math.max(...numbers(v, 'max')),
    average: (v) => (numbers(v, 'average').length ? v.reduce((a, b) => a + b, 0) / v.length : 0),
    compact: compactArray,
    smartJoin: (v, [keyField, valueField]) => {
      if (typeof keyField !== 'string' || typeof valueField !== 'string' || !keyField || !valueField) {
        throw xerr('smartJoin(): expected two string args, e.g. .smartJoin("name", "value")');
      }
      return v.reduce((o, x) => { if (x && typeof x === 'object' && keyField in x && valueField in x) o[x[keyField]] = x[valueField]; return o; }, {});
    },
    chunk,
    renameKeys: (v, args) => {
      if (!args.length || args.length % 2) throw xerr('renameKeys(): expected an even amount of args: from1, to1 [, from2, to2, ...]. e.g. .renameKeys("name", "title")');
      return v.map((x) => {
        if (!x || typeof x !== 'object') return x;
        const o = Object.assign({}, x);
        for (let i = 0; i < args.length; i += 2) if (args[i] in o) { o[args[i + 1]] = o[args[i]]; delete o[args[i]]; }
        return o;
      });
    },
    merge: (v, [others]) => {
      if (others === undefined) {
        return v.reduce((acc, cur) => (cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? mergeObjects(acc, cur) : acc), {});
      }
      if (!Array.isArray(others)) throw xerr('merge(): expected array arg, e.g. .merge([{ id: 1, otherValue: 3 }])');
      let merged = {};
      const n = Math.max(v.length, others.length);
      for (let i = 0; i < n; i++) {
        if (v[i] !== undefined && typeof v[i] === 'object' && typeof others[i] === 'object') merged = Object.assign(merged, mergeObjects(v[i], others[i]));
      }
      return merged;
    },
    union: (v, [others]) => {
      if (!Array.isArray(others)) throw xerr('union(): expected array arg, e.g. .union([1, 2, 3, 4])');
      const out = Array.from(v);
      for (const x of others) if (out.findIndex((w) => isEqual(w, x)) === -1) out.push(x);
      return unique(out, []);
    },
    difference: (v, [others]) => {
      if (!Array.isArray(others)) throw xerr('difference(): expected array arg, e.g. .difference([1, 2, 3, 4])');
      return unique(v.filter((x) => others.findIndex((w) => isEqual(w, x)) === -1), []);
    },
    intersection: (v, [others]) => {
      if (!Array.isArray(others)) throw xerr('intersection(): expected array arg, e.g. .intersection([1, 2, 3, 4])');
      const out = v.filter((x) => others.findIndex((w) => isEqual(w, x)) !== -1)
        .concat(others.filter((x) => v.findIndex((w) => isEqual(w, x)) !== -1));
      return unique(out, []);
    },
    append: (v, args) => v.concat(args),
    toJsonString: (v) => JSON.stringify(v),
    toInt: nothing, toFloat: nothing, toBoolean: nothing, toDateTime: nothing,
  };
  ARRAY.removeDuplicates = ARRAY.unique;

  const OBJECT = {
    isEmpty: (v) => Object.keys(v).length === 0,
    isNotEmpty: (v) => Object.keys(v).length > 0,
    hasField: (v, [name]) => name in v,
    removeField: (v, [name]) => { if (!(name in v)) return v; const o = Object.assign({}, v); delete o[name]; return o; },
    removeFieldsContaining: (v, [match]) => {
      if (typeof match !== 'string' || match === '') throw xerr('removeFieldsContaining(): expected non-empty string arg');
      const o = Object.assign({}, v);
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string' && x.includes(match)) delete o[k];
      return o;
    },
    keepFieldsContaining: (v, [match]) => {
      if (typeof match !== 'string' || match === '') throw xerr('argument of keepFieldsContaining must be a non-empty string');
      const o = Object.assign({}, v);
      for (const [k, x] of Object.entries(v)) if (typeof x !== 'string' || !x.includes(match)) delete o[k];
      return o;
    },
    compact: compactObject,
    urlEncode: urlEncodeObject,
    keys: (v) => Object.keys(v),
    values: (v) => Object.values(v),
    merge: (v, [other]) => mergeObjects(v, other),
    toJsonString: (v) => JSON.stringify(v),
    toInt: nothing, toFloat: nothing, toBoolean: nothing, toDateTime: nothing,
  };
  OBJECT.delete = OBJECT.removeField;

  const NUMBER = {
    ceil: (v) => Math.ceil(v),
    floor: (v) => Math.floor(v),
    abs: (v) => Math.abs(v),
    round: (v, [places = 0]) => +v.toFixed(places),
    format: (v, [locales = 'en-US', config = {}]) => new Intl.NumberFormat(locales, config).format(v),
    isInteger: (v) => Number.isInteger(v),
    isEven: (v) => { if (!Number.isInteger(v)) throw xerr('isEven() is only callable on integers'); return v % 2 === 0; },
    isOdd: (v) => { if (!Number.isInteger(v)) throw xerr('isOdd() is only callable on integers'); return Math.abs(v) % 2 === 1; },
    toBoolean: (v) => v !== 0,
    toInt: (v) => +v.toFixed(0),
    toFloat: (v) => v,
    toDateTime: (v, [fmt = 'ms']) => {
      switch (fmt) {
        case 'excel': return DateTime.fromSeconds((v - (25567 + 2)) * 86400);
        case 's': return DateTime.fromSeconds(v);
        case 'us': return DateTime.fromMillis(v / 1000);
        case 'ms': return DateTime.fromMillis(v);
        default: throw xerr(`Unsupported format '${fmt}'. toDateTime() supports 'ms', 's', 'us' and 'excel'.`);
      }
    },
  };

  const BOOLEAN = {
    toBoolean: (v) => v,
    toInt: (v) => (v ? 1 : 0),
    toFloat: (v) => (v ? 1 : 0),
    toNumber: (v) => (v ? 1 : 0),
    toDateTime: nothing,
  };

  const DATE_PARTS = ['day', 'week', 'month', 'year', 'hour', 'minute', 'second', 'millisecond', 'weekNumber',
    'yearDayNumber', 'weekday', 'quarter'];
  const asDT = (v) => (v instanceof NDate ? DateTime.fromJSDate(v) : v);
  const DATE = {
    format: (v, [fmt]) => asDT(v).toFormat(fmt),
    beginningOf: (v, [unit = 'week']) => {
      const r = asDT(v).startOf(unit);
      return v instanceof NDate ? r.toJSDate() : r;
    },
    endOfMonth: (v) => {
      const r = asDT(v).endOf('month');
      return v instanceof NDate ? r.toJSDate() : r;
    },
    extract: (v, [part = 'week']) => {
      const dt = asDT(v);
      if (part === 'yearDayNumber') return dt.ordinal;
      if (part === 'week' || part === 'weekNumber') return dt.weekNumber;
      if (!DATE_PARTS.includes(part)) throw xerr(`Unsupported part '${part}'`);
      return dt.get(part);
    },
    isBetween: (v, [a, b]) => {
      const dt = asDT(v);
      const x = H.parseDateTime(a), y = H.parseDateTime(b);
      return x > y ? dt > y && dt < x : dt > x && dt < y;
    },
    isDst: (v) => asDT(v).isInDST,
    isInLast: (v, [n = 0, unit = 'minutes']) => {
      const dt = asDT(v);
      const now = DateTime.now();
      return dt >= now.minus({ [unit]: n }) && dt <= now;
    },
    isWeekend: (v) => [6, 7].includes(asDT(v).weekday),
    plus: (v, [n, unit]) => {
      const r = asDT(v).plus(n, unit);
      return v instanceof NDate ? r.toJSDate() : r;
    },
    minus: (v, [n, unit]) => {
      const r = asDT(v).minus(n, unit);
      return v instanceof NDate ? r.toJSDate() : r;
    },
    toDateTime: (v) => asDT(v),
    diffTo: (v, [other, unit = 'days']) => {
      let units = Array.isArray(unit) ? unit : [unit];
      if (!units.length) units = ['days'];
      const d = asDT(v).diff(H.parseDateTime(other), units);
      return units.length > 1 ? d.toObject() : d.as(units[0]);
    },
    diffToNow: (v, [unit = 'days']) => DATE.diffTo(v, [DateTime.now(), unit]),
    toInt: (v) => asDT(v).toMillis(),
    toFloat: (v) => asDT(v).toMillis(),
    toBoolean: nothing,
  };

  const TABLES = [['String', STRING], ['Array', ARRAY], ['Object', OBJECT], ['Number', NUMBER], ['Boolean', BOOLEAN], ['Date', DATE]];
  const tableFor = (v) => {
    switch (typeof v) {
      case 'string': return STRING;
      case 'number': return NUMBER;
      case 'boolean': return BOOLEAN;
      case 'object':
        if (v === null) return null;
        if (Array.isArray(v)) return ARRAY;
        if (v instanceof NDate || DateTime.isDateTime(v)) return DATE;
        return OBJECT;
      default: return null;
    }
  };
  H.extensionNames = [...new Set(TABLES.flatMap(([, t]) => Object.keys(t)))];
  const HX = {};
  for (const name of H.extensionNames) {
    const sym = Symbol(name);
    HX[name] = sym;
    defineHidden(Object.prototype, sym, function (...args) {
      const own = this[name];
      if (typeof own === 'function') return own.apply(this, args);
      const table = tableFor(this);
      const fn = table && table[name];
      if (!fn) {
        const have = TABLES.filter(([, t]) => name in t).map(([n]) => `"${n}"`);
        throw xerr(have.length === 1 ? `${name}() is only callable on type ${have[0]}`
          : `${name}() is only callable on types ${have.slice(0, -1).join(', ')}, and ${have[have.length - 1]}`);
      }
      return fn(this, args);
    });
  }
  Object.freeze(HX);
  defineHidden(G, '__hx', HX);
  H.extend = (value, name, args) => {
    if (value === null || value === undefined) throw xerr(`${name}() could not be called on "${String(value)}" type`);
    const sym = HX[name];
    return sym ? Object(value)[sym].apply(value, args || []) : value[name](...(args || []));
  };

  // n8n's tryToParseDateTime: ISO, HTTP, RFC 2822, SQL, then Date.parse.
  H.parseDateTime = (value, zone) => {
    if (DateTime.isDateTime(value) && value.isValid) return value;
    if (value instanceof NDate) {
      const d = DateTime.fromJSDate(value, { zone });
      if (d.isValid) return d;
    }
    const s = String(value).trim();
    for (const parse of [DateTime.fromISO, DateTime.fromHTTP, DateTime.fromRFC2822, DateTime.fromSQL]) {
      const d = parse(s, { zone, setZone: true });
      if (d.isValid) return d;
    }
    const t = NDate.parse(s);
    if (!isNaN(t)) return DateTime.fromMillis(t, { zone });
    throw xerr('Value is not a valid date');
  };

  // ---------------------------------------------------------------- $if, $ifEmpty, min, max, …
  const isEmptyValue = (v) => v === undefined || v === null || v === '' ||
    (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && !(v instanceof NDate) &&
      !DateTime.isDateTime(v) && Object.keys(v).length === 0);
  const XF = {
    $ifEmpty: (v, d) => (isEmptyValue(v) ? d : v),
    $isEmpty: isEmptyValue,
    $min: (...n) => Math.min(...n),
    $max: (...n) => Math.max(...n),
    $average: (...n) => (n.length ? n.reduce((a, b) => a + b, 0) / n.length : NaN),
    $not: (v) => !v,
  };
  XF.$if = function (cond, a, b) {
    if (arguments.length < 2) throw xerr('$if requires at least 2 parameters');
    return cond ? a : b;
  };
  for (const [k, v] of Object.entries(XF)) defineHidden(G, k, v);
  // Bare names n8n offers in expressions only (compiled templates receive them as parameters,
  // so Code nodes keep their own `min`/`max` variables).
  H.exprScope = [
    (...n) => Math.min(...n), (...n) => Math.max(...n), XF.$average, XF.$not,
    (start, end) => {
      const out = [];
      if (start <= end) for (let i = start; i <= end; i++) out.push(i); else for (let i = start; i >= end; i--) out.push(i);
      return out;
    },
    (keys, values) => {
      if (keys.length !== values.length) throw xerr('keys and values not of equal length');
      return keys.reduce((o, k, i) => { o[k] = values[i]; return o; }, {});
    },
  ];
})();
