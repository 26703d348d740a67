/**
 * Long patterns the model may write (a name of 100,000 characters, a class of 40,000 ideographs): the compiled
 * pattern cache must not keep them (it is process-wide, so it used to grow by tens of MB a call until the heap ran
 * out), and they must compile to a JS RegExp that V8 accepts, with Python's answers (no timing asserted here; the
 * subjects avoid quadratic scans, which Python would make too).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CACHEABLE_PATTERN_LENGTH,
  clearRegexCache,
  compilePythonRegex,
  compilePythonRegexFlags,
  compileWithBacktrackingMatcher,
  describeCompiledRegex,
  regexCacheStats,
} from '../../../src/core/python/regex';
import { FLAG_ASCII, FLAG_IGNORECASE } from '../../../src/core/python/regex_parse';
import { RegexGuard } from '../../../src/core/python/regex_guard';
import { runRegexJob, regexJobCacheStats } from '../../../src/core/python/regex_job';

afterEach(() => clearRegexCache());

describe('the compiled-pattern cache', () => {
  it('does not keep patterns longer than a few KB', () => {
    clearRegexCache();
    for (let i = 0; i < 20; i++) {
      const pattern = `${String(i % 10).repeat(100_000)}${String(i).padStart(7, '0')}`;
      expect(compilePythonRegex(pattern, { ignoreCase: true }).search('alice@atlas.com')).toBe(false);
    }
    expect(regexCacheStats()).toEqual({ entries: 0, patternChars: 0 });
    // Just past the limit: not kept either; at the limit: kept.
    compilePythonRegex('a'.repeat(CACHEABLE_PATTERN_LENGTH + 1), { ignoreCase: false });
    expect(regexCacheStats().entries).toBe(0);
    compilePythonRegex('a'.repeat(CACHEABLE_PATTERN_LENGTH), { ignoreCase: false });
    expect(regexCacheStats()).toEqual({ entries: 1, patternChars: CACHEABLE_PATTERN_LENGTH });
  });

  it('bounds the total length of the patterns it keeps, not only their number', () => {
    clearRegexCache();
    for (let i = 0; i < 300; i++) compilePythonRegex(`${'b'.repeat(4000)}${i}`, { ignoreCase: false });
    const { entries, patternChars } = regexCacheStats();
    expect(patternChars).toBeLessThanOrEqual(256 * 1024);
    expect(entries).toBeLessThan(100);
    expect(entries).toBeGreaterThan(0);
  });

  it('still caches ordinary patterns (and their errors) by count', () => {
    clearRegexCache();
    for (let i = 0; i < 300; i++) compilePythonRegex(`name${i}`, { ignoreCase: true });
    expect(regexCacheStats().entries).toBe(256);
    const a = compilePythonRegex('name299', { ignoreCase: true });
    expect(compilePythonRegex('name299', { ignoreCase: true })).toBe(a);
    expect(() => compilePythonRegexFlags('(', 0)).toThrow('missing ), unterminated subpattern at position 0');
    expect(() => compilePythonRegexFlags('(', 0)).toThrow('missing ), unterminated subpattern at position 0');
  });

  it('the worker does not keep long patterns either', () => {
    const before = regexJobCacheStats();
    for (let i = 0; i < 10; i++) {
      const regex = compilePythonRegex(`${'7'.repeat(100_000)}${i}`, { ignoreCase: true });
      expect(runRegexJob({ spec: regex.spec, mode: 'search', subjects: ['x', `${'7'.repeat(100_000)}${i}`] })).toEqual({
        kind: 'matches',
        matches: [false, true],
      });
    }
    expect(regexJobCacheStats()).toEqual(before);
  });
});

/** Subjects around the special folds: KELVIN SIGN, LONG S, the sigmas, MICRO SIGN, dotted/dotless i, sharp s. */
const FOLD_CHARS = ['k', 'K', '\u212a', 's', 'S', '\u017f', 'σ', 'ς', 'Σ', 'µ', 'μ', 'Μ', 'i', 'I', '\u0130', '\u0131', 'ß', '\u1e9e', 'x', 'X', '1', '-'];

describe('long literals compile to a RegExp V8 accepts, with the same matches', () => {
  it("'x' * 100000 with IGNORECASE runs as a JS RegExp and finds what Python finds", () => {
    const regex = compilePythonRegex('x'.repeat(100_000), { ignoreCase: true });
    expect(describeCompiledRegex(regex).kind).toBe('js');
    expect(regex.search('X'.repeat(100_000))).toBe(true);
    expect(regex.search(`ab${'xX'.repeat(50_000)}cd`)).toBe(true);
    expect(regex.search('xy'.repeat(60_000))).toBe(false);
    expect(regex.search('xxxx')).toBe(false);
    expect(regex.match(`y${'x'.repeat(100_000)}`)).toBe(false);
    expect(regex.match(`${'x'.repeat(100_000)}y`)).toBe(true);
  });

  it('a 100,000-digit name (the directory search of the bug) runs as a JS RegExp', () => {
    const pattern = `${'3'.repeat(100_000)}0000003`;
    const regex = compilePythonRegex(pattern, { ignoreCase: true });
    expect(describeCompiledRegex(regex).kind).toBe('js');
    expect(regex.search(`a${pattern}b`)).toBe(true);
    expect(regex.search(`a${'3-'.repeat(60_000)}0000003`)).toBe(false);
  });

  it('a long literal without repeats, plain and case-insensitive, matches as with the backtracking matcher', () => {
    let text = '';
    for (let i = 0; i < 60_000; i++) text += String.fromCharCode(0x61 + ((i * 7) % 26));
    for (const flags of [0, FLAG_IGNORECASE]) {
      const regex = compilePythonRegexFlags(text, flags);
      const engine = compileWithBacktrackingMatcher(text, flags);
      const subjects = [text, `--${text.toUpperCase()}--`, `${text.slice(0, -1)}`, `${text.slice(0, 30_000)}!${text.slice(30_001)}`];
      expect(subjects.map((s) => regex.search(s))).toEqual(subjects.map((s) => engine.search(s)));
      expect(regex.search(text)).toBe(true);
      expect(regex.search(text.toUpperCase())).toBe(flags === FLAG_IGNORECASE);
    }
    // Plain: one JS RegExp (grouped in chunks).
    expect(describeCompiledRegex(compilePythonRegexFlags(text, 0)).kind).toBe('js');
  });

  it('keeps the special case folds of Python for repeated and single literals (k/KELVIN SIGN, s/LONG S, sigmas)', () => {
    for (const flags of [FLAG_IGNORECASE, FLAG_IGNORECASE | FLAG_ASCII, 0]) {
      for (const p of FOLD_CHARS) {
        for (const count of [1, 3, 8, 20, 2500]) {
          const pattern = p.repeat(count);
          const regex = compilePythonRegexFlags(pattern, flags);
          const engine = compileWithBacktrackingMatcher(pattern, flags);
          for (const s of FOLD_CHARS) {
            const subject = `<${s.repeat(count)}>`;
            expect(regex.search(subject), `${pattern.slice(0, 3)}×${count} in ${s} (flags ${flags})`).toBe(engine.search(subject));
          }
        }
      }
    }
  });

  it('agrees with Python on the folds it documents', () => {
    const i = (p: string, s: string): boolean => compilePythonRegex(p, { ignoreCase: true }).search(s);
    const ia = (p: string, s: string): boolean => compilePythonRegexFlags(p, FLAG_IGNORECASE | FLAG_ASCII).search(s);
    for (const n of [1, 10, 5000]) {
      // re.search('k' * n, '\u212a' * n, re.I) and the other way round
      expect(i('k'.repeat(n), '\u212a'.repeat(n))).toBe(true);
      expect(i('\u212a'.repeat(n), 'K'.repeat(n))).toBe(true);
      expect(i('s'.repeat(n), '\u017f'.repeat(n))).toBe(true);
      expect(i('\u017f'.repeat(n), 'S'.repeat(n))).toBe(true);
      expect(i('σ'.repeat(n), 'ς'.repeat(n))).toBe(true);
      expect(i('Σ'.repeat(n), 'ς'.repeat(n))).toBe(true);
      expect(i('µ'.repeat(n), 'Μ'.repeat(n))).toBe(true);
      // re.ASCII: only ASCII letters fold
      expect(ia('k'.repeat(n), '\u212a'.repeat(n))).toBe(false);
      expect(ia('k'.repeat(n), 'K'.repeat(n))).toBe(true);
      expect(ia('s'.repeat(n), '\u017f'.repeat(n))).toBe(false);
      // without IGNORECASE nothing folds
      expect(compilePythonRegex('k'.repeat(n), { ignoreCase: false }).search('K'.repeat(n))).toBe(false);
    }
  });

  it('repeated literals next to groups and quantifiers keep their meaning', () => {
    const cases: Array<[string, string, boolean]> = [
      ['a{3}x{9}', 'aaaxxxxxxxxx', true],
      ['x{9}+', 'xxxxxxxxx', true],
      ['(x{10})\\1', 'x'.repeat(20), true],
      ['(x{10})\\1', 'x'.repeat(19), false],
      [`(?<=${'y'.repeat(12)})z`, `${'y'.repeat(12)}z`, true],
      [`(?<=${'y'.repeat(12)})z`, `${'y'.repeat(11)}z`, false],
      [`${'y'.repeat(12)}*`, 'y'.repeat(11), true],
      [`${'y'.repeat(12)}*z`, `${'y'.repeat(11)}z`, true],
      [`${'y'.repeat(12)}+z`, `${'y'.repeat(11)}z`, false],
      [`(?:${'ab'.repeat(6)}){2}`, 'ab'.repeat(12), true],
    ];
    for (const [pattern, subject, expected] of cases) {
      expect(compilePythonRegex(pattern, { ignoreCase: false }).search(subject), pattern).toBe(expected);
      expect(compileWithBacktrackingMatcher(pattern, 0).search(subject), pattern).toBe(expected);
    }
  });
});

describe('large character classes', () => {
  it('a class of 40,000 distinct ideographs compiles to a JS RegExp with the right matches', () => {
    let members = '';
    for (let i = 0; i < 40_000; i++) members += String.fromCodePoint(0x4e00 + i);
    const regex = compilePythonRegex(`[${members}]+$`, { ignoreCase: false });
    expect(describeCompiledRegex(regex).kind).toBe('js');
    expect(regex.search('abc一丁')).toBe(true);
    expect(regex.search(`x${String.fromCodePoint(0x4e00 + 39_999)}`)).toBe(true);
    expect(regex.search(`x${String.fromCodePoint(0x4e00 + 40_000)}`)).toBe(false);
  });

  it('repeated members are dropped in order, as `_uniq` does', () => {
    const regex = compilePythonRegex(`[${'ab'.repeat(20_000)}a-cA-Ca-c]`, { ignoreCase: true });
    expect(regex.search('C')).toBe(true);
    expect(regex.search('d')).toBe(false);
    // `[aa]` is a literal after `_uniq`, `[^aa]` a NOT_LITERAL
    expect(compilePythonRegex('[aa]', { ignoreCase: false }).parsed.root.data).toEqual([{ op: 'LITERAL', c: 0x61 }]);
    expect(compilePythonRegex('[^aa]', { ignoreCase: false }).parsed.root.data).toEqual([{ op: 'NOT_LITERAL', c: 0x61 }]);
  });
});

describe('the directory search with a 100,000-character name', () => {
  it('answers at once with no match for short subjects (Python: []), and finds a long one', async () => {
    const guard = new RegexGuard({ timeLimitMs: 1000 });
    try {
      const directory = ['alice.smith@atlas.com', 'raj.patel@atlas.com', 'x'.repeat(500)];
      for (const name of ['x'.repeat(100_000), `${'5'.repeat(100_000)}0000005`]) {
        const regex = compilePythonRegex(name, { ignoreCase: true });
        // Short subjects: a small worst case, searched inline.
        expect(guard.evaluate(regex, directory, 'search')).toEqual([false, false, false]);
        // A subject as long as the pattern goes to a worker, which answers well within its time limit.
        const long = `${name.toUpperCase()}@atlas.com`;
        expect(await guard.evaluate(regex, [long, 'bob@atlas.com'], 'search')).toEqual([true, false]);
      }
    } finally {
      await guard.close();
    }
  });
});

describe("the pattern's least width (CPython's INFO block)", () => {
  it('turns down subjects shorter than it, counted in code points, with either executor', () => {
    const compile = compilePythonRegexFlags;
    const engine = compileWithBacktrackingMatcher;
    const catastrophic = `^((.)+)+#${'y'.repeat(40)}`;
    // 30 characters: 2^30 ways to split them before failing, were they tried.
    for (const regex of [compile(catastrophic, 0), engine(catastrophic, 0)]) {
      expect(regex.search('a'.repeat(30))).toBe(false);
      expect(regex.match('a'.repeat(30))).toBe(false);
    }
    // 'a😀' is 2 code points (3 UTF-16 units): shorter than a 3-wide pattern; 'ab😀' is 3 and matches.
    for (const regex of [compile('..$', 0), engine('..$', 0)]) expect(regex.search('a😀')).toBe(true);
    for (const regex of [compile('...', 0), engine('...', 0)]) {
      expect(regex.search('a😀')).toBe(false);
      expect(regex.search('ab😀')).toBe(true);
    }
    // A lone surrogate is one code point, as in a Python str.
    for (const regex of [compile('...', 0), engine('...', 0)]) expect(regex.search('a\ud800b')).toBe(true);
  });
});

describe('patterns too long for the main thread (over WORKER_ONLY_PATTERN_LENGTH)', () => {
  const long = `(?:${'x'.repeat(300_000)})|abc`;

  it('are compiled and run in a worker, with the answers of a direct compile', async () => {
    const regex = compilePythonRegexFlags(long, FLAG_IGNORECASE);
    expect(describeCompiledRegex(regex).kind).toBe('deferred');
    const subjects = ['ABC', 'zzz', 'X'.repeat(300_000), 'y'.repeat(300_000)];
    const guard = new RegexGuard({ timeLimitMs: 5000 });
    try {
      expect(await guard.evaluate(regex, subjects, 'search')).toEqual([true, false, true, false]);
      expect(await guard.evaluate(regex, subjects, 'match')).toEqual([true, false, true, false]);
      // Used directly, it compiles where it is.
      expect(subjects.map((subject) => regex.search(subject))).toEqual([true, false, true, false]);
    } finally {
      await guard.close();
    }
  });

  it("raise their compile error from the worker, even with nothing to search (re.compile comes first)", async () => {
    const broken = `${'a'.repeat(300_000)}(`;
    let direct: unknown;
    try {
      compilePythonRegexFlags(broken, 0).search('');
    } catch (error) {
      direct = error;
    }
    expect(direct).toMatchObject({ type: 'error', message: 'missing ), unterminated subpattern at position 300000' });
    const guard = new RegexGuard({ timeLimitMs: 5000 });
    try {
      await expect(Promise.resolve().then(() => guard.evaluate(compilePythonRegexFlags(broken, 0), [], 'search'))).rejects.toMatchObject({ type: 'error', message: 'missing ), unterminated subpattern at position 300000' });
    } finally {
      await guard.close();
    }
  });
});
