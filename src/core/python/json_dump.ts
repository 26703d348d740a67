/**
 * JSON text of Python values, byte for byte:
 *
 * - `dumpCompact`: what pydantic-core's JSON serializer (used by FastAPI >= 0.130 for the tool route's
 *   `WorkbenchResponse`) writes: separators `,` `:`, raw UTF-8 (U+2028/U+2029 included), the escapes
 *   `\" \\ \n \r \t \b \f` and `\u00xx` (lowercase) for other control characters, `/` unescaped, NaN and
 *   ±inf as `null`, exact big ints, and floats in the `ryu` layout that serde_json uses (`20.0`, `0.1`,
 *   `1e16`, `1e-7`; identical to Python's repr for every value the tools print in practice).
 * - `dumpPythonDefault`: Python `json.dumps(value)` with its defaults: separators `", "` and `": "`,
 *   `ensure_ascii=True`, floats as `float.__repr__`, `NaN` / `Infinity` / `-Infinity`.
 */
import { shortestDigits, pyFloatRepr } from './repr';
import { LONE_SURROGATE, utf8EncodeErrorMessage } from './utf8';
import { PyException, PyFloat, type PyValue } from './value';

/**
 * pydantic-core's serializer recursion guard: a value nested this deep (counting every value on the path from the
 * tool's output down, the output itself at depth 0) fails with `Circular reference detected (depth exceeded)`.
 * Observed on NeMo Gym's route (pydantic-core 2.46.5): an output `{"f": <253 nested lists around "x">}` is
 * serialized, 254 are not; with an empty innermost list 254 levels are serialized, 255 are not.
 */
export const PYDANTIC_SERIALIZER_DEPTH_LIMIT = 255;


/** An exception that FastAPI would turn into HTTP 500 (`Internal Server Error`). */
function serializationError(detail: string): PyException {
  return new PyException('PydanticSerializationError', `Error serializing to JSON: ${detail}`);
}

function compactString(s: string): string {
  if (LONE_SURROGATE.test(s)) {
    // Python cannot encode a lone surrogate as UTF-8; pydantic-core raises while serializing.
    throw serializationError(`UnicodeEncodeError: ${utf8EncodeErrorMessage(s)}`);
  }
  // JSON.stringify's escaping of well-formed strings is exactly serde_json's.
  return JSON.stringify(s);
}

function intText(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isSafeInteger(v)) return Object.is(v, -0) ? '0' : String(v);
  return Number.isFinite(v) ? BigInt(v).toString() : 'null';
}

/** serde_json / ryu float layout (`ryu::Buffer::format_finite`). */
export function ryuFloatText(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(x);
  const length = digits.length;
  const kk = exp + 1; // 10^(kk-1) <= |x| < 10^kk
  const k = kk - length; // exponent of the last digit
  if (k >= 0 && kk <= 16) return `${sign}${digits}${'0'.repeat(k)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  const mant = length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mant}e${kk - 1}`;
}

function compactFloat(v: number): string {
  return Number.isFinite(v) ? ryuFloatText(v) : 'null';
}

function dumpCompactAt(v: PyValue, depth: number, out: string[]): void {
  if (depth >= PYDANTIC_SERIALIZER_DEPTH_LIMIT) {
    throw serializationError('ValueError: Circular reference detected (depth exceeded)');
  }
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'string') out.push(compactString(v));
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(intText(v));
  else if (v instanceof PyFloat) out.push(compactFloat(v.value));
  else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      dumpCompactAt(v[i] as PyValue, depth + 1, out);
    }
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const [k, val] of v) {
      if (!first) out.push(',');
      first = false;
      out.push(compactString(k), ':');
      dumpCompactAt(val, depth + 1, out);
    }
    out.push('}');
  }
}

/**
 * Compact JSON as pydantic-core writes it. `baseDepth` is the nesting depth of `value` itself for the
 * serializer's recursion guard (0 for a value serialized on its own).
 * Throws `PyException('PydanticSerializationError', …)` for strings with lone surrogates (Python cannot
 * encode them as UTF-8) and for values nested too deeply; FastAPI answers both with HTTP 500.
 */
export function dumpCompact(value: PyValue, baseDepth = 0): string {
  // Fast paths for the common scalar outputs.
  if (typeof value === 'string') return compactString(value);
  const out: string[] = [];
  dumpCompactAt(value, baseDepth, out);
  return out.join('');
}

/**
 * The tool route's HTTP body `{"output":<value>}` (FastAPI serializing `WorkbenchResponse(output=value)`); see
 * {@link PYDANTIC_SERIALIZER_DEPTH_LIMIT} for how deep the output may be.
 */
export function dumpToolResponseBody(output: PyValue): string {
  return `{"output":${dumpCompact(output)}}`;
}

// ---------------------------------------------------------------------------------------------------------
// json.dumps defaults

const ASCII_SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** `json.encoder.encode_basestring_ascii` (`ensure_ascii=True`). */
export function pyJsonStringAscii(s: string): string {
  if (ASCII_SAFE.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i); // UTF-16 units: astral characters come out as surrogate pairs, as in Python
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) {
      out += s[i];
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      default:
        out += `\\u${hex4(c)}`;
    }
  }
  return out + '"';
}

function pyDefaultFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return pyFloatRepr(v);
}

function dumpDefaultTo(v: PyValue, out: string[]): void {
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'string') out.push(pyJsonStringAscii(v));
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(intText(v));
  else if (v instanceof PyFloat) out.push(pyDefaultFloat(v.value));
  else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(', ');
      dumpDefaultTo(v[i] as PyValue, out);
    }
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const [k, val] of v) {
      if (!first) out.push(', ');
      first = false;
      out.push(pyJsonStringAscii(k), ': ');
      dumpDefaultTo(val, out);
    }
    out.push('}');
  }
}

/** Python `json.dumps(value)` with default arguments. */
export function dumpPythonDefault(value: PyValue): string {
  const out: string[] = [];
  dumpDefaultTo(value, out);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------
// Starlette's JSONResponse

/** `json.encoder.encode_basestring` (`ensure_ascii=False`): lone surrogates stay as they are. */
function pyJsonStringRaw(s: string): string {
  if (!LONE_SURROGATE.test(s)) return JSON.stringify(s); // identical escaping for well-formed text
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) out += JSON.stringify(ch).slice(1, -1);
    else out += ch;
  }
  return out + '"';
}

function dumpStarletteTo(v: PyValue, out: string[]): void {
  if (v === null) out.push('null');
  else if (v === true) out.push('true');
  else if (v === false) out.push('false');
  else if (typeof v === 'string') out.push(pyJsonStringRaw(v));
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(intText(v));
  else if (v instanceof PyFloat) out.push(pyDefaultFloat(v.value));
  else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      dumpStarletteTo(v[i] as PyValue, out);
    }
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const [k, val] of v) {
      if (!first) out.push(',');
      first = false;
      out.push(pyJsonStringRaw(k), ':');
      dumpStarletteTo(val, out);
    }
    out.push('}');
  }
}

/**
 * What Starlette's `JSONResponse` renders (before encoding to UTF-8): `json.dumps(value, ensure_ascii=False,
 * separators=(",", ":"))`, floats as `float.__repr__`. The caller rules out NaN/Infinity (`allow_nan=False`) and
 * lone surrogates (the UTF-8 encoding step), which Python reports as errors.
 */
export function dumpStarletteJson(value: PyValue): string {
  const out: string[] = [];
  dumpStarletteTo(value, out);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------
// orjson (NeMo Gym's writer for rollouts, metrics and profiles)

function orjsonString(s: string): string {
  // orjson escapes exactly what serde_json does: `"`, `\`, and control characters; the rest is raw UTF-8.
  return JSON.stringify(s);
}

function orjsonScalar(v: PyValue): string | null {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return orjsonString(v);
  if (typeof v === 'number' || typeof v === 'bigint') return intText(v);
  if (v instanceof PyFloat) return compactFloat(v.value);
  return null;
}

function dumpOrjsonTo(v: PyValue, indent: string | null, depth: number, out: string[]): void {
  const scalar = orjsonScalar(v);
  if (scalar !== null) {
    out.push(scalar);
    return;
  }
  const entries: Array<[string | null, PyValue]> = Array.isArray(v) ? v.map((item) => [null, item as PyValue]) : [...(v as Map<string, PyValue>)];
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    out.push(open, close);
    return;
  }
  const inner = indent === null ? '' : `\n${indent.repeat(depth + 1)}`;
  out.push(open);
  entries.forEach(([key, value], i) => {
    if (i > 0) out.push(',');
    out.push(inner);
    if (key !== null) out.push(orjsonString(key), indent === null ? ':' : ': ');
    dumpOrjsonTo(value, indent, depth + 1, out);
  });
  if (indent !== null) out.push(`\n${indent.repeat(depth)}`);
  out.push(close);
}

/**
 * `orjson.dumps(value)` as NeMo Gym's pinned orjson (3.11) writes it: separators `,` `:`, raw UTF-8, floats in the
 * ryu layout (`1.0`, `0.1`, `1e16`, `1e-7`), NaN and ±inf as `null`; with `indent2`, `orjson.OPT_INDENT_2`
 * (two spaces, `": "`, empty containers as `[]` / `{}`, no trailing newline).
 */
export function dumpOrjson(value: PyValue, options: { indent2?: boolean } = {}): string {
  const out: string[] = [];
  dumpOrjsonTo(value, options.indent2 ? '  ' : null, 0, out);
  return out.join('');
}
