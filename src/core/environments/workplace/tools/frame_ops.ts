/**
 * The few pandas operations the tools use, with the semantics that reach the model: boolean masks over an object
 * column (`==`, `>=`, `str.contains`), the NA-mask error, id generation and pagination.
 */
import { pyAdd, pyEq, pyFloorDiv, pyGe, pyGt, pyLe, pyMax, pyMin, pyMul, pySliceList, pySub, pyTruthy } from '../../../python/ops';
import { pyIntConvert } from '../../../python/int_parse';
import { compilePythonRegex } from '../../../python/regex';
import { pyStr } from '../../../python/repr';
import { PyException, type PyValue } from '../../../python/value';
import { isMissing } from '../missing';
import type { Cell, CowTable, Row } from '../table';

export const NA_MASK_ERROR = 'Cannot mask with non-boolean array containing NA / NaN values';

function lengthsMustMatch(columnLength: number, otherLength: number): PyException {
  return new PyException('ValueError', `('Lengths must match to compare', (${columnLength},), (${otherLength},))`);
}

/** `df[column] == value` (pandas object comparison: a missing cell is never equal; a list compares element-wise). */
export function equalsMask(rows: readonly Row[], column: number, value: PyValue): boolean[] {
  if (Array.isArray(value)) {
    if (value.length !== rows.length) throw lengthsMustMatch(rows.length, value.length);
    return rows.map((row, i) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, value[i] as PyValue));
  }
  if (isMissing(value)) return rows.map(() => false);
  return rows.map((row) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, value));
}

/** `value in df[column].values` (numpy membership) for the scalar values the tools receive. */
export function columnContains(rows: readonly Row[], column: number, value: PyValue): boolean {
  if (Array.isArray(value) || isMissing(value)) return false;
  return rows.some((row) => !isMissing(row[column] ?? null) && pyEq(row[column] ?? null, value));
}

/**
 * `df[column] >= bound` / `<= bound` on an object column (lexicographic for strings). A missing cell or a missing
 * bound gives False; other type mixes raise Python's `TypeError` (`'>=' not supported between instances of …`).
 */
export function compareMask(rows: readonly Row[], column: number, operator: '>=' | '<=', bound: PyValue): boolean[] {
  const compare = operator === '>=' ? pyGe : pyLe;
  if (Array.isArray(bound)) {
    if (bound.length !== rows.length) throw lengthsMustMatch(rows.length, bound.length);
    return rows.map((row, i) => {
      const cell = row[column] ?? null;
      const other = bound[i] as PyValue;
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
 * NA-mask error.
 */
export function containsMask(rows: readonly Row[], column: number, pattern: PyValue, missingIsNoMatch: boolean): boolean[] {
  const regex = compilePythonRegex(pattern, { ignoreCase: true });
  let sawMissing = false;
  const mask = rows.map((row) => {
    const cell = row[column] ?? null;
    if (typeof cell === 'string') return regex.search(cell);
    sawMissing = true;
    return false;
  });
  if (sawMissing && !missingIsNoMatch) throw new PyException('ValueError', NA_MASK_ERROR);
  return mask;
}

export function applyMask(rows: readonly Row[], mask: readonly boolean[]): Row[] {
  return rows.filter((_, i) => mask[i]);
}

export function columnValues(rows: readonly Row[], column: number): Cell[] {
  return rows.map((row) => row[column] ?? null);
}

/** Python `str.zfill(width)`. */
export function zfill(text: string, width: number): string {
  const length = [...text].length;
  if (length >= width) return text;
  const sign = text.startsWith('+') || text.startsWith('-') ? text.slice(0, 1) : '';
  return sign + '0'.repeat(width - length) + text.slice(sign.length);
}

/**
 * `str(int(df[id_column].max()) + 1)`, zero-padded to 8 digits for events, tasks and customers (§3.5). The max is
 * Python's (the lexicographic string max for ids), skipping missing cells; an empty table starts at 1.
 */
export function nextId(rows: readonly Row[], column: number, zeroPad: boolean): string {
  let max: PyValue | undefined;
  for (const row of rows) {
    const cell = row[column] ?? null;
    if (isMissing(cell)) continue;
    if (max === undefined || pyTruthy(pyGt(cell, max))) max = cell;
  }
  const next = pyAdd(max === undefined ? 0 : pyIntConvert(max), 1);
  const id = pyStr(next);
  return zeroPad ? zfill(id, 8) : id;
}

export interface PageOf<T> {
  /** The page actually shown (clamped). */
  page: PyValue;
  totalPages: PyValue;
  items: T[];
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
  return { page: shownPage, totalPages, items: pySliceList(results as T[], start, end) };
}

/** `df = df[df[id] != value]`: every row with that id goes; the others keep their labels. */
export function removeMatching(table: CowTable, idColumn: number, id: PyValue): number {
  return table.removeRows(equalsMask(table.rows, idColumn, id));
}

/** `df.loc[df[id] == value, column] = new_value`. */
export function updateMatching(table: CowTable, idColumn: number, id: PyValue, column: number, newValue: PyValue): number {
  return table.setCells(equalsMask(table.rows, idColumn, id), column, newValue);
}
