import { describe, expect, it } from 'vitest';
import {
  compareCodePoints, pyAdd, pyAttributeErrorLower, pyEq, pyFloorDiv, pyGe, pyGt, pyIsDigit, pyLe, pyLt, pyMax, pyMin, pyMul,
  pySliceList, pySplitWhitespace, pyStrContains, pyStrLower, pySub, pyTruthy,
} from '../../../src/core/python/ops';
import { PyException, PyFloat, type PyValue } from '../../../src/core/python/value';
import { canon, decode, loadFixture, type Encoded } from './fixtures';

type Outcome = { result: Encoded } | { error: [string, string] } | 'a' | 'b';
type Fixture = {
  values: Encoded[];
  outcomes: Outcome[];
  binary: Array<[string, number, number, number]>;
  unary: Array<{ value: Encoded; truthy: boolean; lower: Outcome; split: Outcome; isdigit: Outcome }>;
  slices: Array<{ start: Encoded; stop: Encoded; result?: Encoded; str?: string; error?: [string, string] }>;
};
const fixture = loadFixture<Fixture>('ops.json');

const OPS: Record<string, (a: PyValue, b: PyValue) => PyValue> = {
  '+': pyAdd,
  '-': pySub,
  '*': pyMul,
  '//': pyFloorDiv,
  '<': pyLt,
  '<=': pyLe,
  '>': pyGt,
  '>=': pyGe,
  '==': pyEq,
  min: pyMin,
  max: pyMax,
  in: pyStrContains,
};

function run(fn: () => PyValue): unknown {
  try {
    return { result: canon(fn()) };
  } catch (e) {
    if (!(e instanceof PyException)) throw e;
    return { error: [e.type, e.message] };
  }
}

function expected(o: Outcome): unknown {
  if (typeof o === 'string') return o;
  return 'result' in o ? { result: canon(decode(o.result)) } : o;
}

describe('binary operators against CPython 3.13', () => {
  const values = fixture.cases.values.map(decode);
  it.each(fixture.cases.binary.map((c) => [`${JSON.stringify(fixture.cases.values[c[1]])} ${c[0]} ${JSON.stringify(fixture.cases.values[c[2]])}`, c] as const))(
    '%s',
    (_label, [op, ai, bi, oi]) => {
      const a = values[ai] as PyValue;
      const b = values[bi] as PyValue;
      const want = expected(fixture.cases.outcomes[oi] as Outcome);
      const fn = OPS[op] as (x: PyValue, y: PyValue) => PyValue;
      if (want === 'a' || want === 'b') {
        const got = fn(a, b);
        expect(got === a ? 'a' : got === b ? 'b' : 'neither').toBe(want);
      } else {
        expect(run(() => fn(a, b))).toEqual(want);
      }
    },
  );
});

describe('string helpers and truthiness against CPython 3.13', () => {
  it.each(fixture.cases.unary.map((c) => [JSON.stringify(c.value), c] as const))('%s', (_label, c) => {
    const v = decode(c.value);
    expect(pyTruthy(v)).toBe(c.truthy);
    expect(run(() => pyStrLower(v))).toEqual(expected(c.lower));
    expect(run(() => pySplitWhitespace(v))).toEqual(expected(c.split));
    if (typeof v === 'string') expect(run(() => pyIsDigit(v))).toEqual(expected(c.isdigit));
  });
});

describe('slices against CPython 3.13', () => {
  it.each(fixture.cases.slices.map((c) => [`[${JSON.stringify(c.start)}:${JSON.stringify(c.stop)}]`, c] as const))('%s', (_label, c) => {
    const list = [10, 11, 12, 13, 14];
    const got = run(() => pySliceList(list, decode(c.start), decode(c.stop)));
    if (c.error) {
      expect(got).toEqual({ error: c.error });
      expect(run(() => pySliceList('abcde', decode(c.start), decode(c.stop)))).toEqual({ error: c.error });
    } else {
      expect(got).toEqual({ result: canon(decode(c.result as Encoded)) });
      expect(pySliceList('abcde', decode(c.start), decode(c.stop))).toBe(c.str);
    }
  });
});

describe('pagination texts of the golden file', () => {
  it('raises the observed errors', () => {
    expect(run(() => pyMax(1, pyMin('2', 26)))).toEqual({ error: ['TypeError', "'<' not supported between instances of 'int' and 'str'"] });
    expect(run(() => pyFloorDiv(pySub(pyAdd(26, 0), 1), 0))).toEqual({ error: ['ZeroDivisionError', 'integer division or modulo by zero'] });
    expect(run(() => pyAdd(26, '3'))).toEqual({ error: ['TypeError', "unsupported operand type(s) for +: 'int' and 'str'"] });
    expect(run(() => pySliceList([1, 2], new PyFloat(2), 3))).toEqual({
      error: ['TypeError', 'slice indices must be integers or None or have an __index__ method'],
    });
    expect(pyAttributeErrorLower(5).message).toBe("'int' object has no attribute 'lower'");
    expect(run(() => pyStrContains(5, '@'))).toEqual({ error: ['TypeError', "argument of type 'int' is not iterable"] });
  });

  it('compares strings by code point', () => {
    expect(compareCodePoints('\uffff', '😀')).toBe(-1);
    expect(compareCodePoints('😀', '\ud83d')).toBe(1);
    expect(compareCodePoints('2023-10-01 23:59:00', '2023-10-01')).toBe(1);
  });
});
