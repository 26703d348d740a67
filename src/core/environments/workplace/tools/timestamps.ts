/**
 * `pd.Timestamp(value)` for whatever JSON type a tool argument or a stored cell has: strings go to the pandas
 * string parser; ints and floats are nanoseconds since the epoch; None and NaN are NaT (`null` here); bools,
 * lists and dicts raise pandas' `TypeError`.
 */
import { compareTimestamps, dateOnly, parsePandasTimestamp, type PandasTimestamp } from '../../../python/timestamp';
import { pyRepr, pyTypeName } from '../../../python/repr';
import { PyException, PyFloat, type PyValue } from '../../../python/value';

/** A parsed timestamp, or `null` for NaT. */
export type PandasTimestampValue = PandasTimestamp | null;

const INT64_LIMIT = 2n ** 63n;
const NAT_INT = -(2n ** 63n);

/** pandas' `ValueError` and its subclasses (`DateParseError`, `OutOfBoundsDatetime`, `ParserError`). */
const VALUE_ERROR_TYPES = new Set(['ValueError', 'DateParseError', 'OutOfBoundsDatetime', 'OutOfBoundsTimedelta', 'ParserError']);

export function isPandasValueError(error: unknown): boolean {
  return error instanceof PyException && VALUE_ERROR_TYPES.has(error.type);
}

function fromNanoseconds(nanoseconds: number): PandasTimestamp {
  const whole = Math.trunc(nanoseconds);
  const epochMicros = Math.floor(whole / 1000);
  return { epochMicros, tzAware: false, nanos: whole - epochMicros * 1000 };
}

/**
 * Parses of the fixed `YYYY-MM-DD HH:MM:SS` form the tables store, memoised: searches parse every candidate row's
 * time. Other strings (`now`, bare times) may depend on the wall clock and are parsed each time.
 */
const STORED_FORM = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const MEMO_LIMIT = 50_000;
const parsedStoredTimes = new Map<string, PandasTimestamp>();

function parseString(text: string): PandasTimestampValue {
  if (!STORED_FORM.test(text)) return parsePandasTimestamp(text);
  let parsed = parsedStoredTimes.get(text);
  if (parsed === undefined) {
    const result = parsePandasTimestamp(text);
    if (result === null) return null;
    parsed = result;
    if (parsedStoredTimes.size >= MEMO_LIMIT) parsedStoredTimes.clear();
    parsedStoredTimes.set(text, parsed);
  }
  return parsed;
}

export function pandasTimestamp(value: PyValue): PandasTimestampValue {
  if (typeof value === 'string') return parseString(value);
  if (value === null) return null;
  if (typeof value === 'number') return fromNanoseconds(value);
  if (typeof value === 'bigint') {
    if (value === NAT_INT) return null;
    if (value >= INT64_LIMIT || value < NAT_INT) throw new PyException('OverflowError', 'Python int too large to convert to C long');
    return fromNanoseconds(Number(value));
  }
  if (value instanceof PyFloat) {
    if (Number.isNaN(value.value)) return null;
    if (!Number.isFinite(value.value)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
    return fromNanoseconds(value.value);
  }
  throw new PyException('TypeError', `Cannot convert input [${pyRepr(value)}] of type <class '${pyTypeName(value)}'> to Timestamp`);
}

/** `ts.date()` as a day number; NaN for NaT, so that every comparison with it is false. */
export function calendarDay(timestamp: PandasTimestampValue): number {
  return timestamp === null ? Number.NaN : dateOnly(timestamp);
}

/** `a >= b` / `a <= b` between timestamps: False with NaT; `TypeError` between tz-naive and tz-aware values. */
export function timestampCompare(a: PandasTimestampValue, operator: '>=' | '<=', b: PandasTimestampValue): boolean {
  if (a === null || b === null) return false;
  const order = compareTimestamps(a, b);
  return operator === '>=' ? order >= 0 : order <= 0;
}

/** The key pandas sorts a datetime column by (NaT never occurs among stored email times). */
export function sortKey(timestamp: PandasTimestampValue): number {
  return timestamp === null ? Number.NEGATIVE_INFINITY : timestamp.epochMicros;
}

/** `sorted(items, key=timestamp, reverse=True)`: stable, newest first; mixing tz-naive and tz-aware raises. */
export function sortDescendingStable<T>(items: readonly T[], timestampOf: (item: T) => PandasTimestampValue): T[] {
  const keyed = items.map((item) => ({ item, timestamp: timestampOf(item) }));
  keyed.sort((x, y) => {
    if (x.timestamp === null || y.timestamp === null) return 0;
    return compareTimestamps(y.timestamp, x.timestamp);
  });
  return keyed.map(({ item }) => item);
}
