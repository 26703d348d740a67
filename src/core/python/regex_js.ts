/**
 * Translation of a parsed Python pattern into an equivalent JavaScript RegExp source (`v` flag, never `i`,
 * `m` or `s`: case folding, line anchors and `.` are made explicit, so that Python's definitions apply):
 *
 * - characters and sets become explicit JS classes (see regex_charset.ts), `.` is `[^\n]` (`[\s\S]` with
 *   DOTALL), `\d \w \s` use Python's Unicode (or ASCII) meanings;
 * - `^`/`$`/`\A`/`\Z` become look-arounds with Python's semantics (`$` also matches before a final `\n`;
 *   MULTILINE lines end at `\n` only), `\b`/`\B` use Python's word characters (`\B` never matches in an
 *   empty string, as in CPython < 3.14);
 * - atomic groups and possessive quantifiers become `(?=(X))\N` (a look-ahead captures the first match of X,
 *   the back-reference consumes it without backtracking into it); inside a look-behind, whose content has a
 *   fixed width, they are plain groups;
 * - scoped flags `(?i:...)`, `(?-i:...)`, `(?s:...)`, `(?m:...)`, `(?a:...)` are applied while translating.
 *
 * Back-references and conditional groups are not translated (returns null): a JS back-reference to a group
 * that did not participate matches the empty string (Python fails), so such patterns use regex_engine.ts.
 */
import {
  FLAG_ASCII,
  FLAG_DOTALL,
  FLAG_IGNORECASE,
  FLAG_MULTILINE,
  MAXREPEAT,
  type Node,
  type ParsedPattern,
  type SubPattern,
} from './regex_parse';
import { categoryClassBody, charSetToJs, inCharSet, literalCharSet } from './regex_charset';

const TYPE_FLAGS = FLAG_ASCII | 4 /* LOCALE */ | 32; /* UNICODE */

/** `re._compiler._combine_flags`. */
export function combineFlags(flags: number, addFlags: number, delFlags: number): number {
  let f = flags;
  if (addFlags & TYPE_FLAGS) f &= ~TYPE_FLAGS;
  return (f | addFlags) & ~delFlags;
}

class Unsupported extends Error {}

function quantifier(min: number, max: number): string {
  if (max === MAXREPEAT) {
    if (min === 0) return '*';
    if (min === 1) return '+';
    return `{${min},}`;
  }
  if (min === max) return `{${min}}`;
  if (min === 0 && max === 1) return '?';
  return `{${min},${max}}`;
}

/** A run of at least this many equal literals is emitted as one repeated atom (`x{n}`, `[xX]{n}`). */
const LITERAL_REPEAT_MIN = 8;
/**
 * Literal atoms emitted in one stretch at most: V8 refuses a single text node of some 40,000 characters
 * ("Regular expression too large"), but accepts a long sequence of smaller groups.
 */
const LITERAL_CHUNK = 1000;

class Emitter {
  private groups = 0;
  /** JS atom of LITERAL c, by c and the flags it depends on (a long literal repeats few characters). */
  private readonly literalAtoms = new Map<number, string>();

  seq(sp: SubPattern, flags: number, inLookbehind: boolean): string {
    const data = sp.data;
    let out = '';
    let i = 0;
    while (i < data.length) {
      const node = data[i] as Node;
      if (node.op !== 'LITERAL') {
        out += this.node(node, flags, inLookbehind);
        i++;
        continue;
      }
      // A run of literals: equal neighbours become one repeated atom, and long runs are cut into groups.
      const atoms: string[] = [];
      while (i < data.length) {
        const lit = data[i] as Node;
        if (lit.op !== 'LITERAL') break;
        let j = i + 1;
        while (j < data.length) {
          const next = data[j] as Node;
          if (next.op !== 'LITERAL' || next.c !== lit.c) break;
          j++;
        }
        const atom = this.literal(lit.c, flags);
        const count = j - i;
        if (count >= LITERAL_REPEAT_MIN) atoms.push(`(?:${atom}){${count}}`);
        else for (let k = 0; k < count; k++) atoms.push(atom);
        i = j;
      }
      if (atoms.length <= LITERAL_CHUNK) out += atoms.join('');
      else for (let k = 0; k < atoms.length; k += LITERAL_CHUNK) out += `(?:${atoms.slice(k, k + LITERAL_CHUNK).join('')})`;
    }
    return out;
  }

  private literal(c: number, flags: number): string {
    const key = c * 4 + (flags & FLAG_IGNORECASE ? 1 : 0) + (flags & FLAG_ASCII ? 2 : 0);
    let atom = this.literalAtoms.get(key);
    if (atom === undefined) {
      atom = charSetToJs(literalCharSet(c, flags), flags);
      this.literalAtoms.set(key, atom);
    }
    return atom;
  }

  private node(n: Node, flags: number, lb: boolean): string {
    switch (n.op) {
      case 'LITERAL':
        return this.literal(n.c, flags);
      case 'NOT_LITERAL':
        return charSetToJs(literalCharSet(n.c, flags, true), flags);
      case 'IN':
        return charSetToJs(inCharSet(n.items, flags), flags);
      case 'ANY':
        return flags & FLAG_DOTALL ? '[\\s\\S]' : '[^\\n]';
      case 'AT':
        return this.at(n.at, flags);
      case 'BRANCH':
        return `(?:${n.alts.map((a) => this.seq(a, flags, lb)).join('|')})`;
      case 'SUBPATTERN': {
        const f = combineFlags(flags, n.addFlags, n.delFlags);
        if (n.group !== null) {
          this.groups++;
          return `(${this.seq(n.p, f, lb)})`;
        }
        return `(?:${this.seq(n.p, f, lb)})`;
      }
      case 'ATOMIC_GROUP': {
        if (lb) return `(?:${this.seq(n.p, flags, lb)})`;
        const g = ++this.groups;
        return `(?=(${this.seq(n.p, flags, lb)}))(?:\\${g})`;
      }
      case 'MAX_REPEAT':
      case 'MIN_REPEAT':
      case 'POSSESSIVE_REPEAT': {
        const q = quantifier(n.min, n.max);
        if (n.op === 'POSSESSIVE_REPEAT' && !lb) {
          const g = ++this.groups;
          return `(?=((?:${this.seq(n.item, flags, lb)})${q}))(?:\\${g})`;
        }
        return `(?:${this.seq(n.item, flags, lb)})${q}${n.op === 'MIN_REPEAT' ? '?' : ''}`;
      }
      case 'ASSERT':
      case 'ASSERT_NOT': {
        const behind = n.dir < 0;
        const head = behind ? (n.op === 'ASSERT' ? '(?<=' : '(?<!') : n.op === 'ASSERT' ? '(?=' : '(?!';
        return `${head}${this.seq(n.p, flags, lb || behind)})`;
      }
      default:
        throw new Unsupported(n.op);
    }
  }

  private at(at: string, flags: number): string {
    const word = `[${categoryClassBody('WORD', flags)}]`;
    switch (at) {
      // JS `^`/`$` (no `m` flag) are the start/end of the input.
      case 'BEGINNING':
        return flags & FLAG_MULTILINE ? '(?<![^\\n])' : '^';
      case 'BEGINNING_STRING':
        return '^';
      case 'END':
        return flags & FLAG_MULTILINE ? '(?=\\n|$)' : '(?=\\n?$)';
      case 'END_STRING':
        return '$';
      case 'BOUNDARY':
        return `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;
      default:
        // NON_BOUNDARY: never in an empty string
        return `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word})(?:(?<=[\\s\\S])|(?=[\\s\\S])))`;
    }
  }
}

/** JS RegExp source (to be compiled with the `v` flag) equivalent to the pattern, or null if not expressible. */
export function translateToJs(parsed: ParsedPattern): string | null {
  try {
    return new Emitter().seq(parsed.root, parsed.flags, false);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}
