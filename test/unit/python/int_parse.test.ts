import { describe, expect, it } from 'vitest';
import { pyIntConvert, unicodeDecimalValue } from '../../../src/core/python/int_parse';
import { PyException } from '../../../src/core/python/value';
import { decode, loadFixture, type Encoded } from './fixtures';

type Case = { value: Encoded; result?: string; error?: [string, string] } | { decimalDigits: Array<[number, number]> };
const fixture = loadFixture<Case[]>('int.json');

describe('pyIntConvert against CPython 3.13 int()', () => {
  const cases = fixture.cases.filter((c): c is Exclude<Case, { decimalDigits: unknown }> => 'value' in c);
  it.each(cases.map((c) => [JSON.stringify(c.value).slice(0, 40), c] as const))('%s', (_label, c) => {
    let got: { result: string } | { error: [string, string] };
    try {
      got = { result: BigInt(pyIntConvert(decode(c.value))).toString() };
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      got = { error: [e.type, e.message] };
    }
    expect(got).toEqual(c.result !== undefined ? { result: c.result } : { error: c.error });
  });

  it('knows the value of every Unicode decimal digit', () => {
    const entry = fixture.cases.find((c): c is { decimalDigits: Array<[number, number]> } => 'decimalDigits' in c);
    expect(entry).toBeDefined();
    const mismatches = (entry?.decimalDigits ?? []).filter(([cp, v]) => unicodeDecimalValue(cp) !== v);
    expect(mismatches).toEqual([]);
  });

  it('returns numbers while safe and bigints beyond', () => {
    expect(pyIntConvert(' 45 ')).toBe(45);
    expect(pyIntConvert('4_5')).toBe(45);
    expect(pyIntConvert('9007199254740993')).toBe(9007199254740993n);
  });
});
