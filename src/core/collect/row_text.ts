/**
 * Assigning top-level members of a rollout row given as JSON text, leaving the rest of the text as it is: the
 * agent's answer already holds Python's floats (`1.0`) that a parse-and-serialise round trip in JavaScript would
 * lose. Like a Python dict assignment, an existing key keeps its position and gets the new value; a new key goes
 * at the end.
 */

/** `[key, value as JSON text]`, in the order new keys are appended. */
export type MemberAssignment = readonly [key: string, valueText: string];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The row with the members assigned, or null when the text is not a single-line JSON object this can edit (the
 * caller then serialises the value instead).
 */
export function assignMembers(text: string, assignments: readonly MemberAssignment[]): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}') || trimmed.includes('\n')) return null;
  const wanted = new Map(assignments.map(([key, value]) => [JSON.stringify(key), value]));
  const spans = memberValueSpans(trimmed, wanted);
  if (spans === null) return null;
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += trimmed.slice(cursor, span.start) + wanted.get(span.key)!;
    cursor = span.end;
  }
  out += trimmed.slice(cursor, -1);
  const present = new Set(spans.map((span) => span.key));
  const appended = assignments.filter(([key]) => !present.has(JSON.stringify(key))).map(([key, value]) => `${JSON.stringify(key)}:${value}`);
  if (appended.length === 0) return `${out}}`;
  const empty = /^\{\s*$/.test(out);
  return `${out}${empty ? '' : ','}${appended.join(',')}}`;
}

interface Span {
  /** The key's JSON text (quoted). */
  key: string;
  start: number;
  end: number;
}

/**
 * Where the values of the wanted top-level keys are, in text order (the last occurrence of a repeated key, which
 * is the one a parser keeps). Null when the text is not an object.
 */
function memberValueSpans(text: string, wanted: ReadonlyMap<string, string>): Span[] | null {
  const byKey = new Map<string, Span>();
  let i = skipSpace(text, 1);
  if (text.charCodeAt(i) === 0x7d) return [];
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    const key = text.slice(i, keyEnd);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) return null;
    const valueStart = skipSpace(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return null;
    if (wanted.has(key)) byKey.set(key, { key, start: valueStart, end: valueEnd });
    i = skipSpace(text, valueEnd);
    const c = text.charCodeAt(i);
    if (c === 0x2c) i = skipSpace(text, i + 1);
    else if (c === 0x7d) break;
    else return null;
  }
  return [...byKey.values()].sort((a, b) => a.start - b.start);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** The index after the string starting at `i` (a quote), or -1. Most of a row is string bytes: indexOf skips them. */
function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index after the value starting at `i`, or -1 (brackets and strings are tracked; scalars end at a delimiter). */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first !== 0x7b && first !== 0x5b) {
    let j = i;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) break;
      j++;
    }
    return j > i ? j : -1;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) {
      j = skipString(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}
