/**
 * `pd.Timestamp(value)` for whatever JSON type a tool argument or a stored cell has: strings go to the pandas
 * string parser; ints and floats are nanoseconds since the epoch; None and NaN are NaT (`null` here); bools,
 * lists and dicts raise pandas' `TypeError`.
 */
import { compareTimestamps, dateOnly, parsePandasTimestamp, type PandasTimestamp } from '../../../python/timestamp';
import { pyFloatRepr, pyRepr, pyTypeName } from '../../../python/repr';
import { LONE_SURROGATE, utf8EncodeErrorMessage } from '../../../python/utf8';
import { PyException, PyFloat, type PyValue } from '../../../python/value';

/** A parsed timestamp, or `null` for NaT. */
export type PandasTimestampValue = PandasTimestamp | null;

const INT64_LIMIT = 2n ** 63n;
const NAT_INT = -(2n ** 63n);
/** Floats pandas accepts as nanoseconds since the epoch (beyond: `OutOfBoundsDatetime`). */
const FLOAT_NS_LIMIT = 2 ** 63;

/** pandas' `ValueError` and its subclasses (`DateParseError`, `OutOfBoundsDatetime`, `ParserError`). */
const VALUE_ERROR_TYPES = new Set(['ValueError', 'DateParseError', 'OutOfBoundsDatetime', 'OutOfBoundsTimedelta', 'ParserError', 'UnicodeEncodeError']);

/** `datetime.date(1, 1, 1)` and `datetime.date(9999, 12, 31)` as days since the epoch. */
const STDLIB_FIRST_DAY = -719_162;
const STDLIB_LAST_DAY = 2_932_896;


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
  if (typeof value === 'string') {
    // pandas hands the text to its C parser as UTF-8 first.
    if (LONE_SURROGATE.test(value)) throw new PyException('UnicodeEncodeError', utf8EncodeErrorMessage(value));
    return parseString(value);
  }
  if (value === null) return null;
  if (typeof value === 'number') return fromNanoseconds(value);
  if (typeof value === 'bigint') {
    if (value === NAT_INT) return null;
    if (value >= INT64_LIMIT || value < NAT_INT) throw new PyException('OutOfBoundsDatetime', `Out of bounds nanosecond timestamp ${value}`);
    return fromNanoseconds(Number(value));
  }
  if (value instanceof PyFloat) {
    const v = value.value;
    if (Number.isNaN(v)) return null;
    if (!(v > -FLOAT_NS_LIMIT && v < FLOAT_NS_LIMIT)) {
      throw new PyException('OutOfBoundsDatetime', `cannot convert input ${pyFloatRepr(v)} with the unit 'None'`);
    }
    return fromNanoseconds(v);
  }
  throw new PyException('TypeError', `Cannot convert input [${pyRepr(value)}] of type <class '${pyTypeName(value)}'> to Timestamp`);
}

/** `ts.date()` as a day number, or `null` for NaT (whose `date()` is NaT again). */
export function calendarDay(timestamp: PandasTimestampValue): number | null {
  if (timestamp === null) return null;
  const day = dateOnly(timestamp);
  if (day < STDLIB_FIRST_DAY || day > STDLIB_LAST_DAY) {
    throw new PyException('NotImplementedError', "date not yet supported on Timestamps which are outside the range of Python's standard library. ");
  }
  return day;
}

/** `date_a <op> date_b` where either may be NaT: NaT refuses to be compared with a `datetime.date`. */
export function compareDays(a: number | null, operator: '>=' | '<=', b: number | null): boolean {
  if (a === null || b === null) throw new PyException('TypeError', 'Cannot compare NaT with datetime.date object');
  return operator === '>=' ? a >= b : a <= b;
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
