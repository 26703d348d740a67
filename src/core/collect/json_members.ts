/**
 * The top-level members of a JSON object's text, located without parsing the values: each member's key and the
 * exact text of its value. Rollout lines are tens of kilobytes, almost all of it conversation that the metrics
 * never look at; taking the few fields they need by slicing keeps every number as it was written (`1.0` stays a
 * float, as NeMo Gym's Python reads it), for a fraction of the cost of a full parse.
 */

export interface JsonMember {
  key: string;
  /** The member's text from its key's opening quote to the end of its value. */
  text: string;
  /** The value's text. */
  value: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** The index just past the string that starts at `at` (an opening quote). */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new SyntaxError('unterminated string');
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** The index just past the value that starts at `at`. */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        i = stringEnd(text, i);
        continue;
      }
      if (code === 0x7b || code === 0x5b) depth++;
      else if (code === 0x7d || code === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('unterminated container');
  }
  let i = at;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x2c || code === 0x7d || code === 0x5d || isSpace(code)) break;
    i++;
  }
  if (i === at) throw new SyntaxError(`unexpected character at ${at}`);
  return i;
}

/** The members of the object `text` (which must be valid JSON, e.g. a line already parsed elsewhere). */
export function objectMembers(text: string): JsonMember[] {
  let at = skipSpace(text, 0);
  if (text.charCodeAt(at) !== 0x7b) throw new SyntaxError('not a JSON object');
  at = skipSpace(text, at + 1);
  const members: JsonMember[] = [];
  if (text.charCodeAt(at) === 0x7d) return members;
  for (;;) {
    const keyStart = at;
    const keyEnd = stringEnd(text, keyStart);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    at = skipSpace(text, keyEnd);
    if (text.charCodeAt(at) !== 0x3a) throw new SyntaxError(`expected ':' at ${at}`);
    const valueStart = skipSpace(text, at + 1);
    const end = valueEnd(text, valueStart);
    members.push({ key, text: text.slice(keyStart, end), value: text.slice(valueStart, end) });
    at = skipSpace(text, end);
    const next = text.charCodeAt(at);
    if (next === 0x7d) return members;
    if (next !== 0x2c) throw new SyntaxError(`expected ',' or '}' at ${at}`);
    at = skipSpace(text, at + 1);
  }
}
