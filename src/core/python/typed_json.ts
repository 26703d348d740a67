/**
 * Compact JSON text of a value whose Python types are known in part, laid out as NeMo Gym writes rows (orjson,
 * and pydantic-core for its servers' answers): separators `,` `:`, and a field that pydantic holds as a `float` is
 * written as a float even when integral (`"temperature":1.0`, `"created_at":1758499694.0`), where JSON.stringify
 * would write `1`. A {@link FloatShape} says which fields are floats; everything outside it is written as
 * JSON.stringify writes it (the fast path: most of a row is strings and untyped objects).
 *
 * Integral numbers in untyped parts (`Any`, `dict`) stay ints: Python keeps what the JSON text said there, which a
 * JavaScript number no longer knows; such values are rare in rows (tool schemas, metadata) and written as ints.
 */
import { shortestDigits } from './repr';

/** `'float'` for a float field; an object for an object's fields; a one-element array for every element of a list. */
export type FloatShape = 'float' | { readonly [key: string]: FloatShape } | readonly [FloatShape];

/** orjson's (and pydantic-core's) float layout: `1.0`, `0.00001`, `1e-7`, `1e+16`, `1.2345678901234568e+17`. */
export function orjsonFloatText(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(x);
  const length = digits.length;
  const kk = exp + 1; // 10^(kk-1) <= |x| < 10^kk
  if (kk >= length && kk <= 16) return `${sign}${digits}${'0'.repeat(kk - length)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  const mantissa = length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mantissa}e${kk - 1 > 0 ? '+' : ''}${kk - 1}`;
}

/** JSON text of `value`, floats where `shape` says so. `undefined` object members are left out, as JSON.stringify does. */
export function typedJson(value: unknown, shape: FloatShape): string {
  if (shape === 'float') return typeof value === 'number' ? orjsonFloatText(value) : plain(value);
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return plain(value);
    const element = shape[0];
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : typedJson(item, element))).join(',')}]`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return plain(value);
  const fields = shape as { readonly [key: string]: FloatShape };
  // Most objects have none of the shape's fields (a function call, a text part): one native call writes them.
  if (!Object.keys(fields).some((key) => Object.hasOwn(value, key))) return plain(value);
  const parts: string[] = [];
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (member === undefined || typeof member === 'function') continue;
    const memberShape = Object.hasOwn(fields, key) ? fields[key] : undefined;
    parts.push(`${JSON.stringify(key)}:${memberShape === undefined ? plain(member) : typedJson(member, memberShape)}`);
  }
  return `{${parts.join(',')}}`;
}

function plain(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
