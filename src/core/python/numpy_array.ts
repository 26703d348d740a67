/**
 * A small model of numpy's array creation from nested Python lists (`np.asarray(list)`), enough for what pandas and
 * numpy do when a tool compares a column with a list the model sent:
 *
 * - shape discovery as numpy's `PyArray_DiscoverDTypeAndShape` does it (depth first; str, dict, None and numbers are
 *   scalars; a ragged nesting or more than 64 dimensions is a `ValueError` with numpy's text);
 * - the dtype numpy would pick (object, str, float, int, bool) and the element values it holds, as Python objects;
 * - broadcasting of two shapes, and the error numpy gives when they do not broadcast.
 */
import { pyFloatRepr } from './repr';
import { PyException, PyFloat, isPyDict, type PyValue } from './value';

/** `NPY_MAXDIMS` in numpy 2. */
export const NUMPY_MAX_DIMS = 64;

export type NumpyKind = 'object' | 'str' | 'float' | 'int' | 'bool';

export interface NumpyArray {
  readonly shape: readonly number[];
  readonly kind: NumpyKind;
  /** The elements in row-major order, converted to what `astype(object)` would give back. */
  readonly items: readonly PyValue[];
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Python's tuple repr of a shape: `(3,)`, `(1, 0)`, `()`. */
export function shapeTupleRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** numpy's own shape text in broadcasting errors: `(3,)`, `(1,0)`. */
function numpyShapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}

interface Discovery {
  maxDims: number;
  shape: number[];
  maxDimsReached: boolean;
  ragged: boolean;
}

/** numpy's `update_shape` (array_coercion.c): merges a newly found (sub)shape into the discovered one. */
function updateShape(d: Discovery, currDims: number, newShape: readonly number[], sequence: boolean): boolean {
  let success = true;
  let newDims = newShape.length;
  const reached = d.maxDimsReached;
  if (currDims + newDims > d.maxDims) {
    success = false;
    newDims = d.maxDims - currDims;
  } else if (!sequence && d.maxDims !== currDims + newDims) {
    d.maxDims = currDims + newDims;
    if (reached) success = false;
  }
  for (let i = 0; i < newDims; i++) {
    const newDim = newShape[i] as number;
    if (!reached) {
      d.shape[currDims + i] = newDim;
    } else if (newDim !== d.shape[currDims + i]) {
      success = false;
      if (!sequence) d.maxDims -= newDims - i;
      else d.maxDims = currDims;
      break;
    }
  }
  if (!sequence) d.maxDimsReached = true;
  return success;
}

function discoverScalar(d: Discovery, currDims: number, leaves: PyValue[], value: PyValue): void {
  if (!updateShape(d, currDims, [], false)) {
    d.ragged = true;
    return;
  }
  leaves.push(value);
}

/** Iterative depth-first walk (model values can be nested thousands deep). */
function discover(value: PyValue, leaves: PyValue[]): Discovery {
  const d: Discovery = { maxDims: NUMPY_MAX_DIMS, shape: [], maxDimsReached: false, ragged: false };
  const stack: Array<{ value: PyValue; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: PyValue; depth: number };
    if (!Array.isArray(current)) {
      discoverScalar(d, depth, leaves, current);
      continue;
    }
    if (depth === d.maxDims) {
      discoverScalar(d, depth, leaves, current);
      d.ragged = true;
      continue;
    }
    if (!updateShape(d, depth, [current.length], true)) {
      d.ragged = true;
      continue;
    }
    if (current.length === 0) {
      // An empty sequence must be the last dimension.
      d.maxDimsReached = true;
      d.maxDims = depth + 1;
      continue;
    }
    for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i] as PyValue, depth: depth + 1 });
  }
  return d;
}

function bigintOf(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

function kindOfLeaf(leaf: PyValue): NumpyKind {
  if (leaf === null || isPyDict(leaf) || Array.isArray(leaf)) return 'object';
  if (typeof leaf === 'string') return 'str';
  if (typeof leaf === 'boolean') return 'bool';
  if (leaf instanceof PyFloat) return 'float';
  const big = bigintOf(leaf);
  return big < INT64_MIN || big > UINT64_MAX ? 'object' : 'int';
}

const KIND_RANK: Record<NumpyKind, number> = { bool: 0, int: 1, float: 2, str: 3, object: 4 };

/** `str(x)` of a numpy scalar as a unicode array holds it. */
function numpyStr(leaf: PyValue): string {
  if (typeof leaf === 'string') return leaf;
  if (leaf === true) return 'True';
  if (leaf === false) return 'False';
  if (leaf instanceof PyFloat) return pyFloatRepr(leaf.value);
  return String(leaf);
}

function convert(leaf: PyValue, kind: NumpyKind): PyValue {
  switch (kind) {
    case 'str':
      return numpyStr(leaf);
    case 'float':
      if (leaf instanceof PyFloat) return leaf;
      return new PyFloat(typeof leaf === 'boolean' ? Number(leaf) : Number(leaf as number | bigint));
    case 'int':
      return typeof leaf === 'boolean' ? (leaf ? 1 : 0) : leaf;
    default:
      return leaf;
  }
}

/** `np.asarray(value)` for a Python list: its shape, dtype kind and elements, or numpy's `ValueError`. */
export function numpyArrayFromList(value: PyValue[]): NumpyArray {
  const leaves: PyValue[] = [];
  const d = discover(value, leaves);
  const ndim = d.maxDims;
  if (d.ragged) {
    if (ndim === NUMPY_MAX_DIMS) {
      throw new PyException(
        'ValueError',
        `setting an array element with a sequence. The requested array would exceed the maximum number of dimension of ${NUMPY_MAX_DIMS}.`,
      );
    }
    throw new PyException(
      'ValueError',
      `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${ndim} dimensions. The detected shape was ${shapeTupleRepr(d.shape.slice(0, ndim))} + inhomogeneous part.`,
    );
  }
  const shape = d.shape.slice(0, ndim);
  let kind: NumpyKind = 'float'; // an array without elements is float64
  if (leaves.length > 0) {
    kind = 'bool';
    for (const leaf of leaves) {
      const leafKind = kindOfLeaf(leaf);
      if (KIND_RANK[leafKind] > KIND_RANK[kind]) kind = leafKind;
      if (kind === 'object') break;
    }
  }
  return { shape, kind, items: kind === 'object' ? leaves : leaves.map((leaf) => convert(leaf, kind)) };
}

/**
 * The broadcast of a 1-d operand of length `length` with an array of `shape`, or numpy's error text
 * (`operands could not be broadcast together with shapes (500,) (1,0) `, with its trailing space).
 */
export function assertBroadcastsWithVector(length: number, shape: readonly number[]): void {
  const last = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
  if (last === length || last === 1 || length === 1) return;
  throw new PyException('ValueError', `operands could not be broadcast together with shapes ${numpyShapeText([length])} ${numpyShapeText(shape)} `);
}
