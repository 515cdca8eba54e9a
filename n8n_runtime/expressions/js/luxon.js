// Hive prelude, part 2: a Luxon-compatible DateTime / Duration / Interval (the subset n8n
// workflows use). Zones come from V8's ICU through Intl.DateTimeFormat. The default zone is
// the workflow time zone (n8n sets Luxon's Settings.defaultZone the same way).
(function () {
  'use strict';
  const G = globalThis;
  const H = G.__hive;
  const NDate = Object.getPrototypeOf(new Date(0)).constructor;  // the (wrapped) Date
  const defineHidden = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  H.tz = 'America/New_York';

  // ---------------------------------------------------------------- calendar helpers
  const isLeap = (y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const floorMod = (x, n) => x - n * Math.floor(x / n);
  const daysInMonth = (y, m) => {
    const mm = floorMod(m - 1, 12) + 1;
    const yy = y + (m - mm) / 12;
    return mm === 2 ? (isLeap(yy) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1];
  };
  const daysInYear = (y) => (isLeap(y) ? 366 : 365);
  const utcMs = (o) => {
    const d = new NDate(NDate.UTC(2000, o.month - 1, o.day, o.hour, o.minute, o.second, o.millisecond));
    d.setUTCFullYear(o.year, o.month - 1, o.day);
    return d.getTime();
  };
  const components = (ts) => {
    const d = new NDate(ts);
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
      millisecond: d.getUTCMilliseconds(),
    };
  };
  const isoWeekday = (y, m, d) => {
    const wd = new NDate(utcMs({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0, millisecond: 0 })).getUTCDay();
    return wd === 0 ? 7 : wd;
  };
  const ordinalOf = (c) => {
    let n = c.day;
    for (let m = 1; m < c.month; m++) n += daysInMonth(c.year, m);
    return n;
  };
  const weeksInWeekYear = (y) => {
    const p = (yy) => (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400)) % 7;
    return p(y) === 4 || p(y - 1) === 3 ? 53 : 52;
  };
  const weekInfo = (c) => {
    const ordinal = ordinalOf(c);
    const wd = isoWeekday(c.year, c.month, c.day);
    let weekNumber = Math.floor((ordinal - wd + 10) / 7);
    let weekYear = c.year;
    if (weekNumber < 1) {
      weekYear = c.year - 1;
      weekNumber = weeksInWeekYear(weekYear);
    } else if (weekNumber > weeksInWeekYear(c.year)) {
      weekYear = c.year + 1;
      weekNumber = 1;
    }
    return { weekYear, weekNumber, weekday: wd };
  };
  const fromWeek = (weekYear, weekNumber, weekday) => {
    const jan4wd = isoWeekday(weekYear, 1, 4);
    let ordinal = weekNumber * 7 + weekday - jan4wd - 3;
    let year = weekYear;
    if (ordinal < 1) { year -= 1; ordinal += daysInYear(year); } else if (ordinal > daysInYear(year)) {
      ordinal -= daysInYear(year); year += 1;
    }
    return fromOrdinal(year, ordinal);
  };
  const fromOrdinal = (year, ordinal) => {
    let month = 1;
    while (ordinal > daysInMonth(year, month)) { ordinal -= daysInMonth(year, month); month++; }
    return { year, month, day: ordinal };
  };

  // ---------------------------------------------------------------- zones
  const dtfCache = new Map();
  const zoneDtf = (name) => {
    let f = dtfCache.get(name);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: name, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric',
        day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
      dtfCache.set(name, f);
    }
    return f;
  };
  class Zone {
    constructor(name, fixed) {
      this.name = name;
      this.fixed = fixed;  // minutes, or null for an IANA zone
    }
    get type() { return this.fixed === null ? 'iana' : 'fixed'; }
    get isUniversal() { return this.fixed !== null; }
    get isValid() { return true; }
    offset(ts) {
      if (this.fixed !== null) return this.fixed;
      if (!isFinite(ts)) return NaN;
      // ICU lookups are the slow part of DateTime: remember offsets per 15-minute bucket, but
      // only for buckets whose two ends agree (no transition inside).
      const bucket = Math.floor(ts / 9e5);
      if (!this.cache) defineHidden(this, 'cache', new Map());
      const hit = this.cache.get(bucket);
      if (hit !== undefined) return hit;
      const first = this.rawOffset(bucket * 9e5);
      if (first === this.rawOffset(bucket * 9e5 + 9e5 - 1)) {
        if (this.cache.size > 4096) this.cache.clear();
        this.cache.set(bucket, first);
        return first;
      }
      return this.rawOffset(ts);
    }
    rawOffset(ts) {
      const parts = zoneDtf(this.name).formatToParts(new NDate(ts));
      const v = {};
      for (const p of parts) v[p.type] = p.value;
      let year = +v.year;
      if (v.era === 'BC' || v.era === 'B') year = 1 - year;
      const hour = +v.hour === 24 ? 0 : +v.hour;
      const asUtc = utcMs({ year, month: +v.month, day: +v.day, hour, minute: +v.minute, second: +v.second, millisecond: 0 });
      const asTs = ts - floorMod(ts, 1000);
      return Math.round((asUtc - asTs) / 60000);
    }
    offsetName(ts, format) {
      if (this.fixed !== null) return this.name;
      const parts = new Intl.DateTimeFormat('en-US', { timeZone: this.name, timeZoneName: format }).formatToParts(new NDate(ts));
      const p = parts.find((x) => x.type === 'timeZoneName');
      return p ? p.value : this.name;
    }
    equals(other) { return other instanceof Zone && other.name === this.name; }
  }
  const fmtOffset = (m, style) => {
    const sign = m < 0 ? '-' : '+';
    const a = Math.abs(m);
    const h = Math.floor(a / 60), mm = a % 60;
    if (style === 'narrow') return sign + h + (mm ? ':' + String(mm).padStart(2, '0') : '');
    if (style === 'techie') return sign + String(h).padStart(2, '0') + String(mm).padStart(2, '0');
    return sign + String(h).padStart(2, '0') + ':' + String(mm).padStart(2, '0');
  };
  const UTC_ZONE = new Zone('UTC', 0);
  const fixedZone = (m) => (m === 0 ? UTC_ZONE : new Zone('UTC' + fmtOffset(m, 'narrow'), m));
  const zoneCache = new Map();
  const normalizeZone = (z) => {
    if (z instanceof Zone) return z;
    if (z === undefined || z === null || z === 'default' || z === 'local' || z === 'system') return normalizeZone(H.tz);
    if (typeof z === 'number') return fixedZone(z);
    if (typeof z === 'object' && typeof z.name === 'string') return normalizeZone(z.name);
    const s = String(z);
    const low = s.toLowerCase();
    if (low === 'utc' || low === 'gmt' || low === 'z' || low === 'etc/utc') return UTC_ZONE;
    const m = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(s);
    if (m) return fixedZone((m[1] === '-' ? -1 : 1) * (+m[2] * 60 + (+m[3] || 0)));
    let zone = zoneCache.get(s);
    if (zone === undefined) {
      try {
        zoneDtf(s);
        zone = new Zone(new Intl.DateTimeFormat('en-US', { timeZone: s }).resolvedOptions().timeZone, null);
        zone.name = s;
      } catch (e) {
        zone = null;
      }
      zoneCache.set(s, zone);
    }
    return zone;
  };
  H.validZone = (name) => normalizeZone(name) !== null;
  const fixOffset = (localTs, o, zone) => {
    let utcGuess = localTs - o * 60000;
    const o2 = zone.offset(utcGuess);
    if (o === o2) return [utcGuess, o];
    utcGuess -= (o2 - o) * 60000;
    const o3 = zone.offset(utcGuess);
    if (o2 === o3) return [utcGuess, o2];
    return [localTs - Math.min(o2, o3) * 60000, Math.max(o2, o3)];
  };
  const tsFromLocal = (c, zone) => {
    const local = utcMs(c);
    return fixOffset(local, zone.offset(local), zone);
  };

  // ---------------------------------------------------------------- names
  const nameCache = new Map();
  const names = (locale, kind, style) => {
    const key = `${locale}|${kind}|${style}`;
    let out = nameCache.get(key);
    if (!out) {
      out = [];
      if (kind === 'month') {
        const f = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
        for (let m = 0; m < 12; m++) out.push(f.format(new NDate(NDate.UTC(2021, m, 15))));
      } else if (kind === 'weekday') {
        const f = new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' });
        for (let d = 1; d <= 7; d++) out.push(f.format(new NDate(NDate.UTC(2021, 1, d))));  // 2021-02-01 was a Monday
      } else {
        const f = new Intl.DateTimeFormat(locale, { hour: 'numeric', hourCycle: 'h12', timeZone: 'UTC' });
        for (const h of [9, 21]) {
          const p = f.formatToParts(new NDate(NDate.UTC(2021, 0, 1, h))).find((x) => x.type === 'dayPeriod');
          out.push(p ? p.value : h < 12 ? 'AM' : 'PM');
        }
      }
      nameCache.set(key, out);
    }
    return out;
  };

  // ---------------------------------------------------------------- units
  const UNITS = ['years', 'quarters', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'];
  const UNIT_ALIASES = {
    year: 'years', years: 'years', y: 'years', quarter: 'quarters', quarters: 'quarters', q: 'quarters',
    month: 'months', months: 'months', M: 'months', week: 'weeks', weeks: 'weeks', w: 'weeks',
    day: 'days', days: 'days', d: 'days', hour: 'hours', hours: 'hours', h: 'hours',
    minute: 'minutes', minutes: 'minutes', m: 'minutes', second: 'seconds', seconds: 'seconds', s: 'seconds',
    millisecond: 'milliseconds', milliseconds: 'milliseconds', ms: 'milliseconds',
  };
  const normUnit = (u) => {
    const n = UNIT_ALIASES[u] || UNIT_ALIASES[String(u).toLowerCase()];
    if (!n) throw new H.ExpressionError(`Invalid unit ${u}`);
    return n;
  };
  const MS = {
    years: 365 * 864e5, quarters: 91 * 864e5, months: 30 * 864e5, weeks: 7 * 864e5, days: 864e5,
    hours: 36e5, minutes: 6e4, seconds: 1e3, milliseconds: 1,
  };

  // ---------------------------------------------------------------- Duration
  class Duration {
    constructor(values, invalid) {
      defineHidden(this, 'values', values || {});
      defineHidden(this, 'invalid', invalid || null);
    }
    static fromObject(obj, opts) {
      if (obj === null || typeof obj !== 'object') throw new TypeError(`Duration.fromObject: argument expected to be an object, got ${obj}`);
      const v = {};
      for (const k of Object.keys(obj)) {
        if (obj[k] === undefined) continue;
        const u = normUnit(k);
        const n = Number(obj[k]);
        if (isNaN(n)) throw new TypeError(`Invalid unit value ${obj[k]}`);
        v[u] = (v[u] || 0) + n;
      }
      return new Duration(v);
    }
    static fromMillis(ms) { return new Duration({ milliseconds: Number(ms) }); }
    static fromDurationLike(d) {
      if (Duration.isDuration(d)) return d;
      if (typeof d === 'number') return Duration.fromMillis(d);
      return Duration.fromObject(d);
    }
    static fromISO(s) {
      const m = /^(-)?P(?:(-?\d+(?:[.,]\d+)?)Y)?(?:(-?\d+(?:[.,]\d+)?)M)?(?:(-?\d+(?:[.,]\d+)?)W)?(?:(-?\d+(?:[.,]\d+)?)D)?(?:T(?:(-?\d+(?:[.,]\d+)?)H)?(?:(-?\d+(?:[.,]\d+)?)M)?(?:(-?\d+(?:[.,]\d{1,9})?)S)?)?$/.exec(String(s));
      if (!m || String(s) === 'P' || String(s).endsWith('T')) return Duration.invalid('unparsable');
      const sign = m[1] ? -1 : 1;
      const num = (x) => (x === undefined ? undefined : sign * Number(x.replace(',', '.')));
      const v = {};
      [['years', 2], ['months', 3], ['weeks', 4], ['days', 5], ['hours', 6], ['minutes', 7], ['seconds', 8]].forEach(([u, i]) => {
        if (m[i] !== undefined) v[u] = num(m[i]);
      });
      if (v.seconds !== undefined && !Number.isInteger(v.seconds)) {
        const whole = Math.trunc(v.seconds);
        v.milliseconds = Math.round((v.seconds - whole) * 1000);
        v.seconds = whole;
      }
      return new Duration(v);
    }
    static invalid(reason) { return new Duration({}, reason); }
    static isDuration(o) { return o instanceof Duration; }
    get isValid() { return this.invalid === null; }
    get invalidReason() { return this.invalid; }
    get(u) { return this.values[normUnit(u)] || 0; }
    get years() { return this.values.years || 0; }
    get quarters() { return this.values.quarters || 0; }
    get months() { return this.values.months || 0; }
    get weeks() { return this.values.weeks || 0; }
    get days() { return this.values.days || 0; }
    get hours() { return this.values.hours || 0; }
    get minutes() { return this.values.minutes || 0; }
    get seconds() { return this.values.seconds || 0; }
    get milliseconds() { return this.values.milliseconds || 0; }
    toMillis() {
      let t = 0;
      for (const u of UNITS) if (this.values[u]) t += this.values[u] * MS[u];
      return t;
    }
    valueOf() { return this.toMillis(); }
    as(u) { return this.shiftTo(u).get(u); }
    shiftTo(...units) {
      if (!this.isValid) return this;
      const us = units.map(normUnit).sort((a, b) => UNITS.indexOf(a) - UNITS.indexOf(b));
      if (!us.length) return this;
      let rest = this.toMillis();
      const out = {};
      us.forEach((u, i) => {
        if (i === us.length - 1) {
          out[u] = rest / MS[u];
        } else {
          const whole = Math.trunc(rest / MS[u]);
          out[u] = whole;
          rest -= whole * MS[u];
        }
      });
      for (const u of us) {
        // Float noise from the division (0.30000000000000004 days) is not worth keeping.
        out[u] = Math.round(out[u] * 1e9) / 1e9;
      }
      return new Duration(out);
    }
    shiftToAll() { return this.shiftTo(...UNITS); }
    normalize() {
      const present = UNITS.filter((u) => this.values[u] !== undefined);
      return present.length ? this.shiftTo(...present) : this;
    }
    rescale() {
      const d = this.shiftToAll();
      const v = {};
      for (const u of UNITS) if (d.values[u]) v[u] = d.values[u];
      return new Duration(v);
    }
    plus(other) {
      const o = Duration.fromDurationLike(other);
      const v = Object.assign({}, this.values);
      for (const u of UNITS) if (o.values[u] !== undefined) v[u] = (v[u] || 0) + o.values[u];
      return new Duration(v);
    }
    minus(other) { return this.plus(Duration.fromDurationLike(other).negate()); }
    negate() {
      const v = {};
      for (const u of Object.keys(this.values)) v[u] = this.values[u] === 0 ? 0 : -this.values[u];
      return new Duration(v);
    }
    mapUnits(fn) {
      const v = {};
      for (const u of Object.keys(this.values)) v[u] = fn(this.values[u], u);
      return new Duration(v);
    }
    set(values) { return new Duration(Object.assign({}, this.values, Duration.fromObject(values).values)); }
    equals(other) {
      if (!Duration.isDuration(other)) return false;
      return UNITS.every((u) => (this.values[u] || 0) === (other.values[u] || 0));
    }
    toObject() { return Object.assign({}, this.values); }
    toISO() {
      if (!this.isValid) return null;
      const v = this.values;
      let s = 'P';
      if (v.years) s += v.years + 'Y';
      if (v.months || v.quarters) s += (v.months || 0) + (v.quarters || 0) * 3 + 'M';
      if (v.weeks) s += v.weeks + 'W';
      if (v.days) s += v.days + 'D';
      if (v.hours || v.minutes || v.seconds || v.milliseconds) s += 'T';
      if (v.hours) s += v.hours + 'H';
      if (v.minutes) s += v.minutes + 'M';
      if (v.seconds || v.milliseconds) s += Math.round(((v.seconds || 0) + (v.milliseconds || 0) / 1000) * 1000) / 1000 + 'S';
      return s === 'P' ? 'PT0S' : s;
    }
    toJSON() { return this.toISO(); }
    toString() { return this.isValid ? this.toISO() : 'Invalid Duration'; }
    toHuman(opts) {
      const display = (opts && opts.unitDisplay) || 'long';
      const parts = [];
      for (const u of UNITS) {
        if (this.values[u] === undefined) continue;
        const single = u.slice(0, -1);
        parts.push(new Intl.NumberFormat('en-US', { style: 'unit', unit: single, unitDisplay: display }).format(this.values[u]));
      }
      return parts.join(', ');
    }
    toFormat(fmt) {
      const tokens = { y: 'years', M: 'months', w: 'weeks', d: 'days', h: 'hours', m: 'minutes', s: 'seconds', S: 'milliseconds' };
      const parsed = tokenizeFormat(fmt);
      const used = [...new Set(parsed.filter((t) => !t.literal && tokens[t.val[0]]).map((t) => tokens[t.val[0]]))];
      const d = used.length ? this.shiftTo(...used) : this;
      return parsed.map((t) => {
        if (t.literal || !tokens[t.val[0]]) return t.val;
        const v = Math.trunc(d.get(tokens[t.val[0]]));
        return String(Math.abs(v)).padStart(t.val.length, '0').replace(/^/, v < 0 ? '-' : '');
      }).join('');
    }
  }

  // ---------------------------------------------------------------- format tokenizer
  function tokenizeFormat(fmt) {
    const out = [];
    let i = 0;
    const s = String(fmt);
    while (i < s.length) {
      const c = s[i];
      if (c === "'") {
        const j = s.indexOf("'", i + 1);
        if (j === i + 1) { out.push({ literal: true, val: "'" }); i += 2; continue; }
        const end = j === -1 ? s.length : j;
        out.push({ literal: true, val: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
      if (/[A-Za-z]/.test(c)) {
        let j = i;
        while (j < s.length && s[j] === c) j++;
        out.push({ literal: false, val: s.slice(i, j) });
        i = j;
        continue;
      }
      let j = i;
      while (j < s.length && s[j] !== "'" && !/[A-Za-z]/.test(s[j])) j++;
      out.push({ literal: true, val: s.slice(i, j) });
      i = j;
    }
    return out;
  }

  // ---------------------------------------------------------------- DateTime
  const PRESETS = {
    DATE_SHORT: { year: 'numeric', month: 'numeric', day: 'numeric' },
    DATE_MED: { year: 'numeric', month: 'short', day: 'numeric' },
    DATE_MED_WITH_WEEKDAY: { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' },
    DATE_FULL: { year: 'numeric', month: 'long', day: 'numeric' },
    DATE_HUGE: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' },
    TIME_SIMPLE: { hour: 'numeric', minute: 'numeric' },
    TIME_WITH_SECONDS: { hour: 'numeric', minute: 'numeric', second: 'numeric' },
    TIME_WITH_SHORT_OFFSET: { hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short' },
    TIME_24_SIMPLE: { hour: 'numeric', minute: 'numeric', hourCycle: 'h23' },
    TIME_24_WITH_SECONDS: { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' },
    DATETIME_SHORT: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' },
    DATETIME_SHORT_WITH_SECONDS: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
    DATETIME_MED: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: 'numeric' },
    DATETIME_MED_WITH_SECONDS: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
    DATETIME_MED_WITH_WEEKDAY: { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric' },
    DATETIME_FULL: { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric', timeZoneName: 'short' },
    DATETIME_HUGE: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', hour: 'numeric', minute: 'numeric', timeZoneName: 'long' },
  };
  const MACROS = {
    D: PRESETS.DATE_SHORT, DD: PRESETS.DATE_MED, DDD: PRESETS.DATE_FULL, DDDD: PRESETS.DATE_HUGE,
    t: PRESETS.TIME_SIMPLE, tt: PRESETS.TIME_WITH_SECONDS, ttt: PRESETS.TIME_WITH_SHORT_OFFSET,
    T: PRESETS.TIME_24_SIMPLE, TT: PRESETS.TIME_24_WITH_SECONDS,
    f: PRESETS.DATETIME_SHORT, ff: PRESETS.DATETIME_MED, fff: PRESETS.DATETIME_FULL, ffff: PRESETS.DATETIME_HUGE,
    F: PRESETS.DATETIME_SHORT_WITH_SECONDS, FF: PRESETS.DATETIME_MED_WITH_SECONDS,
  };
  const pad = (n, len) => {
    const neg = n < 0;
    const s = String(Math.abs(n)).padStart(len, '0');
    return neg ? '-' + s : s;
  };

  class DateTime {
    constructor(ts, zone, locale, invalid) {
      defineHidden(this, 'ts', ts);
      defineHidden(this, '_zone', zone);
      defineHidden(this, 'loc', locale || 'en-US');
      defineHidden(this, 'invalid', invalid || null);
      if (!invalid) {
        const o = zone.offset(ts);
        defineHidden(this, 'o', o);
        defineHidden(this, 'c', components(ts + o * 60000));
      } else {
        defineHidden(this, 'o', NaN);
        defineHidden(this, 'c', null);
      }
    }
    // -- construction
    static _make(ts, opts, zoneOverride) {
      const zone = zoneOverride || normalizeZone(opts && opts.zone);
      if (!zone) return DateTime.invalid('unsupported zone');
      if (!isFinite(ts) || Math.abs(ts) > 8.64e15) return DateTime.invalid('invalid input');
      return new DateTime(ts, zone, opts && opts.locale);
    }
    static _fromComponents(c, opts, zoneOverride) {
      const zone = zoneOverride || normalizeZone(opts && opts.zone);
      if (!zone) return DateTime.invalid('unsupported zone');
      const full = Object.assign({ year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, c);
      if (full.month < 1 || full.month > 12 || full.day < 1 || full.day > daysInMonth(full.year, full.month) ||
        full.hour < 0 || full.hour > 23 || full.minute < 0 || full.minute > 59 || full.second < 0 ||
        full.second > 59 || full.millisecond < 0 || full.millisecond > 999) {
        return DateTime.invalid('unit out of range');
      }
      const [ts] = tsFromLocal(full, zone);
      return new DateTime(ts, zone, opts && opts.locale);
    }
    static now() { return DateTime._make(H.now); }
    static local(...args) { return DateTime._fromArgs(args, null); }
    static utc(...args) { return DateTime._fromArgs(args, UTC_ZONE); }
    static _fromArgs(args, zone) {
      let opts = {};
      if (args.length && typeof args[args.length - 1] === 'object') opts = args.pop();
      if (!args.length) return DateTime._make(H.now, opts, zone);
      const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0] = args;
      return DateTime._fromComponents({ year, month, day, hour, minute, second, millisecond }, opts, zone);
    }
    static fromMillis(ms, opts) {
      if (typeof ms !== 'number') throw new TypeError(`fromMillis requires a numerical input, but received a ${typeof ms} with value ${ms}`);
      return DateTime._make(ms, opts);
    }
    static fromSeconds(s, opts) {
      if (typeof s !== 'number') throw new TypeError('fromSeconds requires a numerical input');
      return DateTime._make(s * 1000, opts);
    }
    static fromJSDate(d, opts) {
      const ts = d instanceof NDate ? d.getTime() : NaN;
      if (isNaN(ts)) return DateTime.invalid('invalid input');
      return DateTime._make(ts, opts);
    }
    static fromObject(obj, opts) {
      obj = obj || {};
      const zone = normalizeZone(opts && opts.zone);
      if (!zone) return DateTime.invalid('unsupported zone');
      const now = DateTime._make(H.now, null, zone);
      const c = {};
      let haveBigger = false;
      for (const u of ['year', 'month', 'day', 'hour', 'minute', 'second', 'millisecond']) {
        const v = obj[u] !== undefined ? obj[u] : obj[u + 's'];
        if (v !== undefined) { c[u] = v; haveBigger = true; } else if (!haveBigger) c[u] = now.c[u];
        else c[u] = u === 'month' || u === 'day' ? 1 : 0;
      }
      if (obj.ordinal !== undefined) Object.assign(c, fromOrdinal(obj.year !== undefined ? obj.year : now.year, obj.ordinal));
      if (obj.weekNumber !== undefined || obj.weekYear !== undefined) {
        Object.assign(c, fromWeek(obj.weekYear !== undefined ? obj.weekYear : now.weekYear, obj.weekNumber || 1, obj.weekday || 1));
      }
      return DateTime._fromComponents(c, opts, zone);
    }
    static fromISO(text, opts) { return parseISO(String(text), opts || {}); }
    static fromSQL(text, opts) { return parseSQL(String(text), opts || {}); }
    static fromRFC2822(text, opts) { return parseRFC2822(String(text), opts || {}); }
    static fromHTTP(text, opts) { return parseHTTP(String(text), opts || {}); }
    static fromFormat(text, fmt, opts) { return parseFormat(String(text), String(fmt), opts || {}); }
    static fromString(text, fmt, opts) { return DateTime.fromFormat(text, fmt, opts); }
    static invalid(reason) { return new DateTime(NaN, UTC_ZONE, 'en-US', reason || 'invalid'); }
    static isDateTime(o) { return o instanceof DateTime; }
    static max(...dts) { return dts.length ? dts.reduce((a, b) => (b.ts > a.ts ? b : a)) : undefined; }
    static min(...dts) { return dts.length ? dts.reduce((a, b) => (b.ts < a.ts ? b : a)) : undefined; }
    // -- getters
    get isValid() { return this.invalid === null; }
    get invalidReason() { return this.invalid; }
    get invalidExplanation() { return null; }
    get zone() { return this._zone; }
    get zoneName() { return this.isValid ? this._zone.name : null; }
    get locale() { return this.loc; }
    get numberingSystem() { return 'latn'; }
    get outputCalendar() { return 'gregory'; }
    get year() { return this.isValid ? this.c.year : NaN; }
    get quarter() { return this.isValid ? Math.ceil(this.c.month / 3) : NaN; }
    get month() { return this.isValid ? this.c.month : NaN; }
    get day() { return this.isValid ? this.c.day : NaN; }
    get hour() { return this.isValid ? this.c.hour : NaN; }
    get minute() { return this.isValid ? this.c.minute : NaN; }
    get second() { return this.isValid ? this.c.second : NaN; }
    get millisecond() { return this.isValid ? this.c.millisecond : NaN; }
    get weekday() { return this.isValid ? isoWeekday(this.c.year, this.c.month, this.c.day) : NaN; }
    get weekNumber() { return this.isValid ? weekInfo(this.c).weekNumber : NaN; }
    get weekYear() { return this.isValid ? weekInfo(this.c).weekYear : NaN; }
    get localWeekNumber() { return this.weekNumber; }
    get localWeekYear() { return this.weekYear; }
    get localWeekday() { return this.weekday; }
    get ordinal() { return this.isValid ? ordinalOf(this.c) : NaN; }
    get monthShort() { return this.isValid ? names(this.loc, 'month', 'short')[this.c.month - 1] : null; }
    get monthLong() { return this.isValid ? names(this.loc, 'month', 'long')[this.c.month - 1] : null; }
    get weekdayShort() { return this.isValid ? names(this.loc, 'weekday', 'short')[this.weekday - 1] : null; }
    get weekdayLong() { return this.isValid ? names(this.loc, 'weekday', 'long')[this.weekday - 1] : null; }
    get offset() { return this.isValid ? this.o : NaN; }
    get offsetNameShort() { return this.isValid ? this._zone.offsetName(this.ts, 'short') : null; }
    get offsetNameLong() { return this.isValid ? this._zone.offsetName(this.ts, 'long') : null; }
    get isOffsetFixed() { return this.isValid ? this._zone.isUniversal : null; }
    get isInDST() {
      if (!this.isValid || this._zone.isUniversal) return false;
      const jan = this._zone.offset(utcMs({ year: this.c.year, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }));
      const jul = this._zone.offset(utcMs({ year: this.c.year, month: 7, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }));
      return jan !== jul && this.o === Math.max(jan, jul);
    }
    get isInLeapYear() { return isLeap(this.year); }
    get daysInMonth() { return daysInMonth(this.year, this.month); }
    get daysInYear() { return this.isValid ? daysInYear(this.year) : NaN; }
    get weeksInWeekYear() { return this.isValid ? weeksInWeekYear(this.weekYear) : NaN; }
    get(unit) { return this[unit]; }
    // -- conversion between zones and locales
    setZone(zone, opts) {
      const z = normalizeZone(zone);
      if (!z) return DateTime.invalid('unsupported zone');
      if (!this.isValid) return this;
      if (opts && opts.keepLocalTime) {
        const [ts] = tsFromLocal(this.c, z);
        return new DateTime(ts, z, this.loc);
      }
      return new DateTime(this.ts, z, this.loc);
    }
    toUTC(offset, opts) { return this.setZone(offset ? fixedZone(offset) : UTC_ZONE, opts); }
    toLocal() { return this.setZone(H.tz); }
    setLocale(locale) { return new DateTime(this.ts, this._zone, locale, this.invalid); }
    reconfigure(opts) { return opts && opts.locale ? this.setLocale(opts.locale) : this; }
    // -- arithmetic
    set(values) {
      if (!this.isValid) return this;
      const c = Object.assign({}, this.c);
      for (const k of Object.keys(values || {})) {
        const u = k.endsWith('s') && k !== 'weeks' ? k.slice(0, -1) : k;
        c[u] = values[k];
      }
      if (values.weekday !== undefined || values.weekNumber !== undefined || values.weekYear !== undefined) {
        const w = weekInfo(this.c);
        Object.assign(c, fromWeek(values.weekYear !== undefined ? values.weekYear : w.weekYear,
          values.weekNumber !== undefined ? values.weekNumber : w.weekNumber,
          values.weekday !== undefined ? values.weekday : w.weekday));
      } else if (values.ordinal !== undefined) {
        Object.assign(c, fromOrdinal(c.year, values.ordinal));
      }
      c.day = Math.min(c.day, daysInMonth(c.year, c.month));
      const [ts] = fixOffset(utcMs(c), this.o, this._zone);
      return new DateTime(ts, this._zone, this.loc);
    }
    plus(dur, unit) {
      if (!this.isValid) return this;
      const d = unit !== undefined ? Duration.fromObject({ [unit]: dur }) : Duration.fromDurationLike(dur);
      const v = d.values;
      const t = (x) => Math.trunc(x || 0);
      const year = this.c.year + t(v.years);
      const month = this.c.month + t(v.months) + t(v.quarters) * 3;
      const c = Object.assign({}, this.c, {
        year, month,
        day: Math.min(this.c.day, daysInMonth(year, month)) + t(v.days) + t(v.weeks) * 7,
      });
      const frac = Duration.fromObject({
        years: (v.years || 0) - t(v.years), quarters: (v.quarters || 0) - t(v.quarters),
        months: (v.months || 0) - t(v.months), weeks: (v.weeks || 0) - t(v.weeks), days: (v.days || 0) - t(v.days),
        hours: v.hours || 0, minutes: v.minutes || 0, seconds: v.seconds || 0, milliseconds: v.milliseconds || 0,
      }).toMillis();
      let [ts] = fixOffset(utcMs(c), this.o, this._zone);
      if (frac !== 0) ts += frac;
      return new DateTime(ts, this._zone, this.loc);
    }
    minus(dur, unit) {
      if (!this.isValid) return this;
      const d = unit !== undefined ? Duration.fromObject({ [unit]: dur }) : Duration.fromDurationLike(dur);
      return this.plus(d.negate());
    }
    startOf(unit, opts) {
      if (!this.isValid) return this;
      const u = normUnit(unit);
      const c = Object.assign({}, this.c);
      if (u !== 'milliseconds') {
        if (['years', 'quarters', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'].includes(u)) c.millisecond = 0;
        if (['years', 'quarters', 'months', 'weeks', 'days', 'hours', 'minutes'].includes(u)) c.second = 0;
        if (['years', 'quarters', 'months', 'weeks', 'days', 'hours'].includes(u)) c.minute = 0;
        if (['years', 'quarters', 'months', 'weeks', 'days'].includes(u)) c.hour = 0;
        if (['years', 'quarters', 'months'].includes(u)) c.day = 1;
        if (u === 'years') c.month = 1;
        if (u === 'quarters') c.month = (Math.ceil(c.month / 3) - 1) * 3 + 1;
      }
      let dt = new DateTime(fixOffset(utcMs(c), this.o, this._zone)[0], this._zone, this.loc);
      if (u === 'weeks') {
        const wd = isoWeekday(c.year, c.month, c.day);
        const first = opts && opts.useLocaleWeeks ? 7 : 1;
        dt = dt.minus({ days: floorMod(wd - first, 7) });
      }
      return dt;
    }
    endOf(unit, opts) {
      if (!this.isValid) return this;
      return this.startOf(unit, opts).plus({ [normUnit(unit)]: 1 }).minus(1);
    }
    diff(other, unit, opts) {
      if (!this.isValid || !other || !other.isValid) return Duration.invalid('created by diffing an invalid DateTime');
      let units = Array.isArray(unit) ? unit : [unit === undefined ? 'milliseconds' : unit];
      units = units.map(normUnit).sort((a, b) => UNITS.indexOf(a) - UNITS.indexOf(b));
      const otherIsLater = other.valueOf() > this.valueOf();
      const earlier = otherIsLater ? this : other;
      const later = otherIsLater ? other : this;
      const d = diffImpl(earlier, later, units, opts);
      return otherIsLater ? d.negate() : d;
    }
    diffNow(unit, opts) { return this.diff(DateTime.now().setZone(this._zone), unit, opts); }
    until(other) { return Interval.fromDateTimes(this, other); }
    hasSame(other, unit) {
      if (!this.isValid || !other.isValid) return false;
      const inputMs = other.valueOf();
      const adjusted = this.setZone(other.zone, { keepLocalTime: true });
      return adjusted.startOf(unit) <= inputMs && inputMs <= adjusted.endOf(unit);
    }
    equals(other) {
      return DateTime.isDateTime(other) && this.isValid && other.isValid && this.ts === other.ts &&
        this._zone.equals(other._zone) && this.loc === other.loc;
    }
    // -- output
    toMillis() { return this.isValid ? this.ts : NaN; }
    toSeconds() { return this.isValid ? this.ts / 1000 : NaN; }
    toUnixInteger() { return this.isValid ? Math.floor(this.ts / 1000) : NaN; }
    valueOf() { return this.toMillis(); }
    toJSDate() { return new NDate(this.isValid ? this.ts : NaN); }
    toObject(opts) {
      if (!this.isValid) return {};
      const o = Object.assign({}, this.c);
      if (opts && opts.includeConfig) Object.assign(o, { locale: this.loc, numberingSystem: 'latn', outputCalendar: 'gregory' });
      return o;
    }
    _offsetStr(style) {
      if (style === 'Z' && this._zone.isUniversal && this.o === 0) return 'Z';
      return fmtOffset(this.o, style === 'techie' ? 'techie' : 'full');
    }
    _yearStr() { return this.c.year > 9999 ? '+' + pad(this.c.year, 6) : pad(this.c.year, 4); }
    toISODate(opts) {
      if (!this.isValid) return null;
      const sep = opts && opts.format === 'basic' ? '' : '-';
      return this._yearStr() + sep + pad(this.c.month, 2) + sep + pad(this.c.day, 2);
    }
    toISOWeekDate() {
      if (!this.isValid) return null;
      const w = weekInfo(this.c);
      return `${pad(w.weekYear, 4)}-W${pad(w.weekNumber, 2)}-${w.weekday}`;
    }
    toISOTime(opts) {
      if (!this.isValid) return null;
      opts = opts || {};
      const basic = opts.format === 'basic';
      const sep = basic ? '' : ':';
      let s = opts.includePrefix ? 'T' : '';
      s += pad(this.c.hour, 2);
      if (opts.precision !== 'hours') {
        s += sep + pad(this.c.minute, 2);
        if (opts.precision !== 'minutes' && !(opts.suppressSeconds && this.c.second === 0 && this.c.millisecond === 0)) {
          s += sep + pad(this.c.second, 2);
          if (!(opts.suppressMilliseconds && this.c.millisecond === 0) && opts.precision !== 'seconds') s += '.' + pad(this.c.millisecond, 3);
        }
      }
      if (opts.includeOffset !== false) s += basic ? this._offsetStr('techie').replace(/^\+00(00)?$/, 'Z') : this._offsetStr('Z');
      return s;
    }
    toISO(opts) {
      if (!this.isValid) return null;
      return this.toISODate(opts) + 'T' + this.toISOTime(opts);
    }
    toSQLDate() { return this.toISODate(); }
    toSQLTime(opts) {
      if (!this.isValid) return null;
      opts = opts || {};
      let s = `${pad(this.c.hour, 2)}:${pad(this.c.minute, 2)}:${pad(this.c.second, 2)}.${pad(this.c.millisecond, 3)}`;
      if (opts.includeOffset !== false) s += ' ' + (opts.includeOffsetSpace === false ? '' : '') + this._offsetStr('full');
      if (opts.includeZone) s += ' ' + this._zone.name;
      return s;
    }
    toSQL(opts) { return this.isValid ? `${this.toSQLDate()} ${this.toSQLTime(opts)}` : null; }
    toRFC2822() { return this.isValid ? this.setLocale('en-US').toFormat('EEE, dd LLL yyyy HH:mm:ss ZZZ') : null; }
    toHTTP() { return this.isValid ? this.toUTC().setLocale('en-US').toFormat("EEE, dd LLL yyyy HH:mm:ss 'GMT'") : null; }
    toJSON() { return this.toISO(); }
    toString() { return this.isValid ? this.toISO() : 'Invalid DateTime'; }
    toBSON() { return this.toJSDate(); }
    [Symbol.for('nodejs.util.inspect.custom')]() { return `DateTime { ${this.toString()} }`; }
    toLocaleString(fmt, opts) {
      if (!this.isValid) return 'Invalid DateTime';
      const o = Object.assign({}, fmt || PRESETS.DATE_SHORT);
      return this._intl(o, opts && opts.locale);
    }
    toLocaleParts(fmt) {
      if (!this.isValid) return [];
      return new Intl.DateTimeFormat(this.loc, Object.assign({ timeZone: this._intlZone() }, fmt || PRESETS.DATE_SHORT))
        .formatToParts(new NDate(this._intlTs()));
    }
    _intlZone() { return this._zone.isUniversal ? 'UTC' : this._zone.name; }
    _intlTs() { return this._zone.isUniversal ? this.ts + this.o * 60000 : this.ts; }
    _intl(opts, locale) {
      const o = Object.assign({ timeZone: this._intlZone() }, opts);
      return new Intl.DateTimeFormat(locale || this.loc, o).format(new NDate(this._intlTs()));
    }
    toFormat(fmt, opts) {
      if (!this.isValid) return 'Invalid DateTime';
      const loc = (opts && opts.locale) || this.loc;
      return tokenizeFormat(fmt).map((t) => (t.literal ? t.val : this._token(t.val, loc))).join('');
    }
    _token(tok, loc) {
      const c = this.c;
      if (MACROS[tok]) return this._intl(MACROS[tok], loc);
      switch (tok) {
        case 'S': return String(c.millisecond);
        case 'u': case 'SSS': return pad(c.millisecond, 3);
        case 'uu': return pad(Math.floor(c.millisecond / 10), 2);
        case 'uuu': return String(Math.floor(c.millisecond / 100));
        case 's': return String(c.second);
        case 'ss': return pad(c.second, 2);
        case 'm': return String(c.minute);
        case 'mm': return pad(c.minute, 2);
        case 'h': return String(c.hour % 12 === 0 ? 12 : c.hour % 12);
        case 'hh': return pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        case 'H': return String(c.hour);
        case 'HH': return pad(c.hour, 2);
        case 'Z': return fmtOffset(this.o, 'narrow');
        case 'ZZ': return fmtOffset(this.o, 'full');
        case 'ZZZ': return fmtOffset(this.o, 'techie');
        case 'ZZZZ': return this.offsetNameShort;
        case 'ZZZZZ': return this.offsetNameLong;
        case 'z': return this._zone.name;
        case 'a': return names(loc, 'meridiem')[c.hour < 12 ? 0 : 1];
        case 'd': return String(c.day);
        case 'dd': return pad(c.day, 2);
        case 'c': case 'E': return String(this.weekday);
        case 'ccc': case 'EEE': return names(loc, 'weekday', 'short')[this.weekday - 1];
        case 'cccc': case 'EEEE': return names(loc, 'weekday', 'long')[this.weekday - 1];
        case 'ccccc': case 'EEEEE': return names(loc, 'weekday', 'narrow')[this.weekday - 1];
        case 'L': case 'M': return String(c.month);
        case 'LL': case 'MM': return pad(c.month, 2);
        case 'LLL': case 'MMM': return names(loc, 'month', 'short')[c.month - 1];
        case 'LLLL': case 'MMMM': return names(loc, 'month', 'long')[c.month - 1];
        case 'LLLLL': case 'MMMMM': return names(loc, 'month', 'narrow')[c.month - 1];
        case 'y': return String(c.year);
        case 'yy': return pad(floorMod(c.year, 100), 2);
        case 'yyyy': return pad(c.year, 4);
        case 'yyyyyy': return pad(c.year, 6);
        case 'G': return c.year > 0 ? 'AD' : 'BC';
        case 'GG': return c.year > 0 ? 'Anno Domini' : 'Before Christ';
        case 'GGGGG': return c.year > 0 ? 'A' : 'B';
        case 'kk': return pad(floorMod(this.weekYear, 100), 2);
        case 'kkkk': return pad(this.weekYear, 4);
        case 'W': return String(this.weekNumber);
        case 'WW': return pad(this.weekNumber, 2);
        case 'n': return String(this.weekNumber);
        case 'nn': return pad(this.weekNumber, 2);
        case 'ii': return pad(floorMod(this.weekYear, 100), 2);
        case 'iiii': return pad(this.weekYear, 4);
        case 'o': return String(this.ordinal);
        case 'ooo': return pad(this.ordinal, 3);
        case 'q': return String(this.quarter);
        case 'qq': return pad(this.quarter, 2);
        case 'X': return String(Math.floor(this.ts / 1000));
        case 'x': return String(this.ts);
        default: return tok;
      }
    }
    toRelative(opts) {
      if (!this.isValid) return null;
      opts = opts || {};
      const base = opts.base || DateTime.now().setZone(this._zone);
      const units = opts.unit ? [].concat(opts.unit) : ['years', 'months', 'days', 'hours', 'minutes', 'seconds'];
      const rtf = new Intl.RelativeTimeFormat(opts.locale || this.loc, { numeric: opts.numeric || 'always', style: opts.style || 'long' });
      const round = opts.round === undefined ? true : opts.round;
      for (const u of units) {
        const count = this.diff(base, u).get(u);
        if (Math.abs(count) >= 1 || u === units[units.length - 1]) {
          const value = round ? Math.trunc(count) : count;
          return rtf.format(value, u.slice(0, -1));
        }
      }
      return null;
    }
    toRelativeCalendar(opts) {
      if (!this.isValid) return null;
      const base = (opts && opts.base) || DateTime.now().setZone(this._zone);
      const days = this.startOf('day').diff(base.startOf('day'), 'days').days;
      return new Intl.RelativeTimeFormat(this.loc, { numeric: 'auto' }).format(Math.round(days), 'day');
    }
  }
  DateTime.DATE_SHORT = PRESETS.DATE_SHORT;
  for (const k of Object.keys(PRESETS)) DateTime[k] = PRESETS[k];

  function diffImpl(earlier, later, units, opts) {
    const dayDiff = (a, b) => {
      const start = (dt) => dt.toUTC(0, { keepLocalTime: true }).startOf('day').valueOf();
      return Math.floor((start(b) - start(a)) / 864e5);
    };
    const differs = [
      ['years', (a, b) => b.year - a.year],
      ['quarters', (a, b) => b.quarter - a.quarter + (b.year - a.year) * 4],
      ['months', (a, b) => b.month - a.month + (b.year - a.year) * 12],
      ['weeks', (a, b) => { const d = dayDiff(a, b); return (d - (d % 7)) / 7; }],
      ['days', dayDiff],
    ];
    const results = {};
    let cursor = earlier;
    let lowestOrder;
    let highWater;
    for (const [unit, differ] of differs) {
      if (!units.includes(unit)) continue;
      lowestOrder = unit;
      results[unit] = differ(cursor, later);
      highWater = earlier.plus(results);
      if (highWater > later) {
        results[unit]--;
        cursor = earlier.plus(results);
        if (cursor > later) {
          highWater = cursor;
          results[unit]--;
          cursor = earlier.plus(results);
        }
      } else {
        cursor = highWater;
      }
    }
    const remaining = later - cursor;
    const lower = units.filter((u) => ['hours', 'minutes', 'seconds', 'milliseconds'].includes(u));
    if (lower.length === 0) {
      if (lowestOrder !== undefined) {
        if (highWater < later) highWater = cursor.plus({ [lowestOrder]: 1 });
        if (highWater.valueOf() !== cursor.valueOf()) {
          results[lowestOrder] = (results[lowestOrder] || 0) + remaining / (highWater - cursor);
        }
      }
      return Duration.fromObject(results, opts);
    }
    return Duration.fromMillis(remaining).shiftTo(...lower).plus(Duration.fromObject(results));
  }

  // ---------------------------------------------------------------- parsing
  const finishParse = (c, offset, opts, zoneName) => {
    let zone = normalizeZone(opts.zone);
    if (!zone) return DateTime.invalid('unsupported zone');
    if (zoneName) {
      const z = normalizeZone(zoneName);
      if (z) zone = opts.setZone ? z : zone;
    }
    const full = Object.assign({ year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, c);
    if (full.month < 1 || full.month > 12 || full.day < 1 || full.day > daysInMonth(full.year, full.month) ||
      full.hour > 24 || full.minute > 59 || full.second > 59) {
      return DateTime.invalid('unit out of range');
    }
    if (full.hour === 24) {
      if (full.minute || full.second || full.millisecond) return DateTime.invalid('unit out of range');
      full.hour = 0;
      const dt = finishParse(full, offset, opts, zoneName);
      return dt.isValid ? dt.plus({ days: 1 }) : dt;
    }
    if (offset === null || offset === undefined) {
      const target = zoneName ? normalizeZone(zoneName) || zone : zone;
      const [ts] = tsFromLocal(full, target);
      return new DateTime(ts, opts.setZone && zoneName ? target : zone, opts.locale);
    }
    const ts = utcMs(full) - offset * 60000;
    return new DateTime(ts, opts.setZone ? fixedZone(offset) : zone, opts.locale);
  };
  const frac = (s) => (s ? Math.round(Number('0.' + s.replace(',', '')) * 1000) : 0);
  const parseOffset = (s) => {
    if (!s) return null;
    if (s === 'Z' || s === 'z') return 0;
    const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s);
    if (!m) return undefined;
    return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + (+m[3] || 0));
  };
  const ISO_TIME = '(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d{1,9}))?)?)?';
  const ISO_OFFSET = '(Z|[+-]\\d{2}(?::?\\d{2})?)?(?:\\[([^\\]]+)\\])?';
  const ISO_CAL = new RegExp(`^([+-]\\d{6}|\\d{4})(?:-?(\\d{2})(?:-?(\\d{2}))?)?(?:T${ISO_TIME}${ISO_OFFSET})?$`);
  const ISO_ORD = new RegExp(`^(\\d{4})-?(\\d{3})(?:T${ISO_TIME}${ISO_OFFSET})?$`);
  const ISO_WEEK = new RegExp(`^(\\d{4})-?W(\\d{2})(?:-?(\\d))?(?:T${ISO_TIME}${ISO_OFFSET})?$`);
  const ISO_TIME_ONLY = new RegExp(`^T?${ISO_TIME}${ISO_OFFSET}$`);
  function timeParts(m, i) {
    return { hour: m[i] ? +m[i] : 0, minute: m[i + 1] ? +m[i + 1] : 0, second: m[i + 2] ? +m[i + 2] : 0, millisecond: frac(m[i + 3]) };
  }
  function parseISO(s, opts) {
    let m = ISO_CAL.exec(s);
    if (m) {
      const c = Object.assign({ year: +m[1], month: m[2] ? +m[2] : 1, day: m[3] ? +m[3] : 1 }, timeParts(m, 4));
      const off = parseOffset(m[8]);
      if (off === undefined) return DateTime.invalid('unparsable');
      return finishParse(c, off, opts, m[9]);
    }
    m = ISO_ORD.exec(s);
    if (m) {
      const c = Object.assign(fromOrdinal(+m[1], +m[2]), timeParts(m, 3));
      return finishParse(c, parseOffset(m[7]), opts, m[8]);
    }
    m = ISO_WEEK.exec(s);
    if (m) {
      const c = Object.assign(fromWeek(+m[1], +m[2], m[3] ? +m[3] : 1), timeParts(m, 4));
      return finishParse(c, parseOffset(m[8]), opts, m[9]);
    }
    m = ISO_TIME_ONLY.exec(s);
    if (m && s.includes(':')) {
      const today = DateTime._make(H.now, opts);
      if (!today.isValid) return today;
      const c = Object.assign({ year: today.year, month: today.month, day: today.day }, timeParts(m, 1));
      return finishParse(c, parseOffset(m[5]), opts, m[6]);
    }
    return DateTime.invalid('unparsable');
  }
  function parseSQL(s, opts) {
    const m = /^(?:(\d{4})-(\d{2})-(\d{2}))?(?:\s*(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)?$/.exec(s.trim());
    if (!m || (!m[1] && !m[4])) return DateTime.invalid('unparsable');
    const today = DateTime._make(H.now, opts);
    const c = {
      year: m[1] ? +m[1] : today.year, month: m[2] ? +m[2] : today.month, day: m[3] ? +m[3] : today.day,
      hour: m[4] ? +m[4] : 0, minute: m[5] ? +m[5] : 0, second: m[6] ? +m[6] : 0, millisecond: frac(m[7]),
    };
    const off = parseOffset(m[8]);
    if (off === undefined) return DateTime.invalid('unparsable');
    return finishParse(c, off, opts, m[9] && m[9] !== 'Z' ? m[9] : undefined);
  }
  const MONTHS3 = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const OBS = { GMT: 0, UT: 0, Z: 0, EDT: -240, EST: -300, CDT: -300, CST: -360, MDT: -360, MST: -420, PDT: -420, PST: -480 };
  function parseRFC2822(s, opts) {
    const m = /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s)?(\d{1,2})\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s(\d{2,4})\s(\d{2}):(\d{2})(?::(\d{2}))?\s(?:(UT|GMT|[ECMP][SD]T)|([Zz])|([+-]\d{4}))$/.exec(
      s.replace(/\([^()]*\)|[\n\t]/g, ' ').replace(/(\s\s+)/g, ' ').trim());
    if (!m) return DateTime.invalid('unparsable');
    let year = +m[4];
    if (m[4].length === 2) year += year < 50 ? 2000 : 1900;
    const c = { year, month: MONTHS3.indexOf(m[3].toLowerCase()) + 1, day: +m[2], hour: +m[5], minute: +m[6], second: m[7] ? +m[7] : 0 };
    const off = m[8] ? OBS[m[8]] : m[9] ? 0 : parseOffset(m[10]);
    return finishParse(c, off, opts);
  }
  function parseHTTP(s, opts) {
    let m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s);
    if (m) {
      return finishParse({ year: +m[3], month: MONTHS3.indexOf(m[2].toLowerCase()) + 1, day: +m[1], hour: +m[4], minute: +m[5], second: +m[6] }, 0, opts);
    }
    m = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-(\w{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s);
    if (m) {
      const y = +m[3];
      return finishParse({ year: y < 50 ? 2000 + y : 1900 + y, month: MONTHS3.indexOf(m[2].toLowerCase()) + 1, day: +m[1], hour: +m[4], minute: +m[5], second: +m[6] }, 0, opts);
    }
    m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) ([\d ]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(s);
    if (m) {
      return finishParse({ year: +m[6], month: MONTHS3.indexOf(m[1].toLowerCase()) + 1, day: +m[2].trim(), hour: +m[3], minute: +m[4], second: +m[5] }, 0, opts);
    }
    return DateTime.invalid('unparsable');
  }
  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  function parseFormat(text, fmt, opts) {
    const loc = opts.locale || 'en-US';
    const groups = [];
    let re = '^';
    const alt = (list) => '(' + list.map(escapeRe).join('|') + ')';
    for (const t of tokenizeFormat(fmt)) {
      if (t.literal) { re += escapeRe(t.val); continue; }
      const v = t.val;
      let part;
      switch (v) {
        case 'yyyy': part = '(\\d{4})'; break;
        case 'yy': part = '(\\d{2})'; break;
        case 'y': part = '(\\d{1,6})'; break;
        case 'M': case 'L': case 'd': case 'H': case 'h': case 'm': case 's': case 'W': case 'q': part = '(\\d{1,2})'; break;
        case 'MM': case 'LL': case 'dd': case 'HH': case 'hh': case 'mm': case 'ss': case 'WW': case 'qq': part = '(\\d{2})'; break;
        case 'MMM': case 'LLL': part = alt(names(loc, 'month', 'short')); break;
        case 'MMMM': case 'LLLL': part = alt(names(loc, 'month', 'long')); break;
        case 'EEE': case 'ccc': part = alt(names(loc, 'weekday', 'short')); break;
        case 'EEEE': case 'cccc': part = alt(names(loc, 'weekday', 'long')); break;
        case 'E': case 'c': part = '(\\d)'; break;
        case 'S': part = '(\\d{1,3})'; break;
        case 'SSS': case 'u': part = '(\\d{3})'; break;
        case 'a': part = alt(names(loc, 'meridiem')); break;
        case 'Z': case 'ZZ': case 'ZZZ': part = '(Z|[+-]\\d{1,2}(?::?\\d{2})?)'; break;
        case 'z': part = '([A-Za-z_]+(?:\\/[A-Za-z_+-]+)*)'; break;
        case 'o': part = '(\\d{1,3})'; break;
        case 'ooo': part = '(\\d{3})'; break;
        case 'X': part = '(-?\\d+(?:\\.\\d+)?)'; break;
        case 'x': part = '(-?\\d+)'; break;
        case 'kkkk': part = '(\\d{4})'; break;
        default: part = null;
      }
      if (part === null) { re += escapeRe(v); continue; }
      re += part;
      groups.push(v);
    }
    const m = new RegExp(re + '$', 'i').exec(text);
    if (!m) return DateTime.invalid('unparsable');
    const today = DateTime._make(H.now, opts);
    const c = {};
    let offset = null, zoneName, meridiem, ordinal, week, weekYear, unix;
    const idx = (list, val) => list.findIndex((x) => x.toLowerCase() === val.toLowerCase());
    groups.forEach((g, i) => {
      const val = m[i + 1];
      switch (g) {
        case 'yyyy': case 'y': case 'kkkk': if (g === 'kkkk') weekYear = +val; else c.year = +val; break;
        case 'yy': c.year = +val + (+val < 60 ? 2000 : 1900); break;
        case 'M': case 'L': case 'MM': case 'LL': c.month = +val; break;
        case 'MMM': case 'LLL': c.month = idx(names(loc, 'month', 'short'), val) + 1; break;
        case 'MMMM': case 'LLLL': c.month = idx(names(loc, 'month', 'long'), val) + 1; break;
        case 'd': case 'dd': c.day = +val; break;
        case 'H': case 'HH': c.hour = +val; break;
        case 'h': case 'hh': c.hour = +val; break;
        case 'm': case 'mm': c.minute = +val; break;
        case 's': case 'ss': c.second = +val; break;
        case 'S': case 'SSS': case 'u': c.millisecond = +val.padEnd(3, '0').slice(0, 3) * (g === 'S' ? 1 : 1); break;
        case 'a': meridiem = idx(names(loc, 'meridiem'), val); break;
        case 'Z': case 'ZZ': case 'ZZZ': offset = val.toUpperCase() === 'Z' ? 0 : parseOffset(val.replace(/^([+-])(\d)(?!\d)/, '$10$2')); break;
        case 'z': zoneName = val; break;
        case 'o': case 'ooo': ordinal = +val; break;
        case 'W': case 'WW': week = +val; break;
        case 'X': unix = +val * 1000; break;
        case 'x': unix = +val; break;
        default: break;
      }
    });
    if (unix !== undefined) return DateTime._make(unix, opts);
    if (meridiem !== undefined && c.hour !== undefined) {
      if (meridiem === 1 && c.hour < 12) c.hour += 12;
      if (meridiem === 0 && c.hour === 12) c.hour = 0;
    }
    if (ordinal !== undefined) Object.assign(c, fromOrdinal(c.year !== undefined ? c.year : today.year, ordinal));
    if (week !== undefined) Object.assign(c, fromWeek(weekYear !== undefined ? weekYear : today.weekYear, week, 1));
    const hasDate = c.year !== undefined || c.month !== undefined || c.day !== undefined;
    const full = {
      year: c.year !== undefined ? c.year : today.year,
      month: c.month !== undefined ? c.month : hasDate ? 1 : today.month,
      day: c.day !== undefined ? c.day : hasDate ? 1 : today.day,
      hour: c.hour || 0, minute: c.minute || 0, second: c.second || 0, millisecond: c.millisecond || 0,
    };
    return finishParse(full, offset, opts, zoneName);
  }

  // ---------------------------------------------------------------- Interval
  class Interval {
    constructor(start, end, invalid) {
      defineHidden(this, 's', start);
      defineHidden(this, 'e', end);
      defineHidden(this, 'invalid', invalid || null);
    }
    static fromDateTimes(start, end) {
      const s = toDT(start), e = toDT(end);
      if (!s.isValid || !e.isValid) return Interval.invalid('missing or invalid start/end');
      if (e < s) return Interval.invalid('end before start');
      return new Interval(s, e);
    }
    static after(start, dur) { const s = toDT(start); return Interval.fromDateTimes(s, s.plus(dur)); }
    static before(end, dur) { const e = toDT(end); return Interval.fromDateTimes(e.minus(dur), e); }
    static fromISO(text, opts) {
      const [a, b] = String(text).split('/');
      if (!a || !b) return Interval.invalid('unparsable');
      const s = DateTime.fromISO(a, opts);
      const e = DateTime.fromISO(b, opts);
      if (s.isValid && e.isValid) return Interval.fromDateTimes(s, e);
      if (s.isValid) return Interval.after(s, Duration.fromISO(b));
      if (e.isValid) return Interval.before(e, Duration.fromISO(a));
      return Interval.invalid('unparsable');
    }
    static invalid(reason) { return new Interval(null, null, reason); }
    static isInterval(o) { return o instanceof Interval; }
    get start() { return this.isValid ? this.s : null; }
    get end() { return this.isValid ? this.e : null; }
    get isValid() { return this.invalid === null; }
    get invalidReason() { return this.invalid; }
    length(unit) { return this.isValid ? this.toDuration(unit || 'milliseconds').get(unit || 'milliseconds') : NaN; }
    count(unit) {
      if (!this.isValid) return NaN;
      const u = unit || 'milliseconds';
      return Math.floor(this.e.startOf(u).diff(this.s.startOf(u), u).get(u)) + (this.e.valueOf() !== this.e.startOf(u).valueOf() ? 1 : 0);
    }
    toDuration(unit, opts) { return this.isValid ? this.e.diff(this.s, unit, opts) : Duration.invalid(this.invalid); }
    contains(dt) { return this.isValid && this.s <= dt && this.e > dt; }
    isAfter(dt) { return this.isValid && this.s > dt; }
    isBefore(dt) { return this.isValid && this.e <= dt; }
    isEmpty() { return this.s.valueOf() === this.e.valueOf(); }
    overlaps(o) { return this.e > o.s && this.s < o.e; }
    engulfs(o) { return this.s <= o.s && this.e >= o.e; }
    equals(o) { return this.s.equals(o.s) && this.e.equals(o.e); }
    hasSame(unit) { return this.isValid ? this.isEmpty() || this.e.minus(1).hasSame(this.s, unit) : false; }
    splitBy(dur) {
      const d = Duration.fromDurationLike(dur);
      const out = [];
      let s = this.s;
      while (s < this.e) {
        const next = DateTime.min(s.plus(d), this.e);
        out.push(Interval.fromDateTimes(s, next));
        s = next;
      }
      return out;
    }
    toISO(opts) { return this.isValid ? `${this.s.toISO(opts)}/${this.e.toISO(opts)}` : null; }
    toISODate() { return this.isValid ? `${this.s.toISODate()}/${this.e.toISODate()}` : null; }
    toString() { return this.isValid ? `[${this.s.toISO()} – ${this.e.toISO()})` : 'Invalid Interval'; }
    toJSON() { return this.toISO(); }
  }
  const toDT = (x) => {
    if (DateTime.isDateTime(x)) return x;
    if (x instanceof NDate) return DateTime.fromJSDate(x);
    if (typeof x === 'number') return DateTime.fromMillis(x);
    if (typeof x === 'string') return DateTime.fromISO(x);
    return DateTime.invalid('invalid input');
  };

  H.DateTime = DateTime;
  H.Duration = Duration;
  H.Interval = Interval;
  H.toDateTime = toDT;
  defineHidden(G, 'DateTime', DateTime);
  defineHidden(G, 'Duration', Duration);
  defineHidden(G, 'Interval', Interval);
})();
