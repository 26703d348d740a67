import { PyFloat, type PyValue } from '../../python/value';

/** pandas `isna` for a cell of an object column: `None` or a float NaN. */
export function isMissing(value: PyValue): boolean {
  return value === null || (value instanceof PyFloat && Number.isNaN(value.value));
}
