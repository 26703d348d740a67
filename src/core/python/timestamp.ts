/**
 * `pd.Timestamp(<str>)` as pandas 2.2 evaluates it (`convert_str_to_tsobject`), for the date filters and
 * validators of the tools:
 *
 * 1. `""` and `NaT`/`nat`/`NAT`/`nan`/`NaN`/`NAN` → NaT (returned as `null`).
 * 2. `now` / `today` (exactly) → the wall clock.
 * 3. pandas' ISO 8601 parser (vendored numpy `parse_iso_8601_datetime`): `2023-12-01`, `2023-12-1`, `2023-12`,
 *    `2023`, `20231201`, `2023/12/01`, `2023-12-01T10`, `… 10:00:00.5`, `…Z`, `…+02:00`, with bounds checks
 *    (nanosecond strings must lie in 1677–2262).
 * 4. Otherwise `parse_datetime_string`: "not likely a datetime" check, `HH:MM…` strings parsed against today,
 *    `MM/DD/YYYY`-style delimited dates (US order first), quarters (`2023Q4`) and `%b %Y`-style months, and
 *    finally dateutil's parser (dateutil_parser.ts) with datetime(1, 1, 1) as the default.
 *
 * Errors are pandas' (`PyException` types `DateParseError`, `ValueError`, `OutOfBoundsDatetime`, all
 * ValueError subclasses in pandas) with pandas 2.2's messages, e.g. `Unknown datetime string format, unable to
 * parse: garbage`, `month must be in 1..12: 2023-13-01`.
 *
 * Wall clock: `now()` (default `new Date()`) supplies today's date and the current time; it is read in UTC,
 * as on the reference server (`time.tzname == ('UTC', 'UTC')`), which is also why a `UTC`/`GMT` zone name
 * gives a tz-aware value with offset 0.
 */
import { dateutilParse, type DateutilResult } from './dateutil_parser';
import { pyIntFromString } from './int_parse';
import { PyException } from './value';

export interface PandasTimestamp {
  /** Wall-clock time as if it were UTC (tz-naive), or the UTC instant (tz-aware), in microseconds since 1970. */
  epochMicros: number;
  tzAware: boolean;
  /** Nanoseconds beyond `epochMicros` (0–999), for nanosecond-resolution strings. */
  nanos?: number;
  /** For tz-aware values: the fixed UTC offset of the parsed zone, in seconds (for `.date()`). */
  tzOffsetSeconds?: number;
}

const NAT_STRINGS = new Set(['NaT', 'nat', 'NAT', 'nan', 'NaN', 'NAN']);
const US_PER_DAY = 86_400_000_000;

// ------------------------------------------------------------------------------------------ calendar

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (any year, including 0 and negatives). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day number. */
export function civilFromDays(z: number): { year: number; month: number; day: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  nanos: number;
}

function fieldsToMicros(f: Fields): number {
  return (
    daysFromCivil(f.year, f.month, f.day) * US_PER_DAY +
    ((f.hour * 60 + f.minute) * 60 + f.second) * 1_000_000 +
    f.microsecond
  );
}

function build(f: Fields, offsetSeconds: number | null): PandasTimestamp {
  const wall = fieldsToMicros(f);
  const ts: PandasTimestamp = { epochMicros: wall, tzAware: false };
  if (f.nanos) ts.nanos = f.nanos;
  if (offsetSeconds !== null) {
    ts.epochMicros = wall - offsetSeconds * 1_000_000;
    ts.tzAware = true;
    ts.tzOffsetSeconds = offsetSeconds;
  }
  return ts;
}

/** The wall clock of `now()` read as UTC (the reference server's local zone). */
function wallClock(now: () => Date): Fields {
  const d = now();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: d.getUTCMilliseconds() * 1000,
    nanos: 0,
  };
}

// ------------------------------------------------------------------------------------------ ISO 8601

type Unit = 'Y' | 'M' | 'D' | 'h' | 'm' | 's' | 'ms' | 'us' | 'ns' | 'ps' | 'fs' | 'as' | 'generic';

interface IsoResult {
  f: Fields;
  unit: Unit;
  offsetMinutes: number | null;
}

const isdigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isspaceC = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

/** pandas' `parse_iso_8601_datetime` (format inference mode); null where it fails. */
function parseIso(str: string): IsoResult | null {
  const s = str;
  let p = 0;
  const n = s.length;
  const at = (i: number): string | undefined => (i < n ? s[i] : undefined);
  const f: Fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, nanos: 0 };
  let unit: Unit = 'generic';
  let offsetMinutes: number | null = null;

  while (p < n && isspaceC(at(p))) p++;
  const negative = at(p) === '-';
  if (negative) p++;
  if (p >= n) return null;
  if (n - p >= 4 && isdigit(at(p)) && isdigit(at(p + 1)) && isdigit(at(p + 2)) && isdigit(at(p + 3))) {
    f.year = Number(s.slice(p, p + 4));
    p += 4;
  }
  if (s[0] === '-') f.year = -f.year;
  const leap = isLeap(f.year);
  if (p >= n) return { f, unit: 'Y', offsetMinutes: null };

  let hasYmdSep = false;
  let ymdSep = '';
  if (!isdigit(at(p))) {
    const c = at(p) as string;
    if (!['-', '.', '/', '\\', ' '].includes(c)) return null;
    hasYmdSep = true;
    ymdSep = c;
    p++;
    if (p >= n || !isdigit(at(p))) return null;
  }
  // month
  if (!isdigit(at(p))) return null;
  f.month = Number(at(p));
  p++;
  if (isdigit(at(p))) {
    f.month = f.month * 10 + Number(at(p));
    p++;
  } else if (!hasYmdSep) return null;
  if (f.month < 1 || f.month > 12) return null;
  if (p >= n) {
    if (!hasYmdSep) return null;
    return { f, unit: 'M', offsetMinutes: null };
  }
  if (hasYmdSep) {
    if (at(p) !== ymdSep || n - p === 1) return null;
    p++;
  }
  // day
  if (!isdigit(at(p))) return null;
  f.day = Number(at(p));
  p++;
  if (isdigit(at(p))) {
    f.day = f.day * 10 + Number(at(p));
    p++;
  } else if (!hasYmdSep) return null;
  if (f.day < 1 || f.day > daysInMonth(leap ? 2000 : 2001, f.month)) return null;
  if (p >= n) return { f, unit: 'D', offsetMinutes: null };
  if ((at(p) !== 'T' && at(p) !== ' ') || n - p === 1) return null;
  p++;

  // hours
  if (!isdigit(at(p))) return null;
  f.hour = Number(at(p));
  p++;
  let hourWas2 = false;
  if (isdigit(at(p))) {
    hourWas2 = true;
    f.hour = f.hour * 10 + Number(at(p));
    p++;
    if (f.hour >= 24) return null;
  }
  let zone = false;
  let hasHmsSep = false;
  if (p >= n) {
    if (!hourWas2) return null;
    return { f, unit: 'h', offsetMinutes: null };
  }
  if (at(p) === ':') {
    hasHmsSep = true;
    p++;
    if (p >= n || !isdigit(at(p))) return null;
  } else if (!isdigit(at(p))) {
    if (!hourWas2) return null;
    zone = true;
  }
  if (!zone) {
    // minutes
    f.minute = Number(at(p));
    p++;
    if (isdigit(at(p))) {
      f.minute = f.minute * 10 + Number(at(p));
      p++;
      if (f.minute >= 60) return null;
    } else if (!hasHmsSep) return null;
    if (p >= n) return { f, unit: 'm', offsetMinutes: null };
    if (hasHmsSep && at(p) === ':') {
      p++;
      if (p >= n || !isdigit(at(p))) return null;
    } else if (!hasHmsSep && isdigit(at(p))) {
      // seconds follow without a separator
    } else {
      zone = true;
    }
  }
  if (!zone) {
    // seconds
    f.second = Number(at(p));
    p++;
    if (isdigit(at(p))) {
      f.second = f.second * 10 + Number(at(p));
      p++;
      if (f.second >= 60) return null;
    } else if (!hasHmsSep) return null;
    if (p < n && at(p) === '.') {
      p++;
      let digits = 0;
      let us = 0;
      for (let i = 0; i < 6; i++) {
        us *= 10;
        if (p < n && isdigit(at(p))) {
          us += Number(at(p));
          p++;
          digits++;
        }
      }
      f.microsecond = us;
      unit = digits > 3 ? 'us' : 'ms';
      if (p < n && isdigit(at(p))) {
        let ps = 0;
        digits = 0;
        for (let i = 0; i < 6; i++) {
          ps *= 10;
          if (p < n && isdigit(at(p))) {
            ps += Number(at(p));
            p++;
            digits++;
          }
        }
        f.nanos = Math.floor(ps / 1000);
        unit = digits > 3 ? 'ps' : 'ns';
        if (p < n && isdigit(at(p))) {
          digits = 0;
          for (let i = 0; i < 6; i++) {
            if (p < n && isdigit(at(p))) {
              p++;
              digits++;
            }
          }
          unit = digits > 3 ? 'as' : 'fs';
        }
      }
    } else {
      unit = 's';
    }
  }

  // time zone
  while (p < n && isspaceC(at(p))) p++;
  if (p >= n) return { f, unit, offsetMinutes: null };
  if (at(p) === 'Z') {
    offsetMinutes = 0;
    if (n - p === 1) return { f, unit, offsetMinutes };
    p++;
  } else if (at(p) === '-' || at(p) === '+') {
    const neg = at(p) === '-';
    p++;
    let oh: number;
    let om = 0;
    if (n - p >= 2 && isdigit(at(p)) && isdigit(at(p + 1))) {
      oh = Number(s.slice(p, p + 2));
      p += 2;
      if (oh >= 24) return null;
    } else if (n - p >= 1 && isdigit(at(p))) {
      oh = Number(at(p));
      p++;
    } else return null;
    if (p < n) {
      if (at(p) === ':') p++;
      if (n - p >= 2 && isdigit(at(p)) && isdigit(at(p + 1))) {
        om = Number(s.slice(p, p + 2));
        p += 2;
        if (om >= 60) return null;
      } else if (n - p >= 1 && isdigit(at(p))) {
        om = Number(at(p));
        p++;
      } else return null;
    }
    offsetMinutes = neg && oh * 60 + om !== 0 ? -(oh * 60 + om) : oh * 60 + om;
  }
  while (p < n && isspaceC(at(p))) p++;
  if (p !== n) return null;
  return { f, unit, offsetMinutes };
}

/** -2**63 ns is NaT, so the smallest timestamp ends in .145224193. */
const NS_LOWER: Fields = { year: 1677, month: 9, day: 21, hour: 0, minute: 12, second: 43, microsecond: 145224, nanos: 193 };
const NS_UPPER: Fields = { year: 2262, month: 4, day: 11, hour: 23, minute: 47, second: 16, microsecond: 854775, nanos: 807 };

function cmpFields(a: Fields, b: Fields): number {
  for (const k of ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'nanos'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `check_dts_bounds` for the resolution pandas picks; only nanoseconds can be out of range for 4-digit years. */
function checkBounds(f: Fields, unit: Unit): void {
  const ns = unit === 'ns' || unit === 'ps' || unit === 'fs' || unit === 'as';
  if (!ns) return;
  if (cmpFields(f, NS_LOWER) < 0 || cmpFields(f, NS_UPPER) > 0) {
    throw new PyException(
      'OutOfBoundsDatetime',
      `Out of bounds nanosecond timestamp: ${f.year}-${pad2(f.month)}-${pad2(f.day)} ${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`,
    );
  }
}

// ------------------------------------------------------------------------------------------ parse_datetime_string

const NOT_DATELIKE = new Set(['a', 'A', 'm', 'M', 'p', 'P', 't', 'T']);
const TIMEPAT = /^([01]?[0-9]|2[0-3]):([0-5][0-9])/;

/** pandas' `xstrtod` ('.' decimal, 'e' exponent, surrounding ASCII spaces skipped); null on a range error. */
function xstrtod(s: string): { value: number; end: number } | null {
  let p = 0;
  const n = s.length;
  while (p < n && isspaceC(s[p])) p++;
  let negative = false;
  if (s[p] === '-' || s[p] === '+') {
    negative = s[p] === '-';
    p++;
  }
  let mantissa = '';
  let decimals = 0;
  while (p < n && isdigit(s[p])) mantissa += s[p++];
  if (s[p] === '.') {
    p++;
    while (p < n && isdigit(s[p])) {
      mantissa += s[p++];
      decimals++;
    }
  }
  if (mantissa.length === 0) return null;
  let exponent = -decimals;
  if (s[p] === 'e' || s[p] === 'E') {
    let q = p + 1;
    let expNegative = false;
    if (s[q] === '-' || s[q] === '+') {
      expNegative = s[q] === '-';
      q++;
    }
    let digits = 0;
    let e = 0;
    while (digits < 17 && q < n && isdigit(s[q])) {
      e = e * 10 + Number(s[q]);
      digits++;
      q++;
    }
    if (digits > 0) {
      exponent += expNegative ? -e : e;
      p = q;
    } else {
      p = q - 1;
    }
  }
  if (exponent < -1021 || exponent > 1024) return null;
  const value = Number(`${mantissa}e${exponent}`);
  if (!Number.isFinite(value)) return null;
  while (p < n && isspaceC(s[p])) p++;
  return { value: negative ? -value : value, end: p };
}

function looksLikeDatetime(s: string): boolean {
  if (s.startsWith('0')) return true;
  if (NOT_DATELIKE.has(s)) return false;
  const r = xstrtod(s);
  if (r !== null && r.end === s.length) return r.value >= 1000;
  return true;
}

const enc = new TextEncoder();

/** Python `datetime(y, m, d)` argument checks; throws ValueError with CPython's message. */
function checkDate(year: number, month: number, day: number): void {
  if (year < 1 || year > 9999) throw new PyException('ValueError', `year ${year} is out of range`);
  if (month < 1 || month > 12) throw new PyException('ValueError', 'month must be in 1..12');
  if (day < 1 || day > daysInMonth(year, month)) throw new PyException('ValueError', 'day is out of range for month');
}

/** `_parse_delimited_date`: MM/DD/YYYY, DD/MM/YYYY (when the month would exceed 12), MM/YYYY. */
function parseDelimitedDate(s: string): Fields | null {
  const b = enc.encode(s);
  const len = b.length;
  const delim = (i: number): boolean => {
    const c = b[i];
    return c === 0x20 || c === 0x2f || c === 0x2d || c === 0x2e;
  };
  const dig = (i: number): number => {
    const c = b[i] as number;
    return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
  };
  const d1 = (i: number): number => dig(i);
  const d2 = (i: number): number => (dig(i) < 0 || dig(i + 1) < 0 ? -1 : dig(i) * 10 + dig(i + 1));
  const d4 = (i: number): number => (d2(i) < 0 || d2(i + 2) < 0 ? -1 : d2(i) * 100 + d2(i + 2));
  let month: number;
  let day = 1;
  let year: number;
  let canSwap = false;
  if (len === 10 && delim(2) && delim(5)) {
    month = d2(0);
    day = d2(3);
    year = d4(6);
    canSwap = true;
  } else if (len === 9 && delim(1) && delim(4)) {
    month = d1(0);
    day = d2(2);
    year = d4(5);
    canSwap = true;
  } else if (len === 9 && delim(2) && delim(4)) {
    month = d2(0);
    day = d1(3);
    year = d4(5);
    canSwap = true;
  } else if (len === 8 && delim(1) && delim(3)) {
    month = d1(0);
    day = d1(2);
    year = d4(4);
    canSwap = true;
  } else if (len === 7 && delim(2)) {
    if (b[2] === 0x2e) return null;
    month = d2(0);
    year = d4(3);
  } else {
    return null;
  }
  if (month < 0 || day < 0 || year < 1000) return null;
  if (month >= 1 && month <= 31 && day >= 1 && day <= 31 && (month <= 12 || day <= 12)) {
    if (month > 12 && canSwap) [day, month] = [month, day];
    checkDate(year, month, day);
    return { year, month, day, hour: 0, minute: 0, second: 0, microsecond: 0, nanos: 0 };
  }
  throw new PyException('DateParseError', `Invalid date specified (${month}/${day})`);
}

/** Python `int(s)` or null. */
function intOrNull(s: string): number | null {
  try {
    const v = pyIntFromString(s);
    return typeof v === 'bigint' ? Number(v) : v;
  } catch {
    return null;
  }
}

function cps(s: string): string[] {
  return Array.from(s);
}

const STRPTIME_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const PY_DIGIT = '(?:\\p{Nd})';
const PY_SPACES = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const STRPTIME_PATTERNS: RegExp[] = [
  new RegExp(`^(?<Y>${PY_DIGIT}{4})-(?<m>1[0-2]|0[1-9]|[1-9])$`, 'iu'),
  new RegExp(`^(?<b>${STRPTIME_MONTHS.join('|')})${PY_SPACES}(?<Y>${PY_DIGIT}{4})$`, 'iu'),
  new RegExp(`^(?<b>${STRPTIME_MONTHS.join('|')})-(?<Y>${PY_DIGIT}{4})$`, 'iu'),
];

/** `_parse_dateabbr_string` with freq=None: 4-character years, quarters, and `%Y-%m` / `%b %Y` / `%b-%Y`. */
function parseDateAbbr(original: string): Fields | null {
  const s = original.toUpperCase();
  const chars = cps(s);
  const len = chars.length;
  const date = (year: number, month: number): Fields | null => {
    try {
      checkDate(year, month, 1);
    } catch {
      return null;
    }
    return { year, month, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, nanos: 0 };
  };
  if (len === 4) {
    const y = intOrNull(s);
    if (y !== null && y >= 1 && y <= 9999) return date(y, 1);
  }
  if (len >= 4 && len <= 7) {
    const i = chars.slice(1, 6).indexOf('Q');
    if (i >= 0) {
      const qi = i + 1;
      const buf = enc.encode(s);
      const digitAt = (k: number): number => {
        const c = buf[k];
        return c !== undefined && c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
      };
      let quarter = -1;
      let year: number | null = null;
      let ok = true;
      if (qi === 1) {
        quarter = digitAt(0);
        if (len === 4 || (len === 5 && chars[qi + 1] === '-')) {
          const v = intOrNull(chars.slice(-2).join(''));
          year = v === null ? null : 2000 + v;
        } else if (len === 6 || (len === 7 && chars[qi + 1] === '-')) {
          year = intOrNull(chars.slice(-4).join(''));
        } else ok = false;
      } else if (qi === 2 || qi === 3) {
        if (len === 4 || (len === 5 && chars[qi - 1] === '-')) {
          quarter = digitAt(len - 1);
          const v = intOrNull(chars.slice(0, 2).join(''));
          year = v === null ? null : 2000 + v;
        } else ok = false;
      } else if (len === 6 || (len === 7 && chars[qi - 1] === '-')) {
        quarter = digitAt(len - 1);
        year = intOrNull(chars.slice(0, 4).join(''));
      } else ok = false;
      if (ok && year !== null) {
        if (!(quarter >= 1 && quarter <= 4)) {
          throw new PyException(
            'DateParseError',
            `Incorrect quarterly string is given, quarter must be between 1 and 4: ${s}`,
          );
        }
        const r = date(year, (quarter - 1) * 3 + 1);
        if (r !== null) return r;
      }
    }
  }
  for (const re of STRPTIME_PATTERNS) {
    const m = re.exec(s);
    if (!m?.groups) continue;
    const year = intOrNull(m.groups.Y as string);
    const month = m.groups.m !== undefined ? Number(m.groups.m) : STRPTIME_MONTHS.indexOf((m.groups.b as string).toLowerCase()) + 1;
    if (year === null) continue;
    const r = date(year, month);
    if (r !== null) return r;
  }
  return null;
}

const INT_MAX = 2147483647;

/** pandas' `dateutil_parse`: build the datetime from dateutil's fields over `defaultDate`. */
function fromDateutil(timestr: string, defaultDate: Fields, currentYear: number): PandasTimestamp {
  const res: DateutilResult | null = dateutilParse(timestr, currentYear);
  if (res === null) {
    throw new PyException('DateParseError', `Unknown datetime string format, unable to parse: ${timestr}`);
  }
  const f: Fields = { ...defaultDate };
  let any = false;
  for (const k of ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'] as const) {
    const v = res[k];
    if (v !== null) {
      f[k] = v;
      any = true;
    }
  }
  if (!any) throw new PyException('DateParseError', `Unable to parse datetime string: ${timestr}`);
  // datetime.replace(**repl): C int conversion, then the range checks in CPython's order
  if ([f.year, f.month, f.day, f.hour, f.minute, f.second, f.microsecond].some((v) => v > INT_MAX)) {
    throw new PyException('OutOfBoundsDatetime', `Parsing "${timestr}" to datetime overflows`);
  }
  const fail = (msg: string): never => {
    throw new PyException('DateParseError', `${msg}: ${timestr}`);
  };
  if (f.year < 1 || f.year > 9999) fail(`year ${f.year} is out of range`);
  if (f.month < 1 || f.month > 12) fail('month must be in 1..12');
  if (f.day < 1 || f.day > daysInMonth(f.year, f.month)) fail('day is out of range for month');
  if (f.hour > 23) fail('hour must be in 0..23');
  if (f.minute > 59) fail('minute must be in 0..59');
  if (f.second > 59) fail('second must be in 0..59');
  if (f.microsecond > 999999) fail('microsecond must be in 0..999999');
  if (res.weekday !== null && !res.day) {
    throw new PyException('ValueError', 'Parsing datetimes with weekday but no day information is not supported');
  }
  let offset: number | null = null;
  if (res.tzname === 'UTC' || res.tzoffset === 0) {
    // tzlocal() (the name is in time.tzname on a UTC machine) or tzutc()
    offset = 0;
  } else if (res.tzoffset) {
    if (Math.abs(res.tzoffset) >= 86400) {
      throw new PyException(
        'ValueError',
        `Parsed string "${timestr}" gives an invalid tzoffset, which must be between -timedelta(hours=24) and timedelta(hours=24)`,
      );
    }
    offset = res.tzoffset;
  }
  return build(f, offset);
}

function parseDatetimeString(s: string, now: () => Date): PandasTimestamp {
  if (!looksLikeDatetime(s)) throw new PyException('ValueError', `Given date string "${s}" not likely a datetime`);
  const clock = wallClock(now);
  if (TIMEPAT.test(s)) {
    const today: Fields = { ...clock, hour: 0, minute: 0, second: 0, microsecond: 0 };
    return fromDateutil(s, today, clock.year);
  }
  const delimited = parseDelimitedDate(s);
  if (delimited !== null) return build(delimited, null);
  const abbr = parseDateAbbr(s);
  if (abbr !== null) return build(abbr, null);
  const origin: Fields = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0, nanos: 0 };
  return fromDateutil(s, origin, clock.year);
}

/**
 * `pd.Timestamp(text)` for a str. Returns null for NaT; throws PyException (DateParseError / ValueError /
 * OutOfBoundsDatetime) with pandas 2.2's message when the text cannot be parsed.
 */
export function parsePandasTimestamp(text: string, now: () => Date = () => new Date()): PandasTimestamp | null {
  if (text.length === 0 || NAT_STRINGS.has(text)) return null;
  if (text === 'now' || text === 'today') return build(wallClock(now), null);
  const iso = parseIso(text);
  if (iso !== null) {
    checkBounds(iso.f, iso.unit);
    return build(iso.f, iso.offsetMinutes === null ? null : iso.offsetMinutes * 60);
  }
  return parseDatetimeString(text, now);
}

/** `ts.date()` as a day number (days since 1970-01-01), in the timestamp's own zone for tz-aware values. */
export function dateOnly(ts: PandasTimestamp): number {
  const local = ts.epochMicros + (ts.tzAware ? (ts.tzOffsetSeconds ?? 0) * 1_000_000 : 0);
  return Math.floor(local / US_PER_DAY);
}

/** Ordering of two timestamps; mixing tz-naive and tz-aware raises pandas' TypeError. */
export function compareTimestamps(a: PandasTimestamp, b: PandasTimestamp): -1 | 0 | 1 {
  if (a.tzAware !== b.tzAware) {
    throw new PyException('TypeError', 'Cannot compare tz-naive and tz-aware timestamps');
  }
  if (a.epochMicros !== b.epochMicros) return a.epochMicros < b.epochMicros ? -1 : 1;
  const an = a.nanos ?? 0;
  const bn = b.nanos ?? 0;
  return an === bn ? 0 : an < bn ? -1 : 1;
}

/** The calendar fields of a timestamp (local wall clock for tz-aware values), for tests and display. */
export function timestampFields(ts: PandasTimestamp): Fields {
  const local = ts.epochMicros + (ts.tzAware ? (ts.tzOffsetSeconds ?? 0) * 1_000_000 : 0);
  const days = Math.floor(local / US_PER_DAY);
  let rest = local - days * US_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(rest / 3_600_000_000);
  rest -= hour * 3_600_000_000;
  const minute = Math.floor(rest / 60_000_000);
  rest -= minute * 60_000_000;
  const second = Math.floor(rest / 1_000_000);
  const microsecond = rest - second * 1_000_000;
  return { year, month, day, hour, minute, second, microsecond, nanos: ts.nanos ?? 0 };
}
