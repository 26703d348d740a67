import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyRepr, pyStr, pyTypeName } from '../../../src/core/python/repr';
import { dumpCompact, dumpPythonDefault, dumpToolResponseBody, ryuFloatText } from '../../../src/core/python/json_dump';
import { parsePythonJson } from '../../../src/core/python/json_parse';
import { PyException, PyFloat, type PyValue } from '../../../src/core/python/value';
import { GOLDEN_DIR } from '../../support/paths';
import { decode, loadFixture, type Encoded } from './fixtures';
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Case = { value: Encoded; repr: string; str: string; dumps: string };
const fixture = loadFixture<Case[]>('values.json');

describe('repr / str / json.dumps against CPython 3.13', () => {
  it.each(fixture.cases.map((c) => [c.repr.slice(0, 50), c] as const))('%s', (_label, c) => {
    const v = decode(c.value);
    expect(pyRepr(v)).toBe(c.repr);
    expect(pyStr(v)).toBe(c.str);
    expect(dumpPythonDefault(v)).toBe(c.dumps);
  });
});

describe('pyTypeName / pyFloatRepr', () => {
  it('names the types', () => {
    const samples: Array<[PyValue, string]> = [
      [null, 'NoneType'],
      [true, 'bool'],
      [1, 'int'],
      [2n ** 70n, 'int'],
      [new PyFloat(1), 'float'],
      ['s', 'str'],
      [[], 'list'],
      [new Map(), 'dict'],
    ];
    for (const [v, name] of samples) expect(pyTypeName(v)).toBe(name);
  });

  it('prints Python float reprs', () => {
    expect(pyFloatRepr(1)).toBe('1.0');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(NaN)).toBe('nan');
    expect(pyFloatRepr(-Infinity)).toBe('-inf');
    expect(pyFloatRepr(123456789012345680000)).toBe('1.2345678901234568e+20');
  });
});

describe('dumpCompact (pydantic-core / serde_json bytes)', () => {
  it('matches the documented escapes and layout', () => {
    const v = new Map<string, PyValue>([
      ['s', 'Café ✓ \u2028\u2029 "q" \\ / \n\r\t\b\f \u0001\u001f\u007f'],
      ['f', [new PyFloat(20), new PyFloat(11.5), new PyFloat(15.76923076923077), new PyFloat(NaN), new PyFloat(-Infinity)]],
      ['i', [0, -5, 12345678901234567890123n, true, false, null]],
      ['e', [[], new Map()]],
    ]);
    expect(dumpCompact(v)).toBe(
      '{"s":"Café ✓ \u2028\u2029 \\"q\\" \\\\ / \\n\\r\\t\\b\\f \\u0001\\u001f\u007f",' +
        '"f":[20.0,11.5,15.76923076923077,null,null],"i":[0,-5,12345678901234567890123,true,false,null],"e":[[],{}]}',
    );
  });

  it('lays out floats like ryu', () => {
    const cases: Array<[number, string]> = [
      [0, '0.0'],
      [-0, '-0.0'],
      [1e16, '1e16'],
      [1e15, '1000000000000000.0'],
      [1.5e16, '1.5e16'],
      [1e-5, '0.00001'],
      [1e-6, '1e-6'],
      [1.25e-7, '1.25e-7'],
      [0.1, '0.1'],
      [123.456, '123.456'],
      [-2.5, '-2.5'],
      [1.7976931348623157e308, '1.7976931348623157e308'],
      [5e-324, '5e-324'],
    ];
    for (const [x, text] of cases) expect(ryuFloatText(x)).toBe(text);
  });

  it('refuses lone surrogates and over-deep values as pydantic-core does', () => {
    expect(() => dumpCompact('a\ud800')).toThrow(PyException);
    let deep: PyValue = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(() => dumpToolResponseBody(deep)).toThrow(/Circular reference detected \(depth exceeded\)/);
    let ok: PyValue = 1;
    for (let i = 0; i < 200; i++) ok = [ok];
    expect(dumpToolResponseBody(ok)).toBe(`{"output":${'['.repeat(200)}1${']'.repeat(200)}}`);
  });

  it('prints values nested thousands deep, as CPython 3.13 does', () => {
    let list: PyValue = 'x';
    let dict: PyValue = 1;
    for (let i = 0; i < 9000; i++) {
      list = [list];
      dict = new Map([['a', dict]]);
    }
    expect(pyRepr(list)).toBe(`${'['.repeat(9000)}'x'${']'.repeat(9000)}`);
    expect(pyStr(dict)).toBe(`${"{'a': ".repeat(9000)}1${'}'.repeat(9000)}`);
    expect(pyRepr([1, [2, new Map<string, PyValue>([['k', [null, true]], ["it's", new PyFloat(1)]])], 'z'])).toBe(`[1, [2, {'k': [None, True], "it's": 1.0}], 'z']`);
  });

  it('fails at the depth pydantic-core failed at on NeMo Gym\'s route', () => {
    const nestedIn = (depth: number, leaf: PyValue[] | string): PyValue => {
      let value: PyValue = leaf;
      for (let i = 0; i < depth; i++) value = [value];
      return new Map([['f', value]]);
    };
    expect(() => dumpToolResponseBody(nestedIn(253, 'x'))).not.toThrow();
    expect(() => dumpToolResponseBody(nestedIn(254, 'x'))).toThrow(/depth exceeded/);
    expect(() => dumpToolResponseBody(nestedIn(253, []))).not.toThrow();
    expect(() => dumpToolResponseBody(nestedIn(254, []))).toThrow(/depth exceeded/);
  });

  it('reproduces every tool response body of the golden file byte for byte', () => {
    const lines = readFileSync(path.join(GOLDEN_DIR, 'tool_calls.jsonl'), 'utf8').split('\n').filter(Boolean);
    let checked = 0;
    for (const line of lines) {
      const { outputs } = JSON.parse(line) as { outputs: string[] };
      for (const out of outputs) {
        if (out.startsWith('{"error": ')) {
          // the agent's own json.dumps error text
          expect(dumpPythonDefault(parsePythonJson(out))).toBe(out);
          continue;
        }
        if (!out.startsWith('{"output":')) {
          // FastAPI's own bodies (404, 422): same compact encoder
          expect(dumpCompact(parsePythonJson(out))).toBe(out);
          continue;
        }
        const parsed = parsePythonJson(out) as Map<string, PyValue>;
        expect(dumpToolResponseBody(parsed.get('output') as PyValue)).toBe(out);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
