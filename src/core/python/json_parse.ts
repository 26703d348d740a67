/**
 * Python 3.13 `json.loads(text)` for a `str` argument, following CPython's C scanner (`Modules/_json.c`):
 * the same accepted language (NaN/Infinity/-Infinity, lone surrogates via `\uXXXX`, no leading zeros,
 * whitespace = space, tab, LF, CR), the same values (ints stay ints, numbers with `.` or an exponent are
 * floats, objects are dicts where a repeated key keeps its first position and its last value), and the same
 * errors, texts and positions. Positions count code points, as Python does, not UTF-16 units.
 *
 * Limits that Python enforces with other exceptions (these are NOT JSONDecodeError, so an agent catching
 * only `JSONDecodeError`/`TypeError` would not catch them either):
 * - nesting deeper than {@link JSON_MAX_NESTING} containers → `RecursionError('maximum recursion depth
 *   exceeded while decoding a JSON array|object from a unicode string')`. CPython 3.13 raises it when its C
 *   recursion budget (10000 on Linux release builds) runs out; the caller's own frames use a few of those,
 *   so the exact threshold of a real deployment is a little lower. The parser itself is iterative and never
 *   overflows the JS stack.
 * - an integer literal with more than 4300 digits → `ValueError('Exceeds the limit (4300 digits) for
 *   integer string conversion: value has N digits; use sys.set_int_max_str_digits() to increase the limit')`.
 *
 * Python 3.13 reports a comma before `]`/`}` as `Illegal trailing comma before end of array|object` at the
 * comma (3.11/3.12 said `Expecting value` / `Expecting property name enclosed in double quotes` after it).
 */
import { pyStrRepr } from './repr';
import { PyException, PyFloat, type PyValue } from './value';

export const JSON_MAX_NESTING = 10_000;
export const PY_INT_MAX_STR_DIGITS = 4300;

/** Code point index of a UTF-16 index in `text`. */
function codePointIndex(text: string, utf16Index: number): number {
  let n = utf16Index;
  for (let i = 0; i < utf16Index - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** `json.JSONDecodeError(msg, doc, pos)` with `pos` given as a UTF-16 index into `doc`. */
export function jsonDecodeError(msg: string, doc: string, utf16Pos: number): PyException {
  const pos = codePointIndex(doc, utf16Pos);
  let lineno = 1;
  let lastNl = -1;
  for (let i = 0; i < utf16Pos; i++) {
    if (doc.charCodeAt(i) === 0x0a) {
      lineno++;
      lastNl = i;
    }
  }
  const colno = lastNl < 0 ? pos + 1 : pos - codePointIndex(doc, lastNl);
  return new PyException('JSONDecodeError', `${msg}: line ${lineno} column ${colno} (char ${pos})`);
}

/** Python `repr(e)` of a one-argument exception: `JSONDecodeError('Expecting value: line 1 column 1 (char 0)')`. */
export function reprException(e: PyException): string {
  return `${e.type}(${pyStrRepr(e.message)})`;
}

const enum Ch {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  One = 0x31,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  LowerE = 0x65,
  LBrace = 0x7b,
  RBrace = 0x7d,
}

function isWs(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr;
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Characters that end the fast scan of a string body: quote, backslash or a control character. */
// eslint-disable-next-line no-control-regex
const STRING_CHUNK = /[^"\\\x00-\x1f]*/y;

type Frame = { kind: 'array'; items: PyValue[] } | { kind: 'object'; map: Map<string, PyValue>; key: string };

class Parser {
  private readonly s: string;
  private readonly len: number;

  constructor(text: string) {
    this.s = text;
    this.len = text.length;
  }

  private err(msg: string, pos: number): PyException {
    return jsonDecodeError(msg, this.s, pos);
  }

  private skipWs(i: number): number {
    const s = this.s;
    while (i < this.len && isWs(s.charCodeAt(i))) i++;
    return i;
  }

  /** scanstring: `end` is the index after the opening quote; returns [value, index after closing quote]. */
  private scanString(end: number): [string, number] {
    const s = this.s;
    const len = this.len;
    const begin = end - 1;
    let chunks: string[] | null = null;
    for (;;) {
      STRING_CHUNK.lastIndex = end;
      STRING_CHUNK.test(s);
      let next = STRING_CHUNK.lastIndex;
      if (next >= len) throw this.err('Unterminated string starting at', begin);
      let c = s.charCodeAt(next);
      if (c !== Ch.Quote && c !== Ch.Backslash) throw this.err('Invalid control character at', next);
      if (c === Ch.Quote) {
        if (chunks === null) return [s.slice(end, next), next + 1];
        if (next !== end) chunks.push(s.slice(end, next));
        return [chunks.join(''), next + 1];
      }
      if (chunks === null) chunks = [];
      if (next !== end) chunks.push(s.slice(end, next));
      next++; // past the backslash
      if (next === len) throw this.err('Unterminated string starting at', begin);
      c = s.charCodeAt(next);
      if (c !== 0x75 /* u */) {
        end = next + 1;
        let out: string;
        switch (c) {
          case Ch.Quote:
            out = '"';
            break;
          case Ch.Backslash:
            out = '\\';
            break;
          case Ch.Slash:
            out = '/';
            break;
          case 0x62:
            out = '\b';
            break;
          case 0x66:
            out = '\f';
            break;
          case 0x6e:
            out = '\n';
            break;
          case 0x72:
            out = '\r';
            break;
          case 0x74:
            out = '\t';
            break;
          default:
            throw this.err('Invalid \\escape', end - 2);
        }
        chunks.push(out);
        continue;
      }
      next++;
      end = next + 4;
      if (end >= len) throw this.err('Invalid \\uXXXX escape', next - 1);
      let cp = 0;
      for (; next < end; next++) {
        const h = hexValue(s.charCodeAt(next));
        if (h < 0) throw this.err('Invalid \\uXXXX escape', end - 5);
        cp = (cp << 4) | h;
      }
      if (
        cp >= 0xd800 &&
        cp <= 0xdbff &&
        end + 6 < len &&
        s.charCodeAt(next) === Ch.Backslash &&
        s.charCodeAt(next + 1) === 0x75
      ) {
        next += 2;
        const end2 = end + 6;
        let cp2 = 0;
        for (; next < end2; next++) {
          const h = hexValue(s.charCodeAt(next));
          if (h < 0) throw this.err('Invalid \\uXXXX escape', end2 - 5);
          cp2 = (cp2 << 4) | h;
        }
        if (cp2 >= 0xdc00 && cp2 <= 0xdfff) {
          chunks.push(String.fromCharCode(cp, cp2));
          end = end2;
          continue;
        }
      }
      chunks.push(String.fromCharCode(cp));
    }
  }

  /** _match_number_unicode; returns null for "no number here" (StopIteration). */
  private matchNumber(start: number): [PyValue, number] | null {
    const s = this.s;
    const endIdx = this.len - 1;
    let idx = start;
    if (s.charCodeAt(idx) === Ch.Minus) {
      idx++;
      if (idx > endIdx) return null;
    }
    const first = s.charCodeAt(idx);
    if (first >= Ch.One && first <= Ch.Nine) {
      idx++;
      while (idx <= endIdx && isDigit(s.charCodeAt(idx))) idx++;
    } else if (first === Ch.Zero) {
      idx++;
    } else {
      return null;
    }
    let isFloat = false;
    if (idx < endIdx && s.charCodeAt(idx) === Ch.Dot && isDigit(s.charCodeAt(idx + 1))) {
      isFloat = true;
      idx += 2;
      while (idx <= endIdx && isDigit(s.charCodeAt(idx))) idx++;
    }
    if (idx < endIdx && (s.charCodeAt(idx) === Ch.LowerE || s.charCodeAt(idx) === Ch.UpperE)) {
      const eStart = idx;
      idx++;
      if (idx < endIdx && (s.charCodeAt(idx) === Ch.Minus || s.charCodeAt(idx) === Ch.Plus)) idx++;
      while (idx <= endIdx && isDigit(s.charCodeAt(idx))) idx++;
      if (isDigit(s.charCodeAt(idx - 1))) isFloat = true;
      else idx = eStart;
    }
    const text = s.slice(start, idx);
    if (isFloat) return [new PyFloat(Number(text)), idx];
    const digits = text.charCodeAt(0) === Ch.Minus ? text.length - 1 : text.length;
    if (digits > PY_INT_MAX_STR_DIGITS) {
      throw new PyException(
        'ValueError',
        `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
      );
    }
    if (digits <= 15) {
      const n = Number(text);
      return [n === 0 ? 0 : n, idx];
    }
    const big = BigInt(text);
    return [big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big, idx];
  }

  private matchWord(i: number, word: string): boolean {
    return this.s.startsWith(word, i) && i + word.length <= this.len;
  }

  private recursionError(kind: 'array' | 'object'): PyException {
    return new PyException(
      'RecursionError',
      `maximum recursion depth exceeded while decoding a JSON ${kind} from a unicode string`,
    );
  }

  /** scan_once at `i`, iteratively; returns the value and the index after it. */
  parseValue(start: number): [PyValue, number] {
    const s = this.s;
    const stack: Frame[] = [];
    let i = start;
    for (;;) {
      // ---- read one term at i (containers push a frame and continue with their first member)
      let value: PyValue;
      if (i >= this.len) throw this.err('Expecting value', i);
      const c = s.charCodeAt(i);
      if (c === Ch.Quote) {
        [value, i] = this.scanString(i + 1);
      } else if (c === Ch.LBrace) {
        if (stack.length >= JSON_MAX_NESTING) throw this.recursionError('object');
        i = this.skipWs(i + 1);
        if (i < this.len && s.charCodeAt(i) === Ch.RBrace) {
          value = new Map();
          i++;
        } else {
          if (i >= this.len || s.charCodeAt(i) !== Ch.Quote) {
            throw this.err('Expecting property name enclosed in double quotes', i);
          }
          let key: string;
          [key, i] = this.scanString(i + 1);
          i = this.skipWs(i);
          if (i >= this.len || s.charCodeAt(i) !== Ch.Colon) throw this.err("Expecting ':' delimiter", i);
          i = this.skipWs(i + 1);
          stack.push({ kind: 'object', map: new Map(), key });
          continue;
        }
      } else if (c === Ch.LBracket) {
        if (stack.length >= JSON_MAX_NESTING) throw this.recursionError('array');
        i = this.skipWs(i + 1);
        if (i < this.len && s.charCodeAt(i) === Ch.RBracket) {
          value = [];
          i++;
        } else {
          stack.push({ kind: 'array', items: [] });
          continue;
        }
      } else if (c === 0x6e && this.matchWord(i, 'null')) {
        value = null;
        i += 4;
      } else if (c === 0x74 && this.matchWord(i, 'true')) {
        value = true;
        i += 4;
      } else if (c === 0x66 && this.matchWord(i, 'false')) {
        value = false;
        i += 5;
      } else if (c === 0x4e && this.matchWord(i, 'NaN')) {
        value = new PyFloat(NaN);
        i += 3;
      } else if (c === 0x49 && this.matchWord(i, 'Infinity')) {
        value = new PyFloat(Infinity);
        i += 8;
      } else if (c === Ch.Minus && this.matchWord(i, '-Infinity')) {
        value = new PyFloat(-Infinity);
        i += 9;
      } else {
        const num = this.matchNumber(i);
        if (num === null) throw this.err('Expecting value', i);
        [value, i] = num;
      }

      // ---- hand the value to the enclosing containers, closing as many as end here
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return [value, i];
        if (top.kind === 'array') {
          top.items.push(value);
          i = this.skipWs(i);
          if (i < this.len && s.charCodeAt(i) === Ch.RBracket) {
            stack.pop();
            value = top.items;
            i++;
            continue;
          }
          if (i >= this.len || s.charCodeAt(i) !== Ch.Comma) throw this.err("Expecting ',' delimiter", i);
          const comma = i;
          i = this.skipWs(i + 1);
          if (i < this.len && s.charCodeAt(i) === Ch.RBracket) {
            throw this.err('Illegal trailing comma before end of array', comma);
          }
          break;
        }
        top.map.set(top.key, value);
        i = this.skipWs(i);
        if (i < this.len && s.charCodeAt(i) === Ch.RBrace) {
          stack.pop();
          value = top.map;
          i++;
          continue;
        }
        if (i >= this.len || s.charCodeAt(i) !== Ch.Comma) throw this.err("Expecting ',' delimiter", i);
        const comma = i;
        i = this.skipWs(i + 1);
        if (i < this.len && s.charCodeAt(i) === Ch.RBrace) {
          throw this.err('Illegal trailing comma before end of object', comma);
        }
        if (i >= this.len || s.charCodeAt(i) !== Ch.Quote) {
          throw this.err('Expecting property name enclosed in double quotes', i);
        }
        [top.key, i] = this.scanString(i + 1);
        i = this.skipWs(i);
        if (i >= this.len || s.charCodeAt(i) !== Ch.Colon) throw this.err("Expecting ':' delimiter", i);
        i = this.skipWs(i + 1);
        break;
      }
    }
  }

  decode(refuseBom = true): PyValue {
    if (refuseBom && this.s.charCodeAt(0) === 0xfeff) {
      throw this.err('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
    }
    const [value, end] = this.parseValue(this.skipWs(0));
    const after = this.skipWs(end);
    if (after !== this.len) throw this.err('Extra data', after);
    return value;
  }
}

/**
 * Python 3.13 `json.loads(text)`. Throws `PyException('JSONDecodeError', '<msg>: line L column C (char P)')`
 * for malformed text, and `RecursionError` / `ValueError` for the limits described in the module comment.
 */
export function parsePythonJson(text: string): PyValue {
  return new Parser(text).decode();
}

/**
 * What `json.loads(bytes)` does once the bytes are decoded (see json_bytes.ts): the same as for a `str`, except
 * that a leading U+FEFF is not refused up front (a BOM was already consumed by the codec; a second one is just an
 * unexpected character).
 */
export function parsePythonJsonDocument(text: string): PyValue {
  return new Parser(text).decode(false);
}
