import { describe, expect, it } from 'vitest';
import {
  compilePythonRegex,
  compilePythonRegexFlags,
  compileWithBacktrackingMatcher,
  describeCompiledRegex,
  type PyRegex,
} from '../../../src/core/python/regex';
import { PyException } from '../../../src/core/python/value';
import { loadFixture } from './fixtures';

type Case = { pattern: string; flags: number; results?: string; error?: [string, string] };
const fixture = loadFixture<{ subjects: string[]; cases: Case[] }>('regex.json');
const subjects = fixture.cases.subjects;

/** Python 3.13 names re.error `PatternError`; the emulation reports it as type 'error'. */
function pyType(t: string): string {
  return t === 'PatternError' ? 'error' : t;
}

function outcome(compile: () => PyRegex): string | [string, string] {
  let r: PyRegex;
  try {
    r = compile();
  } catch (e) {
    if (!(e instanceof PyException)) throw e;
    return [e.type, e.message];
  }
  return subjects.map((s) => (r.search(s) ? '1' : '0') + (r.match(s) ? '1' : '0')).join('');
}

function label(c: Case): string {
  return `${JSON.stringify(c.pattern)}${c.flags ? ' re.I' : ''}`;
}

function expected(c: Case): string | [string, string] {
  return c.error ? [pyType(c.error[0]), c.error[1]] : (c.results as string);
}

describe('compilePythonRegex against CPython 3.13 re', () => {
  it('uses a 3.13 fixture with both valid and invalid patterns', () => {
    expect(fixture.python.startsWith('3.13')).toBe(true);
    expect(fixture.cases.cases.filter((c) => c.error).length).toBeGreaterThan(100);
    expect(fixture.cases.cases.filter((c) => c.results).length).toBeGreaterThan(500);
  });

  it.each(fixture.cases.cases.map((c) => [label(c), c] as const))('%s', (_label, c) => {
    expect(outcome(() => compilePythonRegexFlags(c.pattern, c.flags))).toEqual(expected(c));
  });
});

describe('the backtracking matcher against CPython 3.13 re', () => {
  it.each(fixture.cases.cases.filter((c) => c.results).map((c) => [label(c), c] as const))('%s', (_label, c) => {
    expect(outcome(() => compileWithBacktrackingMatcher(c.pattern, c.flags))).toEqual(expected(c));
  });
});

describe('tool-level behaviour', () => {
  it('reproduces the golden error texts', () => {
    const cases: Array<[unknown, string]> = [
      ['(', 'missing ), unterminated subpattern at position 0'],
      ['a)', 'unbalanced parenthesis at position 1'],
      ['[a', 'unterminated character set at position 0'],
      ['\\', 'bad escape (end of pattern) at position 0'],
      ['*', 'nothing to repeat at position 0'],
      [5, 'first argument must be string or compiled pattern'],
    ];
    for (const [pattern, message] of cases) {
      expect(() => compilePythonRegex(pattern as string, { ignoreCase: true })).toThrow(message);
    }
  });

  it('treats C++ as a possessive quantifier and "." as any character', () => {
    const r = compilePythonRegex('C++', { ignoreCase: true });
    expect(r.search('abc')).toBe(true);
    expect(r.search('xyz')).toBe(false);
    expect(compilePythonRegex('a.c', { ignoreCase: true }).search('aisha.chen@atlas.com')).toBe(true);
  });

  it('lets $ match before a final newline (tasks email validation)', () => {
    const r = compilePythonRegex('^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', { ignoreCase: false });
    expect(r.match('x@y.com\n')).toBe(true);
    expect(r.match('x@y.com\n\n')).toBe(false);
    expect(r.match('leila')).toBe(false);
  });

  it('raises Python TypeErrors for non-string subjects', () => {
    const r = compilePythonRegex('a', { ignoreCase: true });
    expect(() => r.searchValue(5)).toThrow("expected string or bytes-like object, got 'int'");
    expect(() => r.matchValue(null)).toThrow("expected string or bytes-like object, got 'NoneType'");
  });

  it('compiles a pattern once and reuses it', () => {
    const a = compilePythonRegex('kofi', { ignoreCase: true });
    const b = compilePythonRegex('kofi', { ignoreCase: true });
    expect(a).toBe(b);
    expect(compilePythonRegex('kofi', { ignoreCase: false })).not.toBe(a);
    expect(describeCompiledRegex(a).kind).toBe('js');
    expect(describeCompiledRegex(compilePythonRegex('(a)\\1', { ignoreCase: false })).kind).toBe('engine');
  });

  it('caches errors too, throwing a fresh exception each time', () => {
    let first: unknown;
    let second: unknown;
    try {
      compilePythonRegex('(', { ignoreCase: true });
    } catch (e) {
      first = e;
    }
    try {
      compilePythonRegex('(', { ignoreCase: true });
    } catch (e) {
      second = e;
    }
    expect(first).toBeInstanceOf(PyException);
    expect(second).toBeInstanceOf(PyException);
    expect(second).not.toBe(first);
  });

  it('does not make catastrophic backtracking worse than a plain translation', () => {
    // Python and JS both backtrack exponentially on (a+)+b; keep the subject short enough to finish.
    expect(compilePythonRegex('(a+)+b', { ignoreCase: false }).search('a'.repeat(18))).toBe(false);
  });
});

describe('character matching over the code point space against CPython 3.13', () => {
  const sets = loadFixture<{ sample: Array<[number, number]>; cases: Array<{ pattern: string; ranges: Array<[number, number]> }> }>(
    'regex_sets.json',
  );
  const sample: number[] = [];
  for (const [lo, hi] of sets.cases.sample) for (let cp = lo; cp <= hi; cp++) sample.push(cp);

  function matchedRanges(r: PyRegex): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const cp of sample) {
      if (!r.match(String.fromCodePoint(cp))) continue;
      const last = out[out.length - 1];
      if (last && last[1] === cp - 1) last[1] = cp;
      else out.push([cp, cp]);
    }
    return out;
  }

  it.each(sets.cases.cases.map((c) => [c.pattern, c] as const))('%s', (_label, c) => {
    // fullmatch of a single character: the pattern followed by \Z
    expect(matchedRanges(compilePythonRegexFlags(`(?:${c.pattern.replace(/^\(\?([a-z]+)\)/, '')})\\Z`, flagsOf(c.pattern)))).toEqual(c.ranges);
  });

  function flagsOf(pattern: string): number {
    const m = /^\(\?([a-z]+)\)/.exec(pattern);
    let f = 0;
    for (const ch of m?.[1] ?? '') f |= ch === 'i' ? 2 : ch === 'a' ? 256 : ch === 's' ? 16 : 0;
    return f;
  }
});
