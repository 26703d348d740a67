import { pyEq, pyStrLower } from '../../python/ops';
import type { PyValue } from '../../python/value';
import { isMissing } from './missing';
import type { CowTable, Row } from './table';

/** Columns the verifier leaves as they are; every other column goes through `col.str.lower()` (§7.4). */
const NOT_LOWER_CASED = new Set(['status', 'list_name', 'board']);

export function isLowerCasedColumn(column: string): boolean {
  return !NOT_LOWER_CASED.has(column);
}

/** Whether two stored cells are equal the way `DataFrame.equals` sees them after normalisation. */
export function cellsEquivalent(lowerCased: boolean, predicted: PyValue, expected: PyValue): boolean {
  if (lowerCased) {
    if (typeof predicted !== 'string' || typeof expected !== 'string') return typeof predicted !== 'string' && typeof expected !== 'string';
    return predicted === expected || pyStrLower(predicted) === pyStrLower(expected);
  }
  if (isMissing(predicted) || isMissing(expected)) return isMissing(predicted) && isMissing(expected);
  return pyEq(predicted, expected);
}

export function rowsEquivalent(lowerCasedColumns: readonly boolean[], predicted: Row, expected: Row): boolean {
  if (predicted === expected) return true;
  for (let c = 0; c < lowerCasedColumns.length; c++) {
    if (!cellsEquivalent(lowerCasedColumns[c] as boolean, predicted[c] ?? null, expected[c] ?? null)) return false;
  }
  return true;
}

export function labelsEqual(predicted: CowTable, expected: CowTable): boolean {
  const a = predicted.labels;
  const b = expected.labels;
  if (a === b) return true;
  const count = predicted.rows.length;
  for (let i = 0; i < count; i++) if (predicted.label(i) !== expected.label(i)) return false;
  return true;
}

/**
 * pandas `pred.equals(gt)` after the verifier's lower-casing: same labels in the same order and equivalent cells
 * row by row. Two tables still sharing the same row list (untouched, or never diverged) compare in O(1); otherwise
 * rows that are the same object are skipped without looking at their cells.
 */
export function tablesEquivalent(predicted: CowTable, expected: CowTable): boolean {
  if (predicted.rows === expected.rows && predicted.labels === expected.labels) return true;
  if (predicted.rows.length !== expected.rows.length) return false;
  if (!labelsEqual(predicted, expected)) return false;
  const lowerCasedColumns = predicted.columns.map(isLowerCasedColumn);
  const rowsA = predicted.rows;
  const rowsB = expected.rows;
  for (let i = 0; i < rowsA.length; i++) {
    if (!rowsEquivalent(lowerCasedColumns, rowsA[i] as Row, rowsB[i] as Row)) return false;
  }
  return true;
}
