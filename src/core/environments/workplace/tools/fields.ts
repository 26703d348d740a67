import { pyTypeName } from '../../../python/repr';
import { PyException, type PyValue } from '../../../python/value';
import type { CowTable } from '../table';

/**
 * `field in record` / `field in df.columns`: the column index of a field name, `undefined` when there is no such
 * column. Like Python, an unhashable value (list, dict) raises `TypeError: unhashable type: 'list'`.
 */
export function fieldColumn(table: CowTable, field: PyValue): number | undefined {
  if (Array.isArray(field) || field instanceof Map) throw new PyException('TypeError', `unhashable type: '${pyTypeName(field)}'`);
  return typeof field === 'string' ? table.columnIndexOf(field) : undefined;
}

/** Python `value in [...]` / `value not in (...)` for a list of strings. */
export function isOneOf(value: PyValue, allowed: readonly string[]): boolean {
  return typeof value === 'string' && allowed.includes(value);
}
