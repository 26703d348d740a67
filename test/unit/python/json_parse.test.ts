import { describe, expect, it } from 'vitest';
import { JSON_MAX_NESTING, jsonDecodeError, parsePythonJson, reprException } from '../../../src/core/python/json_parse';
import { PyException, PyFloat } from '../../../src/core/python/value';
import { canon, decode, loadFixture, type Encoded } from './fixtures';

type Case = { text: string; value?: Encoded; error?: [string, string, string] };
const fixture = loadFixture<Case[]>('json.json');

function attempt(text: string): { ok: true; value: unknown } | { ok: false; type: string; message: string; repr: string } {
  try {
    return { ok: true, value: canon(parsePythonJson(text)) };
  } catch (e) {
    if (!(e instanceof PyException)) throw e;
    return { ok: false, type: e.type, message: e.message, repr: reprException(e) };
  }
}

describe('parsePythonJson against CPython 3.13 json.loads', () => {
  it('uses a 3.13 fixture', () => {
    expect(fixture.python.startsWith('3.13')).toBe(true);
    expect(fixture.cases.length).toBeGreaterThan(500);
  });

  it.each(fixture.cases.map((c) => [JSON.stringify(c.text).slice(0, 60), c] as const))('%s', (_label, c) => {
    const got = attempt(c.text);
    if (c.error) {
      expect(got).toEqual({ ok: false, type: c.error[0], message: c.error[1], repr: c.error[2] });
    } else {
      expect(got).toEqual({ ok: true, value: canon(decode(c.value as Encoded)) });
    }
  });
});

describe('parsePythonJson details', () => {
  it('keeps the int/float distinction and exact big ints', () => {
    const v = parsePythonJson('[5, 5.0, 12345678901234567890, -0, 1e2]') as unknown[];
    expect(v[0]).toBe(5);
    expect(v[1]).toBeInstanceOf(PyFloat);
    expect(v[2]).toBe(12345678901234567890n);
    expect(Object.is(v[3], 0)).toBe(true);
    expect((v[4] as PyFloat).value).toBe(100);
  });

  it('builds Maps that keep integer-like keys in insertion order and a repeated key in its first place', () => {
    const m = parsePythonJson('{"b": 1, "1": 2, "0": 3, "b": 4, "__proto__": 5}') as Map<string, unknown>;
    expect([...m.entries()]).toEqual([
      ['b', 4],
      ['1', 2],
      ['0', 3],
      ['__proto__', 5],
    ]);
  });

  it('reports 3.13 trailing-comma errors at the comma', () => {
    expect(attempt('[1,  ]')).toMatchObject({ message: 'Illegal trailing comma before end of array: line 1 column 3 (char 2)' });
    expect(attempt('{"a":123,  }')).toMatchObject({ message: 'Illegal trailing comma before end of object: line 1 column 9 (char 8)' });
  });

  it('counts code points, not UTF-16 units, in positions', () => {
    expect(attempt('"😀😀" ?')).toMatchObject({ message: 'Extra data: line 1 column 6 (char 5)' });
    expect(attempt('["😀",\n 😀]')).toMatchObject({ message: 'Expecting value: line 2 column 2 (char 7)' });
  });

  it('accepts lone surrogates', () => {
    expect(parsePythonJson('"\\ud800x"')).toBe('\ud800x');
    expect(parsePythonJson('"\\ud83d\\ude00"')).toBe('😀');
  });

  it('raises RecursionError past the nesting limit without overflowing the JS stack', () => {
    expect(attempt('['.repeat(100_000))).toMatchObject({
      type: 'RecursionError',
      message: 'maximum recursion depth exceeded while decoding a JSON array from a unicode string',
    });
    expect(attempt('{"a":'.repeat(JSON_MAX_NESTING + 1))).toMatchObject({ type: 'RecursionError' });
    const deep = '['.repeat(JSON_MAX_NESTING) + ']'.repeat(JSON_MAX_NESTING);
    let v = parsePythonJson(deep);
    let depth = 0;
    while (Array.isArray(v)) {
      depth++;
      v = v[0] ?? null;
    }
    expect(depth).toBe(JSON_MAX_NESTING);
    expect(attempt('['.repeat(JSON_MAX_NESTING + 1) + ']'.repeat(JSON_MAX_NESTING + 1))).toMatchObject({ type: 'RecursionError' });
  });

  it('formats the agent error as the golden file shows', () => {
    const e = jsonDecodeError('Expecting value', '', 0);
    expect(reprException(e)).toBe("JSONDecodeError('Expecting value: line 1 column 1 (char 0)')");
  });

  it('parses large inputs', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `{"id": ${i}, "s": "x\\u00e9${i}", "f": ${i}.5}`);
    const v = parsePythonJson(`[${items.join(', ')}]`) as Array<Map<string, unknown>>;
    expect(v).toHaveLength(20_000);
    expect(v[19_999]?.get('s')).toBe('xé19999');
  });
});
