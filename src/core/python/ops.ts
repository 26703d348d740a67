/**
 * Python operators and builtins that the tools evaluate on model-supplied values (pagination arithmetic,
 * string filters, truthiness), with CPython 3.13's results and exception texts.
 *
 * Numbers: `bool` acts as an int, ints are exact (JS number while safe, bigint beyond), and mixing an int
 * with a float gives a float. Comparisons between ints and floats are exact, as in Python.
 */
import { pyTypeName } from './repr';
import { PyException, PyFloat, isPyDict, type PyInt, type PyValue } from './value';
import { pyDecimalValue } from './unicode_props';

// ------------------------------------------------------------------------------------------ numbers

type Num = { kind: 'int'; v: bigint | number } | { kind: 'float'; v: number };

function asNumber(v: PyValue): Num | null {
  if (typeof v === 'boolean') return { kind: 'int', v: v ? 1 : 0 };
  if (typeof v === 'number' || typeof v === 'bigint') return { kind: 'int', v };
  if (v instanceof PyFloat) return { kind: 'float', v: v.value };
  return null;
}

function normInt(v: bigint | number): PyInt {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    return BigInt(v);
  }
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function big(v: bigint | number): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

function toFloat(n: Num): number {
  if (n.kind === 'float') return n.v;
  if (typeof n.v === 'number') return n.v;
  const f = Number(n.v);
  if (!Number.isFinite(f)) throw new PyException('OverflowError', 'int too large to convert to float');
  return f;
}

function unsupported(op: string, a: PyValue, b: PyValue): PyException {
  return new PyException(
    'TypeError',
    `unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

function intArith(op: '+' | '-' | '*', x: bigint | number, y: bigint | number): PyInt {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  const bx = big(x);
  const by = big(y);
  return normInt(op === '+' ? bx + by : op === '-' ? bx - by : bx * by);
}

function repeatCount(n: bigint | number): number {
  const c = typeof n === 'bigint' ? (n > 0n ? Number(n) : 0) : n;
  if (c > 0x3fffffff) throw new PyException('MemoryError', '');
  return Math.max(0, c);
}

/** Python `a + b`. */
export function pyAdd(a: PyValue, b: PyValue): PyValue {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x && y) {
    if (x.kind === 'int' && y.kind === 'int') return intArith('+', x.v, y.v);
    return new PyFloat(toFloat(x) + toFloat(y));
  }
  if (typeof a === 'string') {
    if (typeof b === 'string') return a + b;
    throw new PyException('TypeError', `can only concatenate str (not "${pyTypeName(b)}") to str`);
  }
  if (Array.isArray(a)) {
    if (Array.isArray(b)) return [...a, ...b];
    throw new PyException('TypeError', `can only concatenate list (not "${pyTypeName(b)}") to list`);
  }
  throw unsupported('+', a, b);
}

/** Python `a - b`. */
export function pySub(a: PyValue, b: PyValue): PyValue {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x && y) {
    if (x.kind === 'int' && y.kind === 'int') return intArith('-', x.v, y.v);
    return new PyFloat(toFloat(x) - toFloat(y));
  }
  throw unsupported('-', a, b);
}

/** Python `a * b` (including sequence repetition `int * str`, `list * int`). */
export function pyMul(a: PyValue, b: PyValue): PyValue {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x && y) {
    if (x.kind === 'int' && y.kind === 'int') return intArith('*', x.v, y.v);
    return new PyFloat(toFloat(x) * toFloat(y));
  }
  const seq = typeof a === 'string' || Array.isArray(a) ? a : typeof b === 'string' || Array.isArray(b) ? b : null;
  if (seq !== null) {
    const other = seq === a ? b : a;
    const n = asNumber(other);
    if (n === null || n.kind === 'float') {
      throw new PyException('TypeError', `can't multiply sequence by non-int of type '${pyTypeName(other)}'`);
    }
    const count = repeatCount(n.v);
    if (typeof seq === 'string') return seq.repeat(count);
    const out: PyValue[] = [];
    for (let i = 0; i < count; i++) out.push(...seq);
    return out;
  }
  throw unsupported('*', a, b);
}

/** CPython `float_floor_div` (Objects/floatobject.c). */
function floatFloorDiv(vx: number, wx: number): number {
  if (wx === 0) throw new PyException('ZeroDivisionError', 'float floor division by zero');
  const mod = vx % wx; // fmod
  let div = (vx - mod) / wx;
  // C truthiness: NaN counts as non-zero.
  if (mod !== 0 && wx < 0 !== mod < 0) div -= 1.0;
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    const q = vx / wx;
    floordiv = q < 0 || Object.is(q, -0) ? -0.0 : 0.0;
  }
  return floordiv;
}

/** Python `a // b`. */
export function pyFloorDiv(a: PyValue, b: PyValue): PyValue {
  const x = asNumber(a);
  const y = asNumber(b);
  if (!x || !y) throw unsupported('//', a, b);
  if (x.kind === 'int' && y.kind === 'int') {
    const bx = big(x.v);
    const by = big(y.v);
    if (by === 0n) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero');
    let q = bx / by;
    if (bx % by !== 0n && bx < 0n !== by < 0n) q -= 1n;
    return normInt(q);
  }
  return new PyFloat(floatFloorDiv(toFloat(x), toFloat(y)));
}

// -------------------------------------------------------------------------------------- comparisons

/** Code point order of two JS strings (JS `<` compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  if (i > 0) {
    const prev = a.charCodeAt(i - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) {
      const ca = a.charCodeAt(i);
      const cb = b.charCodeAt(i);
      if ((ca >= 0xdc00 && ca <= 0xdfff) || (cb >= 0xdc00 && cb <= 0xdfff)) i--;
    }
  }
  const ca = a.codePointAt(i) as number;
  const cb = b.codePointAt(i) as number;
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/** Python `a == b` for the value model. */
export function pyEq(a: PyValue, b: PyValue): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x && y) {
    return x.v == y.v; // exact mixed number/bigint comparison; NaN != NaN
  }
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => pyEq(v, b[i] as PyValue));
  }
  if (isPyDict(a as PyValue) && isPyDict(b as PyValue)) {
    const da = a as Map<string, PyValue>;
    const db = b as Map<string, PyValue>;
    if (da.size !== db.size) return false;
    for (const [k, v] of da) {
      if (!db.has(k) || !pyEq(v, db.get(k) as PyValue)) return false;
    }
    return true;
  }
  return false;
}

type CmpOp = '<' | '<=' | '>' | '>=';

function rich(op: CmpOp, c: number): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function notSupported(op: CmpOp, a: PyValue, b: PyValue): PyException {
  return new PyException(
    'TypeError',
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

function pyCompare(op: CmpOp, a: PyValue, b: PyValue): boolean {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x && y) {
    switch (op) {
      case '<':
        return x.v < y.v;
      case '<=':
        return x.v <= y.v;
      case '>':
        return x.v > y.v;
      default:
        return x.v >= y.v;
    }
  }
  if (typeof a === 'string' && typeof b === 'string') return rich(op, compareCodePoints(a, b));
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const ai = a[i] as PyValue;
      const bi = b[i] as PyValue;
      if (!pyEq(ai, bi)) return pyCompare(op, ai, bi);
    }
    return rich(op, a.length - b.length);
  }
  throw notSupported(op, a, b);
}

export const pyLt = (a: PyValue, b: PyValue): boolean => pyCompare('<', a, b);
export const pyLe = (a: PyValue, b: PyValue): boolean => pyCompare('<=', a, b);
export const pyGt = (a: PyValue, b: PyValue): boolean => pyCompare('>', a, b);
export const pyGe = (a: PyValue, b: PyValue): boolean => pyCompare('>=', a, b);

/** Python `min(a, b, ...)`: the first smallest argument (an item replaces the best only if `item < best`). */
export function pyMin(first: PyValue, ...rest: PyValue[]): PyValue {
  let best = first;
  for (const item of rest) if (pyLt(item, best)) best = item;
  return best;
}

/** Python `max(a, b, ...)`: the first largest argument (an item replaces the best only if `item > best`). */
export function pyMax(first: PyValue, ...rest: PyValue[]): PyValue {
  let best = first;
  for (const item of rest) if (pyGt(item, best)) best = item;
  return best;
}

/** Python truthiness. */
export function pyTruthy(v: PyValue): boolean {
  if (v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0; // NaN is truthy
  if (Array.isArray(v)) return v.length > 0;
  return v.size > 0;
}

// ------------------------------------------------------------------------------------------ slicing

function sliceIndex(v: PyValue | undefined): bigint | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' || typeof v === 'bigint') return big(v);
  throw new PyException('TypeError', 'slice indices must be integers or None or have an __index__ method');
}

function adjust(index: bigint | null, len: number, dflt: number): number {
  if (index === null) return dflt;
  const n = BigInt(len);
  let i = index;
  if (i < 0n) {
    i += n;
    if (i < 0n) i = 0n;
  } else if (i > n) i = n;
  return Number(i);
}

/** Python `seq[start:stop]` for a list or str (step 1). */
export function pySliceList<T extends PyValue[] | string>(seq: T, start?: PyValue, stop?: PyValue): T {
  const lo = sliceIndex(start);
  const hi = sliceIndex(stop);
  if (typeof seq === 'string') {
    const cps = [...seq];
    const a = adjust(lo, cps.length, 0);
    const b = adjust(hi, cps.length, cps.length);
    return (b > a ? cps.slice(a, b).join('') : '') as T;
  }
  const a = adjust(lo, seq.length, 0);
  const b = adjust(hi, seq.length, seq.length);
  return (b > a ? seq.slice(a, b) : []) as T;
}

// ------------------------------------------------------------------------------------------ strings

/** `AttributeError: '<type>' object has no attribute '<name>'`. */
export function pyAttributeError(v: PyValue, name: string): PyException {
  return new PyException('AttributeError', `'${pyTypeName(v)}' object has no attribute '${name}'`);
}

/** The AttributeError of calling `.lower()` on a non-string, e.g. `'int' object has no attribute 'lower'`. */
export function pyAttributeErrorLower(v: PyValue): PyException {
  return pyAttributeError(v, 'lower');
}

/** Python `v.lower()`: full Unicode lowercase mapping (`İ` → `i̇`, final sigma); AttributeError for non-str. */
export function pyStrLower(v: PyValue): string {
  if (typeof v !== 'string') throw pyAttributeErrorLower(v);
  return v.toLowerCase();
}

/** Python's `str.isspace()` characters (`Py_UNICODE_ISSPACE`), including U+001C..U+001F. */
export const PY_WHITESPACE_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'u');

/** Python `s.split()` with no arguments: split on runs of Unicode whitespace, no empty strings. */
export function pySplitWhitespace(v: PyValue): string[] {
  if (typeof v !== 'string') throw pyAttributeError(v, 'split');
  return v.split(WHITESPACE_RUN).filter((w) => w.length > 0);
}

// Characters with Numeric_Type=Digit that are not decimal digits (Nd); generated with Python's unicodedata.
const DIGIT_NOT_DECIMAL =
  /[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]/u;

/** Python `s.isdigit()`: non-empty and every character is a decimal or other digit (`²`, `①`). */
export function pyIsDigit(s: string): boolean {
  if (s.length === 0) return false;
  for (const ch of s) {
    if (pyDecimalValue(ch.codePointAt(0) as number) < 0 && !DIGIT_NOT_DECIMAL.test(ch)) return false;
  }
  return true;
}

/** Python `needle in haystack`. */
export function pyStrContains(haystack: PyValue, needle: PyValue): boolean {
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') {
      throw new PyException('TypeError', `'in <string>' requires string as left operand, not ${pyTypeName(needle)}`);
    }
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((item) => pyEq(item, needle));
  if (isPyDict(haystack)) {
    if (Array.isArray(needle) || isPyDict(needle)) {
      throw new PyException('TypeError', `unhashable type: '${pyTypeName(needle)}'`);
    }
    return typeof needle === 'string' && haystack.has(needle);
  }
  throw new PyException('TypeError', `argument of type '${pyTypeName(haystack)}' is not iterable`);
}
