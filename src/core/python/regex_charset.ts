/**
 * Character matching of Python `re` (str patterns) made explicit: the set of code points that a LITERAL,
 * NOT_LITERAL or IN item matches under the given flags, computed the way `_sre` decides it, so that it can be
 * emitted as a case-sensitive JS class (no JS `i` flag is ever relied on) or tested directly.
 *
 * IGNORECASE follows `re._compiler`: for a literal or a set with cased members, a character `ch` matches
 * when `lower(ch)` is in the lowered set (plus `_EXTRA_CASES`), with CPython's quirks for non-BMP members
 * (`RANGE_UNI_IGNORE`, and non-BMP literals inside multi-member sets that compare to `lower(ch)` as written).
 * Case tables come from CPython's `_sre` (see regex_case_data.ts).
 */
import { FLAG_ASCII, FLAG_IGNORECASE, type Category, type SetItem } from './regex_parse';
import { EXTRA_CASES, LOWER_RUNS, UPPER_RUNS } from './regex_case_data';
import { PY_WHITESPACE_CLASS } from './ops';
import { findRange, isPyWordChar, pyDecimalRanges, pyDecimalValue, pyWordRanges, rangesClassBody } from './unicode_props';

// ------------------------------------------------------------------------------------------ case data

function decodeRuns(runs: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const run of runs.split(';')) {
    const [s, n, d, st] = run.split(',') as [string, string, string, string];
    const start = parseInt(s, 16);
    const count = parseInt(n, 16);
    const delta = d.startsWith('-') ? -parseInt(d.slice(1), 16) : parseInt(d, 16);
    const step = parseInt(st, 16);
    for (let k = 0; k < count; k++) map.set(start + k * step, start + k * step + delta);
  }
  return map;
}

let tables:
  | {
      lower: Map<number, number>;
      upper: Map<number, number>;
      fixes: Map<number, number[]>;
      /** lowercase → the other code points that lowercase to it */
      lowerInverse: Map<number, number[]>;
      lowerDomain: number[];
      upperDomain: number[];
    }
  | undefined;

function caseTables(): NonNullable<typeof tables> {
  if (tables) return tables;
  const lower = decodeRuns(LOWER_RUNS);
  const upper = decodeRuns(UPPER_RUNS);
  const fixes = new Map<number, number[]>();
  for (const entry of EXTRA_CASES.split(';')) {
    const [k, v] = entry.split(':') as [string, string];
    fixes.set(
      parseInt(k, 16),
      v.split(',').map((x) => parseInt(x, 16)),
    );
  }
  const lowerInverse = new Map<number, number[]>();
  for (const [from, to] of lower) {
    const list = lowerInverse.get(to);
    if (list) list.push(from);
    else lowerInverse.set(to, [from]);
  }
  tables = {
    lower,
    upper,
    fixes,
    lowerInverse,
    lowerDomain: [...lower.keys()].sort((a, b) => a - b),
    upperDomain: [...upper.keys()].sort((a, b) => a - b),
  };
  return tables;
}

/** `_sre.unicode_tolower`. */
export function sreLowerUnicode(cp: number): number {
  return caseTables().lower.get(cp) ?? cp;
}

/** `_sre.unicode_iscased`. */
export function sreIsCasedUnicode(cp: number): boolean {
  const t = caseTables();
  return t.lower.has(cp) || t.upper.has(cp);
}

function asciiLower(cp: number): number {
  return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
}

function asciiIsCased(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

// ------------------------------------------------------------------------------------------ range sets

/** Sorted, merged, inclusive ranges [lo, hi]. */
export type Ranges = Array<[number, number]>;

export function normalizeRanges(input: Ranges): Ranges {
  const sorted = input.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else out.push([lo, hi]);
  }
  return out;
}

export function rangesContain(ranges: Ranges, cp: number): boolean {
  return findRange(ranges, cp) >= 0;
}

function subtractPoints(ranges: Ranges, points: number[]): Ranges {
  if (points.length === 0) return ranges;
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  const out: Ranges = [];
  let p = 0;
  for (const [lo0, hi] of ranges) {
    let lo = lo0;
    while (p < sorted.length && (sorted[p] as number) < lo) p++;
    while (p < sorted.length && (sorted[p] as number) <= hi) {
      const x = sorted[p] as number;
      if (x > lo) out.push([lo, x - 1]);
      lo = x + 1;
      p++;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

/** { x : lower(x) ∈ S } for Python's unicode lower mapping. */
function preimageUnicodeLower(s: Ranges): Ranges {
  const t = caseTables();
  const remove: number[] = [];
  const add: Ranges = [];
  for (const d of t.lowerDomain) {
    const inS = rangesContain(s, d);
    const lowerInS = rangesContain(s, t.lower.get(d) as number);
    if (inS && !lowerInS) remove.push(d);
    if (!inS && lowerInS) add.push([d, d]);
  }
  return normalizeRanges([...subtractPoints(s, remove), ...add]);
}

/** { x : ascii_lower(x) ∈ S }. */
function preimageAsciiLower(s: Ranges): Ranges {
  const remove: number[] = [];
  const add: Ranges = [];
  for (let d = 0x41; d <= 0x5a; d++) {
    const inS = rangesContain(s, d);
    const lowerInS = rangesContain(s, d + 32);
    if (inS && !lowerInS) remove.push(d);
    if (!inS && lowerInS) add.push([d, d]);
  }
  return normalizeRanges([...subtractPoints(s, remove), ...add]);
}

/** { x : upper(lower(x)) ∈ [lo, hi] } ∪ { x : lower(x) ∈ [lo, hi] } — `RANGE_UNI_IGNORE`. */
function rangeUniIgnore(lo: number, hi: number, unicode: boolean): Ranges {
  const t = caseTables();
  const base = unicode ? preimageUnicodeLower([[lo, hi]]) : preimageAsciiLower([[lo, hi]]);
  const add: Ranges = [];
  for (const l of t.upperDomain) {
    const u = t.upper.get(l) as number;
    if (u < lo || u > hi) continue;
    // every x with lower(x) == l
    if (unicode) {
      if (!t.lower.has(l)) add.push([l, l]);
      for (const x of t.lowerInverse.get(l) ?? []) add.push([x, x]);
    } else {
      if (!(l >= 0x41 && l <= 0x5a)) add.push([l, l]);
      if (l >= 0x61 && l <= 0x7a) add.push([l - 32, l - 32]);
    }
  }
  return normalizeRanges([...base, ...add]);
}

// ------------------------------------------------------------------------------------------ char sets

/** What one pattern item matches: (ranges ∪ categories), complemented when `negate`. */
export interface CharSet {
  negate: boolean;
  ranges: Ranges;
  cats: Category[];
}

function isUnicode(flags: number): boolean {
  return (flags & FLAG_ASCII) === 0;
}

/**
 * `preimageUnicodeLower` of a cased literal's members walks the whole lower-mapping domain: memoized by the
 * literal's lowercase (there are only a few thousand), so that a long case-insensitive literal compiles in
 * linear time. The ranges are shared: never mutate a CharSet's ranges.
 */
const unicodeIgnoreCaseLiteralRanges = new Map<number, Ranges>();

/** LITERAL c (or NOT_LITERAL c with `negate`) under `flags`. */
export function literalCharSet(c: number, flags: number, negate = false): CharSet {
  if (!(flags & FLAG_IGNORECASE)) return { negate, ranges: [[c, c]], cats: [] };
  if (isUnicode(flags)) {
    if (!sreIsCasedUnicode(c)) return { negate, ranges: [[c, c]], cats: [] };
    const lo = sreLowerUnicode(c);
    let ranges = unicodeIgnoreCaseLiteralRanges.get(lo);
    if (ranges === undefined) {
      const members: Ranges = [[lo, lo]];
      for (const k of caseTables().fixes.get(lo) ?? []) members.push([k, k]);
      ranges = preimageUnicodeLower(normalizeRanges(members));
      unicodeIgnoreCaseLiteralRanges.set(lo, ranges);
    }
    return { negate, ranges, cats: [] };
  }
  if (!asciiIsCased(c)) return { negate, ranges: [[c, c]], cats: [] };
  const lo = asciiLower(c);
  return { negate, ranges: normalizeRanges([[lo, lo], [lo - 32, lo - 32]]), cats: [] };
}

/** IN items under `flags` (`_optimize_charset` + the IN / IN_IGNORE / IN_UNI_IGNORE choice). */
export function inCharSet(items: readonly SetItem[], flags: number): CharSet {
  let negate = false;
  const cats: Category[] = [];
  const exact: Ranges = [];
  for (const it of items) {
    if (it.op === 'NEGATE') negate = true;
    else if (it.op === 'LITERAL') exact.push([it.c, it.c]);
    else if (it.op === 'RANGE') exact.push([it.lo, it.hi]);
    else cats.push(it.cat);
  }
  if (!(flags & FLAG_IGNORECASE)) return { negate, ranges: normalizeRanges(exact), cats };

  const unicode = isUnicode(flags);
  const lower = unicode ? sreLowerUnicode : asciiLower;
  const iscased = unicode ? sreIsCasedUnicode : asciiIsCased;
  const fixes = unicode ? caseTables().fixes : null;
  let hascased = false;
  const charmap: Ranges = []; // lowered BMP members (+ extra cases)
  const tailLiterals: Ranges = []; // non-BMP literals, compared with lower(ch) as written
  const tailRanges: Array<[number, number]> = []; // RANGE_UNI_IGNORE
  const addLowered = (x: number): void => {
    const l = lower(x);
    charmap.push([l, l]);
    for (const k of fixes?.get(l) ?? []) charmap.push([k, k]);
  };
  for (const it of items) {
    if (it.op === 'LITERAL') {
      if (it.c <= 0xffff) {
        addLowered(it.c);
        if (iscased(it.c)) hascased = true;
      } else {
        hascased = true;
        tailLiterals.push([it.c, it.c]);
      }
    } else if (it.op === 'RANGE') {
      const bmpHi = Math.min(it.hi, 0xffff);
      if (unicode) {
        // lower() of a BMP range: identity outside the lower-mapping domain. Keeping the domain's own points
        // in the map is harmless: lower() is idempotent, so they are never the lowercase of anything.
        if (it.lo <= bmpHi) {
          const t = caseTables();
          charmap.push([it.lo, bmpHi]);
          const loweredExtra = new Set<number>();
          for (const d of t.lowerDomain) {
            if (d < it.lo || d > bmpHi) continue;
            const l = t.lower.get(d) as number;
            loweredExtra.add(l);
            charmap.push([l, l]);
          }
          for (const [k, extra] of t.fixes) {
            if ((k >= it.lo && k <= bmpHi) || loweredExtra.has(k)) {
              for (const e of extra) charmap.push([e, e]);
            }
          }
        }
      } else if (it.lo <= bmpHi) {
        for (let x = it.lo; x <= Math.min(bmpHi, 0x7f); x++) addLowered(x);
        if (bmpHi > 0x7f) charmap.push([Math.max(it.lo, 0x80), bmpHi]);
      }
      if (it.hi > 0xffff) {
        hascased = true;
        tailRanges.push([it.lo, it.hi]);
      } else if (!hascased) {
        if (unicode) {
          const t = caseTables();
          hascased = t.lowerDomain.some((d) => d >= it.lo && d <= it.hi) || t.upperDomain.some((d) => d >= it.lo && d <= it.hi);
        } else {
          hascased = it.lo <= 0x7a && it.hi >= 0x41 && !(it.hi < 0x61 && it.lo > 0x5a);
        }
      }
    }
  }
  if (!hascased) return { negate, ranges: normalizeRanges(exact), cats };
  const lowered = normalizeRanges([...charmap, ...tailLiterals]);
  const parts: Ranges = [...(unicode ? preimageUnicodeLower(lowered) : preimageAsciiLower(lowered))];
  for (const [lo, hi] of tailRanges) parts.push(...rangeUniIgnore(lo, hi, unicode));
  return { negate, ranges: normalizeRanges(parts), cats };
}

// ------------------------------------------------------------------------------------------ output

let unicodeCats: Record<Category, string> | null = null;

function unicodeCategoryBodies(): Record<Category, string> {
  if (unicodeCats !== null) return unicodeCats;
  const word = rangesClassBody(pyWordRanges());
  const digit = rangesClassBody(pyDecimalRanges());
  unicodeCats = {
    DIGIT: digit,
    NOT_DIGIT: `[^${digit}]`,
    SPACE: PY_WHITESPACE_CLASS,
    NOT_SPACE: `[^${PY_WHITESPACE_CLASS}]`,
    WORD: word,
    NOT_WORD: `[^${word}]`,
  };
  return unicodeCats;
}

const ASCII_CATS: Record<Category, string> = {
  DIGIT: '0-9',
  NOT_DIGIT: '[^0-9]',
  SPACE: '\\t-\\r ',
  NOT_SPACE: '[^\\t-\\r ]',
  WORD: 'a-zA-Z0-9_',
  NOT_WORD: '[^a-zA-Z0-9_]',
};

/** JS class body fragment for a Python category (for a `v`-flag class). */
export function categoryClassBody(cat: Category, flags: number): string {
  return (isUnicode(flags) ? unicodeCategoryBodies() : ASCII_CATS)[cat];
}

/** A code point as JS regex source (valid inside and outside `v`-mode classes). */
export function jsCodePoint(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
    return String.fromCharCode(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

/** JS (`v` flag) source for a CharSet. */
export function charSetToJs(cs: CharSet, flags: number): string {
  if (!cs.negate && cs.cats.length === 0 && cs.ranges.length === 1) {
    const [lo, hi] = cs.ranges[0] as [number, number];
    if (lo === hi) return jsCodePoint(lo);
  }
  let body = '';
  for (const [lo, hi] of cs.ranges) {
    body += lo === hi ? jsCodePoint(lo) : `${jsCodePoint(lo)}-${jsCodePoint(hi)}`;
  }
  for (const cat of cs.cats) body += categoryClassBody(cat, flags);
  return cs.negate ? `[^${body}]` : `[${body}]`;
}

const PY_SPACE_TEST = new RegExp(`^[${PY_WHITESPACE_CLASS}]$`, 'u');
const isPySpace = (cp: number): boolean => PY_SPACE_TEST.test(String.fromCodePoint(cp));
const isPyDigit = (cp: number): boolean => pyDecimalValue(cp) >= 0;
const isAsciiWord = (cp: number): boolean =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
const isAsciiSpace = (cp: number): boolean => cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
const isAsciiDigit = (cp: number): boolean => cp >= 0x30 && cp <= 0x39;

const CATEGORY_TESTS: Record<'unicode' | 'ascii', Record<Category, (cp: number) => boolean>> = {
  unicode: {
    DIGIT: isPyDigit,
    NOT_DIGIT: (cp) => !isPyDigit(cp),
    SPACE: isPySpace,
    NOT_SPACE: (cp) => !isPySpace(cp),
    WORD: isPyWordChar,
    NOT_WORD: (cp) => !isPyWordChar(cp),
  },
  ascii: {
    DIGIT: isAsciiDigit,
    NOT_DIGIT: (cp) => !isAsciiDigit(cp),
    SPACE: isAsciiSpace,
    NOT_SPACE: (cp) => !isAsciiSpace(cp),
    WORD: isAsciiWord,
    NOT_WORD: (cp) => !isAsciiWord(cp),
  },
};

/** A predicate over code points equivalent to `charSetToJs`. */
export function charSetPredicate(cs: CharSet, flags: number): (cp: number) => boolean {
  const tests = cs.cats.map((c) => CATEGORY_TESTS[isUnicode(flags) ? 'unicode' : 'ascii'][c]);
  const ranges = cs.ranges;
  const negate = cs.negate;
  return (cp) => {
    const hit = rangesContain(ranges, cp) || tests.some((t) => t(cp));
    return hit !== negate;
  };
}

/** Python's word characters for `\b` / `\B` under `flags`. */
export function wordPredicate(flags: number): (cp: number) => boolean {
  return CATEGORY_TESTS[isUnicode(flags) ? 'unicode' : 'ascii'].WORD;
}
