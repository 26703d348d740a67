/**
 * Byte-level navigation of JSON text held in a byte array, without building values. The rollout index uses it to
 * pick a few summary fields out of multi-hundred-KB lines: skipping a value costs one pass over its structural
 * bytes, and strings (most of a rollout's bytes) are skipped with a tight loop that only looks for `"` and `\`.
 *
 * Structure is validated (brackets, colons, commas, literals, number characters). String contents are not: an
 * invalid escape inside a string is only found when the line is fully parsed for display.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Returned by every scanning function when the text is not well-formed JSON. */
export const MALFORMED = -1;

export function skipWhitespace(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** `i` is at the opening quote. Returns the index after the closing quote. */
export function skipString(b: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i += 2;
    else i++;
  }
  return MALFORMED;
}

const LITERALS: readonly Uint8Array[] = ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity'].map((s) =>
  Uint8Array.from(s, (ch) => ch.charCodeAt(0)),
);

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

/**
 * Skips `true`, `false`, `null`, a number, and the `NaN`/`Infinity` tokens Python's json.dumps writes for
 * non-finite floats (accepted here; the display parser maps them to null).
 */
export function skipScalar(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === undefined) return MALFORMED;
  for (const literal of LITERALS) {
    if (literal[0] !== c) continue;
    if (c === 0x2d && b[i + 1] !== 0x49) continue; // "-" starts a number unless "-Infinity"
    if (i + literal.length > end) return MALFORMED;
    for (let k = 1; k < literal.length; k++) if (b[i + k] !== literal[k]) return MALFORMED;
    return i + literal.length;
  }
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2d)) return MALFORMED;
  let j = i + 1;
  while (j < end && isNumberByte(b[j] as number)) j++;
  const last = b[j - 1] as number;
  return last >= 0x30 && last <= 0x39 ? j : MALFORMED;
}

// Container scanner states.
const EXPECT_VALUE_OR_CLOSE = 0;
const EXPECT_VALUE = 1;
const EXPECT_KEY_OR_CLOSE = 2;
const EXPECT_KEY = 3;
const EXPECT_COLON = 4;
const EXPECT_COMMA_OR_CLOSE = 5;

/** `i` is at `{` or `[`. Validates the structure of the whole container and returns the index after it. */
function skipContainer(b: Uint8Array, i: number, end: number): number {
  const stack: number[] = [];
  let state = EXPECT_VALUE_OR_CLOSE;
  while (true) {
    i = skipWhitespace(b, i, end);
    if (i >= end) return MALFORMED;
    const c = b[i] as number;
    switch (state) {
      case EXPECT_VALUE_OR_CLOSE:
      case EXPECT_VALUE:
        if (c === LBRACE || c === LBRACKET) {
          stack.push(c);
          state = c === LBRACE ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
          i++;
          continue;
        }
        if (c === RBRACKET && state === EXPECT_VALUE_OR_CLOSE) break; // handled below as a close
        if (c === QUOTE) i = skipString(b, i, end);
        else i = skipScalar(b, i, end);
        if (i < 0) return MALFORMED;
        state = EXPECT_COMMA_OR_CLOSE;
        continue;
      case EXPECT_KEY_OR_CLOSE:
      case EXPECT_KEY:
        if (c === RBRACE && state === EXPECT_KEY_OR_CLOSE) break;
        if (c !== QUOTE) return MALFORMED;
        i = skipString(b, i, end);
        if (i < 0) return MALFORMED;
        state = EXPECT_COLON;
        continue;
      case EXPECT_COLON:
        if (c !== COLON) return MALFORMED;
        i++;
        state = EXPECT_VALUE;
        continue;
      case EXPECT_COMMA_OR_CLOSE:
        if (c === COMMA) {
          i++;
          state = stack[stack.length - 1] === LBRACE ? EXPECT_KEY : EXPECT_VALUE;
          continue;
        }
        break;
    }
    // A closing bracket must match the innermost open container.
    if (c !== RBRACE && c !== RBRACKET) return MALFORMED;
    const open = stack.pop();
    if ((c === RBRACE && open !== LBRACE) || (c === RBRACKET && open !== LBRACKET)) return MALFORMED;
    i++;
    if (stack.length === 0) return i;
    state = EXPECT_COMMA_OR_CLOSE;
  }
}

/** `i` is at the first byte of a value (whitespace already skipped). Returns the index after the value. */
export function skipValue(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i, end);
  if (c === LBRACE || c === LBRACKET) return skipContainer(b, i, end);
  return skipScalar(b, i, end);
}

/**
 * Receives one object member: the key's bytes are `[keyStart, keyEnd)` (quotes excluded, escapes not decoded)
 * and the value starts at `valueStart`. Returns the index after the value, or MALFORMED.
 */
export type MemberVisitor = (keyStart: number, keyEnd: number, valueStart: number) => number;

/** `i` is at `{`. Visits each member in order; returns the index after `}`. */
export function scanObject(b: Uint8Array, i: number, end: number, visit: MemberVisitor): number {
  if (b[i] !== LBRACE) return MALFORMED;
  i = skipWhitespace(b, i + 1, end);
  if (b[i] === RBRACE) return i + 1;
  while (true) {
    if (b[i] !== QUOTE) return MALFORMED;
    const keyStart = i + 1;
    const afterKey = skipString(b, i, end);
    if (afterKey < 0) return MALFORMED;
    i = skipWhitespace(b, afterKey, end);
    if (b[i] !== COLON) return MALFORMED;
    i = skipWhitespace(b, i + 1, end);
    if (i >= end) return MALFORMED;
    i = visit(keyStart, afterKey - 1, i);
    if (i < 0) return MALFORMED;
    i = skipWhitespace(b, i, end);
    const c = b[i];
    if (c === RBRACE) return i + 1;
    if (c !== COMMA) return MALFORMED;
    i = skipWhitespace(b, i + 1, end);
  }
}

/** Receives one array element starting at `valueStart`; returns the index after it, or MALFORMED. */
export type ElementVisitor = (valueStart: number, position: number) => number;

/** `i` is at `[`. Visits each element in order; returns the index after `]`. */
export function scanArray(b: Uint8Array, i: number, end: number, visit: ElementVisitor): number {
  if (b[i] !== LBRACKET) return MALFORMED;
  i = skipWhitespace(b, i + 1, end);
  if (b[i] === RBRACKET) return i + 1;
  for (let position = 0; ; position++) {
    if (i >= end) return MALFORMED;
    i = visit(i, position);
    if (i < 0) return MALFORMED;
    i = skipWhitespace(b, i, end);
    const c = b[i];
    if (c === RBRACKET) return i + 1;
    if (c !== COMMA) return MALFORMED;
    i = skipWhitespace(b, i + 1, end);
  }
}

/** True when the bytes `[start, end)` equal the ASCII `expected` bytes. */
export function bytesEqual(b: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (b[start + k] !== expected[k]) return false;
  return true;
}

/**
 * Maps object keys to small integer codes by comparing raw bytes, so the scanner never allocates a string for a
 * key it does not care about. Keys are matched as written: an escaped key (`"\u0072eward"`) is not recognised.
 */
export class KeyMatcher<K extends string> {
  private readonly byLength = new Map<number, { key: K; bytes: Uint8Array }[]>();

  constructor(keys: readonly K[]) {
    for (const key of keys) {
      const bytes = Uint8Array.from(key, (ch) => ch.charCodeAt(0));
      const bucket = this.byLength.get(bytes.length) ?? [];
      bucket.push({ key, bytes });
      this.byLength.set(bytes.length, bucket);
    }
  }

  match(b: Uint8Array, start: number, end: number): K | null {
    const bucket = this.byLength.get(end - start);
    if (!bucket) return null;
    for (const candidate of bucket) if (bytesEqual(b, start, end, candidate.bytes)) return candidate.key;
    return null;
  }
}
