/**
 * `dateutil.parser.parser._parse` (python-dateutil 2.9) with the default `parserinfo`, dayfirst=False,
 * yearfirst=False, fuzzy=False: the tokenizer (`_timelex`), the token loop, and year/month/day resolution,
 * returning the raw result fields (or null where dateutil returns None). pandas builds the datetime from them
 * (see timestamp.ts). Numbers follow Python: `float()` decides what is numeric, `Decimal` arithmetic is exact,
 * `str.isalpha/isdigit/isspace` are Unicode-aware.
 */
import { pyIntFromString } from './int_parse';
import { PyException } from './value';
import { pyDecimalValue } from './unicode_props';

export interface DateutilResult {
  year: number | null;
  month: number | null;
  day: number | null;
  weekday: number | null;
  hour: number | null;
  minute: number | null;
  second: number | null;
  microsecond: number | null;
  tzname: string | null;
  tzoffset: number | null;
  centurySpecified: boolean;
}

// ------------------------------------------------------------------------------------------ str predicates

const ALPHA = /^\p{L}$/u;
const DIGIT_NOT_DECIMAL =
  /^[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]$/u;
// eslint-disable-next-line no-control-regex
const SPACE = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

const isalpha = (ch: string): boolean => ALPHA.test(ch);
const isdigitChar = (ch: string): boolean => pyDecimalValue(ch.codePointAt(0) as number) >= 0 || DIGIT_NOT_DECIMAL.test(ch);
const isspace = (ch: string): boolean => SPACE.test(ch);

/** Python `s.isdigit()` for a whole string. */
function strIsDigit(s: string): boolean {
  if (s.length === 0) return false;
  for (const ch of s) if (!isdigitChar(ch)) return false;
  return true;
}

function cpLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function cpSlice(s: string, start: number, end?: number): string {
  return Array.from(s).slice(start, end).join('');
}

// ------------------------------------------------------------------------------------------ tokenizer

/** `_timelex.split(s)`. */
export function timelexSplit(input: string): string[] {
  const chars = Array.from(input).filter((c) => c !== '\u0000');
  let pos = 0;
  const charstack: string[] = [];
  const tokenstack: string[] = [];
  let eof = false;
  const tokens: string[] = [];

  const getToken = (): string | null => {
    if (tokenstack.length > 0) return tokenstack.shift() as string;
    let seenletters = false;
    let token: string | null = null;
    let state: '' | 'a' | '0' | 'a.' | '0.' = '';
    while (!eof) {
      let nextchar: string;
      if (charstack.length > 0) nextchar = charstack.shift() as string;
      else if (pos < chars.length) nextchar = chars[pos++] as string;
      else {
        eof = true;
        break;
      }
      if (!state) {
        token = nextchar;
        if (isalpha(nextchar)) state = 'a';
        else if (isdigitChar(nextchar)) state = '0';
        else if (isspace(nextchar)) {
          token = ' ';
          break;
        } else break;
      } else if (state === 'a') {
        seenletters = true;
        if (isalpha(nextchar)) token += nextchar;
        else if (nextchar === '.') {
          token += nextchar;
          state = 'a.';
        } else {
          charstack.push(nextchar);
          break;
        }
      } else if (state === '0') {
        if (isdigitChar(nextchar)) token += nextchar;
        else if (nextchar === '.' || (nextchar === ',' && cpLen(token as string) >= 2)) {
          token += nextchar;
          state = '0.';
        } else {
          charstack.push(nextchar);
          break;
        }
      } else if (state === 'a.') {
        seenletters = true;
        if (nextchar === '.' || isalpha(nextchar)) token += nextchar;
        else if (isdigitChar(nextchar) && (token as string).endsWith('.')) {
          token += nextchar;
          state = '0.';
        } else {
          charstack.push(nextchar);
          break;
        }
      } else {
        // '0.'
        if (nextchar === '.' || isdigitChar(nextchar)) token += nextchar;
        else if (isalpha(nextchar) && (token as string).endsWith('.')) {
          token += nextchar;
          state = 'a.';
        } else {
          charstack.push(nextchar);
          break;
        }
      }
    }
    if (token === null) return null;
    if (
      (state === 'a.' || state === '0.') &&
      (seenletters || token.split('.').length - 1 > 1 || token.endsWith('.') || token.endsWith(','))
    ) {
      const parts = token.split(/([.,])/);
      token = parts[0] as string;
      for (const part of parts.slice(1)) if (part) tokenstack.push(part);
    }
    if (state === '0.' && !token.includes('.')) token = token.replace(/,/g, '.');
    return token;
  };

  for (;;) {
    const t = getToken();
    if (t === null) break;
    tokens.push(t);
  }
  return tokens;
}

// ------------------------------------------------------------------------------------------ numbers

/** An exact decimal: mant * 10^-scale (scale >= 0), non-negative for tokens. */
interface Dec {
  mant: bigint;
  scale: number;
}

// eslint-disable-next-line no-control-regex
const PY_SPACE_RUN = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;

/** The ASCII form Python's float()/Decimal() read: Unicode decimal digits become ASCII, spaces stripped. */
function numericAscii(s: string): string | null {
  let out = '';
  for (const ch of s.replace(PY_SPACE_RUN, '')) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += ch;
    else {
      const d = pyDecimalValue(cp);
      if (d < 0) return null;
      out += String.fromCharCode(0x30 + d);
    }
  }
  return out;
}

const FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const FLOAT_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Whether Python `float(s)` succeeds, and whether the value is finite. */
function pyFloatKind(s: string): 'finite' | 'special' | null {
  const a = numericAscii(s);
  if (a === null) return null;
  if (FLOAT_RE.test(a)) return 'finite';
  if (FLOAT_SPECIAL.test(a)) return 'special';
  return null;
}

/** `Decimal(s)` for a finite numeric token (dateutil's `_to_decimal`); throws ValueError otherwise. */
function toDecimal(s: string): Dec {
  if (pyFloatKind(s) !== 'finite') throw new PyException('ValueError', `Could not convert ${s} to decimal`);
  let a = (numericAscii(s) as string).replace(/_/g, '');
  let sign = 1n;
  if (a.startsWith('-')) {
    sign = -1n;
    a = a.slice(1);
  } else if (a.startsWith('+')) a = a.slice(1);
  let exp = 0;
  const e = a.search(/[eE]/);
  if (e >= 0) {
    exp = Number(a.slice(e + 1));
    a = a.slice(0, e);
  }
  const dot = a.indexOf('.');
  let digits = a;
  let scale = 0;
  if (dot >= 0) {
    digits = a.slice(0, dot) + a.slice(dot + 1);
    scale = a.length - dot - 1;
  }
  scale -= exp;
  let mant = BigInt(digits || '0') * sign;
  if (scale < 0) {
    mant *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { mant, scale };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** int(Decimal): truncation toward zero. */
function decInt(d: Dec): number {
  return Number(d.mant / pow10(d.scale));
}

/** Decimal % 1 (sign of the dividend). */
function decFrac(d: Dec): Dec {
  return { mant: d.mant % pow10(d.scale), scale: d.scale };
}

function decIsZero(d: Dec): boolean {
  return d.mant === 0n;
}

/** int(60 * d). */
function dec60Int(d: Dec): number {
  return Number((60n * d.mant) / pow10(d.scale));
}

/** Exact comparison of a decimal with an integer: -1, 0, 1. */
function decCmp(d: Dec, n: number): number {
  const lhs = d.mant;
  const rhs = BigInt(n) * pow10(d.scale);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/** Python int(str); throws ValueError (PyException) like Python. */
function pyInt(s: string): number {
  const v = pyIntFromString(s);
  return typeof v === 'bigint' ? Number(v) : v;
}

// ------------------------------------------------------------------------------------------ parserinfo

function table(groups: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  groups.forEach((names, i) => names.forEach((n) => m.set(n.toLowerCase(), i)));
  return m;
}

const JUMP = new Set([' ', '.', ',', ';', '-', '/', "'", 'at', 'on', 'and', 'ad', 'm', 't', 'of', 'st', 'nd', 'rd', 'th']);
const WEEKDAYS = table([
  ['Mon', 'Monday'],
  ['Tue', 'Tuesday'],
  ['Wed', 'Wednesday'],
  ['Thu', 'Thursday'],
  ['Fri', 'Friday'],
  ['Sat', 'Saturday'],
  ['Sun', 'Sunday'],
]);
const MONTHS = table([
  ['Jan', 'January'],
  ['Feb', 'February'],
  ['Mar', 'March'],
  ['Apr', 'April'],
  ['May', 'May'],
  ['Jun', 'June'],
  ['Jul', 'July'],
  ['Aug', 'August'],
  ['Sep', 'Sept', 'September'],
  ['Oct', 'October'],
  ['Nov', 'November'],
  ['Dec', 'December'],
]);
const HMS = table([
  ['h', 'hour', 'hours'],
  ['m', 'minute', 'minutes'],
  ['s', 'second', 'seconds'],
]);
const AMPM = table([
  ['am', 'a'],
  ['pm', 'p'],
]);
const UTCZONE = ['UTC', 'GMT', 'Z', 'z'];
const UTCZONE_LOWER = new Set(['utc', 'gmt', 'z']);

const lower = (s: string): string => s.toLowerCase();
const jump = (s: string): boolean => JUMP.has(lower(s));
const weekday = (s: string): number | null => WEEKDAYS.get(lower(s)) ?? null;
const month = (s: string): number | null => {
  const m = MONTHS.get(lower(s));
  return m === undefined ? null : m + 1;
};
const hms = (s: string): number | null => HMS.get(lower(s)) ?? null;
const ampm = (s: string): number | null => AMPM.get(lower(s)) ?? null;
const pertain = (s: string): boolean => lower(s) === 'of';
const utczone = (s: string): boolean => UTCZONE_LOWER.has(lower(s));
const tzoffsetOf = (name: string): number | null => (UTCZONE_LOWER.has(name) ? 0 : null);

function monthDays(year: number, m: number): number {
  if (m === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
}

/** Thrown inside the token loop where dateutil raises IndexError/ValueError (→ `_parse` returns None). */
class Fail extends Error {}

function at<T>(list: readonly T[], i: number): T {
  if (i < 0 || i >= list.length) throw new Fail('IndexError');
  return list[i] as T;
}

// ------------------------------------------------------------------------------------------ _ymd

class Ymd {
  values: number[] = [];
  centurySpecified = false;
  dstridx: number | null = null;
  mstridx: number | null = null;
  ystridx: number | null = null;

  get length(): number {
    return this.values.length;
  }

  couldBeDay(value: Dec): boolean {
    if (this.dstridx !== null) return false;
    if (this.mstridx === null) return decCmp(value, 1) >= 0 && decCmp(value, 31) <= 0;
    const m = this.values[this.mstridx] as number;
    if (this.ystridx === null) return decCmp(value, 1) >= 0 && decCmp(value, monthDays(2000, m)) <= 0;
    const y = this.values[this.ystridx] as number;
    if (m < 1 || m > 12) throw new Fail('monthrange');
    return decCmp(value, 1) >= 0 && decCmp(value, monthDays(y, m)) <= 0;
  }

  append(val: string | number | Dec, labelIn: 'M' | 'D' | 'Y' | null = null): void {
    let label = labelIn;
    let n: number;
    if (typeof val === 'string') {
      if (strIsDigit(val) && cpLen(val) > 2) {
        this.centurySpecified = true;
        label = 'Y';
      }
      try {
        n = pyInt(val);
      } catch {
        throw new Fail('int');
      }
    } else if (typeof val === 'number') {
      if (val > 100) {
        this.centurySpecified = true;
        label = 'Y';
      }
      n = val;
    } else {
      if (decCmp(val, 100) > 0) {
        this.centurySpecified = true;
        label = 'Y';
      }
      n = decInt(val);
    }
    this.values.push(n);
    const idx = this.values.length - 1;
    if (label === 'M') {
      if (this.mstridx !== null) throw new Fail('Month is already set');
      this.mstridx = idx;
    } else if (label === 'D') {
      if (this.dstridx !== null) throw new Fail('Day is already set');
      this.dstridx = idx;
    } else if (label === 'Y') {
      if (this.ystridx !== null) throw new Fail('Year is already set');
      this.ystridx = idx;
    }
  }

  resolve(): [number | null, number | null, number | null] {
    const v = this.values;
    const len = v.length;
    const strids = new Map<'y' | 'm' | 'd', number>();
    if (this.ystridx !== null) strids.set('y', this.ystridx);
    if (this.mstridx !== null) strids.set('m', this.mstridx);
    if (this.dstridx !== null) strids.set('d', this.dstridx);
    if ((len === strids.size && len > 0) || (len === 3 && strids.size === 2)) {
      if (len === 3 && strids.size === 2) {
        const used = new Set(strids.values());
        const missing = [0, 1, 2].find((x) => !used.has(x)) as number;
        const key = (['y', 'm', 'd'] as const).find((k) => !strids.has(k)) as 'y' | 'm' | 'd';
        strids.set(key, missing);
      }
      const get = (k: 'y' | 'm' | 'd'): number | null => (strids.has(k) ? (v[strids.get(k) as number] as number) : null);
      return [get('y'), get('m'), get('d')];
    }
    const mstridx = this.mstridx;
    let year: number | null = null;
    let monthV: number | null = null;
    let day: number | null = null;
    const [a, b, c] = v as [number, number, number];
    if (len > 3) throw new Fail('More than three YMD values');
    if (len === 1 || (mstridx !== null && len === 2)) {
      let other: number;
      if (mstridx !== null) {
        monthV = v[mstridx] as number;
        other = v[mstridx === 0 ? len - 1 : mstridx - 1] as number;
      } else other = a;
      if (len > 1 || mstridx === null) {
        if (other > 31) year = other;
        else day = other;
      }
    } else if (len === 2) {
      if (a > 31) [year, monthV] = [a, b];
      else if (b > 31) [monthV, year] = [a, b];
      else [monthV, day] = [a, b];
    } else if (len === 3) {
      if (mstridx === 0) {
        if (b > 31) [monthV, year, day] = [a, b, c];
        else [monthV, day, year] = [a, b, c];
      } else if (mstridx === 1) {
        if (a > 31) [year, monthV, day] = [a, b, c];
        else [day, monthV, year] = [a, b, c];
      } else if (mstridx === 2) {
        if (b > 31) [day, year, monthV] = [a, b, c];
        else [year, day, monthV] = [a, b, c];
      } else if (a > 31 || this.ystridx === 0) {
        [year, monthV, day] = [a, b, c];
      } else if (a > 12) {
        [day, monthV, year] = [a, b, c];
      } else {
        [monthV, day, year] = [a, b, c];
      }
    }
    return [year, monthV, day];
  }
}

// ------------------------------------------------------------------------------------------ _parse

function parsems(value: string): [number, number] {
  if (!value.includes('.')) return [pyInt(value), 0];
  const parts = value.split('.');
  if (parts.length !== 2) throw new Fail('unpack');
  const [i, f] = parts as [string, string];
  return [pyInt(i), pyInt(cpSlice(f.padEnd(6, '0'), 0, 6))];
}

function parseMinSec(value: Dec): [number, number | null] {
  const minute = decInt(value);
  const rem = decFrac(value);
  return [minute, decIsZero(rem) ? null : dec60Int(rem)];
}

function adjustAmpm(hour: number, ap: number): number {
  if (hour < 12 && ap === 1) return hour + 12;
  if (hour === 12 && ap === 0) return 0;
  return hour;
}

function couldBeTzname(res: DateutilResult, token: string): boolean {
  return (
    res.hour !== null &&
    res.tzname === null &&
    res.tzoffset === null &&
    cpLen(token) <= 5 &&
    (/^[A-Z]+$/.test(token) || UTCZONE.includes(token))
  );
}

function findHmsIdx(idx: number, tokens: readonly string[]): number | null {
  const len = tokens.length;
  if (idx + 1 < len && hms(tokens[idx + 1] as string) !== null) return idx + 1;
  if (idx + 2 < len && tokens[idx + 1] === ' ' && hms(tokens[idx + 2] as string) !== null) return idx + 2;
  if (idx > 0 && hms(tokens[idx - 1] as string) !== null) return idx - 1;
  if (idx > 1 && idx === len - 1 && tokens[idx - 1] === ' ' && hms(tokens[idx - 2] as string) !== null) return idx - 2;
  return null;
}

function parseNumericToken(tokens: string[], idxIn: number, ymd: Ymd, res: DateutilResult): number {
  let idx = idxIn;
  const valueRepr = tokens[idx] as string;
  let value: Dec;
  try {
    value = toDecimal(valueRepr);
  } catch {
    throw new Fail('Unknown numeric token');
  }
  const lenLi = cpLen(valueRepr);
  const lenL = tokens.length;
  const next = tokens[idx + 1];

  if (
    ymd.length === 3 &&
    (lenLi === 2 || lenLi === 4) &&
    res.hour === null &&
    (idx + 1 >= lenL || (next !== ':' && hms(next as string) === null))
  ) {
    res.hour = pyInt(cpSlice(valueRepr, 0, 2));
    if (lenLi === 4) res.minute = pyInt(cpSlice(valueRepr, 2));
  } else if (lenLi === 6 || (lenLi > 6 && Array.from(valueRepr).indexOf('.') === 6)) {
    const s = valueRepr;
    if (ymd.length === 0 && !s.includes('.')) {
      ymd.append(cpSlice(s, 0, 2));
      ymd.append(cpSlice(s, 2, 4));
      ymd.append(cpSlice(s, 4));
    } else {
      res.hour = pyInt(cpSlice(s, 0, 2));
      res.minute = pyInt(cpSlice(s, 2, 4));
      [res.second, res.microsecond] = parsems(cpSlice(s, 4));
    }
  } else if (lenLi === 8 || lenLi === 12 || lenLi === 14) {
    const s = valueRepr;
    ymd.append(cpSlice(s, 0, 4), 'Y');
    ymd.append(cpSlice(s, 4, 6));
    ymd.append(cpSlice(s, 6, 8));
    if (lenLi > 8) {
      res.hour = pyInt(cpSlice(s, 8, 10));
      res.minute = pyInt(cpSlice(s, 10, 12));
      if (lenLi > 12) res.second = pyInt(cpSlice(s, 12));
    }
  } else if (findHmsIdx(idx, tokens) !== null) {
    const hmsIdx = findHmsIdx(idx, tokens) as number;
    let which: number;
    if (hmsIdx > idx) {
      which = hms(tokens[hmsIdx] as string) as number;
      idx = hmsIdx;
    } else {
      which = (hms(tokens[hmsIdx] as string) as number) + 1;
    }
    const v = toDecimal(valueRepr);
    if (which === 0) {
      res.hour = decInt(v);
      const frac = decFrac(v);
      if (!decIsZero(frac)) res.minute = dec60Int(frac);
    } else if (which === 1) {
      [res.minute, res.second] = parseMinSec(v);
    } else if (which === 2) {
      [res.second, res.microsecond] = parsems(valueRepr);
    }
  } else if (idx + 2 < lenL && next === ':') {
    res.hour = decInt(value);
    const v2 = toDecimal(tokens[idx + 2] as string);
    [res.minute, res.second] = parseMinSec(v2);
    if (idx + 4 < lenL && tokens[idx + 3] === ':') {
      [res.second, res.microsecond] = parsems(tokens[idx + 4] as string);
      idx += 2;
    }
    idx += 2;
  } else if (idx + 1 < lenL && (next === '-' || next === '/' || next === '.')) {
    const sep = next;
    ymd.append(valueRepr);
    if (idx + 2 < lenL && !jump(tokens[idx + 2] as string)) {
      if (strIsDigit(tokens[idx + 2] as string)) {
        ymd.append(tokens[idx + 2] as string);
      } else {
        const m = month(tokens[idx + 2] as string);
        if (m !== null) ymd.append(m, 'M');
        else throw new Fail('value');
      }
      if (idx + 3 < lenL && tokens[idx + 3] === sep) {
        const m = month(at(tokens, idx + 4));
        if (m !== null) ymd.append(m, 'M');
        else ymd.append(at(tokens, idx + 4));
        idx += 2;
      }
      idx += 1;
    }
    idx += 1;
  } else if (idx + 1 >= lenL || jump(next as string)) {
    if (idx + 2 < lenL && ampm(tokens[idx + 2] as string) !== null) {
      res.hour = adjustAmpm(decInt(value), ampm(tokens[idx + 2] as string) as number);
      idx += 1;
    } else {
      ymd.append(value);
    }
    idx += 1;
  } else if (ampm(next as string) !== null && decCmp(value, 0) >= 0 && decCmp(value, 24) < 0) {
    res.hour = adjustAmpm(decInt(value), ampm(next as string) as number);
    idx += 1;
  } else if (ymd.couldBeDay(value)) {
    ymd.append(value);
  } else {
    throw new Fail('value');
  }
  return idx;
}

/** `parser._parse(timestr)` → the result, or null when dateutil returns (None, None). */
export function dateutilParse(timestr: string, currentYear: number): DateutilResult | null {
  const res: DateutilResult = {
    year: null,
    month: null,
    day: null,
    weekday: null,
    hour: null,
    minute: null,
    second: null,
    microsecond: null,
    tzname: null,
    tzoffset: null,
    centurySpecified: false,
  };
  const l = timelexSplit(timestr);
  const ymd = new Ymd();
  const lenL = l.length;
  let i = 0;
  try {
    while (i < lenL) {
      const tok = l[i] as string;
      const kind = pyFloatKind(tok);
      if (kind !== null) {
        i = parseNumericToken(l, i, ymd, res);
      } else if (weekday(tok) !== null) {
        res.weekday = weekday(tok);
      } else if (month(tok) !== null) {
        ymd.append(month(tok) as number, 'M');
        if (i + 1 < lenL) {
          if (l[i + 1] === '-' || l[i + 1] === '/') {
            const sep = l[i + 1];
            ymd.append(at(l, i + 2));
            if (i + 3 < lenL && l[i + 3] === sep) {
              ymd.append(at(l, i + 4));
              i += 2;
            }
            i += 2;
          } else if (i + 4 < lenL && l[i + 1] === ' ' && l[i + 3] === ' ' && pertain(l[i + 2] as string)) {
            if (strIsDigit(l[i + 4] as string)) {
              const value = pyInt(l[i + 4] as string);
              ymd.append(String(convertYear(value, false, currentYear)), 'Y');
            }
            i += 4;
          }
        }
      } else if (ampm(tok) !== null) {
        const value = ampm(tok) as number;
        if (res.hour === null) throw new Fail('No hour specified with AM or PM flag.');
        if (!(res.hour >= 0 && res.hour <= 12)) throw new Fail('Invalid hour specified for 12-hour clock.');
        res.hour = adjustAmpm(res.hour, value);
      } else if (couldBeTzname(res, tok)) {
        res.tzname = tok;
        res.tzoffset = tzoffsetOf(tok);
        if (i + 1 < lenL && (l[i + 1] === '+' || l[i + 1] === '-')) {
          l[i + 1] = l[i + 1] === '+' ? '-' : '+';
          res.tzoffset = null;
          if (utczone(tok)) res.tzname = null;
        }
      } else if (res.hour !== null && (tok === '+' || tok === '-')) {
        const signal = tok === '+' ? 1 : -1;
        const nextTok = at(l, i + 1);
        const lenLi = cpLen(nextTok);
        let hourOffset: number;
        let minOffset: number;
        if (lenLi === 4) {
          hourOffset = pyInt(cpSlice(nextTok, 0, 2));
          minOffset = pyInt(cpSlice(nextTok, 2));
        } else if (i + 2 < lenL && l[i + 2] === ':') {
          hourOffset = pyInt(nextTok);
          minOffset = pyInt(at(l, i + 3));
          i += 2;
        } else if (lenLi <= 2) {
          hourOffset = pyInt(cpSlice(nextTok, 0, 2));
          minOffset = 0;
        } else {
          throw new Fail(timestr);
        }
        res.tzoffset = signal * (hourOffset * 3600 + minOffset * 60);
        if (
          i + 5 < lenL &&
          jump(l[i + 2] as string) &&
          l[i + 3] === '(' &&
          l[i + 5] === ')' &&
          cpLen(l[i + 4] as string) >= 3 &&
          res.hour !== null &&
          res.tzname === null &&
          cpLen(l[i + 4] as string) <= 5 &&
          (/^[A-Z]+$/.test(l[i + 4] as string) || UTCZONE.includes(l[i + 4] as string))
        ) {
          res.tzname = l[i + 4] as string;
          i += 4;
        }
        i += 1;
      } else if (!jump(tok)) {
        throw new Fail(timestr);
      }
      i += 1;
    }
    const [y, m, d] = ymd.resolve();
    res.centurySpecified = ymd.centurySpecified;
    res.year = y;
    res.month = m;
    res.day = d;
  } catch (e) {
    if (e instanceof Fail || (e instanceof PyException && e.type === 'ValueError')) return null;
    throw e;
  }
  // parserinfo.validate
  if (res.year !== null) res.year = convertYear(res.year, res.centurySpecified, currentYear);
  if ((res.tzoffset === 0 && !res.tzname) || res.tzname === 'Z' || res.tzname === 'z') {
    res.tzname = 'UTC';
    res.tzoffset = 0;
  } else if (res.tzoffset !== 0 && res.tzname && utczone(res.tzname)) {
    res.tzoffset = 0;
  }
  return res;
}

/** `parserinfo.convertyear`: two-digit years land within 50 years of the current year. */
function convertYear(year: number, centurySpecified: boolean, currentYear: number): number {
  if (year < 0) throw new Fail('year');
  if (year < 100 && !centurySpecified) {
    const century = Math.floor(currentYear / 100) * 100;
    let y = year + century;
    if (y >= currentYear + 50) y -= 100;
    else if (y < currentYear - 50) y += 100;
    return y;
  }
  return year;
}
