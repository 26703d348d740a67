/**
 * The few pandas operations the tools use, with the semantics that reach the model: boolean masks over an object
 * column (`==`, `>=`, `str.contains`), the NA-mask error, id generation and pagination.
 */
import { pyAdd, pyEq, pyFloorDiv, pyGe, pyGt, pyLe, pyMax, pyMin, pyMul, pySliceList, pySub, pyTruthy } from '../../../python/ops';
import { andThen, foldInOrder, type MaybePromise } from '../../../maybe_promise';
import { pyIntConvert } from '../../../python/int_parse';
import { compilePythonRegex } from '../../../python/regex';
import type { RegexGuard } from '../../../python/regex_guard';
import { pyStr } from '../../../python/repr';
import { assertBroadcastsWithVector, numpyArrayFromList, shapeTupleRepr } from '../../../python/numpy_array';
import { PyException, isPyDict, type PyValue } from '../../../python/value';
import { isMissing } from '../missing';
import type { Cell, CowTable, Row } from '../table';

export const NA_MASK_ERROR = 'Cannot mask with non-boolean array containing NA / NaN values';

/**
 * The right-hand side of a pandas comparison `df[column] <op> value` when `value` is a list (`ops.comparison_op`):
 * numpy makes an array of it (ragged or too deep → `ValueError`), its length must be the column's, and
 * `comp_method_OBJECT_ARRAY` then needs the very same shape; the elements are compared one to one.
 */
function listOperand(columnLength: number, value: PyValue[]): readonly PyValue[] {
  const array = numpyArrayFromList(value);
  const length = array.shape[0] ?? 0;
  if (length !== columnLength) {
    throw new PyException('ValueError', `('Lengths must match to compare', ${shapeTupleRepr([columnLength])}, ${shapeTupleRepr(array.shape)})`);
  }
  if (array.shape.length !== 1) {
    throw new PyException('ValueError', `('Shapes must match', ${shapeTupleRepr([columnLength])}, ${shapeTupleRepr(array.shape)})`);
  }
  return array.items;
}

/** `df[column] == value` (pandas object comparison: a missing cell is never equal; a list compares element-wise). */
export function equalsMask(rows: readonly Row[], column: number, value: PyValue): boolean[] {
  if (Array.isArray(value)) {
    const others = listOperand(rows.length, value);
    return rows.map((row, i) => {
      const cell = row[column] ?? null;
      const other = others[i] as PyValue;
      return !isMissing(cell) && !isMissing(other) && pyEq(cell, other);
    });
  }
  if (isMissing(value)) return rows.map(() => false);
  return rows.map((row) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, value));
}

/**
 * `value in df[column].values`: numpy's `(array == value).any()`. A list becomes an array that must broadcast
 * against the column; every element then meets the cells it is broadcast to, with Python `==`.
 */
export function columnContains(rows: readonly Row[], column: number, value: PyValue): boolean {
  if (Array.isArray(value)) {
    const array = numpyArrayFromList(value);
    assertBroadcastsWithVector(rows.length, array.shape);
    const last = array.shape.length === 0 ? 1 : (array.shape[array.shape.length - 1] as number);
    if (rows.length === 0 || array.items.length === 0) return false;
    return array.items.some((item, flatIndex) => {
      if (isMissing(item)) return false;
      if (last === 1) return rows.some((row) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, item));
      const cell = (rows.length === 1 ? rows[0] : rows[flatIndex % last])?.[column] ?? null;
      return !isMissing(cell) && pyEq(cell, item);
    });
  }
  if (isMissing(value)) return false;
  return rows.some((row) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, value));
}

/**
 * `df[column] >= bound` / `<= bound` on an object column (lexicographic for strings). A missing cell or a missing
 * bound gives False; other type mixes raise Python's `TypeError` (`'>=' not supported between instances of …`).
 */
export function compareMask(rows: readonly Row[], column: number, operator: '>=' | '<=', bound: PyValue): boolean[] {
  const compare = operator === '>=' ? pyGe : pyLe;
  if (Array.isArray(bound)) {
    const others = listOperand(rows.length, bound);
    return rows.map((row, i) => {
      const cell = row[column] ?? null;
      const other = others[i] as PyValue;
      return !isMissing(cell) && !isMissing(other) && pyTruthy(compare(cell, other));
    });
  }
  if (isMissing(bound)) return rows.map(() => false);
  return rows.map((row) => {
    const cell = row[column] ?? null;
    return !isMissing(cell) && pyTruthy(compare(cell, bound));
  });
}

/**
 * `df[column].str.contains(pattern, case=False)` as a mask. The pattern is a Python regular expression (compiled
 * first, so pattern errors surface even on an empty table). A cell that is not a string gives NA: with
 * `missingMatches` false (calendar's `na=False`) it is simply no match; otherwise using the mask raises pandas'
 * NA-mask error (after the search, whose own exceptions come first). The search runs through the session's regex
 * guard: a promise when it had to go to a worker thread.
 */
export function containsMask(guard: RegexGuard, rows: readonly Row[], column: number, pattern: PyValue, missingIsNoMatch: boolean): MaybePromise<boolean[]> {
  const regex = compilePythonRegex(pattern, { ignoreCase: true });
  const subjects: string[] = [];
  let missingRows: number[] | null = null;
  for (let i = 0; i < rows.length; i++) {
    const cell = (rows[i] as Row)[column] ?? null;
    if (typeof cell === 'string') subjects.push(cell);
    else (missingRows ??= []).push(i);
  }
  return andThen(guard.evaluate(regex, subjects, 'search'), (found) => {
    if (missingRows === null) return found;
    if (!missingIsNoMatch) throw new PyException('ValueError', NA_MASK_ERROR);
    const mask = new Array<boolean>(rows.length);
    for (let i = 0, k = 0, m = 0; i < rows.length; i++) {
      if (missingRows[m] === i) {
        mask[i] = false;
        m++;
      } else mask[i] = found[k++] === true;
    }
    return mask;
  });
}

/** `df = df[df[column].str.contains(pattern, case=False, na=…)]` for each (column, pattern) whose pattern is truthy, in order. */
export function filterByPatterns(
  guard: RegexGuard,
  rows: readonly Row[],
  filters: ReadonlyArray<readonly [column: number, pattern: PyValue]>,
  missingIsNoMatch: boolean,
): MaybePromise<readonly Row[]> {
  return foldInOrder(filters, rows, (kept, [column, pattern]) =>
    pyTruthy(pattern) ? andThen(containsMask(guard, kept, column, pattern, missingIsNoMatch), (mask) => applyMask(kept, mask)) : kept,
  );
}

export function applyMask(rows: readonly Row[], mask: readonly boolean[]): Row[] {
  return rows.filter((_, i) => mask[i]);
}

/** Python `str.zfill(width)`. */
export function zfill(text: string, width: number): string {
  const length = [...text].length;
  if (length >= width) return text;
  const sign = text.startsWith('+') || text.startsWith('-') ? text.slice(0, 1) : '';
  return sign + '0'.repeat(width - length) + text.slice(sign.length);
}

/** How far a resumable fold has read one column of a table: valid while the table's `rewrites` has not moved. */
export interface SavedColumnFold<A> {
  readonly column: number;
  readonly rewrites: number;
  /** The rows folded so far: `rows[0:scanned]`. */
  readonly scanned: number;
  readonly value: A;
}

/**
 * A left fold over one column, in row order, that resumes after appends: the table's first rows are the same rows
 * while its `rewrites` count stays put, so only the rows added since the last call are read; any other change
 * (a delete, an update) starts over from the first row. The answer is what a fold over the whole column would give,
 * and a long run of appends costs O(1) each instead of a scan each. A step that throws leaves the saved progress
 * as it was (the next call meets the same row and throws the same way), so a step may only change a mutable
 * accumulator in ways that are harmless to repeat (adding to a set).
 */
export function resumableColumnFold<A>(
  saved: WeakMap<CowTable, SavedColumnFold<A>>,
  table: CowTable,
  column: number,
  initial: () => A,
  step: (accumulator: A, cell: Cell) => A,
): A {
  const rows = table.rows;
  const rewrites = table.rewrites;
  const previous = saved.get(table);
  const resumes = previous !== undefined && previous.column === column && previous.rewrites === rewrites && previous.scanned <= rows.length;
  let value = resumes ? previous.value : initial();
  for (let i = resumes ? previous.scanned : 0; i < rows.length; i++) value = step(value, (rows[i] as Row)[column] ?? null);
  saved.set(table, { column, rewrites, scanned: rows.length, value });
  return value;
}

/** The id columns' maxima so far (undefined while every cell was missing). */
const idColumnMaxima = new WeakMap<CowTable, SavedColumnFold<PyValue | undefined>>();

/**
 * `str(int(df[id_column].max()) + 1)`, zero-padded to 8 digits for events, tasks and customers (§3.5). The max is
 * Python's (the lexicographic string max for ids), skipping missing cells; an empty table starts at 1. It is kept
 * from call to call while rows are only appended (see `resumableColumnFold`), so each insert is O(1).
 */
export function nextId(table: CowTable, column: number, zeroPad: boolean): string {
  const max = resumableColumnFold(idColumnMaxima, table, column, () => undefined, (maxSoFar: PyValue | undefined, cell) => {
    if (isMissing(cell)) return maxSoFar;
    return maxSoFar === undefined || pyTruthy(pyGt(cell, maxSoFar)) ? cell : maxSoFar;
  });
  const next = pyAdd(max === undefined ? 0 : pyIntConvert(max), 1);
  const id = pyStr(next);
  return zeroPad ? zfill(id, 8) : id;
}

/**
 * `df[df[column] == value].iloc[0]` when there is one: the first row whose cell equals the value. A list value keeps
 * pandas' element-wise comparison (and its length errors); otherwise the search stops at the first match.
 */
export function firstMatching(rows: readonly Row[], column: number, value: PyValue): Row | undefined {
  if (Array.isArray(value)) return applyMask(rows, equalsMask(rows, column, value))[0];
  if (isMissing(value)) return undefined;
  return rows.find((row) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, value));
}

export interface PageOf<T> {
  /** The page actually shown (clamped). */
  page: PyValue;
  totalPages: PyValue;
  /** The slice `results[start:end]`, computed on demand: the tools only slice a non-empty result. */
  items(): T[];
}

/**
 * The pagination shared by email, calendar and CRM search (§4.5), with Python arithmetic on the values as received:
 * `total_pages = (n + page_size - 1) // page_size`, `page = max(1, min(page, total_pages))` when there are pages,
 * then the slice `results[(page - 1) * page_size : min(start + page_size, n)]`.
 */
export function paginate<T extends PyValue>(results: readonly T[], page: PyValue, pageSize: PyValue): PageOf<T> {
  const total = results.length;
  const totalPages = pyFloorDiv(pySub(pyAdd(total, pageSize), 1), pageSize);
  const shownPage = pyTruthy(pyGt(totalPages, 0)) ? pyMax(1, pyMin(page, totalPages)) : 1;
  const start = pyMul(pySub(shownPage, 1), pageSize);
  const end = pyMin(pyAdd(start, pageSize), total);
  return { page: shownPage, totalPages, items: () => pySliceList(results as T[], start, end) };
}

/** `df = df[df[id] != value]`: every row with that id goes; the others keep their labels. */
export function removeMatching(table: CowTable, idColumn: number, id: PyValue): number {
  return table.removeRows(equalsMask(table.rows, idColumn, id));
}

const SEQUENCE_IN_ELEMENT = 'setting an array element with a sequence.';

/**
 * What pandas writes into the `count` selected cells of an object column for `df.loc[mask, column] = value`:
 * a dict is aligned on the row labels (never string keys), so every cell gets NaN; a list gives one element per
 * selected row (a one-element list is repeated), any other length is numpy's `ValueError`; anything else is
 * stored as it is.
 */
export function pandasSetitemValues(value: PyValue, count: number): (index: number) => Cell {
  if (isPyDict(value)) return () => null;
  if (!Array.isArray(value)) return () => value;
  if (value.length === count) return (index) => value[index] as PyValue;
  if (value.length === 1) return () => value[0] as PyValue;
  throw new PyException('ValueError', SEQUENCE_IN_ELEMENT);
}

/** `df.loc[df[id] == value, column] = new_value`. */
export function updateMatching(table: CowTable, idColumn: number, id: PyValue, column: number, newValue: PyValue): number {
  const mask = equalsMask(table.rows, idColumn, id);
  const count = mask.reduce((n, selected) => (selected ? n + 1 : n), 0);
  return table.setCells(mask, column, pandasSetitemValues(newValue, count));
}
