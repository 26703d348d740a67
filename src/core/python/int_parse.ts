/**
 * Python `int(v)` (base 10) for the value model, as CPython 3.13 evaluates it:
 * - bool → 0/1, int → itself, float → truncated toward zero (NaN → ValueError, ±inf → OverflowError);
 * - str → `PyLong_FromUnicodeObject`: non-ASCII whitespace becomes a space and Unicode decimal digits
 *   (category Nd, e.g. `٣`, `𝟙`) become ASCII digits; then leading/trailing ASCII whitespace, one sign, and
 *   digits with single underscores between them (`4_5`); more than 4300 digits → ValueError;
 * - anything else → TypeError.
 * Error texts are Python's, with the `%.200R` truncation of the repr in `invalid literal for int()`.
 */
import { pyStrRepr, pyTypeName } from './repr';
import { PyException, PyFloat, type PyInt, type PyValue } from './value';
import { PY_INT_MAX_STR_DIGITS } from './json_parse';
import { pyDecimalValue } from './unicode_props';

const UNICODE_SPACE = /^[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
/** Unicode decimal digit value (`unicodedata.decimal`), or -1 (CPython 3.13's Unicode data). */
export function unicodeDecimalValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  return cp < 0x80 ? -1 : pyDecimalValue(cp);
}

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** `_PyUnicode_TransformDecimalAndSpaceToASCII`: the ASCII text that CPython's int parser actually reads. */
function transformToAscii(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7e]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x7f) out += ch;
    else if (UNICODE_SPACE.test(ch)) out += ' ';
    else {
      const d = unicodeDecimalValue(cp);
      if (d < 0) return `${out}?`;
      out += String.fromCharCode(0x30 + d);
    }
  }
  return out;
}

function invalidLiteral(original: string): PyException {
  const r = [...pyStrRepr(original)];
  const shown = r.length > 200 ? r.slice(0, 200).join('') : r.join('');
  return new PyException('ValueError', `invalid literal for int() with base 10: ${shown}`);
}

function toPyInt(big: bigint): PyInt {
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Python `int(s)` for a str. */
export function pyIntFromString(original: string): PyInt {
  const s = transformToAscii(original);
  const n = s.length;
  let i = 0;
  while (i < n && isAsciiSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  if (s[i] === '_') throw invalidLiteral(original);
  let digits = '';
  let prevUnderscore = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      digits += s[i];
      prevUnderscore = false;
    } else if (c === 0x5f) {
      if (prevUnderscore) throw invalidLiteral(original);
      prevUnderscore = true;
    } else break;
  }
  if (prevUnderscore || digits.length === 0) throw invalidLiteral(original);
  while (i < n && isAsciiSpace(s.charCodeAt(i))) i++;
  if (i !== n) throw invalidLiteral(original);
  // 3.13 validates the whole literal before applying the digit limit (3.11 checked the limit first).
  if (digits.length > PY_INT_MAX_STR_DIGITS) {
    throw new PyException(
      'ValueError',
      `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  if (digits.length <= 15) {
    const v = Number(digits);
    return negative && v !== 0 ? -v : v;
  }
  const big = BigInt(digits);
  return toPyInt(negative ? -big : big);
}

/** Python `int(x)` for a float. */
export function pyIntFromFloat(x: number): PyInt {
  if (Number.isNaN(x)) throw new PyException('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
  const t = Math.trunc(x);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  return BigInt(t);
}

/** Python `int(v)`. */
export function pyIntConvert(v: PyValue): PyInt {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return pyIntFromString(v);
  if (v instanceof PyFloat) return pyIntFromFloat(v.value);
  throw new PyException(
    'TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`,
  );
}
