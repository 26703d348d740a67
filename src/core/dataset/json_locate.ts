/**
 * Finds where a value sits inside one line of JSON text, so a diagnostic can underline the field at fault instead
 * of the whole line. Only the path's ancestors are scanned; everything else is skipped without being parsed.
 */

export interface JsonRange {
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
}

export interface LocatedValue {
  value: JsonRange;
  /** The member's key (with quotes) when the value is an object member. */
  key: JsonRange | null;
}

/** The offset a `JSON.parse` error message points at (V8 wording), or null if it names none. */
export function jsonErrorOffset(message: string, text: string): number | null {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/Unexpected end of JSON input/i.test(message)) return text.length;
  return null;
}

/** Locates the value at `path`. Segments that are not keys or indexes of the value reached so far are skipped. */
export function locateJsonPath(text: string, path: readonly (string | number)[]): LocatedValue | null {
  const scanner = new Scanner(text);
  try {
    let at = scanner.skipWhitespace(0);
    let located: LocatedValue = { value: { start: at, end: scanner.skipValue(at) }, key: null };
    for (const segment of path) {
      const child = scanner.findChild(at, segment);
      if (!child) continue;
      located = child;
      at = child.value.start;
    }
    return located;
  } catch {
    return null;
  }
}

class Scanner {
  constructor(private readonly text: string) {}

  skipWhitespace(index: number): number {
    const text = this.text;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
      index += 1;
    }
    return index;
  }

  /** End (exclusive) of the string starting at the quote at `index`. */
  skipString(index: number): number {
    const text = this.text;
    let i = index + 1;
    while (i < text.length) {
      const char = text.charCodeAt(i);
      if (char === 0x5c) i += 2;
      else if (char === 0x22) return i + 1;
      else i += 1;
    }
    throw new Error('unterminated string');
  }

  /** End (exclusive) of the value starting at `index`. */
  skipValue(index: number): number {
    const text = this.text;
    const first = text[index];
    if (first === '"') return this.skipString(index);
    if (first === '{' || first === '[') {
      let depth = 0;
      let i = index;
      while (i < text.length) {
        const char = text[i];
        if (char === '"') {
          i = this.skipString(i);
          continue;
        }
        if (char === '{' || char === '[') depth += 1;
        else if (char === '}' || char === ']') {
          depth -= 1;
          if (depth === 0) return i + 1;
        }
        i += 1;
      }
      throw new Error('unterminated container');
    }
    let i = index;
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i += 1;
    if (i === index) throw new Error(`unexpected character at ${index}`);
    return i;
  }

  /** The member or element `segment` of the container at `index`, or null if it has none. */
  findChild(index: number, segment: string | number): LocatedValue | null {
    const text = this.text;
    const open = text[index];
    if (open === '{' && typeof segment === 'string') {
      let i = this.skipWhitespace(index + 1);
      while (text[i] === '"') {
        const keyEnd = this.skipString(i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        const valueStart = this.skipWhitespace(this.skipWhitespace(keyEnd) + 1);
        const valueEnd = this.skipValue(valueStart);
        if (key === segment) return { key: { start: i, end: keyEnd }, value: { start: valueStart, end: valueEnd } };
        i = this.skipWhitespace(valueEnd);
        if (text[i] !== ',') return null;
        i = this.skipWhitespace(i + 1);
      }
      return null;
    }
    if (open === '[' && typeof segment === 'number') {
      let i = this.skipWhitespace(index + 1);
      let position = 0;
      while (i < text.length && text[i] !== ']') {
        const end = this.skipValue(i);
        if (position === segment) return { key: null, value: { start: i, end } };
        position += 1;
        i = this.skipWhitespace(end);
        if (text[i] !== ',') return null;
        i = this.skipWhitespace(i + 1);
      }
    }
    return null;
  }
}
