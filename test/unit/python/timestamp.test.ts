import { describe, expect, it } from 'vitest';
import {
  compareTimestamps,
  civilFromDays,
  dateOnly,
  daysFromCivil,
  parsePandasTimestamp,
  timestampFields,
} from '../../../src/core/python/timestamp';
import { PyException } from '../../../src/core/python/value';
import { loadFixture } from './fixtures';

type Case = {
  text: string;
  error?: [string, string];
  nat?: boolean;
  fields?: [number, number, number, number, number, number, number, number];
  offset?: number | null;
};
const fixture = loadFixture<{ now: [number, number, number, number, number, number]; cases: Case[] }>('timestamp.json');
const [y, mo, d, h, mi, s] = fixture.cases.now;
// The wall clock of the generating run (pandas reads it for bare times, two-digit years and now/today).
const now = (): Date => new Date(Date.UTC(y, mo - 1, d, h, mi, s));

function outcome(text: string): unknown {
  try {
    const ts = parsePandasTimestamp(text, now);
    if (ts === null) return { nat: true };
    const f = timestampFields(ts);
    return {
      fields: [f.year, f.month, f.day, f.hour, f.minute, f.second, f.microsecond, f.nanos],
      offset: ts.tzAware ? (ts.tzOffsetSeconds ?? 0) : null,
    };
  } catch (e) {
    if (!(e instanceof PyException)) throw e;
    return { error: [e.type, e.message] };
  }
}

describe('parsePandasTimestamp against pandas 2.2 pd.Timestamp(str)', () => {
  it('uses a pandas 2.2 fixture', () => {
    expect(fixture.pandas?.startsWith('2.2')).toBe(true);
    expect(fixture.cases.cases.length).toBeGreaterThan(1000);
  });

  const cases = fixture.cases.cases.filter((c) => c.text !== 'now' && c.text !== 'today');
  it.each(cases.map((c) => [JSON.stringify(c.text), c] as const))('%s', (_label, c) => {
    const want = c.error ? { error: c.error } : c.nat ? { nat: true } : { fields: c.fields, offset: c.offset ?? null };
    expect(outcome(c.text)).toEqual(want);
  });
});

describe('spec §4.6 and helpers', () => {
  it('resolves now and today against the clock', () => {
    const clock = (): Date => new Date(Date.UTC(2023, 10, 30, 23, 59, 0, 123));
    const t = parsePandasTimestamp('now', clock);
    expect(t && timestampFields(t)).toMatchObject({ year: 2023, month: 11, day: 30, hour: 23, minute: 59, microsecond: 123000 });
    const bare = parsePandasTimestamp('10:00', clock);
    expect(bare && timestampFields(bare)).toMatchObject({ year: 2023, month: 11, day: 30, hour: 10, minute: 0 });
  });

  it('gives the email search and calendar errors of the golden file', () => {
    expect(outcome('garbage')).toEqual({ error: ['DateParseError', 'Unknown datetime string format, unable to parse: garbage'] });
    expect(outcome('2023-02-30')).toEqual({ error: ['DateParseError', 'day is out of range for month: 2023-02-30'] });
    expect(outcome('  ')).toEqual({ error: ['DateParseError', 'Unable to parse datetime string:   '] });
  });

  it('compares and takes dates', () => {
    const a = parsePandasTimestamp('2023-12-01 10:00');
    const b = parsePandasTimestamp('2023-12-01T10:00:00.000000001');
    const z = parsePandasTimestamp('2023-12-01T01:00:00+02:00');
    if (!a || !b || !z) throw new Error('parse failed');
    expect(compareTimestamps(a, b)).toBe(-1);
    expect(compareTimestamps(b, a)).toBe(1);
    expect(compareTimestamps(a, a)).toBe(0);
    expect(() => compareTimestamps(a, z)).toThrow('Cannot compare tz-naive and tz-aware timestamps');
    expect(dateOnly(z)).toBe(daysFromCivil(2023, 12, 1));
    expect(dateOnly(a)).toBe(daysFromCivil(2023, 12, 1));
    expect(parsePandasTimestamp('')).toBeNull();
    expect(parsePandasTimestamp('NaT')).toBeNull();
  });

  it('converts calendar dates both ways', () => {
    for (const [yy, mm, dd] of [
      [1970, 1, 1],
      [2000, 2, 29],
      [0, 1, 1],
      [-1, 12, 31],
      [9999, 12, 31],
      [1, 1, 1],
    ] as const) {
      expect(civilFromDays(daysFromCivil(yy, mm, dd))).toEqual({ year: yy, month: mm, day: dd });
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2023, 11, 30)).toBe(Date.UTC(2023, 10, 30) / 86_400_000);
  });
});
