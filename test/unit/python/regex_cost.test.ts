import { describe, expect, it } from 'vitest';
import { compilePythonRegex, describeCompiledRegex } from '../../../src/core/python/regex';
import { patternCost, worstCaseSteps } from '../../../src/core/python/regex_cost';
import { BacktrackingMatcher, StepBudgetExceeded } from '../../../src/core/python/regex_engine';
import { FLAG_IGNORECASE, parsePattern } from '../../../src/core/python/regex_parse';

const calls = (pattern: string, n: number): number => patternCost(parsePattern(pattern, FLAG_IGNORECASE), n).calls;
const steps = (pattern: string, subjects: string[], mode: 'search' | 'match' = 'search'): number =>
  worstCaseSteps(parsePattern(pattern, FLAG_IGNORECASE), subjects, mode);

/** What the tools treat as cheap enough to run inline (regex_guard.ts). */
const INLINE = 10_000_000;
const cell = (n: number): string => 'a'.repeat(n);
/** A calendar-sized column: 300 cells of about 40 characters. */
const column = Array.from({ length: 300 }, (_, i) => `Team sync meeting number ${i} with someone`);

describe('the worst-case cost bound', () => {
  it('keeps literal and ordinary searches inline', () => {
    expect(steps('sync', column)).toBeLessThan(INLINE);
    expect(steps('team.*sync', column)).toBeLessThan(INLINE);
    expect(steps('meeting|review', column)).toBeLessThan(INLINE);
    expect(steps('^\\d{4}-\\d{2}-\\d{2}', column)).toBeLessThan(INLINE);
    expect(steps('\\bsync\\b', column)).toBeLessThan(INLINE);
    // A long literal can only test as many characters as the cell has.
    expect(steps('a'.repeat(10_000), column)).toBeLessThan(INLINE);
  });

  it('counts one way through a literal and n + 1 ways through a single-character repeat', () => {
    expect(calls('abc', 50)).toBe(1);
    expect(calls('a*', 50)).toBe(51);
    expect(calls('a+?', 50)).toBe(51);
    expect(calls('[a-z]{2,5}', 50)).toBe(6);
    expect(calls('(?:ab){1,1000}', 50)).toBe(26); // items two wide: at most 25 iterations
  });

  it('multiplies sequences of unbounded repeats: .*.*.*.*x is polynomial', () => {
    expect(calls('.*.*.*.*x', 10)).toBe(11 ** 4);
    expect(calls('.*.*.*.*.*x', 100)).toBe(101 ** 5);
    expect(steps('.*.*.*.*.*x', [cell(40)])).toBeGreaterThan(INLINE);
    expect(steps('.*.*.*.*.*x', [cell(4)])).toBeLessThan(INLINE);
    expect(steps('a*a*b', [cell(3000)])).toBeGreaterThan(INLINE);
  });

  it('makes nested quantifiers and alternation under a repeat exponential', () => {
    expect(calls('(a+)+', 30)).toBeGreaterThan(1e40);
    expect(calls('^((.)+)+#', 2000)).toBe(Infinity);
    expect(calls('(a|a)+$', 20)).toBeGreaterThanOrEqual(2 ** 20);
    expect(calls('(\\w+\\s?)+$', 20)).toBeGreaterThan(1e20);
    expect(calls('(a?){30}', 30)).toBeGreaterThanOrEqual(2 ** 30);
    expect(calls('(?:a{1,1000}){1,1000}', 100)).toBeGreaterThan(1e100);
    for (const pattern of ['^((.)+)+#', '^(([a-z.@])+)+#', '(a|a)+$', '(\\w+\\s?)+$', '(x+x+)+y', '(a|aa)+$', '(.*a){20}']) {
      expect(steps(pattern, [cell(40)]), pattern).toBeGreaterThan(INLINE);
    }
  });

  it('bounds big bounded repeats by the subject length', () => {
    expect(calls('a{1,1000}', 10)).toBe(11);
    expect(calls('[a-z]{1,100000}x', 40)).toBe(41);
    expect(steps('a{1,1000}', column)).toBeLessThan(INLINE);
  });

  it('takes back-references and conditional groups into account', () => {
    expect(calls('^((.)+)+\\2#', 40)).toBeGreaterThan(1e40);
    expect(steps('^((.)+)+\\2#', [cell(40)])).toBeGreaterThan(INLINE);
    expect(calls('(\\w)\\1', 40)).toBe(1);
    expect(calls('(a)?(?(1)b|c)', 40)).toBe(4);
  });

  it('lets look-arounds, atomic groups and possessive repeats commit to one way', () => {
    expect(calls('(?=.*x)', 40)).toBe(1);
    expect(calls('(?>a*)', 40)).toBe(1);
    expect(calls('(?:a|b)++', 40)).toBe(1);
    expect(calls('(?>a+)+', 40)).toBe(41);
    // ...but keep the work inside them.
    expect(steps('(?=(a+)+$)', [cell(40)])).toBeGreaterThan(INLINE);
  });

  it('lets a pattern that could backtrack even on the empty string compile without running it', () => {
    expect(patternCost(parsePattern('(?:|){40}x', 0), 0).work).toBeGreaterThan(1e10);
    const regex = compilePythonRegex('(?:|){40}x', { ignoreCase: false });
    expect(describeCompiledRegex(regex).kind).toBe('js');
    expect(regex.search('ax')).toBe(true);
  });

  it('counts every start of a search, and one for a match', () => {
    expect(steps('x', [cell(99)], 'search')).toBe(100 * 2);
    expect(steps('x', [cell(99)], 'match')).toBe(2);
    expect(steps('x', [])).toBe(0);
  });

  it('keeps the tasks tool email check inline for ordinary addresses, but not for very long ones', () => {
    const email = '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$';
    expect(worstCaseSteps(parsePattern(email, 0), ['nadia.moreau@atlas.com'], 'match')).toBeLessThan(INLINE);
    expect(worstCaseSteps(parsePattern(email, 0), [`a@${'a.'.repeat(50_000)}`], 'match')).toBeGreaterThan(INLINE);
  });
});

/** A small deterministic generator of patterns and subjects (xorshift32). */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

function randomPattern(random: () => number, depth: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const atom = (): string => {
    if (depth <= 0 || random() < 0.4) return pick(['a', 'a', 'b', '.', '[ab]', '\\w', '(?:)', 'a?']);
    const inner = randomPattern(random, depth - 1);
    return pick([`(${inner})`, `(${inner})`, `(?:${inner}|${randomPattern(random, depth - 1)})`, `(?=${inner})`, `(?!${inner})`, `(?>${inner})`]);
  };
  const parts: string[] = [];
  const length = 1 + Math.floor(random() * 3);
  for (let i = 0; i < length; i++) parts.push(atom() + (random() < 0.6 ? pick(['*', '+', '+', '?', '{2}', '{1,3}', '*?', '++']) : ''));
  if (random() < 0.2) parts.push('\\1');
  if (random() < 0.5) parts.push(pick(['$', '#', 'b$']));
  return (random() < 0.3 ? '^' : '') + parts.join('');
}

/** Steps the backtracking matcher really takes, or 'exceeded' past the bound (with its per-start and per-group constants). */
function withinBound(pattern: string, subject: string): string {
  const parsed = parsePattern(pattern, 0);
  const bound = worstCaseSteps(parsed, [subject], 'search');
  const matcher = new BacktrackingMatcher(parsed);
  matcher.setStepBudget(4 * (1 + parsed.groups) * bound + 64);
  try {
    matcher.search(subject);
    return 'within the bound';
  } catch (error) {
    if (error instanceof StepBudgetExceeded) return `exceeded (bound ${bound})`;
    throw error;
  }
}

describe('the bound against a real backtracking matcher', () => {
  it('holds for the classic catastrophic patterns', () => {
    const patterns = ['(a|a)+b', '(a|aa)+b', '(a+)+b', '(a*)*b', '((a)+)+\\2b', '(a?){12}a{12}b', '(.*a){6}b', 'a*a*a*a*b', '(?:a|b|ab)+#', '(a|a)+?b', '(?=(a+)+b)'];
    for (const pattern of patterns) {
      for (const length of [0, 3, 8, 12, 16]) expect(withinBound(pattern, 'a'.repeat(length)), `${pattern} on a×${length}`).toBe('within the bound');
    }
  });

  it('is never exceeded (up to the matcher’s own per-step constants) on generated patterns and subjects', () => {
    // Subjects mostly of 'a', which the generated items match, so that backtracking really happens.
    const random = generator(2026);
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const pattern = randomPattern(random, 2);
      let parsed;
      try {
        parsed = parsePattern(pattern, 0);
      } catch {
        continue; // e.g. a back-reference to a group that is not there
      }
      const subject = Array.from({ length: Math.floor(random() * 22) }, () => 'aaaab#'[Math.floor(random() * 6)]).join('');
      const bound = worstCaseSteps(parsed, [subject], 'search');
      if (bound > 200_000) continue;
      // The matcher also charges for each start and for copying group marks.
      const budget = 4 * (1 + parsed.groups) * bound + 64;
      const matcher = new BacktrackingMatcher(parsed);
      matcher.setStepBudget(budget);
      let outcome = 'within the bound';
      try {
        matcher.search(subject);
      } catch (error) {
        if (error instanceof StepBudgetExceeded) outcome = 'exceeded';
      }
      expect(outcome, `${pattern} on ${JSON.stringify(subject)} (bound ${bound})`).toBe('within the bound');
      checked++;
    }
    expect(checked).toBeGreaterThan(6000);
  });
});
