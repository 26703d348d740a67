import { pyStrLower } from '../../../python/ops';
import type { PyValue } from '../../../python/value';

/** Python `value.lower()`: AttributeError (`'int' object has no attribute 'lower'`) for anything but a str. */
export function lowerOf(value: PyValue): string {
  return pyStrLower(value);
}

