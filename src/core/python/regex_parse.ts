/**
 * Parser for Python 3.13 `re` patterns (str patterns only), producing the same intermediate tree as CPython's
 * `re._parser` and raising the same errors at the same positions (`re.error` texts, `OverflowError` for huge
 * repeat counts, `ValueError` from `fix_flags`), plus the compile-time checks of `re._compiler`
 * (look-behind width). Positions count code points.
 *
 * 3.13 vs 3.11 (the interpreter available while developing): 3.13 has no TEMPLATE flag, so `(?t)` is
 * `unknown extension ?t`; conditional group references must be ASCII digits or identifiers
 * (`(?(+1)…)` → `bad character in group name '+1'`, 3.11 only warned). Everything else is unchanged.
 */
import { pyStrRepr } from './repr';
import { PyException } from './value';
import { lookupUnicodeName } from './unicode_names';

export const FLAG_IGNORECASE = 2;
export const FLAG_LOCALE = 4;
export const FLAG_MULTILINE = 8;
export const FLAG_DOTALL = 16;
export const FLAG_UNICODE = 32;
export const FLAG_VERBOSE = 64;
export const FLAG_DEBUG = 128;
export const FLAG_ASCII = 256;

const TYPE_FLAGS = FLAG_ASCII | FLAG_LOCALE | FLAG_UNICODE;
const GLOBAL_FLAGS = FLAG_DEBUG;

const FLAGS: Record<string, number> = {
  i: FLAG_IGNORECASE,
  L: FLAG_LOCALE,
  m: FLAG_MULTILINE,
  s: FLAG_DOTALL,
  x: FLAG_VERBOSE,
  a: FLAG_ASCII,
  u: FLAG_UNICODE,
};

/** `_sre.MAXREPEAT` and `_sre.MAXGROUPS` on 64-bit CPython. */
export const MAXREPEAT = 4294967295;
export const MAXGROUPS = 1073741823;
const MAXCODE = 4294967295n;
const MAXWIDTH = 1n << 64n;

export type Category = 'DIGIT' | 'NOT_DIGIT' | 'SPACE' | 'NOT_SPACE' | 'WORD' | 'NOT_WORD';
export type AtCode = 'BEGINNING' | 'BEGINNING_STRING' | 'BOUNDARY' | 'NON_BOUNDARY' | 'END' | 'END_STRING';

export type SetItem =
  | { op: 'NEGATE' }
  | { op: 'LITERAL'; c: number }
  | { op: 'RANGE'; lo: number; hi: number }
  | { op: 'CATEGORY'; cat: Category };

export type Node =
  | { op: 'LITERAL'; c: number }
  | { op: 'NOT_LITERAL'; c: number }
  | { op: 'ANY' }
  | { op: 'IN'; items: SetItem[] }
  | { op: 'AT'; at: AtCode }
  | { op: 'BRANCH'; alts: SubPattern[] }
  | { op: 'SUBPATTERN'; group: number | null; addFlags: number; delFlags: number; p: SubPattern }
  | { op: 'ATOMIC_GROUP'; p: SubPattern }
  | { op: 'MAX_REPEAT' | 'MIN_REPEAT' | 'POSSESSIVE_REPEAT'; min: number; max: number; item: SubPattern }
  | { op: 'ASSERT' | 'ASSERT_NOT'; dir: 1 | -1; p: SubPattern }
  | { op: 'GROUPREF'; group: number }
  | { op: 'GROUPREF_EXISTS'; group: number; yes: SubPattern; no: SubPattern | null };

export class SubPattern {
  width: [bigint, bigint] | null = null;
  constructor(
    readonly state: ParseState,
    public data: Node[] = [],
  ) {}

  getwidth(): [bigint, bigint] {
    if (this.width !== null) return this.width;
    let lo = 0n;
    let hi = 0n;
    for (const node of this.data) {
      switch (node.op) {
        case 'BRANCH': {
          let i = MAXWIDTH;
          let j = 0n;
          for (const alt of node.alts) {
            const [l, h] = alt.getwidth();
            if (l < i) i = l;
            if (h > j) j = h;
          }
          lo += i;
          hi += j;
          break;
        }
        case 'ATOMIC_GROUP':
        case 'SUBPATTERN': {
          const [i, j] = node.p.getwidth();
          lo += i;
          hi += j;
          break;
        }
        case 'MAX_REPEAT':
        case 'MIN_REPEAT':
        case 'POSSESSIVE_REPEAT': {
          const [i, j] = node.item.getwidth();
          lo += i * BigInt(node.min);
          if (node.max === MAXREPEAT && j) hi = MAXWIDTH;
          else hi += j * BigInt(node.max);
          break;
        }
        case 'ANY':
        case 'IN':
        case 'LITERAL':
        case 'NOT_LITERAL':
          lo += 1n;
          hi += 1n;
          break;
        case 'GROUPREF': {
          const [i, j] = this.state.groupwidths[node.group] as [bigint, bigint];
          lo += i;
          hi += j;
          break;
        }
        case 'GROUPREF_EXISTS': {
          let [i, j] = node.yes.getwidth();
          if (node.no !== null) {
            const [l, h] = node.no.getwidth();
            if (l < i) i = l;
            if (h > j) j = h;
          } else {
            i = 0n;
          }
          lo += i;
          hi += j;
          break;
        }
        default:
          break;
      }
    }
    this.width = [lo < MAXWIDTH ? lo : MAXWIDTH, hi < MAXWIDTH ? hi : MAXWIDTH];
    return this.width;
  }
}

export class ParseState {
  flags = 0;
  groupdict = new Map<string, number>();
  groupwidths: ([bigint, bigint] | null)[] = [null];
  lookbehindgroups: number | null = null;
  grouprefpos = new Map<number, number>();

  get groups(): number {
    return this.groupwidths.length;
  }

  opengroup(name: string | null): number {
    const gid = this.groups;
    this.groupwidths.push(null);
    if (this.groups > MAXGROUPS) throw new GroupError('too many groups');
    if (name !== null) {
      const ogid = this.groupdict.get(name);
      if (ogid !== undefined) {
        throw new GroupError(`redefinition of group name ${pyStrRepr(name)} as group ${gid}; was group ${ogid}`);
      }
      this.groupdict.set(name, gid);
    }
    return gid;
  }

  closegroup(gid: number, p: SubPattern): void {
    this.groupwidths[gid] = p.getwidth();
  }

  checkgroup(gid: number): boolean {
    return gid < this.groups && this.groupwidths[gid] !== null;
  }

  checklookbehindgroup(gid: number, source: Tokenizer): void {
    if (this.lookbehindgroups !== null) {
      if (!this.checkgroup(gid)) throw source.error('cannot refer to an open group');
      if (gid >= this.lookbehindgroups) {
        throw source.error('cannot refer to group defined in the same lookbehind subpattern');
      }
    }
  }
}

class GroupError extends Error {}

/** `re.error(msg, pattern, pos)`: message with ` at position N` and, for multi-line patterns, line/column. */
export function reError(msg: string, pattern: readonly string[] | null, pos: number | null): PyException {
  if (pattern === null || pos === null) return new PyException('error', msg);
  let text = `${msg} at position ${pos}`;
  if (pattern.includes('\n')) {
    let lineno = 1;
    let lastNl = -1;
    for (let i = 0; i < pos && i < pattern.length; i++) {
      if (pattern[i] === '\n') {
        lineno++;
        lastNl = i;
      }
    }
    text += ` (line ${lineno}, column ${pos - lastNl})`;
  }
  return new PyException('error', text);
}

const DIGITS = new Set('0123456789');
const OCTDIGITS = new Set('01234567');
const HEXDIGITS = new Set('0123456789abcdefABCDEF');
const WHITESPACE = new Set(' \t\n\r\v\f');
const SPECIAL_CHARS = new Set('.\\[{()*+?^$|');
const REPEAT_CHARS = new Set('*+?{');
const ASCII_LETTER = /^[a-zA-Z]$/;

function isFlag(token: string | null): token is string {
  return token !== null && Object.prototype.hasOwnProperty.call(FLAGS, token);
}

const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;
const ALPHA = /^\p{L}+$/u;

/** Python `str.isidentifier()`. */
function isIdentifier(s: string): boolean {
  return IDENTIFIER.test(s);
}

/** Python's len() of a str: its code points (a surrogate pair is one, a lone surrogate one too). */
export function plen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

function ord(s: string): number {
  return s.codePointAt(0) as number;
}

export class Tokenizer {
  private index = 0;
  next: string | null = null;
  private nextLen = 0;

  constructor(readonly chars: readonly string[]) {
    this.advance();
  }

  private advance(): void {
    let index = this.index;
    if (index >= this.chars.length) {
      this.next = null;
      this.nextLen = 0;
      return;
    }
    let ch = this.chars[index] as string;
    let n = 1;
    if (ch === '\\') {
      index += 1;
      if (index >= this.chars.length) {
        throw reError('bad escape (end of pattern)', this.chars, this.chars.length - 1);
      }
      ch += this.chars[index] as string;
      n = 2;
    }
    this.index = index + 1;
    this.next = ch;
    this.nextLen = n;
  }

  match(char: string): boolean {
    if (char === this.next) {
      this.advance();
      return true;
    }
    return false;
  }

  get(): string | null {
    const t = this.next;
    this.advance();
    return t;
  }

  getwhile(n: number, charset: ReadonlySet<string>): string {
    let result = '';
    for (let k = 0; k < n; k++) {
      const c = this.next;
      if (c === null || !charset.has(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }

  getuntil(terminator: string, name: string): string {
    let result = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (!result) throw this.error(`missing ${name}`);
        throw this.error(`missing ${terminator}, unterminated name`, plen(result));
      }
      if (c === terminator) {
        if (!result) throw this.error(`missing ${name}`, 1);
        break;
      }
      result += c;
    }
    return result;
  }

  tell(): number {
    return this.index - this.nextLen;
  }

  seek(index: number): void {
    this.index = index;
    this.advance();
  }

  error(msg: string, offset = 0): PyException {
    return reError(msg, this.chars, this.tell() - offset);
  }

  checkgroupname(name: string, offset: number): void {
    if (!isIdentifier(name)) {
      throw this.error(`bad character in group name ${pyStrRepr(name)}`, plen(name) + offset);
    }
  }
}

type Code = { kind: 'IN'; items: SetItem[] } | { kind: 'LITERAL'; c: number } | { kind: 'AT'; at: AtCode } | { kind: 'GROUPREF'; group: number };

const ESCAPES: Record<string, number> = {
  '\\a': 0x07,
  '\\b': 0x08,
  '\\f': 0x0c,
  '\\n': 0x0a,
  '\\r': 0x0d,
  '\\t': 0x09,
  '\\v': 0x0b,
  '\\\\': 0x5c,
};

const CATEGORIES: Record<string, Code> = {
  '\\A': { kind: 'AT', at: 'BEGINNING_STRING' },
  '\\b': { kind: 'AT', at: 'BOUNDARY' },
  '\\B': { kind: 'AT', at: 'NON_BOUNDARY' },
  '\\d': { kind: 'IN', items: [{ op: 'CATEGORY', cat: 'DIGIT' }] },
  '\\D': { kind: 'IN', items: [{ op: 'CATEGORY', cat: 'NOT_DIGIT' }] },
  '\\s': { kind: 'IN', items: [{ op: 'CATEGORY', cat: 'SPACE' }] },
  '\\S': { kind: 'IN', items: [{ op: 'CATEGORY', cat: 'NOT_SPACE' }] },
  '\\w': { kind: 'IN', items: [{ op: 'CATEGORY', cat: 'WORD' }] },
  '\\W': { kind: 'IN', items: [{ op: 'CATEGORY', cat: 'NOT_WORD' }] },
  '\\Z': { kind: 'AT', at: 'END_STRING' },
};

function category(code: Code): Code {
  // Fresh copies so that later mutation of a set never touches the table.
  return code.kind === 'IN' ? { kind: 'IN', items: code.items.map((x) => ({ ...x })) } : { ...code };
}

/** Shared escape forms of `_class_escape` and `_escape` (\x, \u, \U, \N); null if not one of them. */
function numericEscape(source: Tokenizer, escape: string): number | null {
  const c = escape.slice(1, 2);
  if (c === 'x') {
    escape += source.getwhile(2, HEXDIGITS);
    if (escape.length !== 4) throw source.error(`incomplete escape ${escape}`, escape.length);
    return parseInt(escape.slice(2), 16);
  }
  if (c === 'u') {
    escape += source.getwhile(4, HEXDIGITS);
    if (escape.length !== 6) throw source.error(`incomplete escape ${escape}`, escape.length);
    return parseInt(escape.slice(2), 16);
  }
  if (c === 'U') {
    escape += source.getwhile(8, HEXDIGITS);
    if (escape.length !== 10) throw source.error(`incomplete escape ${escape}`, escape.length);
    const v = parseInt(escape.slice(2), 16);
    if (v > 0x10ffff) throw source.error(`bad escape ${escape}`, escape.length); // chr() ValueError
    return v;
  }
  if (c === 'N') {
    if (!source.match('{')) throw source.error('missing {');
    const charname = source.getuntil('}', 'character name');
    const cp = lookupUnicodeName(charname);
    if (cp === null) {
      throw source.error(`undefined character name ${pyStrRepr(charname)}`, plen(charname) + 4);
    }
    return cp;
  }
  return null;
}

function classEscape(source: Tokenizer, escape: string): Code {
  const esc = ESCAPES[escape];
  if (esc !== undefined) return { kind: 'LITERAL', c: esc };
  const cat = CATEGORIES[escape];
  if (cat !== undefined && cat.kind === 'IN') return category(cat);
  const numeric = numericEscape(source, escape);
  if (numeric !== null) return { kind: 'LITERAL', c: numeric };
  const c = escape.slice(1);
  if (OCTDIGITS.has(c)) {
    escape += source.getwhile(2, OCTDIGITS);
    const v = parseInt(escape.slice(1), 8);
    if (v > 0o377) {
      throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
    }
    return { kind: 'LITERAL', c: v };
  }
  if (!DIGITS.has(c) && plen(escape) === 2) {
    if (ASCII_LETTER.test(c)) throw source.error(`bad escape ${escape}`, 2);
    return { kind: 'LITERAL', c: ord(c) };
  }
  throw source.error(`bad escape ${escape}`, plen(escape));
}

function escapeInPattern(source: Tokenizer, escape: string, state: ParseState): Code {
  const cat = CATEGORIES[escape];
  if (cat !== undefined) return category(cat);
  const esc = ESCAPES[escape];
  if (esc !== undefined) return { kind: 'LITERAL', c: esc };
  const numeric = numericEscape(source, escape);
  if (numeric !== null) return { kind: 'LITERAL', c: numeric };
  const c = escape.slice(1);
  if (c === '0') {
    escape += source.getwhile(2, OCTDIGITS);
    return { kind: 'LITERAL', c: parseInt(escape.slice(1), 8) };
  }
  if (DIGITS.has(c)) {
    if (source.next !== null && DIGITS.has(source.next)) {
      escape += source.get() as string;
      if (OCTDIGITS.has(escape[1] as string) && OCTDIGITS.has(escape[2] as string) && source.next !== null && OCTDIGITS.has(source.next)) {
        escape += source.get() as string;
        const v = parseInt(escape.slice(1), 8);
        if (v > 0o377) {
          throw source.error(`octal escape value ${escape} outside of range 0-0o377`, escape.length);
        }
        return { kind: 'LITERAL', c: v };
      }
    }
    const group = parseInt(escape.slice(1), 10);
    if (group < state.groups) {
      if (!state.checkgroup(group)) throw source.error('cannot refer to an open group', escape.length);
      state.checklookbehindgroup(group, source);
      return { kind: 'GROUPREF', group };
    }
    throw source.error(`invalid group reference ${group}`, escape.length - 1);
  }
  if (plen(escape) === 2) {
    if (ASCII_LETTER.test(c)) throw source.error(`bad escape ${escape}`, 2);
    return { kind: 'LITERAL', c: ord(c) };
  }
  throw source.error(`bad escape ${escape}`, plen(escape));
}

function codeToNode(code: Code): Node {
  switch (code.kind) {
    case 'IN':
      return { op: 'IN', items: code.items };
    case 'LITERAL':
      return { op: 'LITERAL', c: code.c };
    case 'AT':
      return { op: 'AT', at: code.at };
    default:
      return { op: 'GROUPREF', group: code.group };
  }
}

function setItemEqual(a: SetItem, b: SetItem): boolean {
  if (a.op !== b.op) return false;
  switch (a.op) {
    case 'NEGATE':
      return true;
    case 'LITERAL':
      return a.c === (b as { c: number }).c;
    case 'RANGE':
      return a.lo === (b as { lo: number }).lo && a.hi === (b as { hi: number }).hi;
    default:
      return a.cat === (b as { cat: Category }).cat;
  }
}

/** Python tuple equality of two parse items; sub-patterns compare by identity, as in CPython. */
function nodeEqual(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a.op !== b.op) return false;
  switch (a.op) {
    case 'LITERAL':
    case 'NOT_LITERAL':
      return a.c === (b as { c: number }).c;
    case 'ANY':
      return true;
    case 'AT':
      return a.at === (b as { at: AtCode }).at;
    case 'GROUPREF':
      return a.group === (b as { group: number }).group;
    case 'IN': {
      const bi = (b as { items: SetItem[] }).items;
      return a.items.length === bi.length && a.items.every((x, i) => setItemEqual(x, bi[i] as SetItem));
    }
    default:
      return false;
  }
}

/** A key equal for equal set items (`setItemEqual`), so that `uniqSet` is linear. */
function setItemKey(it: SetItem): string {
  switch (it.op) {
    case 'NEGATE':
      return 'N';
    case 'LITERAL':
      return `L${it.c}`;
    case 'RANGE':
      return `R${it.lo},${it.hi}`;
    default:
      return `C${it.cat}`;
  }
}

/** `_uniq`: the items without repeats, first occurrences in order. */
function uniqSet(items: SetItem[]): SetItem[] {
  const seen = new Set<string>();
  const out: SetItem[] = [];
  for (const it of items) {
    const key = setItemKey(it);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(it);
  }
  return out;
}

function parseSub(source: Tokenizer, state: ParseState, verbose: boolean, nested: number): SubPattern {
  const items: SubPattern[] = [];
  for (;;) {
    items.push(parse(source, state, verbose, nested + 1, !nested && items.length === 0));
    if (!source.match('|')) break;
    if (!nested) verbose = (state.flags & FLAG_VERBOSE) !== 0;
  }
  if (items.length === 1) return items[0] as SubPattern;

  const subpattern = new SubPattern(state);
  // Move a common prefix out of the branch.
  for (;;) {
    let prefix: Node | null = null;
    let common = true;
    for (const item of items) {
      const first = item.data[0];
      if (first === undefined) {
        common = false;
        break;
      }
      if (prefix === null) prefix = first;
      else if (!nodeEqual(first, prefix)) {
        common = false;
        break;
      }
    }
    if (!common || prefix === null) break;
    for (const item of items) item.data.shift();
    subpattern.data.push(prefix);
  }
  // A branch of single characters / positive sets becomes one set.
  const set: SetItem[] = [];
  let allSet = true;
  for (const item of items) {
    const only = item.data[0];
    if (item.data.length !== 1 || only === undefined) {
      allSet = false;
      break;
    }
    if (only.op === 'LITERAL') set.push({ op: 'LITERAL', c: only.c });
    else if (only.op === 'IN' && only.items[0]?.op !== 'NEGATE') for (const setItem of only.items) set.push(setItem);
    else {
      allSet = false;
      break;
    }
  }
  if (allSet) {
    subpattern.data.push({ op: 'IN', items: uniqSet(set) });
    return subpattern;
  }
  subpattern.data.push({ op: 'BRANCH', alts: items });
  return subpattern;
}

function parseFlags(source: Tokenizer, state: ParseState, charIn: string): [number, number] | null {
  let char: string | null = charIn;
  let addFlags = 0;
  let delFlags = 0;
  if (char !== '-') {
    for (;;) {
      const flag = FLAGS[char as string] as number;
      if (char === 'L') throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      addFlags |= flag;
      if (flag & TYPE_FLAGS && (addFlags & TYPE_FLAGS) !== flag) {
        throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      }
      char = source.get();
      if (char === null) throw source.error('missing -, : or )');
      if (char === ')' || char === '-' || char === ':') break;
      if (!isFlag(char)) {
        throw source.error(ALPHA.test(char) ? 'unknown flag' : 'missing -, : or )', plen(char));
      }
    }
  }
  if (char === ')') {
    state.flags |= addFlags;
    return null;
  }
  if (addFlags & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn on global flag', 1);
  if (char === '-') {
    char = source.get();
    if (char === null) throw source.error('missing flag');
    if (!isFlag(char)) throw source.error(ALPHA.test(char) ? 'unknown flag' : 'missing flag', plen(char));
    for (;;) {
      const flag = FLAGS[char as string] as number;
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      delFlags |= flag;
      char = source.get();
      if (char === null) throw source.error('missing :');
      if (char === ':') break;
      if (!isFlag(char)) throw source.error(ALPHA.test(char) ? 'unknown flag' : 'missing :', plen(char));
    }
  }
  if (delFlags & GLOBAL_FLAGS) throw source.error('bad inline flags: cannot turn off global flag', 1);
  if (addFlags & delFlags) throw source.error('bad inline flags: flag turned on and off', 1);
  return [addFlags, delFlags];
}

function isDigitToken(t: string | null): boolean {
  return t !== null && DIGITS.has(t);
}

function parse(source: Tokenizer, state: ParseState, verboseIn: boolean, nested: number, first = false): SubPattern {
  let verbose = verboseIn;
  const subpattern = new SubPattern(state);
  const data = subpattern.data;
  for (;;) {
    let self: string | null = source.next;
    if (self === null) break;
    if (self === '|' || self === ')') break;
    source.get();

    if (verbose) {
      if (WHITESPACE.has(self)) continue;
      if (self === '#') {
        for (;;) {
          self = source.get();
          if (self === null || self === '\n') break;
        }
        continue;
      }
    }

    if (self[0] === '\\') {
      data.push(codeToNode(escapeInPattern(source, self, state)));
    } else if (!SPECIAL_CHARS.has(self)) {
      data.push({ op: 'LITERAL', c: ord(self) });
    } else if (self === '[') {
      const here = source.tell() - 1;
      let set: SetItem[] = [];
      const negate = source.match('^');
      for (;;) {
        const t = source.get();
        if (t === null) throw source.error('unterminated character set', source.tell() - here);
        if (t === ']' && set.length > 0) break;
        let code1: Code;
        if (t[0] === '\\') code1 = classEscape(source, t);
        else code1 = { kind: 'LITERAL', c: ord(t) };
        if (source.match('-')) {
          const that = source.get();
          if (that === null) throw source.error('unterminated character set', source.tell() - here);
          if (that === ']') {
            set.push(code1.kind === 'IN' ? (code1.items[0] as SetItem) : { op: 'LITERAL', c: (code1 as { c: number }).c });
            set.push({ op: 'LITERAL', c: 0x2d });
            break;
          }
          const code2: Code = that[0] === '\\' ? classEscape(source, that) : { kind: 'LITERAL', c: ord(that) };
          if (code1.kind !== 'LITERAL' || code2.kind !== 'LITERAL') {
            throw source.error(`bad character range ${t}-${that}`, plen(t) + 1 + plen(that));
          }
          if (code2.c < code1.c) {
            throw source.error(`bad character range ${t}-${that}`, plen(t) + 1 + plen(that));
          }
          set.push({ op: 'RANGE', lo: code1.c, hi: code2.c });
        } else {
          set.push(code1.kind === 'IN' ? (code1.items[0] as SetItem) : { op: 'LITERAL', c: (code1 as { c: number }).c });
        }
      }
      set = uniqSet(set);
      const only = set[0];
      if (set.length === 1 && only !== undefined && only.op === 'LITERAL') {
        data.push(negate ? { op: 'NOT_LITERAL', c: only.c } : { op: 'LITERAL', c: only.c });
      } else {
        if (negate) set.unshift({ op: 'NEGATE' });
        data.push({ op: 'IN', items: set });
      }
    } else if (REPEAT_CHARS.has(self)) {
      const here = source.tell();
      let min: number;
      let max: number;
      if (self === '?') {
        min = 0;
        max = 1;
      } else if (self === '*') {
        min = 0;
        max = MAXREPEAT;
      } else if (self === '+') {
        min = 1;
        max = MAXREPEAT;
      } else {
        // '{'
        if (source.next === '}') {
          data.push({ op: 'LITERAL', c: 0x7b });
          continue;
        }
        min = 0;
        max = MAXREPEAT;
        let lo = '';
        let hi = '';
        while (isDigitToken(source.next)) lo += source.get() as string;
        if (source.match(',')) {
          while (isDigitToken(source.next)) hi += source.get() as string;
        } else {
          hi = lo;
        }
        if (!source.match('}')) {
          data.push({ op: 'LITERAL', c: 0x7b });
          source.seek(here);
          continue;
        }
        if (lo) {
          if (BigInt(lo) >= BigInt(MAXREPEAT)) throw new PyException('OverflowError', 'the repetition number is too large');
          min = Number(lo);
        }
        if (hi) {
          if (BigInt(hi) >= BigInt(MAXREPEAT)) throw new PyException('OverflowError', 'the repetition number is too large');
          max = Number(hi);
          if (max < min) throw source.error('min repeat greater than max repeat', source.tell() - here);
        }
      }
      const last = data[data.length - 1];
      if (last === undefined || last.op === 'AT') {
        throw source.error('nothing to repeat', source.tell() - here + plen(self));
      }
      if (last.op === 'MAX_REPEAT' || last.op === 'MIN_REPEAT' || last.op === 'POSSESSIVE_REPEAT') {
        throw source.error('multiple repeat', source.tell() - here + plen(self));
      }
      let item: SubPattern;
      if (last.op === 'SUBPATTERN' && last.group === null && !last.addFlags && !last.delFlags) item = last.p;
      else item = new SubPattern(state, [last]);
      let op: 'MAX_REPEAT' | 'MIN_REPEAT' | 'POSSESSIVE_REPEAT' = 'MAX_REPEAT';
      if (source.match('?')) op = 'MIN_REPEAT';
      else if (source.match('+')) op = 'POSSESSIVE_REPEAT';
      data[data.length - 1] = { op, min, max, item };
    } else if (self === '.') {
      data.push({ op: 'ANY' });
    } else if (self === '(') {
      const start = source.tell() - 1;
      let capture = true;
      let atomic = false;
      let name: string | null = null;
      let addFlags = 0;
      let delFlags = 0;
      let handled = false;
      if (source.match('?')) {
        let char = source.get();
        if (char === null) throw source.error('unexpected end of pattern');
        if (char === 'P') {
          if (source.match('<')) {
            name = source.getuntil('>', 'group name');
            source.checkgroupname(name, 1);
          } else if (source.match('=')) {
            const refName = source.getuntil(')', 'group name');
            source.checkgroupname(refName, 1);
            const gid = state.groupdict.get(refName);
            if (gid === undefined) {
              throw source.error(`unknown group name ${pyStrRepr(refName)}`, plen(refName) + 1);
            }
            if (!state.checkgroup(gid)) throw source.error('cannot refer to an open group', plen(refName) + 1);
            state.checklookbehindgroup(gid, source);
            data.push({ op: 'GROUPREF', group: gid });
            handled = true;
          } else {
            char = source.get();
            if (char === null) throw source.error('unexpected end of pattern');
            throw source.error(`unknown extension ?P${char}`, plen(char) + 2);
          }
        } else if (char === ':') {
          capture = false;
        } else if (char === '#') {
          for (;;) {
            if (source.next === null) throw source.error('missing ), unterminated comment', source.tell() - start);
            if (source.get() === ')') break;
          }
          handled = true;
        } else if (char === '=' || char === '!' || char === '<') {
          let dir: 1 | -1 = 1;
          let lookbehindgroups: number | null = null;
          if (char === '<') {
            char = source.get();
            if (char === null) throw source.error('unexpected end of pattern');
            if (char !== '=' && char !== '!') throw source.error(`unknown extension ?<${char}`, plen(char) + 2);
            dir = -1;
            lookbehindgroups = state.lookbehindgroups;
            if (lookbehindgroups === null) state.lookbehindgroups = state.groups;
          }
          const p = parseSub(source, state, verbose, nested + 1);
          if (dir < 0 && lookbehindgroups === null) state.lookbehindgroups = null;
          if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
          data.push({ op: char === '=' ? 'ASSERT' : 'ASSERT_NOT', dir, p });
          handled = true;
        } else if (char === '(') {
          const condname = source.getuntil(')', 'group name');
          let condgroup: number;
          if (!/^[0-9]+$/.test(condname)) {
            source.checkgroupname(condname, 1);
            const g = state.groupdict.get(condname);
            if (g === undefined) {
              throw source.error(`unknown group name ${pyStrRepr(condname)}`, plen(condname) + 1);
            }
            condgroup = g;
          } else {
            const big = BigInt(condname);
            if (big === 0n) throw source.error('bad group number', plen(condname) + 1);
            if (big >= BigInt(MAXGROUPS)) {
              throw source.error(`invalid group reference ${big.toString()}`, plen(condname) + 1);
            }
            condgroup = Number(big);
            if (!state.grouprefpos.has(condgroup)) {
              state.grouprefpos.set(condgroup, source.tell() - plen(condname) - 1);
            }
          }
          state.checklookbehindgroup(condgroup, source);
          const yes = parse(source, state, verbose, nested + 1);
          let no: SubPattern | null = null;
          if (source.match('|')) {
            no = parse(source, state, verbose, nested + 1);
            if (source.next === '|') throw source.error('conditional backref with more than two branches');
          }
          if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
          data.push({ op: 'GROUPREF_EXISTS', group: condgroup, yes, no });
          handled = true;
        } else if (char === '>') {
          capture = false;
          atomic = true;
        } else if (isFlag(char) || char === '-') {
          const flags = parseFlags(source, state, char);
          if (flags === null) {
            if (!first || data.length > 0) {
              throw source.error('global flags not at the start of the expression', source.tell() - start);
            }
            verbose = (state.flags & FLAG_VERBOSE) !== 0;
            handled = true;
          } else {
            [addFlags, delFlags] = flags;
            capture = false;
          }
        } else {
          throw source.error(`unknown extension ?${char}`, plen(char) + 1);
        }
      }
      if (handled) continue;
      let group: number | null = null;
      if (capture) {
        try {
          group = state.opengroup(name);
        } catch (e) {
          if (e instanceof GroupError) throw source.error(e.message, plen(name ?? '') + 1);
          throw e;
        }
      }
      const subVerbose = (verbose || (addFlags & FLAG_VERBOSE) !== 0) && !(delFlags & FLAG_VERBOSE);
      const p = parseSub(source, state, subVerbose, nested + 1);
      if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
      if (group !== null) state.closegroup(group, p);
      if (atomic) data.push({ op: 'ATOMIC_GROUP', p });
      else data.push({ op: 'SUBPATTERN', group, addFlags, delFlags, p });
    } else if (self === '^') {
      data.push({ op: 'AT', at: 'BEGINNING' });
    } else if (self === '$') {
      data.push({ op: 'AT', at: 'END' });
    }
  }
  // Unpack non-capturing groups without flags (one level, as sre_parse does), in one pass: a splice per group would
  // be quadratic, and spreading a group of 100,000 items into one call overflows the stack.
  const plainGroup = (node: Node): node is Extract<Node, { op: 'SUBPATTERN' }> => node.op === 'SUBPATTERN' && node.group === null && !node.addFlags && !node.delFlags;
  if (data.some(plainGroup)) {
    const unpacked: Node[] = [];
    for (const node of data) {
      if (plainGroup(node)) for (const inner of node.p.data) unpacked.push(inner);
      else unpacked.push(node);
    }
    subpattern.data = unpacked;
  }
  return subpattern;
}

function fixFlags(flags: number): number {
  if (flags & FLAG_LOCALE) throw new PyException('ValueError', 'cannot use LOCALE flag with a str pattern');
  if (!(flags & FLAG_ASCII)) return flags | FLAG_UNICODE;
  if (flags & FLAG_UNICODE) throw new PyException('ValueError', 'ASCII and UNICODE flags are incompatible');
  return flags;
}

export interface ParsedPattern {
  root: SubPattern;
  /** Effective global flags (after inline global flags and `fix_flags`). */
  flags: number;
  /** Number of groups including group 0. */
  groups: number;
}

function checkLookbehinds(data: readonly Node[]): void {
  for (const node of data) {
    switch (node.op) {
      case 'ASSERT':
      case 'ASSERT_NOT':
        if (node.dir < 0) {
          const [lo, hi] = node.p.getwidth();
          if (lo > MAXCODE) throw new PyException('error', 'looks too much behind');
          if (lo !== hi) throw new PyException('error', 'look-behind requires fixed-width pattern');
        }
        checkLookbehinds(node.p.data);
        break;
      case 'BRANCH':
        for (const alt of node.alts) checkLookbehinds(alt.data);
        break;
      case 'SUBPATTERN':
      case 'ATOMIC_GROUP':
        checkLookbehinds(node.p.data);
        break;
      case 'MAX_REPEAT':
      case 'MIN_REPEAT':
      case 'POSSESSIVE_REPEAT':
        checkLookbehinds(node.item.data);
        break;
      case 'GROUPREF_EXISTS':
        checkLookbehinds(node.yes.data);
        if (node.no) checkLookbehinds(node.no.data);
        break;
      default:
        break;
    }
  }
}

/**
 * `re.compile(pattern, flags)` up to code generation: parse (with every `re.error` of the parser) and run the
 * compiler's checks. Throws PyException('error' | 'OverflowError' | 'ValueError', message).
 */
export function parsePattern(pattern: string, flags: number): ParsedPattern {
  const chars = Array.from(pattern);
  const source = new Tokenizer(chars);
  const state = new ParseState();
  state.flags = flags;
  const root = parseSub(source, state, (flags & FLAG_VERBOSE) !== 0, 0);
  state.flags = fixFlags(state.flags);
  if (source.next !== null) throw source.error('unbalanced parenthesis');
  for (const [g, pos] of state.grouprefpos) {
    if (g >= state.groups) throw reError(`invalid group reference ${g}`, chars, pos);
  }
  checkLookbehinds(root.data);
  return { root, flags: state.flags | flags, groups: state.groups };
}
