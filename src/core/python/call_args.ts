/**
 * Keyword binding of `bound_method(**kwargs)` as CPython 3.13 performs it (`initialize_locals` in
 * Python/ceval.c) for a method whose parameters are all positional-or-keyword with defaults:
 * `self` is already bound positionally, the keywords are examined in dict order, and the first bad one
 * raises:
 * - a keyword named like an already-bound parameter (`self`) →
 *   `TypeError: <qualname>() got multiple values for argument 'self'`;
 * - an unknown keyword → `TypeError: <qualname>() got an unexpected keyword argument '<kw>'`, followed in
 *   3.13 by `. Did you mean '<name>'?` when `_Py_CalculateSuggestions` finds a candidate (see
 *   {@link suggestKeyword}). Python 3.11/3.12 never add the suffix.
 */
import { PyException, type PyDict, type PyValue } from './value';

const MAX_CANDIDATE_ITEMS = 750;
const MAX_STRING_SIZE = 40;
const MOVE_COST = 2;
const CASE_COST = 1;

function substitutionCost(a: number, b: number): number {
  if ((a & 31) !== (b & 31)) return MOVE_COST;
  if (a === b) return 0;
  const la = a >= 0x41 && a <= 0x5a ? a + 32 : a;
  const lb = b >= 0x41 && b <= 0x5a ? b + 32 : b;
  return la === lb ? CASE_COST : MOVE_COST;
}

/** CPython's `levenshtein_distance` (Python/suggestions.c) over UTF-8 bytes, with its early exits. */
export function suggestionDistance(aIn: Uint8Array, bIn: Uint8Array, maxCost: number): number {
  let aStart = 0;
  let bStart = 0;
  let aEnd = aIn.length;
  let bEnd = bIn.length;
  while (aStart < aEnd && bStart < bEnd && aIn[aStart] === bIn[bStart]) {
    aStart++;
    bStart++;
  }
  while (aStart < aEnd && bStart < bEnd && aIn[aEnd - 1] === bIn[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }
  let a = aIn.subarray(aStart, aEnd);
  let b = bIn.subarray(bStart, bEnd);
  if (a.length === 0 || b.length === 0) return (a.length + b.length) * MOVE_COST;
  if (a.length > MAX_STRING_SIZE || b.length > MAX_STRING_SIZE) return maxCost + 1;
  if (b.length < a.length) [a, b] = [b, a];
  if ((b.length - a.length) * MOVE_COST > maxCost) return maxCost + 1;
  const buffer = new Array<number>(a.length);
  for (let i = 0, tmp = MOVE_COST; i < a.length; i++, tmp += MOVE_COST) buffer[i] = tmp;
  let result = 0;
  for (let bIndex = 0; bIndex < b.length; bIndex++) {
    const code = b[bIndex] as number;
    let distance = bIndex * MOVE_COST;
    result = distance;
    let minimum = Number.MAX_SAFE_INTEGER;
    for (let index = 0; index < a.length; index++) {
      const substitute = distance + substitutionCost(code, a[index] as number);
      distance = buffer[index] as number;
      const insertDelete = Math.min(result, distance) + MOVE_COST;
      result = Math.min(insertDelete, substitute);
      buffer[index] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > maxCost) return maxCost + 1;
  }
  return result;
}

const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;

/** `_Py_CalculateSuggestions(candidates, name)`: the suggested name, or null. */
export function suggestKeyword(candidates: readonly string[], name: string): string | null {
  if (candidates.length >= MAX_CANDIDATE_ITEMS) return null;
  // A name that cannot be encoded as UTF-8 (lone surrogate) makes CPython give up on suggestions.
  if (LONE_SURROGATE.test(name)) return null;
  const nameBytes = encoder.encode(name);
  let suggestion: string | null = null;
  let suggestionDistance_ = Number.MAX_SAFE_INTEGER;
  for (const item of candidates) {
    if (item === name) continue;
    const itemBytes = encoder.encode(item);
    let maxDistance = Math.floor(((nameBytes.length + itemBytes.length + 3) * MOVE_COST) / 6);
    maxDistance = Math.min(maxDistance, suggestionDistance_ - 1);
    const d = suggestionDistance(nameBytes, itemBytes, maxDistance);
    if (d > maxDistance) continue;
    if (suggestion === null || d < suggestionDistance_) {
      suggestion = item;
      suggestionDistance_ = d;
    }
  }
  return suggestion;
}

export interface BindOptions {
  /** Add 3.13's `. Did you mean '…'?` suffix (default true; false reproduces 3.11/3.12). */
  suggestions?: boolean;
}

/**
 * Bind `kwargs` to a bound method `qualifiedName(self, *parameterNames)` (all parameters have defaults).
 * Returns the provided arguments by parameter name; throws CPython's TypeError for the first bad keyword.
 */
export function bindKeywordArguments(
  qualifiedName: string,
  parameterNames: readonly string[],
  kwargs: PyDict,
  options: BindOptions = {},
): Map<string, PyValue> {
  const bound = new Map<string, PyValue>();
  const known = new Set(parameterNames);
  for (const [kw, value] of kwargs) {
    if (kw === 'self') {
      throw new PyException('TypeError', `${qualifiedName}() got multiple values for argument 'self'`);
    }
    if (!known.has(kw)) {
      const suggestion = options.suggestions === false ? null : suggestKeyword(['self', ...parameterNames], kw);
      const suffix = suggestion === null ? '' : `. Did you mean '${suggestion}'?`;
      throw new PyException('TypeError', `${qualifiedName}() got an unexpected keyword argument '${kw}'${suffix}`);
    }
    bound.set(kw, value);
  }
  return bound;
}
