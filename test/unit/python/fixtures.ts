/** Loading of the Python-generated fixtures (scripts/dev/python_gen_fixtures.py) and their value encoding. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PyFloat, type PyValue } from '../../../src/core/python/value';

export type Encoded =
  | null
  | boolean
  | string
  | { int: string }
  | { float: string }
  | { list: Encoded[] }
  | { dict: Array<[string, Encoded]> };

export interface Fixture<T> {
  /** Interpreter (and for pandas fixtures, library) versions that produced the fixture. */
  python: string;
  pandas?: string;
  numpy?: string;
  cases: T;
}

export function loadFixture<T>(name: string): Fixture<T> {
  const file = path.resolve(__dirname, 'fixtures', name);
  return JSON.parse(readFileSync(file, 'utf8')) as Fixture<T>;
}

function floatFromRepr(r: string): number {
  if (r === 'nan') return NaN;
  if (r === 'inf') return Infinity;
  if (r === '-inf') return -Infinity;
  return Number(r);
}

/** Decode a fixture value into the value model (ints become number when safe, else bigint). */
export function decode(e: Encoded): PyValue {
  if (e === null || typeof e === 'boolean' || typeof e === 'string') return e;
  if ('int' in e) {
    const b = BigInt(e.int);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  if ('float' in e) return new PyFloat(floatFromRepr(e.float));
  if ('list' in e) return e.list.map(decode);
  return new Map(e.dict.map(([k, v]) => [k, decode(v)]));
}

/** A structural comparison form: floats as {float: repr-compatible string}, ints as strings, maps as entry lists. */
export function canon(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return { int: BigInt(v).toString() };
  if (v instanceof PyFloat) return { float: Object.is(v.value, -0) ? '-0' : String(v.value) };
  if (Array.isArray(v)) return v.map(canon);
  return [...v.entries()].map(([k, x]) => [k, canon(x)]);
}

export const repoRoot = path.resolve(__dirname, '../../..');
