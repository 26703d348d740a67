/** JSON text helpers for display: a tolerant parser and a pretty-printer that keeps numbers as written. */

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Replaces Python's bare `NaN`, `Infinity` and `-Infinity` tokens (outside strings) with `null`. */
function replaceNonFiniteTokens(text: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((candidate) => text.startsWith(candidate, i));
    if (token === undefined) {
      i++;
      continue;
    }
    out += text.slice(copiedTo, i) + 'null';
    i += token.length;
    copiedTo = i;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** JSON.parse, also accepting the NaN/Infinity tokens Python's json.dumps writes (read as null). */
export function parseJsonLenient(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (/NaN|Infinity/.test(text)) {
      try {
        return { ok: true, value: JSON.parse(replaceNonFiniteTokens(text)) };
      } catch {
        // fall through to the original error
      }
    }
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export interface FormattedJson {
  /** Indented JSON when `valid`, else the text as given. */
  text: string;
  valid: boolean;
}

const SCALAR_END = new Set([',', ':', ']', '}', ' ', '\t', '\r', '\n']);

function isWhitespace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

/**
 * Indents JSON text. Numbers keep their written form (`1.0` stays `1.0`, big integers stay exact, which
 * JSON.parse + JSON.stringify would lose); strings are shown with their escapes decoded (`\u00e9` as `é`).
 */
export function formatJson(raw: string, indent = '  '): FormattedJson {
  const parsed = parseJsonLenient(raw);
  if (!parsed.ok) return { text: raw, valid: false };
  const parts: string[] = [];
  let depth = 0;
  let i = 0;
  const n = raw.length;
  const newline = (): string => `\n${indent.repeat(depth)}`;
  while (i < n) {
    const c = raw[i] as string;
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
      parts.push(JSON.stringify(JSON.parse(raw.slice(i, j + 1)) as string));
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      let j = i + 1;
      while (isWhitespace(raw[j])) j++;
      if (raw[j] === (c === '{' ? '}' : ']')) {
        parts.push(c === '{' ? '{}' : '[]');
        i = j + 1;
        continue;
      }
      depth++;
      parts.push(c, newline());
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      depth--;
      parts.push(newline(), c);
      i++;
      continue;
    }
    if (c === ',') {
      parts.push(',', newline());
      i++;
      continue;
    }
    if (c === ':') {
      parts.push(': ');
      i++;
      continue;
    }
    let j = i;
    while (j < n && !SCALAR_END.has(raw[j] as string)) j++;
    parts.push(raw.slice(i, j));
    i = j;
  }
  return { text: parts.join(''), valid: true };
}

/** Pretty JSON for a value that is already parsed. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, null, 2) ?? String(value);
}
